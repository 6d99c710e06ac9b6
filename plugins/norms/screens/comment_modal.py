"""Comment on a proposed norm: a question, a suggested wording, a concern."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from plc_tui.api import Context, ValidationError, one_line
from plc_tui.widgets.form_modal import FormModal
from plc_tui.widgets.text_box import TextBox

from ..service import Norms


class CommentModal(FormModal[bool]):
    save_label = "Add comment"
    DEFAULT_CSS = "CommentModal TextBox { height: 5; }"

    def __init__(self, ctx: Context, proposal: dict[str, Any]) -> None:
        super().__init__(
            "Comment on the proposal",
            f"“{one_line(proposal['text'], 150)}” The team sees your name with it.",
        )
        self.service = Norms(ctx)
        self.proposal_id = proposal["id"]

    def compose_fields(self) -> ComposeResult:
        yield TextBox(id="comment", placeholder="e.g. Could we say 'within five minutes'?")

    def on_mount(self) -> None:
        self.query_one("#comment", TextBox).focus()

    def collect(self) -> str:
        text = self.query_one("#comment", TextBox).text
        if not text.strip():
            raise ValidationError("write a comment first, or press escape to leave.")
        return text

    def commit(self, text: str) -> bool:
        self.service.comment(self.proposal_id, text)
        return True

    def saved(self, result: bool) -> None:
        self.app.notify("Comment added.", markup=False)

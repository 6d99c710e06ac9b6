"""Comment on a reflection shared with you (or reply on your own)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from plc_tui.api import Context, ValidationError
from plc_tui.widgets.form_modal import FormModal
from plc_tui.widgets.text_box import TextBox

from ..service import Reflections


class CommentModal(FormModal[bool]):
    save_label = "Add comment"
    DEFAULT_CSS = "CommentModal TextBox { height: 6; }"

    def __init__(self, ctx: Context, row: dict[str, Any]) -> None:
        super().__init__(
            "Comment",
            "Only the author and the coaches it is shared with can read it.",
        )
        self.service = Reflections(ctx)
        self.rid = row["id"]

    def compose_fields(self) -> ComposeResult:
        yield TextBox(id="comment", placeholder="A question back, what you noticed, a resource")

    def on_mount(self) -> None:
        self.query_one("#comment", TextBox).focus()

    def collect(self) -> str:
        text = self.query_one("#comment", TextBox).text
        if not text.strip():
            raise ValidationError("write a comment first, or press escape to leave.")
        return text

    def commit(self, text: str) -> bool:
        self.service.comment(self.rid, text)
        return True

    def saved(self, result: bool) -> None:
        self.app.notify("Comment added.", markup=False)

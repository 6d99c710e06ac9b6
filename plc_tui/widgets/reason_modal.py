"""Ask for a short reason: an objection to a proposal, so the team can answer it.

Public API for module screens: ``ReasonModal(title, detail, placeholder=...)``
dismisses with the reason typed, or ``None`` when cancelled.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from ..errors import ValidationError
from .form_modal import FormModal
from .line_input import LineInput


class ReasonModal(FormModal[str]):
    save_label = "Send"

    def __init__(
        self, title: str, detail: str = "", *, placeholder: str = "", max_length: int = 500
    ) -> None:
        super().__init__(title, detail)
        self.placeholder = placeholder
        self.max_length = max_length

    def compose_fields(self) -> ComposeResult:
        yield LineInput(id="reason", max_length=self.max_length, placeholder=self.placeholder)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def collect(self) -> str:
        text = self.query_one("#reason", Input).value.strip()
        if not text:
            raise ValidationError("please give a reason, so the team can respond to it.")
        return text

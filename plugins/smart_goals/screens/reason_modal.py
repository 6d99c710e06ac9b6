"""Ask for a short reason (an objection to a proposed goal)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from plc_tui.api import ValidationError
from plc_tui.widgets.form_modal import FormModal


class ReasonModal(FormModal[str]):
    save_label = "Send"

    def compose_fields(self) -> ComposeResult:
        yield Input(id="reason", max_length=500, placeholder="e.g. The target ignores…")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def collect(self) -> str:
        text = self.query_one("#reason", Input).value.strip()
        if not text:
            raise ValidationError("please give a reason, so the team can respond to it.")
        return text

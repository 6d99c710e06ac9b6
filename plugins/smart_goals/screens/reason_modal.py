"""Ask for a short reason (an objection to a proposed goal)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from plc_tui.api import plain


class ReasonModal(ModalScreen[str | None]):
    CSS_PATH = "../goals.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, detail: str) -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static(plain(self.title_text, style="bold"))
            yield Static(plain(self.detail), classes="modal-detail")
            yield Input(id="reason", max_length=500, placeholder="e.g. The target ignores…")
            yield Static(id="reason-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Send", id="send", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def _send(self) -> None:
        text = self.query_one("#reason", Input).value.strip()
        if not text:
            self.query_one("#reason-error", Static).update(
                plain("Please give a reason, so the team can respond to it.", style="bold red")
            )
            return
        self.dismiss(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._send()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "send":
            self._send()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

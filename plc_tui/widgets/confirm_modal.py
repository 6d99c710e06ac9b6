"""A yes/no question before something that cannot be undone (public API for
module screens): ``push_screen(ConfirmModal(title, detail, confirm="Close"), then)``
calls ``then(True)`` when confirmed (enter on the button, or y)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..text import plain
from .footer import Footer


class ConfirmModal(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal #confirm-box {
        width: 56; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 1 2;
    }
    ConfirmModal #confirm-detail { margin: 1 0; }
    ConfirmModal #confirm-buttons { height: 3; align: center middle; }
    ConfirmModal #confirm-buttons Button { margin: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("y", "confirm", "Yes", show=False)]

    def __init__(
        self, title: str, detail: str, *, confirm: str = "OK", danger: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail
        self.confirm_label = confirm
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(plain(self.title_text, style="bold"))
            yield Static(plain(self.detail), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    self.confirm_label, id="confirm", variant="error" if self.danger else "primary"
                )
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        # Something that cannot be undone waits for a deliberate choice: enter
        # right after the key that asked does not do it.
        self.query_one("#cancel" if self.danger else "#confirm", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def ask(
    node: DOMNode,
    title: str,
    detail: str,
    *,
    confirm: str,
    then: Callable[[], Any],
    danger: bool = False,
) -> None:
    """Ask ``title`` (``detail`` under it) and run ``then()`` only on yes;
    with ``danger`` (nothing brings it back) Cancel has the focus."""

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    node.app.push_screen(ConfirmModal(title, detail, confirm=confirm, danger=danger), answered)

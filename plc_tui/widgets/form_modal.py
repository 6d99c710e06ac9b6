"""A small form in a modal: fields that scroll, an error line, Save and Cancel.

Public API for module screens. Subclass :class:`FormModal`, yield the fields
from ``compose_fields``, turn them into a value in ``collect`` (raise a
:class:`~plc_tui.errors.PLCError` to say what is wrong), and store it in
``commit``, which runs in a worker so a lock held by another plc never freezes
the app. The modal closes with ``commit``'s result; on an error it stays open
with everything typed and the message under the fields.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static, TextArea

from ..errors import PLCError
from ..text import plain
from .background import save_in_background
from .choice_list import ChoiceList
from .confirm_modal import ask
from .footer import Footer

Result = TypeVar("Result")


class FormModal(ModalScreen[Result | None], Generic[Result]):
    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal .form-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FormModal .form-fields { height: auto; }
    FormModal .form-fields Label { margin-top: 1; }
    FormModal .form-detail { color: $text-muted; }
    FormModal .form-error { height: auto; display: none; }
    FormModal .form-error.-shown { display: block; }
    FormModal .form-buttons { height: 3; margin-top: 1; }
    FormModal .form-buttons Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    #: The label of the button that saves.
    save_label = "Save"

    def __init__(self, title: str, detail: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static(plain(self.title_text, style="bold"))
            if self.detail:
                yield Static(plain(self.detail), classes="form-detail")
            # Buttons stay outside the scrolling part, so they show at 80x24.
            with VerticalScroll(classes="form-fields", can_focus=False):
                yield from self.compose_fields()
            yield Static(classes="form-error")
            with Horizontal(classes="form-buttons"):
                yield Button(self.save_label, id="form-save", variant="primary")
                yield Button("Cancel", id="form-cancel")
        # The dialog's own keys, not those of the screen underneath.
        yield Footer()
        # What the fields hold once shown, to tell later whether anything was typed
        # (here, not in on_mount, which subclasses define for their focus).
        self.call_after_refresh(lambda: setattr(self, "_loaded", self.typed()))

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Let the fields take what the screen has left, so the buttons always show.

        Textual has no height for "what is left" inside a box that is as tall as
        its content, so it is measured: the box's other parts, borders and margins.
        """
        box = self.query_one(".form-box")
        fields = self.query_one(".form-fields")
        others = box.outer_size.height - box.content_size.height
        for child in box.children:
            if child is not fields:
                margin = child.styles.margin
                others += child.outer_size.height + margin.top + margin.bottom
        room = max(3, self.size.height - others)
        if fields.styles.max_height != room:
            fields.styles.max_height = room

    def compose_fields(self) -> ComposeResult:
        """The form's fields."""
        yield from ()

    def collect(self) -> Any:
        """The typed values, checked; raise ``PLCError`` to say what to fix."""
        return None

    def commit(self, values: Any) -> Result:
        """Store ``values`` (runs in a worker); the modal closes with the result."""
        return values

    def saved(self, result: Result) -> None:
        """Runs on the app's thread once ``commit`` succeeded, before the dialog closes
        (to say what happened)."""

    def action_save(self) -> None:
        try:
            values = self.collect()
        except PLCError as exc:
            self.show_error(exc)
            return

        def done(result: Result) -> None:
            self.saved(result)
            self.dismiss(result)

        save_in_background(self, lambda: self.commit(values), done, failed=self.show_error)

    def show_error(self, exc: PLCError) -> None:
        message = exc.message[:1].upper() + exc.message[1:]
        error = self.query_one(".form-error", Static)
        error.update(plain(message, style="bold red"))
        error.add_class("-shown")
        self.call_after_refresh(self._fit)

    def typed(self) -> tuple[str, ...]:
        """What the fields hold now, to tell whether leaving would lose typing."""
        return field_values(self.query_one(".form-fields"))

    def action_cancel(self) -> None:
        if self.typed() == getattr(self, "_loaded", self.typed()):
            self.dismiss(None)
            return
        ask(
            self,
            "Close without saving?",
            "What you typed here will be lost.",
            confirm="Close",
            then=lambda: self.dismiss(None),
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()


def field_values(node: Widget) -> tuple[str, ...]:
    """What every entry under ``node`` holds (inputs, text boxes, selects, choice
    lists), to tell later whether a person typed or chose anything."""
    values: list[Any] = []
    for widget in node.query("*"):
        if isinstance(widget, TextArea):
            values.append(widget.text)
        elif isinstance(widget, Input | Select | ChoiceList):
            values.append(widget.value)
    return tuple(str(v) for v in values)

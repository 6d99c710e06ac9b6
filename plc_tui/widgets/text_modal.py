"""Ask for a few lines of text (a comment) and store them.

Public API for module screens: ``TextModal(title, detail, save=fn)`` shows a
multi-line box; on Save, ``save(text)`` runs in a worker (a lock held by another
plc never freezes the app), then ``said`` is shown and the dialog closes with the
text. Empty text is refused with a sentence, and nothing typed is lost on an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult

from ..errors import ValidationError
from .form_modal import FormModal
from .text_box import TextBox


class TextModal(FormModal[str]):
    DEFAULT_CSS = "TextModal TextBox { height: 6; }"

    def __init__(
        self,
        title: str,
        detail: str = "",
        *,
        save: Callable[[str], Any],
        placeholder: str = "",
        said: str = "",
        save_label: str = "Save",
    ) -> None:
        super().__init__(title, detail)
        self.save = save
        self.placeholder = placeholder
        self.said = said
        self.save_label = save_label

    def compose_fields(self) -> ComposeResult:
        yield TextBox(id="text", placeholder=self.placeholder)

    def on_mount(self) -> None:
        self.query_one("#text", TextBox).focus()

    def collect(self) -> str:
        text = self.query_one("#text", TextBox).text
        if not text.strip():
            raise ValidationError("write something first, or press escape to leave.")
        return text

    def commit(self, text: str) -> str:
        self.save(text)
        return text

    def saved(self, result: str) -> None:
        if self.said:
            self.app.notify(self.said, markup=False)

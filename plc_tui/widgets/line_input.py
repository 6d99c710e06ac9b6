"""A one-line text box that says why it refuses text, and takes a pasted paragraph."""

from __future__ import annotations

import time

from textual import events
from textual.widgets import Input

REPEAT_SECONDS = 3.0  # the same refusal is said again only after this long


class LineInput(Input):
    """A :class:`~textual.widgets.Input` for what people type or paste.

    Textual's input refuses text that would pass ``max_length`` (or is not a
    number, with ``type="number"``) with a terminal bell alone, which many
    terminals and SSH sessions do not sound: a teacher pasting an answer from a
    document saw nothing happen. It also keeps only the first line of a paste.
    This one joins a pasted paragraph's lines with spaces, and says in a
    notification why text was refused (once per few seconds, so a held key is
    not a flood of them); nothing is cut short without a word. Public API for
    plugins: use it for every one-line field.
    """

    _attempt: tuple[str, int] = ("", 0)  # the text last offered, and the value's length then
    _said: tuple[str, float] = ("", 0.0)

    def replace(self, text: str, start: int, end: int) -> None:
        value = self.value
        start, end = sorted((max(0, start), min(len(value), end)))
        self._attempt = (text, len(value) - (end - start) + len(text))
        super().replace(text, start, end)

    def restricted(self) -> None:
        text, length = self._attempt
        if self.max_length and length > self.max_length:
            if len(text) > 1:
                message = (
                    f"Not pasted: this box takes up to {self.max_length:,} characters, "
                    f"and with it there would be {length:,}."
                )
            else:
                message = f"This box is full: it takes up to {self.max_length:,} characters."
        elif self.type == "number":
            message = "Only a number goes in this box."
        elif self.type == "integer":
            message = "Only a whole number goes in this box."
        else:
            message = "That character cannot go in this box."
        said, when = self._said
        now = time.monotonic()
        if message == said and now - when < REPEAT_SECONDS:
            return
        self._said = (message, now)
        self.notify(message, severity="warning", markup=False)

    def on_paste(self, event: events.Paste) -> None:
        # Runs before Input's own paste handler, which prevent_default() skips.
        event.prevent_default()
        event.stop()
        text = " ".join(line.strip() for line in event.text.splitlines() if line.strip())
        if not text:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)

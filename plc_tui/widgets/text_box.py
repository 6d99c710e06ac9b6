"""A multi-line text box that answers the keys people expect from an editor."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea


class TextBox(TextArea):
    """A :class:`~textual.widgets.TextArea` that wraps words and knows ctrl+home / ctrl+end.

    Textual's text area has no binding for the start and end of the whole
    text, so in a scrolling form ctrl+end did nothing, and a person at the top
    of ten action steps could not reach the last one without arrowing down.
    Public API for plugins: use it wherever a person writes more than a line.
    """

    BINDINGS = [
        Binding("ctrl+home", "cursor_text_start", "Start of text", show=False),
        Binding("ctrl+end", "cursor_text_end", "End of text", show=False),
        Binding("ctrl+shift+home", "cursor_text_start(True)", "Select to start", show=False),
        Binding("ctrl+shift+end", "cursor_text_end(True)", "Select to end", show=False),
    ]

    def __init__(
        self,
        text: str = "",
        *,
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            text,
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            placeholder=placeholder,
            id=id,
            classes=classes,
        )

    def action_cursor_text_start(self, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_cursor_text_end(self, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)

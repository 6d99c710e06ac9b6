"""A search box under a list, hidden until a person opens it."""

from __future__ import annotations

from .line_input import LineInput


class FindBox(LineInput):
    """A :class:`LineInput` a screen shows with ``open()`` (bound to ``/``) and whose
    back action asks ``close()`` first: escape clears and hides the search before it
    leaves the screen. Its value changing posts ``Input.Changed`` as usual, closing
    included, so the screen narrows its list in one handler. Public API for plugins.
    """

    DEFAULT_CSS = """
    FindBox { display: none; }
    FindBox.-open { display: block; }
    """

    def open(self) -> None:
        self.add_class("-open")
        self.focus()

    def close(self) -> bool:
        """Clear and hide the box; ``False`` when it was not open (leave then)."""
        if not self.has_class("-open"):
            return False
        self.value = ""
        self.remove_class("-open")
        return True

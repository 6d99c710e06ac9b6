"""The key footer of plc's screens: Textual's ``Footer``, redrawn only when the keys
it shows change.

Textual's ``Footer`` rebuilds its keys (a widget each, each styled again) every
time anything asks for the bindings to be refreshed: a screen shown or resumed,
the focus moving, and every ``refresh_bindings()`` a screen makes when the row
under the cursor changes what it offers. On the goals board that was several
rebuilds per screen switch, most of them showing the same keys, and a large part
of the switch's time. Module screens use this one the same way::

    from plc_tui.widgets.footer import Footer

    def compose(self):
        ...
        yield Footer()
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


def shown_keys(screen: Screen[Any]) -> tuple[tuple[str, str, bool, str], ...]:
    """What a footer on ``screen`` shows: each shown binding's key, description,
    whether it is enabled, and its tooltip."""
    return tuple(
        (binding.key, binding.description, enabled, tooltip)
        for (_, binding, enabled, tooltip) in screen.active_bindings.values()
        if binding.show
    )


class Footer(TextualFooter):
    """``textual.widgets.Footer`` that skips a rebuild showing the same keys."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drawn_keys: tuple[tuple[str, str, bool, str], ...] | None = None

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        # What is on the terminal now: only keys actually drawn let a later
        # rebuild be skipped (Textual draws nothing until the bindings are ready).
        self.drawn_keys = shown_keys(self.screen) if keys else None
        yield from keys

    def bindings_changed(self, screen: Screen[Any]) -> None:
        ready = screen.app.app_focus and self.is_attached and screen is self.screen
        if ready and self.drawn_keys is not None and shown_keys(screen) == self.drawn_keys:
            return
        super().bindings_changed(screen)

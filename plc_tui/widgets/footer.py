"""The key footer of plc's screens: Textual's ``Footer``, redrawn only when the keys
it shows change, and showing only whole keys.

Textual's ``Footer`` rebuilds its keys (a widget each, each styled again) every
time anything asks for the bindings to be refreshed: a screen shown or resumed,
the focus moving, and every ``refresh_bindings()`` a screen makes when the row
under the cursor changes what it offers. On the goals board that was several
rebuilds per screen switch, most of them showing the same keys, and a large part
of the switch's time.

Where the keys are wider than the terminal (80 columns and a screen with many
keys), Textual cuts the last one in the middle ("r▏"), a key with no word. This
one leaves out the keys that do not fit, whole, from the last; ``F1 Help``, which
lists every key, stays. Module screens use this one the same way::

    from plc_tui.widgets.footer import Footer

    def compose(self):
        ...
        yield Footer()
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter

HELP_KEY = "f1"  # the app's key listing every key of a screen: never left out
PALETTE_WIDTH = 13  # "▏^p palette" with its margin, docked at the right


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
        self.drawn_width = 0

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        # What is on the terminal now: only keys actually drawn let a later
        # rebuild be skipped (Textual draws nothing until the bindings are ready).
        self.drawn_keys = shown_keys(self.screen) if keys else None
        self.drawn_width = self.app.size.width
        yield from fitting(keys, self.drawn_width)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        ready = screen.app.app_focus and self.is_attached and screen is self.screen
        same_width = self.app.size.width == self.drawn_width
        if ready and same_width and self.drawn_keys is not None:
            if shown_keys(screen) == self.drawn_keys:
                return
        super().bindings_changed(screen)

    def on_resize(self) -> None:
        if self.drawn_keys is not None and self.app.size.width != self.drawn_width:
            self.call_after_refresh(self.recompose)


def _is_key(widget: Widget) -> bool:
    # Textual's FooterKey, which textual.widgets does not export: known by what it holds.
    return all(hasattr(widget, name) for name in ("key", "key_display", "description"))


def _width(key: Any) -> int:
    if not _is_key(key):
        return 0
    if key.has_class("-command-palette"):
        return PALETTE_WIDTH
    # " key description " as Textual pads them.
    return len(key.key_display) + (len(key.description) + 1 if key.description else 0) + 2


def fitting(keys: list[Widget], width: int) -> list[Widget]:
    """The footer's keys that fit in ``width`` columns, leaving out the last ones
    whole (never the help key); all of them when the width is not known yet or
    they hold a group of keys (which Textual lays out itself)."""
    if width <= 0 or not all(_is_key(k) for k in keys):
        return keys
    kept = list(keys)
    while sum(_width(k) for k in kept) > width:
        droppable = [
            i
            for i, k in enumerate(kept)
            if k.key != HELP_KEY and not k.has_class("-command-palette")
        ]
        if not droppable:
            break
        del kept[droppable[-1]]
    return kept

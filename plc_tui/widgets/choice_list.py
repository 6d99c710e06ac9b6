"""A list of choices picked by keyboard: one (radio) or several (checkboxes).

Reusable by any module (survey answers, norm ratings). Unlike Textual's
``RadioSet`` and ``SelectionList``, the chosen value changes in the key's own
handler, before the next key is looked at, so a key right after (``ctrl+n`` in
the same burst over SSH) always sees it. The state shows as ``(*)`` and ``[x]``
marks, not by colour alone; number keys pick a point; and a horizontal scale
wraps to the width it has, never cut.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.widget import Widget

from ..text import one_line, wrap_cells

TYPE_AHEAD = 0.8  # seconds within which digits add up ("1" then "0" picks 10)
LABEL_INDENT = "    "  # a long label continues under itself, past its mark


class ChoiceList(Widget, can_focus=True):
    """Choices as ``(label, value)`` pairs; ``value`` is the chosen value (or list).

    Keys: arrows move, home/end jump, enter or space chooses (toggles with
    ``multiple``), a number picks the option whose ``shortcut`` it is (by default
    the 1-based position).
    """

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        width: 1fr;
        padding: 0 1;
    }
    ChoiceList:focus {
        background: $boost;
    }
    ChoiceList > .choice-list--cursor {
        text-style: bold reverse;
    }
    ChoiceList:blur > .choice-list--cursor {
        text-style: bold;
    }
    ChoiceList > .choice-list--chosen {
        color: $success;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES = {"choice-list--cursor", "choice-list--chosen"}

    BINDINGS = [
        Binding("up,left", "move(-1)", "Previous", show=False),
        Binding("down,right", "move(1)", "Next", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter,space", "choose", "Choose", show=False),
    ]

    class Changed(Message):
        """The chosen value changed (``value`` is a list with ``multiple``)."""

        def __init__(self, choice_list: ChoiceList, value: Any) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.value = value

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        choices: Sequence[tuple[str, Any]],
        value: Any = None,
        *,
        multiple: bool = False,
        horizontal: bool = False,
        shortcuts: Sequence[str] | None = None,
        filterable: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """With ``filterable`` (a long list: schools, subjects), typed letters and
        digits narrow the list to the choices containing them; backspace widens it."""
        super().__init__(id=id, classes=classes)
        self.filterable = filterable
        self.filter = ""
        self.choices = [(one_line(label), key) for label, key in choices]
        self.multiple = multiple
        self.horizontal = horizontal
        self.shortcuts = list(shortcuts or [str(n) for n in range(1, len(self.choices) + 1)])
        keys = [key for _, key in self.choices]
        if multiple:
            chosen = set(value or [])
            self._chosen = [key for key in keys if key in chosen]
        else:
            self._chosen = [value] if value in keys else []
        self.cursor = keys.index(self._chosen[0]) if self._chosen else 0
        self._typed = ""
        self._typed_at = 0.0

    # -- state -------------------------------------------------------------------

    @property
    def value(self) -> Any:
        if self.multiple:
            return list(self._chosen)
        return self._chosen[0] if self._chosen else None

    @value.setter
    def value(self, value: Any) -> None:
        self._set(list(value or []) if self.multiple else [value])

    def set_choices(self, choices: Sequence[tuple[str, Any]], value: Any = None) -> None:
        """Offer other choices (e.g. the members of another team), keeping what
        was chosen where it is still offered."""
        self.choices = [(one_line(label), key) for label, key in choices]
        self.shortcuts = [str(n) for n in range(1, len(self.choices) + 1)]
        keys = [key for _, key in self.choices]
        wanted = value if value is not None else self.value
        wanted = list(wanted or []) if self.multiple else [wanted]
        self._chosen = [key for key in keys if key in wanted]
        self.cursor = min(self.cursor, max(len(self.choices) - 1, 0))
        self.refresh(layout=True)

    @classmethod
    def toggle(cls, label: str, on: bool, *, id: str | None = None) -> ChoiceList:
        """A single ``[x] label`` box: a checkbox whose state shows without colour
        (read it with :meth:`is_on`)."""
        return cls([(label, True)], [True] if on else [], multiple=True, id=id)

    @property
    def is_on(self) -> bool:
        return bool(self._chosen)

    def _set(self, chosen: list[Any]) -> None:
        keys = [key for _, key in self.choices]
        self._chosen = [key for key in keys if key in chosen]
        self.refresh(layout=True)
        self.post_message(self.Changed(self, self.value))

    # -- keys --------------------------------------------------------------------

    def visible(self) -> list[int]:
        """The positions of the choices shown (all, unless a filter is typed)."""
        if not self.filter:
            return list(range(len(self.choices)))
        wanted = self.filter.casefold()
        return [n for n, (label, _) in enumerate(self.choices) if wanted in label.casefold()]

    def action_move(self, step: int) -> None:
        shown = self.visible()
        if not shown:
            return
        at = shown.index(self.cursor) if self.cursor in shown else 0
        self.cursor = shown[max(0, min(len(shown) - 1, at + step))]
        self._cursor_moved()

    def action_jump(self, index: int) -> None:
        shown = self.visible()
        self.cursor = shown[index] if shown else 0
        self._cursor_moved()

    def _narrow(self, text: str) -> None:
        self.filter = text
        shown = self.visible()
        if shown and self.cursor not in shown:
            self.cursor = shown[0]
        self.refresh(layout=True)
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        self.refresh()
        # In a scrolling container (a long list of teams), keep the cursor's line
        # in view; the list itself does not scroll.
        parent = self.parent
        if isinstance(parent, Widget) and parent.allow_vertical_scroll:
            line = next(
                (
                    y
                    for y, parts in enumerate(self._layout(self.content_size.width))
                    if any(n == self.cursor for n, _ in parts)
                ),
                0,
            )
            top = self.virtual_region.y + self.styles.gutter.top
            parent.scroll_to_region(Region(0, top + line, 1, 1), animate=False)

    def action_choose(self) -> None:
        if not self.choices or self.cursor not in self.visible():
            return
        key = self.choices[self.cursor][1]
        if not self.multiple:
            self._set([key])
        elif key in self._chosen:
            self._set([k for k in self._chosen if k != key])
        else:
            self._set([*self._chosen, key])

    def on_key(self, event: events.Key) -> None:
        # Handled here, in this widget's own queue, not by the bindings above
        # (listed for help; the app would run them only after the key bubbled up,
        # behind keys still queued). With the screen's navigation keys waiting
        # for this queue (see plc_tui.widgets.keys), "down enter ctrl+n" typed
        # in one burst over SSH is handled in exactly that order.
        step = {"up": -1, "left": -1, "down": 1, "right": 1}.get(event.key)
        if step is not None:
            self.action_move(step)
        elif event.key in ("home", "end"):
            self.action_jump(0 if event.key == "home" else -1)
        elif event.key in ("enter", "space"):
            self.action_choose()
        elif self.filterable and event.key == "backspace" and self.filter:
            self._narrow(self.filter[:-1])
        elif self.filterable and event.character and event.is_printable:
            self._narrow(self.filter + event.character)
        elif event.character and (event.character.isdigit() or event.character in self.shortcuts):
            self.action_type(event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    def action_type(self, character: str) -> None:
        now = time.monotonic()
        typed = self._typed + character if now - self._typed_at < TYPE_AHEAD else ""
        self._typed_at = now
        for candidate in (typed, character):
            if candidate in self.shortcuts:
                self._typed = candidate
                self.cursor = self.shortcuts.index(candidate)
                self.action_choose()
                return
        self._typed = ""

    def on_click(self, event: events.Click) -> None:
        index = self._index_at(event.x - 1, event.y)
        if index is not None:
            self.cursor = index
            self.action_choose()

    # -- drawing -----------------------------------------------------------------

    def _mark(self, key: Any) -> str:
        on = key in self._chosen
        if self.multiple:
            return "[x]" if on else "[ ]"
        return "(*)" if on else "( )"

    def _items(self, width: int | None = None) -> list[str]:
        items = [f"{self._mark(key)} {label}" for label, key in self.choices]
        if self.horizontal and width is not None:
            spread = sum(cell_len(i) for i in items) + 2 * (len(items) - 1)
            if spread > width and all(cell_len(label) <= 3 for label, _ in self.choices):
                # A long scale of short points (0-10) in one line: "[7]" chosen, " 7 " not.
                return [
                    f"[{label}]" if key in self._chosen else f" {label} "
                    for label, key in self.choices
                ]
        return items

    def _layout(self, width: int) -> list[list[tuple[int, str]]]:
        """Lines of ``(option index, text)``: one option per line (a long label
        wraps under itself), or packed across and wrapped when horizontal."""
        width = max(width, 8)
        items = self._items(width)
        shown = self.visible()
        if not self.horizontal:
            lines = [
                [(n, part)] for n in shown for part in wrap_cells(items[n], width, LABEL_INDENT)
            ]
            if self.filterable:
                typed = f"Type to narrow: {self.filter}▏" if self.filter else "Type to narrow"
                found = f"  ({len(shown)} of {len(self.choices)})"
                lines.insert(0, [(-1, typed + found)])
            return lines
        lines: list[list[tuple[int, str]]] = [[]]
        used = 0
        for n, item in enumerate(items):
            need = cell_len(item) + (2 if lines[-1] else 0)
            if lines[-1] and used + need > width:
                lines.append([])
                used, need = 0, cell_len(item)
            lines[-1].append((n, item))
            used += need
        return lines

    def _index_at(self, x: int, y: int) -> int | None:
        lines = self._layout(self.content_size.width)
        if not 0 <= y < len(lines):
            return None
        left = 0
        for n, part in lines[y]:
            if n < 0:
                return None
            if not self.horizontal or left <= x < left + cell_len(part):
                return n
            left += cell_len(part) + 2
        return None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._layout(width)))

    def render(self) -> Text:
        cursor_style = self.get_component_rich_style("choice-list--cursor")
        chosen_style = self.get_component_rich_style("choice-list--chosen")
        text = Text(no_wrap=True, overflow="ellipsis")
        for row, line in enumerate(self._layout(self.content_size.width)):
            if row:
                text.append("\n")
            for position, (n, part) in enumerate(line):
                if n < 0:  # the filter line
                    text.append(part, style="italic")
                    continue
                if position:
                    text.append("  ")
                style = chosen_style if self.choices[n][1] in self._chosen else None
                if n == self.cursor:
                    style = cursor_style + style if style else cursor_style
                text.append(part, style=style)
        return text

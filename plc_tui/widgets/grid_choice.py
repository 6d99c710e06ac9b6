"""Many statements on one shared scale, answered in one widget by keyboard.

A survey grid ("How often does your team...": eight statements, Never..Always)
and a norms check (each norm rated 1-5) are the same thing: rows, one shared
set of points, one point chosen per row. :class:`GridChoice` is one focusable
widget that handles every key in its own queue, so "4 5 3 4" typed in one burst
over SSH fills four rows in order.

Keys: ↑/↓ move between rows, ←/→ between points, enter or space choose the
highlighted point, a number chooses that point; choosing moves to the next row.
Public API for plugins.
"""

from __future__ import annotations

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

ROW_INDENT = "   "  # a long statement continues past its number


class GridChoice(Widget, can_focus=True):
    """``rows`` and ``points`` are ``(label, key)`` pairs; ``value`` maps row key to point key."""

    DEFAULT_CSS = """
    GridChoice {
        height: auto;
        width: 1fr;
        padding: 0 1;
    }
    GridChoice:focus {
        background: $boost;
    }
    GridChoice > .grid-choice--row {
        text-style: bold;
    }
    GridChoice > .grid-choice--cursor {
        text-style: bold reverse;
    }
    GridChoice:blur > .grid-choice--cursor {
        text-style: bold;
    }
    GridChoice > .grid-choice--chosen {
        color: $success;
        text-style: bold;
    }
    GridChoice > .grid-choice--legend {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES = {
        "grid-choice--row",
        "grid-choice--cursor",
        "grid-choice--chosen",
        "grid-choice--legend",
    }
    # Listed for help; the keys are handled in on_key (see ChoiceList for why).
    BINDINGS = [
        Binding("up,down", "noop", "Statement", show=False),
        Binding("left,right", "noop", "Point", show=False),
        Binding("enter,space", "noop", "Choose", show=False),
    ]

    class Changed(Message):
        """A row's point changed; ``value`` is the whole grid's answer."""

        def __init__(self, grid: GridChoice, value: dict[Any, Any]) -> None:
            super().__init__()
            self.grid = grid
            self.value = value

        @property
        def control(self) -> GridChoice:
            return self.grid

    def __init__(
        self,
        rows: Sequence[tuple[str, Any]],
        points: Sequence[tuple[str, Any]],
        value: dict[Any, Any] | None = None,
        *,
        numbers: Sequence[str] | None = None,
        move_on: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``numbers`` are what each point is typed as (default 1, 2, ...). With
        ``move_on``, choosing on the last row once every row is answered moves the
        keyboard to the next field (a comment box after the ratings), so what is
        typed next lands there and does not change the last rating."""
        super().__init__(id=id, classes=classes)
        self.move_on = move_on
        self._moved_on = False
        self.rows = [(one_line(label), key) for label, key in rows]
        self.points = [(one_line(label), key) for label, key in points]
        self.numbers = list(numbers or [str(n) for n in range(1, len(self.points) + 1)])
        keys = {key for _, key in self.rows}
        allowed = {key for _, key in self.points}
        self._value = {k: v for k, v in (value or {}).items() if k in keys and v in allowed}
        self.row = next((n for n, (_, k) in enumerate(self.rows) if k not in self._value), 0)
        self.point = self._point_of(self.row)

    # -- state -------------------------------------------------------------------

    @property
    def value(self) -> dict[Any, Any]:
        """The chosen point of each answered row, in row order."""
        return {key: self._value[key] for _, key in self.rows if key in self._value}

    @value.setter
    def value(self, value: dict[Any, Any]) -> None:
        self._value = dict(value or {})
        self.refresh(layout=True)

    @property
    def unanswered(self) -> list[Any]:
        return [key for _, key in self.rows if key not in self._value]

    def _point_of(self, row: int) -> int:
        chosen = self._value.get(self.rows[row][1]) if self.rows else None
        keys = [key for _, key in self.points]
        return keys.index(chosen) if chosen in keys else 0

    # -- keys --------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        key = event.key
        if self._moved_on and self.app.focused not in (None, self):
            # Typed in the same burst as the last rating, so queued here before the
            # keyboard moved on: it belongs to the next field, in the order typed.
            self.app.focused.post_message(events.Key(key, event.character))
            event.stop()
            event.prevent_default()
            return
        self._moved_on = False
        if key in ("up", "down"):
            self._move_row(-1 if key == "up" else 1)
        elif key in ("left", "right"):
            self.point = max(
                0, min(len(self.points) - 1, self.point + (1 if key == "right" else -1))
            )
            self.refresh()
        elif key in ("home", "end"):
            self.point = 0 if key == "home" else len(self.points) - 1
            self.refresh()
        elif key in ("enter", "space"):
            self._choose(self.point)
        elif event.character and event.character in self.numbers:
            self._choose(self.numbers.index(event.character))
        else:
            return
        event.stop()
        event.prevent_default()

    def on_focus(self) -> None:
        self._moved_on = False

    def action_noop(self) -> None:
        """Keys are handled in on_key; the bindings only name them for help."""

    def _move_row(self, step: int) -> None:
        if not self.rows:
            return
        self.row = max(0, min(len(self.rows) - 1, self.row + step))
        self.point = self._point_of(self.row)
        self._keep_in_view()
        self.refresh()

    def _choose(self, point: int) -> None:
        if not self.rows:
            return
        self.point = point
        self._value[self.rows[self.row][1]] = self.points[point][1]
        self.post_message(self.Changed(self, self.value))
        if self.row < len(self.rows) - 1:
            self._move_row(1)
        else:
            self.refresh()
            if self.move_on and not self.unanswered:
                self._moved_on = True
                self.screen.focus_next()

    def on_click(self, event: events.Click) -> None:
        for y, (row, point, _) in enumerate(self._lines(self.content_size.width)):
            if y == event.y and row is not None:
                self.row = row
                if point is not None:
                    self._choose(point)
                else:
                    self.point = self._point_of(row)
                    self.refresh()
                return

    def _keep_in_view(self) -> None:
        parent = self.parent
        if not isinstance(parent, Widget) or not parent.allow_vertical_scroll:
            return
        lines = self._lines(self.content_size.width)
        rows = [y for y, (row, _, _) in enumerate(lines) if row == self.row]
        if rows:
            top = self.virtual_region.y + self.styles.gutter.top
            parent.scroll_to_region(
                Region(0, top + rows[0], 1, rows[-1] - rows[0] + 1), animate=False
            )

    # -- drawing -----------------------------------------------------------------

    def _compact(self, width: int) -> bool:
        # Always the table form: a legend once, then one line per statement, the
        # same for every grid, and its number keys shown.
        return True

    def _scale_line(self, row_key: Any, compact: bool) -> list[tuple[int, str]]:
        chosen = self._value.get(row_key)
        parts = []
        for n, (label, key) in enumerate(self.points):
            if compact:
                mark = self.numbers[n] if n < len(self.numbers) else label
                parts.append((n, f"[{mark}]" if key == chosen else f" {mark} "))
            else:
                parts.append((n, f"{'(*)' if key == chosen else '( )'} {label}"))
        return parts

    def _lines(self, width: int) -> list[tuple[int | None, int | None, Any]]:
        """Lines as ``(row, point, content)``: a legend line has no row; a
        statement line has no point; a scale line (point -1) has its parts; a
        line with both (point -2) has ``(statement, width, parts)``: in the
        compact form a short statement and its scale share a line, as in a
        printed questionnaire."""
        width = max(width, 10)
        compact = self._compact(width)
        lines: list[tuple[int | None, int | None, Any]] = []
        if compact:
            legend = "  ".join(
                f"{self.numbers[n]} {label}" for n, (label, _) in enumerate(self.points)
            )
            lines.extend((None, None, part) for part in wrap_cells(legend, width, ROW_INDENT))
        for r, (label, key) in enumerate(self.rows):
            scale = self._scale_line(key, compact)
            scale_width = 2 + sum(cell_len(part) + 2 for _, part in scale)
            beside = width - scale_width - 1
            if compact and beside >= 24:
                parts = wrap_cells(f"{r + 1}. {label}", beside, ROW_INDENT)
                lines.append((r, -2, (parts[0], beside, scale)))
                lines.extend((r, None, part) for part in parts[1:])
                continue
            for part in wrap_cells(f"{r + 1}. {label}", width, ROW_INDENT):
                lines.append((r, None, part))
            line: list[tuple[int, str]] = []
            used = 2
            for n, part in scale:
                if line and used + cell_len(part) + 2 > width:
                    lines.append((r, -1, line))
                    line, used = [], 2
                line.append((n, part))
                used += cell_len(part) + 2
            lines.append((r, -1, line))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._lines(width)))

    def render(self) -> Text:
        styles = {
            name: self.get_component_rich_style(f"grid-choice--{name}")
            for name in ("row", "cursor", "chosen", "legend")
        }
        text = Text(no_wrap=True, overflow="ellipsis")
        for y, (row, point, content) in enumerate(self._lines(self.content_size.width)):
            if y:
                text.append("\n")
            if row is None:
                text.append(content, style=styles["legend"])
            elif point is None:
                text.append(content, style=styles["row"] if row == self.row else None)
            else:
                parts = content
                if point == -2:
                    statement, room, parts = content
                    text.append(statement, style=styles["row"] if row == self.row else None)
                    text.append(" " * (room - cell_len(statement) + 1))
                self._append_scale(text, row, parts, styles)
        return text

    def _append_scale(
        self, text: Text, row: int, parts: list[tuple[int, str]], styles: dict[str, Any]
    ) -> None:
        text.append("  ")
        chosen = self._value.get(self.rows[row][1])
        for position, (n, part) in enumerate(parts):
            if position:
                text.append("  ")
            style = styles["chosen"] if self.points[n][1] == chosen else None
            if row == self.row and n == self.point:
                style = styles["cursor"] + style if style else styles["cursor"]
            text.append(part, style=style)

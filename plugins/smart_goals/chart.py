"""A goal's progress over time as a text plot: check-ins against the expected line.

Plain Rich text, so it works in any terminal and in tests. The x axis runs from
the goal's start to its deadline; the y axis from the baseline to the target
(or wider, when a value falls outside). ``●`` marks a check-in, ``·`` the line
from baseline at the start to target at the deadline, ``─`` the target.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text

POINT = "●"
EXPECTED = "·"
TARGET = "─"
TODAY = "│"


def _d(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def progress_plot(
    goal: dict[str, Any],
    checkins: list[dict[str, Any]],
    today: date,
    *,
    width: int = 60,
    height: int = 8,
) -> Text:
    """The plot, or one line saying what is missing to draw it."""
    measurable = goal.get("measurable") or {}
    timely = goal.get("timely") or {}
    baseline, target = _num(measurable.get("baseline")), _num(measurable.get("target"))
    start, deadline = _d(timely.get("start")), _d(timely.get("deadline"))
    if baseline is None or target is None or start is None or deadline is None:
        return Text("The chart needs a baseline, a target, a start and a deadline.", style="dim")
    if deadline <= start:
        return Text("The chart needs a deadline after the start.", style="dim")
    unit = measurable.get("unit") or ""
    points = [
        (d, v)
        for c in checkins
        if (d := _d(c.get("date"))) is not None and (v := _num(c.get("value"))) is not None
    ]
    low = min([baseline, target] + [v for _, v in points])
    high = max([baseline, target] + [v for _, v in points])
    if high == low:
        high = low + 1
    label_width = max(len(f"{high:g}{unit}"), len(f"{low:g}{unit}"))
    cols = max(width - label_width - 2, 10)
    span = (deadline - start).days

    def col(day: date) -> int:
        return round((min(max((day - start).days, 0), span)) / span * (cols - 1))

    def row(value: float) -> int:
        return round((high - value) / (high - low) * (height - 1))

    grid = [[" "] * cols for _ in range(height)]
    styles: dict[tuple[int, int], str] = {}
    target_row = row(target)
    for x in range(cols):
        grid[target_row][x] = TARGET
        styles[(target_row, x)] = "green"
    for x in range(cols):
        value = baseline + (target - baseline) * x / (cols - 1)
        y = row(value)
        if grid[y][x] == " ":
            grid[y][x] = EXPECTED
            styles[(y, x)] = "dim"
    if start <= today <= deadline:
        x = col(today)
        for y in range(height):
            if grid[y][x] == " ":
                grid[y][x] = TODAY
                styles[(y, x)] = "dim"
    for day, value in points:
        y, x = row(value), col(day)
        grid[y][x] = POINT
        styles[(y, x)] = "bold cyan"

    out = Text()
    for y in range(height):
        if y == 0:
            label = f"{high:g}{unit}"
        elif y == height - 1:
            label = f"{low:g}{unit}"
        elif y == target_row:
            label = "target"
        else:
            label = ""
        out.append(label.rjust(label_width) + " ┤", style="dim")
        for x, ch in enumerate(grid[y]):
            out.append(ch, style=styles.get((y, x), ""))
        out.append("\n")
    axis = start.isoformat().ljust(cols - len(deadline.isoformat())) + deadline.isoformat()
    out.append(" " * (label_width + 2) + axis + "\n", style="dim")
    # The legend: what each mark means and what is measured, in its unit.
    legend = Text(" " * (label_width + 2))
    legend.append(POINT, style="bold cyan")
    legend.append(f" check-in{f' ({unit})' if unit else ''}  ")
    legend.append(EXPECTED * 3, style="dim")
    legend.append(" on track  ")
    legend.append(TARGET * 3, style="green")
    legend.append(f" target {target:g}{unit}  ")
    legend.append(TODAY, style="dim")
    legend.append(" today")
    out.append(legend)
    return out

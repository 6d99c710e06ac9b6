"""Bar charts as plain text."""

from __future__ import annotations

from plc_tui.widgets.bar_chart import bar, bar_chart


def test_bars_scale_to_the_largest_count_with_eighths() -> None:
    assert bar(1.0, 4) == "████"
    assert bar(0.5, 4) == "██  "
    assert bar(1 / 16, 4) == "▎   "  # a quarter cell
    assert bar(1 / 8, 4) == "▌   "  # half a cell
    assert bar(0, 3) == "   "


def test_percent_of_people_for_multiple_choice() -> None:
    lines = bar_chart([("Data", 4), ("Coaching", 2)], width=40, total=5).plain.splitlines()
    assert lines[0].endswith("4   80%")
    assert lines[1].endswith("2   40%")


def test_labels_are_plain_and_shortened() -> None:
    text = bar_chart([("[red]x[/]\x1b[2J", 1), ("y" * 60, 1)], width=60)
    lines = text.plain.splitlines()
    assert lines[0].startswith("[red]x[/]")
    assert "\x1b" not in text.plain
    assert lines[1].startswith("y" * 27 + "…")
    assert not text.spans or all(span.style == "cyan" for span in text.spans)

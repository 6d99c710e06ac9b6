"""The progress plot of a goal."""

from __future__ import annotations

from datetime import date

from plc_plugins.smart_goals.chart import EXPECTED, POINT, TARGET, progress_plot

GOAL = {
    "measurable": {"baseline": 60, "target": 80, "unit": "%"},
    "timely": {"start": "2026-09-01", "deadline": "2027-06-01"},
}


def test_check_ins_expected_line_and_target_are_drawn() -> None:
    checkins = [{"date": "2026-10-01", "value": 64}, {"date": "2026-11-15", "value": 70}]
    lines = progress_plot(GOAL, checkins, date(2026, 11, 24), width=50, height=6).plain.splitlines()
    assert lines[0].startswith("80% ┤") and set(lines[0][5:]) == {TARGET}
    assert lines[5].startswith("60% ┤" + EXPECTED)  # the expected line starts at the baseline
    assert sum(line.count(POINT) for line in lines[:-1]) == 2
    assert lines[-2].strip() == "2026-09-01" + " " * (len(lines[-2].strip()) - 20) + "2027-06-01"
    # A legend says what each mark means, with the unit and the target.
    assert lines[-1].split() == [
        POINT,
        "check-in",
        "(%)",
        EXPECTED * 3,
        "on",
        "track",
        TARGET * 3,
        "target",
        "80%",
        "│",
        "today",
    ]


def test_a_decreasing_target_and_values_outside_the_range() -> None:
    goal = {
        "measurable": {"baseline": 18, "target": 10, "unit": "%"},
        "timely": {"start": "2026-09-01", "deadline": "2027-06-01"},
    }
    text = progress_plot(goal, [{"date": "2026-10-01", "value": 22}], date(2026, 11, 24), width=40)
    lines = text.plain.splitlines()
    assert lines[0].startswith("22% ┤")  # the axis widens to show the value
    assert POINT in lines[0]
    assert lines[-3].startswith("10% ┤" + TARGET * 10)  # the target is the bottom row


def test_missing_numbers_say_what_the_chart_needs() -> None:
    text = progress_plot({"measurable": {"target": 80}}, [], date(2026, 11, 24))
    assert text.plain == "The chart needs a baseline, a target, a start and a deadline."

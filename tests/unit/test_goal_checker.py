"""The live SMART check: each letter met or not, with the exact hint."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from plc_plugins.smart_goals.checker import check, is_smart, unmet

TODAY = date(2026, 11, 24)

GOOD: dict[str, Any] = {
    "team": "grade-3",
    "title": "Grade 3 reading proficiency: 62% -> 80% at benchmark by May",
    "specific": {"what": "Reading comprehension at grade level", "for_whom": "All Grade 3"},
    "measurable": {
        "metric": "Students at or above benchmark",
        "baseline": 62,
        "target": 80,
        "unit": "%",
        "data_source": "Winter and spring benchmark",
    },
    "ambitious": {"why_stretch": "Our best year was 71%", "data": "Fall benchmark: 62%"},
    "reflective": {"how": "Running records at PLC", "when": "Every other meeting"},
    "timely": {"start": "2026-09-08", "deadline": "2027-05-21", "checkpoints": ["2026-12-11"]},
}


def changed(path: str, value: Any) -> dict[str, Any]:
    goal = copy.deepcopy(GOOD)
    *parents, key = path.split(".")
    target = goal
    for part in parents:
        target = target[part]
    target[key] = value
    return goal


def hint(goal: dict[str, Any], letter: str) -> str:
    (result,) = [r for r in check(goal, TODAY) if r.letter == letter]
    return result.hint


def test_a_good_goal_meets_every_letter() -> None:
    results = check(GOOD, TODAY)
    assert [(r.letter, r.name, r.met, r.hint) for r in results] == [
        ("S", "Specific", True, ""),
        ("M", "Measurable", True, ""),
        ("A", "Ambitious", True, ""),
        ("R", "Reflective", True, ""),
        ("T", "Timely", True, ""),
    ]
    assert is_smart(GOOD, TODAY)
    assert unmet(GOOD, TODAY) == []


def test_an_empty_form_gets_every_hint_and_never_raises() -> None:
    assert unmet({}, TODAY) == [
        "Specific: say what will improve and for whom",
        "Measurable: name what you will measure (e.g. students at benchmark)",
        "Ambitious: say why this is a stretch and which data it came from",
        "Reflective: say how and when the team will reflect",
        "Timely: set a start date and a deadline",
    ]
    # Junk of the wrong types is "not met", not an exception.
    junk = {"specific": "x", "measurable": {"baseline": [1]}, "timely": {"start": 5}}
    assert not any(r.met for r in check(junk, TODAY))


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("specific.what", "", "Specific: say what will improve"),
        ("specific.for_whom", "  ", "Specific: say for whom (which students)"),
    ],
)
def test_specific(path: str, value: Any, expected: str) -> None:
    assert hint(changed(path, value), "S") == expected


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "measurable.metric",
            "",
            "Measurable: name what you will measure (e.g. students at benchmark)",
        ),
        ("measurable.baseline", None, "Measurable: add the baseline number from your current data"),
        ("measurable.target", None, "Measurable: add a target number and a unit"),
        ("measurable.unit", "", "Measurable: add a target number and a unit"),
        ("measurable.target", "lots", "Measurable: add a target number and a unit"),
        ("measurable.target", 62, "Measurable: the target must differ from the baseline"),
        ("measurable.target", 120, "Measurable: a percentage must be between 0 and 100"),
        (
            "measurable.data_source",
            "",
            "Measurable: say which assessment or data source will measure it",
        ),
    ],
)
def test_measurable(path: str, value: Any, expected: str) -> None:
    assert hint(changed(path, value), "M") == expected


def test_measurable_accepts_numbers_typed_into_a_form() -> None:
    goal = changed("measurable.baseline", "62.5")
    goal["measurable"]["target"] = "80%"
    assert hint(goal, "M") == ""
    # A goal that goes down is just as measurable.
    assert hint(changed("measurable.target", 40), "M") == ""


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("ambitious.why_stretch", "", "Ambitious: say why this is a stretch for your students"),
        ("ambitious.data", "", "Ambitious: say which student data the goal came from"),
        ("ambitious", {}, "Ambitious: say why this is a stretch and which data it came from"),
    ],
)
def test_ambitious(path: str, value: Any, expected: str) -> None:
    assert hint(changed(path, value), "A") == expected


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("reflective.how", "", "Reflective: say how the team will reflect on progress"),
        (
            "reflective.when",
            "",
            "Reflective: say when the team will reflect (e.g. every other PLC meeting)",
        ),
        ("reflective", None, "Reflective: say how and when the team will reflect"),
    ],
)
def test_reflective(path: str, value: Any, expected: str) -> None:
    assert hint(changed(path, value), "R") == expected


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("timely.start", "", "Timely: set a start date and a deadline"),
        ("timely.deadline", "next May", "Timely: set a start date and a deadline"),
        ("timely.deadline", "2026-09-01", "Timely: the deadline must be after the start"),
        ("timely.deadline", "2026-11-20", "Timely: the deadline is in the past"),
        (
            "timely.checkpoints",
            [],
            "Timely: add at least one review checkpoint between the start and the deadline",
        ),
        (
            "timely.checkpoints",
            ["2026-12-11", "2027-06-30"],
            "Timely: every checkpoint must fall between the start and the deadline",
        ),
        (
            "timely.deadline",
            "2027-12-17",
            "Timely: set a deadline within a school year of the start",
        ),
    ],
)
def test_timely(path: str, value: Any, expected: str) -> None:
    assert hint(changed(path, value), "T") == expected


def test_a_met_goal_past_its_deadline_is_still_timely() -> None:
    goal = changed("timely.deadline", "2026-11-20")
    goal["timely"]["checkpoints"] = ["2026-10-01"]
    goal["met_on"] = "2026-11-01"
    assert hint(goal, "T") == ""

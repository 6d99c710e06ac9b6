"""School years: this year's goals in front, ended years' goals settled and kept.

A goal belongs to the school year of its deadline. The first change of a new
school year moves the ended years' goals out of the file every screen reads
(``goals.json``) into ``past_goals/<year>.json``, with their ids; until then
they are read where they are, as ended all the same.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from plc_plugins.smart_goals.service import Goals
from plc_plugins.smart_goals.status import ended_status
from plc_plugins.smart_goals.years import goal_year

from plc_tui.api import PLCError
from plc_tui.config import Config
from plc_tui.runtime import Runtime
from plc_tui.school_year import label, parse_year, school_year, year_starts

LAST_YEAR = date(2025, 11, 24)  # in the 2025-26 school year
THIS_YEAR = date(2026, 11, 24)  # in 2026-27

GOAL: dict[str, Any] = {
    "team": "Grade 3",
    "title": "Grade 3 reading proficiency: 60% -> 80% at benchmark by May",
    "specific": {"what": "Reading comprehension", "for_whom": "All Grade 3 students"},
    "measurable": {
        "metric": "Students at benchmark",
        "baseline": 60,
        "target": 80,
        "unit": "%",
        "data_source": "Benchmark screener",
    },
    "ambitious": {"why_stretch": "Best year was 71%", "data": "Fall: 60% at benchmark"},
    "reflective": {"how": "Running records at PLC", "when": "Every other meeting"},
    "timely": {"start": "2025-09-01", "deadline": "2026-05-29", "checkpoints": ["2026-01-15"]},
}


def goal_for(start: str, deadline: str, title: str) -> dict[str, Any]:
    goal = copy.deepcopy(GOAL)
    goal["title"] = title
    first, last = date.fromisoformat(start), date.fromisoformat(deadline)
    middle = (first + (last - first) / 2).isoformat()
    goal["timely"] = {"start": start, "deadline": deadline, "checkpoints": [middle]}
    return goal


def as_member(runtime: Runtime, login: str) -> Goals:
    runtime.login = login
    runtime.refresh_member()
    return Goals(runtime.context("smart_goals"))


def agreed(runtime: Runtime, raw: dict[str, Any]) -> int:
    gid = as_member(runtime, "t1").add(raw)
    as_member(runtime, "t1").agree(gid)
    as_member(runtime, "t2").agree(gid)
    return gid


def stored_ids(path: Path) -> list[int]:
    return sorted(int(k) for k in json.loads(path.read_text())["_default"])


# -- the plain rules ------------------------------------------------------------------


def test_school_years_are_named_by_the_year_they_start_in() -> None:
    assert school_year(date(2026, 8, 1)) == 2026
    assert school_year(date(2026, 7, 31)) == 2025
    assert school_year(date(2026, 8, 20), (9, 1)) == 2025
    assert label(2026) == "2026-27" and label(1999) == "1999-00"
    for typed in ("2024", "2024-25", "2024-2025", " 2024/25 "):
        assert parse_year(typed) == 2024
    for wrong in ("24-25", "2024-26", "next", ""):
        with pytest.raises(PLCError, match="is not a school year; write it as 2024-25"):
            parse_year(wrong)


def test_the_start_of_the_year_is_a_setting_and_a_bad_one_is_ignored() -> None:
    assert year_starts(None) == (8, 1)
    assert year_starts("09-01") == (9, 1)
    for bad in ("02-30", "13-01", "September", 9, None):
        assert year_starts(bad) == (8, 1)


def test_a_goal_belongs_to_the_year_of_its_deadline() -> None:
    goal = {"timely": {"start": "2025-06-01", "deadline": "2025-09-30"}, "created": "2025-05-02"}
    august = (8, 1)
    assert goal_year(goal, august) == 2025
    assert goal_year({"timely": {"start": "2025-06-01"}}, august) == 2024
    assert goal_year({"created": "2025-05-02T10:00:00+00:00"}, august) == 2024
    assert goal_year({"timely": {}}, august) is None


def test_an_ended_goal_is_met_or_not_met_with_how_far_it_got() -> None:
    goal = {
        "state": "agreed",
        "measurable": {"baseline": 60, "target": 80, "unit": "%"},
        "timely": {"start": "2025-09-01", "deadline": "2026-05-29"},
        "latest": {"date": "2026-05-20", "value": 70, "confidence": 3},
    }
    ended = ended_status(goal, "2025-26")
    assert (ended.status, ended.reason) == (
        "not met",
        "The 2025-26 school year ended at 70%, 50% of the way to 80%",
    )
    goal["latest"]["value"] = 81
    assert ended_status(goal, "2025-26").status == "met"
    proposal = {**goal, "state": "proposed"}
    assert ended_status(proposal, "2025-26").reason == (
        "Never agreed by the team before the 2025-26 school year ended"
    )


# -- through the service, on disk -----------------------------------------------------


@pytest.fixture
def two_years(runtime: Runtime) -> dict[str, int]:
    """Last school year: one goal agreed and checked in, one never agreed; and one
    goal already set for this school year (its deadline is next spring)."""
    runtime.today = lambda: LAST_YEAR
    current = agreed(runtime, goal_for("2026-01-05", "2026-09-30", "Writing through the summer"))
    old = agreed(runtime, GOAL)
    as_member(runtime, "t1").check_in(old, 70, on="2025-11-20")
    proposal = as_member(runtime, "t1").add(goal_for("2025-10-01", "2026-04-30", "Attendance"))
    runtime.today = lambda: THIS_YEAR
    return {"current": current, "old": old, "proposal": proposal}


def test_this_years_views_leave_ended_years_out(
    runtime: Runtime, two_years: dict[str, int]
) -> None:
    coach = as_member(runtime, "coach1")
    assert [r.id for r in coach.list()] == [two_years["current"]]
    assert coach.years() == [2026, 2025]
    assert sum(coach.summary().values()) == 1
    past = {r.id: (r.status, r.reason) for r in coach.list(year=2025)}
    assert past == {
        two_years["old"]: (
            "not met",
            "The 2025-26 school year ended at 70%, 50% of the way to 80%",
        ),
        two_years["proposal"]: (
            "not met",
            "Never agreed by the team before the 2025-26 school year ended",
        ),
    }
    # No reminder to vote on, or check in on, a goal whose year has ended.
    reminded = {r.goal for r in as_member(runtime, "t2").reminders()}
    assert two_years["old"] not in reminded and two_years["proposal"] not in reminded


def test_the_first_change_of_the_year_moves_ended_goals_with_their_ids(
    runtime: Runtime, two_years: dict[str, int], data_dir: Path
) -> None:
    goals_file = data_dir / "smart_goals" / "goals.json"
    assert stored_ids(goals_file) == sorted(two_years.values())  # read, not yet moved
    old_before = as_member(runtime, "coach1").detail(two_years["old"])

    as_member(runtime, "t1").check_in(two_years["current"], 65)

    assert stored_ids(goals_file) == [two_years["current"]]
    past_file = data_dir / "smart_goals" / "past_goals" / "2025.json"
    assert stored_ids(past_file) == sorted([two_years["old"], two_years["proposal"]])
    coach = as_member(runtime, "coach1")
    old_after = coach.detail(two_years["old"])
    assert old_after == old_before  # the same goal, check-ins and all, under the same id
    assert [c["value"] for c in old_after["checkins"]] == [70]
    assert [r.id for r in coach.list(year=2025)] == sorted(
        [two_years["old"], two_years["proposal"]]
    )
    # Ids are never given twice, though the highest ones moved out.
    new = as_member(runtime, "t1").add(goal_for("2026-09-01", "2027-05-28", "Spelling"))
    assert new == max(two_years.values()) + 1


def test_an_ended_goal_is_kept_as_it_was(runtime: Runtime, two_years: dict[str, int]) -> None:
    t1 = as_member(runtime, "t1")
    old = two_years["old"]
    kept = f"goal {old} ended with the 2025-26 school year and is kept as it was"
    for change in (
        lambda: t1.check_in(old, 75),
        lambda: t1.add_evidence(old, "Spring screener"),
        lambda: t1.agree(two_years["proposal"]),
        lambda: t1.delete(two_years["proposal"]),
    ):
        with pytest.raises(PLCError, match=kept.replace(str(old), r"\d+")):
            change()
    assert as_member(runtime, "coach1").detail(old)["checkins"][0]["value"] == 70


def test_a_school_that_starts_in_september_is_still_in_last_years_goals_in_august(
    runtime: Runtime,
) -> None:
    runtime.today = lambda: date(2026, 1, 10)
    summer = agreed(runtime, goal_for("2026-01-05", "2026-07-30", "Summer bridge"))
    runtime.today = lambda: date(2026, 8, 20)
    assert [r.id for r in as_member(runtime, "coach1").list()] == []  # year began 1 August
    runtime.config = Config(extra={"school_year_starts": "09-01"})
    assert [r.id for r in as_member(runtime, "coach1").list()] == [summer]

"""Surveys of ended school years: moved out of the file every list and answer
reads, with their ids, and still there for results, waves and publishing.

The first change a coach makes in a new school year moves the surveys that
closed in earlier years from ``surveys.json`` to ``past_surveys/<year>.json``;
answers are kept by survey id and do not move.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from plc_plugins.surveys.service import Surveys

from plc_tui.api import ValidationError
from plc_tui.runtime import Runtime

PULSE: dict[str, Any] = {
    "title": "Meeting pulse",
    "anonymous": True,
    "threshold": 3,
    "audience": {"teams": ["Grade 3", "Grade 4"]},
    "questions": [{"id": "useful", "type": "rating", "min": 0, "max": 10, "text": "Useful?"}],
}


def as_(runtime: Runtime, login: str) -> Surveys:
    runtime.login = login
    runtime.refresh_member()
    return Surveys(runtime.context("surveys"))


def on(runtime: Runtime, day: date) -> None:
    runtime.today = lambda: day


def stored_ids(path: Path) -> list[int]:
    return sorted(int(k) for k in json.loads(path.read_text())["_default"])


@pytest.fixture
def last_year(runtime: Runtime) -> dict[str, int]:
    """In 2025-26: a pulse answered and closed, a draft never opened; then in
    2026-27, before anything changes, a survey open now."""
    on(runtime, date(2025, 10, 1))
    coach = as_(runtime, "coach1")
    closed = coach.create(PULSE)
    coach.open(closed)
    for login, score in (("t1", 7), ("t2", 9), ("t3", 8)):
        as_(runtime, login).submit(closed, {"useful": score})
    on(runtime, date(2025, 10, 15))
    as_(runtime, "coach1").close(closed)
    draft = as_(runtime, "coach1").create({**PULSE, "title": "Spring survey, never sent"})
    on(runtime, date(2026, 11, 24))
    return {"closed": closed, "draft": draft}


def test_a_coachs_first_change_of_the_year_moves_last_years_closed_surveys(
    runtime: Runtime, data_dir: Path, last_year: dict[str, int]
) -> None:
    surveys_file = data_dir / "surveys" / "surveys.json"
    coach = as_(runtime, "coach1")
    before = coach.results(last_year["closed"])
    assert stored_ids(surveys_file) == sorted(last_year.values())  # nothing moved by reading

    now = coach.create({**PULSE, "title": "This year's pulse"})

    assert stored_ids(surveys_file) == sorted([last_year["draft"], now])
    assert stored_ids(data_dir / "surveys" / "past_surveys" / "2025.json") == [last_year["closed"]]
    coach = as_(runtime, "coach1")
    assert coach.results(last_year["closed"]) == before  # the same survey, answers and all
    assert coach.get(last_year["closed"])["title"] == "Meeting pulse"
    assert coach.years() == [2026, 2025]
    assert [r.id for r in coach.rows(everything=True)] == [now, last_year["draft"]]
    assert [r.id for r in coach.rows(everything=True, year=2025)] == [last_year["closed"]]
    assert len(coach.export_csv(last_year["closed"]).splitlines()) == 4  # a header, 3 answers


def test_a_moved_survey_is_published_and_repeated_but_not_reopened(
    runtime: Runtime, last_year: dict[str, int]
) -> None:
    coach = as_(runtime, "coach1")
    coach.open(coach.create({**PULSE, "title": "Moves last year's"}))
    closed = last_year["closed"]
    assert coach.publish(closed)["published"] is True
    assert [r.id for r in as_(runtime, "t1").rows(year=2025)] == [closed]  # results, to t1
    with pytest.raises(ValidationError, match="repeat it as a new wave instead"):
        as_(runtime, "coach1").open(closed)

    wave = as_(runtime, "coach1").repeat(closed)
    coach = as_(runtime, "coach1")
    assert coach.get(wave)["wave"] == 2  # counted across school years
    coach.open(wave)
    for login in ("t1", "t2", "t3"):
        as_(runtime, login).submit(wave, {"useful": 10})
    results = as_(runtime, "coach1").results(wave)
    (question,) = results["questions"]
    assert question["trend"] == {"previous_wave": 1, "previous_mean": 8, "change": 2}


def test_answering_moves_nothing(
    runtime: Runtime, data_dir: Path, last_year: dict[str, int]
) -> None:
    surveys_file = data_dir / "surveys" / "surveys.json"
    on(runtime, date(2025, 11, 1))
    coach = as_(runtime, "coach1")
    open_now = coach.create({**PULSE, "title": "Still open"})
    coach.open(open_now)
    on(runtime, date(2026, 11, 24))
    # The survey has no closing date: it is open in the new year, and stays.
    as_(runtime, "t1").submit(open_now, {"useful": 6})
    assert stored_ids(surveys_file) == sorted([*last_year.values(), open_now])

"""Answering a real school instrument at 80x24 by keyboard: grids, scales of any
length, "other", text blocks, dates, long lists and sections."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from plc_plugins.surveys.screens.take_screen import TakeSurveyScreen
from textual.widgets import Input, Static

from plc_tui.app import PLCApp
from plc_tui.runtime import Runtime
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.grid_choice import GridChoice
from tests.conftest import burst, open_survey_for, shown_text, until

TODAY = date(2026, 11, 24)
SCHOOLS = [f"School {n:03d}" for n in range(1, 41)]
CLIMATE: dict[str, Any] = {
    "title": "School climate",
    "anonymous": False,
    "audience": {"teams": ["Grade 3"]},
    "sections": [
        {
            "title": "Collaboration",
            "description": "How your team works together this term.",
            "score": True,
            "questions": [
                {"id": "intro", "type": "text_block", "text": "Think of the last four weeks."},
                {
                    "id": "collab",
                    "type": "grid",
                    "text": "How often does your team...",
                    "scale": "frequency",
                    "not_applicable": True,
                    "rows": [
                        "Look at student work together",
                        "Plan lessons together",
                        {"id": "alone", "text": "Plan alone", "reverse": True},
                    ],
                },
            ],
        },
        {
            "title": "About you",
            "questions": [
                {
                    "id": "support",
                    "type": "likert",
                    "text": "I get the support I need",
                    "scale": "agreement4",
                },
                {
                    "id": "role",
                    "type": "single",
                    "text": "Your role",
                    "options": ["Teacher", "Aide"],
                    "other": True,
                },
                {"id": "school", "type": "single", "text": "Your school", "options": SCHOOLS},
                {"id": "joined", "type": "date", "text": "When did you join?"},
            ],
        },
    ],
}


@pytest.fixture
def climate(runtime: Runtime) -> int:
    return open_survey_for(runtime, CLIMATE, TODAY, "t1")


async def test_a_climate_survey_answered_by_keyboard_alone(runtime: Runtime, climate: int) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        screen = app.screen
        assert isinstance(screen, TakeSurveyScreen)
        intro = shown_text(screen.query_one("#take-intro", Static))
        assert "Collaboration" in intro and "How your team works together" in intro
        await pilot.press("ctrl+n")  # the text block asks nothing
        grid = screen.query_one(GridChoice)
        assert app.focused is grid
        # Three statements in one burst: a number chooses and moves on.
        await burst(pilot, "4", "n", "2", "ctrl+n")
        assert screen.answers["collab"] == {"r1": 4, "r2": "na", "alone": 2}
        assert "About you" in shown_text(screen.query_one("#take-intro", Static))
        await burst(pilot, "3", "ctrl+n")  # a 4-point scale: 3 is Agree
        assert screen.answers["support"] == 3
        # "Other": the box shows once it is chosen, and its text is needed.
        await burst(pilot, "3")
        other = screen.query_one("#side-other", Input)
        assert other.display
        assert app.focused is other  # choosing Other puts the keyboard in its box
        await pilot.press("ctrl+n")
        assert "Please say what" in shown_text(screen.query_one("#take-error", Static))
        await burst(pilot, *"Librarian", "ctrl+n")
        assert screen.answers["role"] == "_other"
        assert screen.answers["role.other"] == "Librarian"
        # Forty schools: typing narrows the list.
        schools = screen.query_one(ChoiceList)
        assert schools.filterable
        await burst(pilot, *"037", "enter", "ctrl+n")
        assert screen.answers["school"] == "School 037"
        await burst(pilot, *"2019-08-26", "ctrl+n")
        assert screen.reviewing
        review = " ".join(shown_text(w, 76) for w in screen.query(".review-a"))
        assert "Look at student work together: Often" in review
        assert "Other: Librarian" in review
        await pilot.press("enter", "enter")  # Submit, then confirm
        await until(pilot, lambda: app.screen is not screen)
    from plc_plugins.surveys import store

    with runtime.context("surveys").read() as tables:
        [stored] = store.responses_of(tables, climate)
    assert stored["answers"]["collab"] == {"r1": 4, "r2": "na", "alone": 2}
    assert stored["answers"]["role.other"] == "Librarian"


async def test_a_grid_at_80x24_says_which_statements_are_left(
    runtime: Runtime, climate: int
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter", "ctrl+n")
        screen = app.screen
        await burst(pilot, "5", "ctrl+n")
        assert "still to do: 2, 3" in shown_text(screen.query_one("#take-error", Static))
        assert not screen.reviewing

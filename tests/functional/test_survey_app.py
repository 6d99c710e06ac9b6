"""The surveys module in the app, driven by keyboard with Pilot at 80x24."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from plc_plugins.surveys import store
from plc_plugins.surveys.screens.builder_screen import BuilderScreen
from plc_plugins.surveys.screens.question_modal import QuestionModal
from plc_plugins.surveys.screens.results_screen import ResultsScreen
from plc_plugins.surveys.screens.surveys_screen import SurveysScreen
from plc_plugins.surveys.screens.take_screen import TakeSurveyScreen
from plc_plugins.surveys.service import Surveys
from textual.widgets import DataTable, Input, Static, TabbedContent

from plc_tui.app import PLCApp
from plc_tui.runtime import Runtime
from plc_tui.widgets.confirm_modal import ConfirmModal
from tests.conftest import holding_lock, shown_text, until

PULSE = {
    "title": "Grade 3 pulse",
    "anonymous": True,
    "threshold": 3,
    "audience": {"teams": ["Grade 3"]},
    "questions": [
        {"id": "useful", "type": "rating", "min": 0, "max": 10, "text": "How useful was it?"},
        {"id": "norms", "type": "likert", "text": "We kept our norms."},
        {
            "id": "steps",
            "type": "multi",
            "options": ["Plan", "Teach", "Assess"],
            "text": "What did we work on?",
        },
        {"id": "more", "type": "yes_no", "text": "Anything to add?"},
        {
            "id": "what",
            "type": "long_text",
            "required": False,
            "show_if": {"question": "more", "equals": True},
            "text": "What?",
        },
    ],
}


def as_login(runtime: Runtime, login: str) -> Runtime:
    runtime.login = login
    runtime.refresh_member()
    return runtime


@pytest.fixture
def survey_id(runtime: Runtime) -> int:
    runtime.today = lambda: date(2026, 11, 24)
    service = Surveys(runtime.context("surveys"))
    sid = service.create(PULSE)
    service.open(sid)
    return sid


async def test_teacher_answers_a_survey_by_keyboard_alone(runtime: Runtime, survey_id: int) -> None:
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        assert isinstance(app.screen, SurveysScreen)
        mine = app.screen.query_one("#mine", DataTable)
        assert mine.row_count == 1
        await pilot.press("enter")
        assert isinstance(app.screen, TakeSurveyScreen)
        # rating 0-10: the first choice is highlighted; move to 7 and choose it.
        await pilot.press(*["right"] * 7, "enter", "ctrl+n")
        await pilot.press("down", "down", "down", "enter", "ctrl+n")  # likert 4
        await pilot.press("space", "down", "down", "space", "ctrl+n")  # Plan, Assess
        await pilot.press("enter", "ctrl+n")  # yes -> the follow-up question appears
        where = str(app.screen.query_one("#take-where", Static).render())
        assert where == "Question 5 of 5"
        await pilot.press(*"Protected [b]planning[/b] time")
        await pilot.press("tab", "ctrl+n")  # leave the text box, go to review
        assert app.screen.reviewing
        await pilot.press("enter")  # Submit is focused
        await pilot.press("enter")  # confirm
        await pilot.pause()
        assert isinstance(app.screen, SurveysScreen)

    service = Surveys(runtime.context("surveys"))
    assert service.status(survey_id) == "submitted"
    with runtime.context("surveys").read() as tables:
        (stored,) = store.responses_of(tables, survey_id)
    assert stored == {
        "answers": {
            "useful": 7,
            "norms": 4,
            "steps": ["Plan", "Assess"],
            "more": True,
            "what": "Protected [b]planning[/b] time",
        }
    }


async def test_required_answer_is_asked_for_and_draft_resumes(
    runtime: Runtime, survey_id: int
) -> None:
    app = PLCApp(as_login(runtime, "t2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        await pilot.press("ctrl+n")
        error = str(app.screen.query_one("#take-error", Static).render())
        assert error == "Please answer this question; it is required."
        await pilot.press("right", "right", "enter", "ctrl+n")
        await pilot.press("escape")  # save and leave
        await pilot.pause()
        assert isinstance(app.screen, SurveysScreen)
        status = str(app.screen.query_one("#mine", DataTable).get_row_at(0)[2])
        assert status == "draft"
        await pilot.press("enter")
        assert app.screen.answers == {"useful": 2}
        where = str(app.screen.query_one("#take-where", Static).render())
        assert where == "Question 2 of 4"  # "What?" shows only after a yes


async def test_coach_builds_a_survey_with_the_builder(runtime: Runtime) -> None:
    app = PLCApp(as_login(runtime, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("m")  # the Manage tab
        await pilot.pause()
        await pilot.press("n")
        assert isinstance(app.screen, BuilderScreen)
        app.screen.query_one("#b-title", Input).focus()
        await pilot.press(*"Planning time check")
        app.screen.query_one("#b-questions").focus()
        await pilot.press("a")
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("tab")  # from the type to the question's words
        await pilot.press(*"We have time to plan together")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, BuilderScreen)
        await pilot.press("a")
        await pilot.press("ctrl+s")  # empty text
        error = str(app.screen.query_one("#qm-error", Static).render())
        assert "text cannot be empty" in error
        await pilot.press("escape")
        await pilot.press("ctrl+s")
        await pilot.pause()

    rows = Surveys(runtime.context("surveys")).rows(everything=True)
    assert [(r.title, r.state) for r in rows] == [("Planning time check", "draft")]
    survey = Surveys(runtime.context("surveys")).get(rows[0].id)
    assert [(q["id"], q["type"], q["text"]) for q in survey["questions"]] == [
        ("q1", "likert", "We have time to plan together")
    ]


async def test_results_below_threshold_are_hidden(runtime: Runtime, survey_id: int) -> None:
    for login, useful in [("t1", 8), ("t2", 6)]:
        as_login(runtime, login)
        Surveys(runtime.context("surveys")).submit(
            survey_id, {"useful": useful, "norms": 5, "steps": ["Plan"], "more": False}
        )
    as_login(runtime, "coach1")
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ResultsScreen(runtime.context("surveys"), survey_id))
        await pilot.pause()
        summary = shown_text(app.screen.query_one("#results-summary", Static))
        assert "2 responses from 2 people asked (100%)" in summary
        assert "Results are hidden: 2 responses so far" in summary
        below = shown_text(app.screen.query_one("#results-questions", Static)).strip()
        assert below.splitlines()[0] == "Response rate by team"  # no answers shown


async def test_results_screen_above_threshold(runtime: Runtime) -> None:
    runtime.today = lambda: date(2026, 11, 24)
    coach = Surveys(as_login(runtime, "coach1").context("surveys"))
    sid = coach.create({**PULSE, "audience": {}})
    coach.open(sid)
    for login, useful in [("t1", 8), ("t2", 6), ("t3", 9)]:
        as_login(runtime, login)
        Surveys(runtime.context("surveys")).submit(
            sid, {"useful": useful, "norms": 4, "steps": ["Plan"], "more": False}
        )
    as_login(runtime, "coach1")
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ResultsScreen(runtime.context("surveys"), sid))
        await pilot.pause()
        text = shown_text(app.screen.query_one("#results-questions", Static))
        assert "1. How useful was it?" in text  # numbered, not by its internal id
        assert "mean 7.67  median 8" in text
        assert "█" in text
        assert "What?" in text and "Hidden: 0 answered this question" in text
        await pilot.press("p")  # publishing asks first
        assert coach.get(sid).get("published") is not True
        await pilot.press("enter")
        await until(pilot, lambda: coach.get(sid).get("published"))
        assert coach.get(sid)["published"] is True


def test_take_screen_at_80x24(runtime: Runtime, survey_id: int, snap_compare) -> None:
    app = PLCApp(as_login(runtime, "t1"))
    assert snap_compare(
        app, press=["1", "enter", "right", "right", "enter", "ctrl+n"], terminal_size=(80, 24)
    )


def test_results_at_80x24(runtime: Runtime, snap_compare) -> None:
    runtime.today = lambda: date(2026, 11, 24)
    coach = Surveys(as_login(runtime, "coach1").context("surveys"))
    sid = coach.create({**PULSE, "audience": {}})
    coach.open(sid)
    for login, useful, norms in [("t1", 8, 4), ("t2", 6, 5), ("t3", 9, 4), ("admin1", 7, 2)]:
        as_login(runtime, login)
        Surveys(runtime.context("surveys")).submit(
            sid, {"useful": useful, "norms": norms, "steps": ["Plan", "Teach"], "more": False}
        )
    app = PLCApp(as_login(runtime, "coach1"))
    assert snap_compare(app, press=["1", "m", "enter"], terminal_size=(80, 24))


async def test_opening_and_closing_a_survey_from_the_list_runs_in_the_background(
    runtime: Runtime,
) -> None:
    runtime.today = lambda: date(2026, 11, 24)
    coach = Surveys(as_login(runtime, "coach1").context("surveys"))
    sid = coach.create({**PULSE, "audience": {}, "opens": None, "closes": None})
    coach.open(coach.create({**PULSE, "title": "A later pulse", "audience": {}}))
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "m")
        await pilot.pause()
        listing = app.screen
        table = listing.query_one("#all", DataTable)
        table.move_cursor(row=table.get_row_index(str(sid)))
        for key, wanted in (("o", "open"), ("x", "closed")):
            await pilot.press(key)
            if key == "o":  # opening asks first, saying how many are asked
                assert isinstance(app.screen, ConfirmModal)
                assert "people will be asked" in app.screen.detail
                await pilot.press("enter")
            if key == "x":  # closing asks first; escape changes nothing
                assert isinstance(app.screen, ConfirmModal)
                await pilot.press("escape")
                await pilot.pause(0.2)
                assert coach.get(sid)["status"] == "open"
                await pilot.press("x", "enter")
            await until(pilot, lambda wanted=wanted: coach.get(sid)["status"] == wanted)
            assert coach.get(sid)["status"] == wanted
        messages = [n.message for n in app._notifications]
        assert any("is open for answers" in m for m in messages)
        assert any("is closed" in m for m in messages)
        await pilot.pause(0.2)
        assert listing._selected() == sid  # the cursor stays on the survey it acted on


async def test_answering_while_another_plc_holds_the_lock_never_freezes_or_loses_a_draft(
    runtime: Runtime, survey_id: int, data_dir
) -> None:
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        take = app.screen
        assert isinstance(take, TakeSurveyScreen)
        with holding_lock(data_dir):  # another plc, in the middle of a commit
            # Pages turn (each starts a draft save) while the lock is held.
            await pilot.press(*["right"] * 3, "enter", "ctrl+n")
            await pilot.press("down", "down", "enter", "ctrl+n")
            await pilot.pause(0.5)
            where = str(take.query_one("#take-where", Static).render())
            assert where == "Question 3 of 4"
            assert take.answers == {"useful": 3, "norms": 3}
            await pilot.press("escape")  # save and leave: waits, visibly, for the lock
            await pilot.pause(0.5)
            assert app.screen is take
            assert take.sub_title == "waiting for another plc to finish…"
        await until(pilot, lambda: app.screen is not take, tries=100)
        assert isinstance(app.screen, SurveysScreen)
    assert Surveys(runtime.context("surveys")).draft(survey_id) == {"useful": 3, "norms": 3}


async def test_a_long_title_takes_the_room_there_is_and_shows_whole_when_highlighted(
    runtime: Runtime,
) -> None:
    runtime.today = lambda: date(2026, 11, 24)
    title = "Cedar Park Elementary Grade 3 Team: end-of-term reflection on our norms"
    service = Surveys(runtime.context("surveys"))
    service.open(service.create({**PULSE, "title": title}))
    for width, whole in ((120, True), (80, False)):
        app = PLCApp(as_login(runtime, "t1"))
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.press("1")
            cell = str(app.screen.query_one("#mine", DataTable).get_row_at(0)[0])
            assert (cell == title) is whole, cell
            assert title in shown_text(app.screen.query_one("#survey-line", Static), width)


async def test_the_publish_key_is_labelled_by_what_it_will_do(
    runtime: Runtime, survey_id: int
) -> None:
    def offered() -> set[str]:
        return {b.binding.description for b in app.active_bindings.values() if b.enabled}

    coach = Surveys(as_login(runtime, "coach1").context("surveys"))
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "m", "enter")
        assert isinstance(app.screen, ResultsScreen)
        assert "Publish results" in offered() and "Hide results" not in offered()
        await pilot.press("p", "enter")
        await until(pilot, lambda: coach.get(survey_id).get("published"), tries=40)
        await pilot.pause(0.1)
        assert coach.get(survey_id)["published"]
        assert "Hide results" in offered() and "Publish results" not in offered()


async def test_a_new_wave_is_highlighted_and_a_closed_wave_reopens_only_when_confirmed(
    runtime: Runtime, survey_id: int
) -> None:
    coach = Surveys(as_login(runtime, "coach1").context("surveys"))
    coach.close(survey_id)
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "m")
        await pilot.pause()
        listing = app.screen
        await pilot.press("o")  # on the closed wave: asked first
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        assert coach.get(survey_id)["status"] == "closed"
        await pilot.press("w")
        await until(pilot, lambda: listing._selected() not in (None, survey_id))
        new = listing._selected()
        assert new != survey_id and coach.get(new)["wave"] == 2
        await pilot.press("o", "enter")  # opens the new wave
        await until(pilot, lambda: coach.get(new)["status"] == "open")
        assert coach.get(new)["status"] == "open"
        assert coach.get(survey_id)["status"] == "closed"


async def test_an_anonymous_survey_offers_no_breakdown(runtime: Runtime, survey_id: int) -> None:
    app = PLCApp(as_login(runtime, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "m", "enter")
        assert isinstance(app.screen, ResultsScreen)
        results = app.screen
        await until(pilot, lambda: results.shown is not None)  # read in a worker
        offered = {b.binding.description for b in app.active_bindings.values() if b.enabled}
        assert "Breakdown" not in offered


async def test_published_results_stay_in_reach_after_the_survey_closes(
    runtime: Runtime, survey_id: int
) -> None:
    for login in ("t1", "t2"):  # Grade 3, the survey's audience
        Surveys(as_login(runtime, login).context("surveys")).submit(
            survey_id, {"useful": 7, "norms": 4, "steps": ["Plan"], "more": False}
        )
    coach = Surveys(as_login(runtime, "coach1").context("surveys"))
    coach.publish(survey_id, True)
    coach.close(survey_id)
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        mine = app.screen.query_one("#mine", DataTable)
        assert [str(c) for c in mine.get_row_at(0)][2] == "results"
        await pilot.press("enter")
        assert isinstance(app.screen, ResultsScreen)
    assert [r.id for r in Surveys(runtime.context("surveys")).to_answer()] == []


def test_lists_show_open_surveys_and_this_years_closed_ones_and_y_the_years_before(
    runtime: Runtime,
) -> None:
    coach = Surveys(as_login(runtime, "coach1").context("surveys"))
    made = {}
    for title, opened, closed in [
        ("Spring pulse 2025", date(2025, 3, 2), date(2025, 3, 16)),
        ("Fall pulse 2025", date(2025, 9, 14), date(2025, 9, 28)),
        ("Fall pulse 2026", date(2026, 9, 13), date(2026, 9, 27)),
    ]:
        runtime.today = lambda day=opened: day
        made[title] = coach.create({**PULSE, "title": title})
        coach.open(made[title])
        runtime.today = lambda day=closed: day
        coach.close(made[title])
        coach.publish(made[title])
    runtime.today = lambda: date(2026, 11, 24)
    made["Open now"] = coach.create({**PULSE, "title": "Open now"})
    coach.open(made["Open now"])

    def titles(rows: list[Any]) -> list[str]:
        return [r.title for r in rows]

    assert coach.years() == [2026, 2025, 2024]
    assert titles(coach.rows(everything=True)) == ["Open now", "Fall pulse 2026"]
    assert titles(coach.rows(everything=True, year=2025)) == ["Fall pulse 2025"]
    assert titles(coach.rows(everything=True, year=2024)) == ["Spring pulse 2025"]
    teacher = Surveys(as_login(runtime, "t1").context("surveys"))
    assert titles(teacher.rows()) == ["Open now", "Fall pulse 2026"]  # results published to t1
    assert titles(teacher.to_answer()) == ["Open now"]


async def test_y_on_the_survey_lists_steps_through_earlier_school_years(
    runtime: Runtime, survey_id: int
) -> None:
    coach = Surveys(as_login(runtime, "coach1").context("surveys"))
    runtime.today = lambda: date(2025, 10, 1)
    old = coach.create({**PULSE, "title": "Last year's pulse"})
    coach.open(old)
    coach.close(old)
    runtime.today = lambda: date(2026, 11, 24)
    app = PLCApp(as_login(runtime, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "m")
        listing = app.screen
        table = listing.query_one("#all", DataTable)
        await until(pilot, lambda: table.row_count == 1)
        assert str(table.get_row_at(0)[1]) == PULSE["title"]
        await pilot.press("y")
        await until(
            pilot,
            lambda: "2025-26" in str(listing.query_one(TabbedContent).get_tab("tab-all").label),
        )
        assert [str(cell) for cell in table.get_row_at(0)[1:4:2]] == [
            "Last year's pulse",
            "closed",
        ]
        await pilot.press("y")  # round to this year again
        await until(
            pilot, lambda: table.row_count == 1 and str(table.get_row_at(0)[1]) == PULSE["title"]
        )
        assert str(listing.query_one(TabbedContent).get_tab("tab-all").label) == "Manage"


def test_how_many_were_asked_follows_the_members(runtime: Runtime, survey_id: int) -> None:
    from plc_tui import community

    coach = Surveys(as_login(runtime, "coach1").context("surveys"))
    (row,) = coach.rows(everything=True)
    asked = row.invited
    assert asked == len(runtime.context("surveys").community.members(team="grade-3"))
    with runtime.storage.transaction() as tx:
        community.add_member(tx, login="t9", name="New Teacher", role="teacher", teams=["grade-3"])
    (row,) = coach.rows(everything=True)
    assert row.invited == asked + 1

"""Answering by keyboard when keys arrive together (over SSH the network bunches
them): every key acts on the state the key before it left."""

from __future__ import annotations

from datetime import date

import pytest
from plc_plugins.surveys.screens.take_screen import TakeSurveyScreen
from plc_plugins.surveys.service import Surveys
from textual import events
from textual.widgets import TextArea

from plc_tui.app import PLCApp
from plc_tui.runtime import Runtime
from tests.conftest import burst, open_survey_for, until

TODAY = date(2026, 11, 24)
CHECK = {
    "title": "Team check",
    "anonymous": False,
    "audience": {"teams": ["Grade 3"]},
    "questions": [
        {"id": "norms", "type": "likert", "text": "We kept our norms."},
        {"id": "time", "type": "likert", "text": "We used our time well."},
        {"id": "useful", "type": "rating", "min": 0, "max": 10, "text": "How useful?"},
        {"id": "word", "type": "short_text", "text": "One word for today"},
        {"id": "steps", "type": "multi", "options": ["Plan", "Teach", "Assess"], "text": "Work"},
    ],
}


@pytest.fixture
def survey_id(runtime: Runtime) -> int:
    return open_survey_for(runtime, CHECK, TODAY, "t1")


async def test_a_burst_of_keys_stores_each_answer_on_its_own_question(
    runtime: Runtime, survey_id: int
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        assert isinstance(app.screen, TakeSurveyScreen)
        screen = app.screen
        await burst(
            pilot,
            *["down", "down", "down", "enter", "ctrl+n"],  # norms: 4
            *["down", "enter", "ctrl+n"],  # time: 2
            *["7", "ctrl+n"],  # useful: 7
            *"calm",
            "ctrl+n",
            *["space", "down", "down", "space", "ctrl+n"],  # Plan, Assess
        )
        assert screen.reviewing
        assert screen.answers == {
            "norms": 4,
            "time": 2,
            "useful": 7,
            "word": "calm",
            "steps": ["Plan", "Assess"],
        }


async def test_number_keys_pick_a_point_and_ten_is_typed_as_one_zero(
    runtime: Runtime, survey_id: int
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        screen = app.screen
        await pilot.press("5", "ctrl+n", "2", "ctrl+n", "1", "0", "ctrl+n")
        assert screen.answers["norms"] == 5
        assert screen.answers["time"] == 2
        assert screen.answers["useful"] == 10


LONG = {
    "title": "Reflection",
    "anonymous": True,
    "audience": {"teams": ["Grade 3"]},
    "questions": [{"id": "story", "type": "long_text", "text": "Tell us about this term"}],
}


async def test_an_answer_pasted_over_its_limit_is_kept_whole_on_leave(runtime: Runtime) -> None:
    sid = open_survey_for(runtime, LONG, TODAY, "t1")
    pasted = "We planned every week. " * 261  # 6,003 characters: over the 5,000 limit
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        screen = app.screen
        assert isinstance(screen, TakeSurveyScreen) and screen.survey["id"] == sid
        app.post_message(events.Paste(pasted))  # as the terminal sends a paste
        await pilot.pause()
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is not screen, tries=40)
        assert app.screen is not screen
        warning = [n.message for n in app._notifications if "kept as you typed" in n.message]
        assert warning and "Question 1" in warning[0] and "5,000" in warning[0]
    mine = Surveys(runtime.context("surveys"))
    kept = mine.draft(sid)["story"]
    assert len(kept) == len(pasted.strip()), (len(kept), kept[:80])
    assert kept == pasted.strip()
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        assert app.screen.query_one(TextArea).text == pasted.strip()
        await pilot.press("ctrl+n")  # the page check explains what to fix
        error = app.screen.query_one("#take-error")
        assert "too long" in str(error.render())


async def test_a_draft_resumes_at_the_question_where_the_member_left(
    runtime: Runtime, survey_id: int
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        await pilot.press("4", "ctrl+n", "2", "ctrl+n", "7", "ctrl+n", "ctrl+b")  # back to q3
        screen = app.screen
        assert screen.page == 2
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is not screen, tries=40)
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        assert app.screen.page == 2  # where it was left, not the first unanswered (q4)


RANK_AND_NUMBER = {
    "title": "Priorities",
    "anonymous": False,
    "audience": {"teams": ["Grade 3"]},
    "questions": [
        {"id": "order", "type": "ranking", "text": "Order these", "options": ["A", "B", "C"]},
        {"id": "years", "type": "number", "text": "Years teaching", "min": 0, "max": 20},
    ],
}


async def test_ranking_and_corrections_typed_in_a_burst_land_in_order(runtime: Runtime) -> None:
    sid = open_survey_for(runtime, RANK_AND_NUMBER, TODAY, "t1")
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        screen = app.screen
        assert isinstance(screen, TakeSurveyScreen) and screen.survey["id"] == sid
        # Down then shift+up moves B to the top; end then minus moves C above A.
        await burst(pilot, "down", "shift+up", "end", "minus", "enter", "ctrl+n")
        assert screen.answers["order"] == ["B", "C", "A"]
        # A typo corrected in the same burst: 25 is over the limit, 15 is kept.
        await burst(pilot, "2", "5", "backspace", "backspace", "1", "5", "ctrl+n")
        assert screen.reviewing
        assert str(screen.answers["years"]) == "15"


async def test_help_on_a_question_lists_next_although_the_list_also_moves_next(
    runtime: Runtime, survey_id: int
) -> None:
    from plc_tui.screens.help_screen import HelpScreen

    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter", "f1")
        assert isinstance(app.screen, HelpScreen)
        assert ("^n", "Next") in app.screen.keys
        assert not any("Page Left" in description for _, description in app.screen.widget_keys)


def footer_keys(screen: TakeSurveyScreen) -> set[str]:
    return {
        binding.description
        for _, binding, enabled, _ in screen.app.active_bindings.values()
        if enabled and binding.show
    }


async def test_the_review_page_offers_submit_by_key_and_says_what_is_missing(
    runtime: Runtime, survey_id: int
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        screen = app.screen
        assert isinstance(screen, TakeSurveyScreen)
        assert {"Next", "Review"} <= footer_keys(screen) and "Submit" not in footer_keys(screen)
        await pilot.press("ctrl+r")  # straight to the review: nothing answered yet
        await until(pilot, lambda: screen.reviewing)
        assert "Submit" in footer_keys(screen) and "Next" not in footer_keys(screen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # nothing to confirm: answers are missing
        error = str(screen.query_one("#take-error").render())
        assert "still need an answer" in error

        await pilot.press("ctrl+b")
        await until(pilot, lambda: not screen.reviewing)
        for keys in (["down", "enter"], ["down", "enter"], ["7"], list("calm"), ["space"]):
            await pilot.press(*keys, "ctrl+n")
        await until(pilot, lambda: screen.reviewing)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not screen)  # are you sure?
        await pilot.press("enter")
        await until(pilot, lambda: _submitted(runtime, survey_id))


def _submitted(runtime: Runtime, survey_id: int) -> bool:
    from plc_plugins.surveys import store

    with runtime.context("surveys").read() as tables:
        return store.has_submitted(tables, survey_id, "t1")


async def test_a_short_answer_takes_a_pasted_paragraph_and_counts_near_its_limit(
    runtime: Runtime, survey_id: int
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        screen = app.screen
        await pilot.press("4", "ctrl+n", "2", "ctrl+n", "7", "ctrl+n")
        hint = screen.query_one("TextAnswer .answer-hint")
        assert "Up to 200 characters" in str(hint.render())
        app.post_message(events.Paste("Calm,\nfocused"))  # copied from two lines of notes
        await pilot.pause()
        assert screen.answers["word"] == "Calm, focused"
        app.post_message(events.Paste(" and" * 40))  # a line is pasted without its spaces
        await pilot.pause()
        assert "172 / 200 characters" in str(hint.render())  # 13 + 159

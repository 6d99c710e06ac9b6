"""The survey builder as a coach uses it: words not ids, undo, waves, plugin types."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from plc_plugins.surveys.screens.builder_screen import BuilderScreen
from plc_plugins.surveys.screens.question_modal import QuestionModal
from plc_plugins.surveys.service import Surveys
from textual.widgets import Input, OptionList, Select, TextArea

from plc_tui.api import QuestionType, ValidationError, hookimpl
from plc_tui.app import PLCApp
from plc_tui.plugins import PluginHost
from plc_tui.runtime import Runtime
from tests.conftest import until

TODAY = date(2026, 11, 24)
SURVEY = {
    "title": "Meeting pulse",
    "audience": {},
    "opens": "2026-11-01",
    "closes": "2026-11-15",
    "questions": [
        {"id": "norms", "type": "likert", "text": "We kept our norms."},
        {"id": "more", "type": "yes_no", "text": "Anything to add?"},
        {
            "id": "what",
            "type": "long_text",
            "required": False,
            "show_if": {"question": "more", "equals": True},
            "text": "What would you add?",
        },
    ],
}


@pytest.fixture
def draft(runtime: Runtime) -> int:
    runtime.today = lambda: TODAY
    return Surveys(runtime.context("surveys")).create(SURVEY)


def listed(app: PLCApp) -> list[str]:
    options = app.screen.query_one("#b-questions", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_builder(app: PLCApp, pilot: Any, sid: int) -> BuilderScreen:
    await pilot.press("1", "m")
    await pilot.pause()
    await pilot.press("e")
    assert isinstance(app.screen, BuilderScreen) and app.screen.survey_id == sid
    return app.screen


async def test_questions_are_listed_in_words(runtime: Runtime, draft: int) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_builder(app, pilot, draft)
        lines = listed(app)
    assert "Scale: agreement, frequency, quality..." in lines[0]
    assert "[likert]" not in " ".join(lines)
    assert "optional · asked if question 2 is Yes" in lines[2]


async def test_a_removed_question_comes_back_with_u_and_its_condition(
    runtime: Runtime, draft: int
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        builder = await open_builder(app, pilot, draft)
        questions = builder.query_one("#b-questions", OptionList)
        questions.focus()
        questions.highlighted = 1
        await pilot.press("d")
        assert [q["id"] for q in builder.questions] == ["norms", "what"]
        assert "show_if" not in builder.questions[1]
        notes = [n.message for n in app._notifications]
        assert any("now always asked" in m and "Press u to undo" in m for m in notes)
        await pilot.press("u")
        assert [q["id"] for q in builder.questions] == ["norms", "more", "what"]
        assert builder.questions[2]["show_if"]["question"] == "more"


def test_a_new_wave_is_open_as_long_as_the_last(runtime: Runtime, draft: int) -> None:
    service = Surveys(runtime.context("surveys"))
    wave = service.repeat(draft)
    assert service.get(wave)["closes"] == "2026-12-08"  # 14 days, from today


def _stars_check(question: dict[str, Any]) -> None:
    top = (question.get("settings") or {}).get("stars")
    if not isinstance(top, int) or not 3 <= top <= 10:
        raise ValidationError('stars needs settings like {"stars": 5} (3 to 10).')


class StarsPlugin:
    @hookimpl
    def register_question_types(self, register: Any) -> None:
        register(
            QuestionType(
                "stars",
                "Star rating",
                check_definition=_stars_check,
                validate=lambda q, v: int(v),
                aggregate=lambda q, values: {"n": len(values)},
                to_csv=lambda q, v: str(v),
            )
        )


async def test_a_plugin_question_types_settings_are_edited_in_the_builder(
    runtime: Runtime, draft: int, host: PluginHost
) -> None:
    host.register(StarsPlugin(), name="stars")
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 30)) as pilot:
        builder = await open_builder(app, pilot, draft)
        builder.query_one("#b-questions").focus()
        await pilot.press("a")
        modal = app.screen
        assert isinstance(modal, QuestionModal)
        modal.query_one("#qm-type", Select).value = "stars"
        await pilot.pause()
        assert modal.query_one("#qm-settings", TextArea).display
        modal.query_one("#qm-text", Input).value = "How was the meeting?"
        modal.query_one("#qm-settings", TextArea).text = '{"stars": 12}'
        await pilot.press("ctrl+s")
        assert app.screen is modal  # refused by the plugin's own check, with its words
        assert "3 to 10" in str(modal.query_one("#qm-error").render())
        modal.query_one("#qm-settings", TextArea).text = '{"stars": 5}'
        await pilot.press("ctrl+s")
        assert app.screen is builder
        assert builder.questions[-1]["settings"] == {"stars": 5}


async def test_the_audience_is_ticked_by_keyboard_and_a_long_team_list_scrolls(
    runtime: Runtime, draft: int
) -> None:
    from plc_tui import community
    from plc_tui.widgets.choice_list import ChoiceList

    with runtime.storage.transaction() as tx:
        for n in range(30):
            community.add_team(tx, name=f"Riverside Middle Team {n:02}")
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        builder = await open_builder(app, pilot, draft)
        teams = builder.query_one("#b-teams", ChoiceList)
        teams.focus()
        await pilot.press("end", "space")  # the last team, far below the box's top
        await pilot.pause()
        assert teams.value == [teams.choices[-1][1]]
        box = builder.query_one("#b-teams-box")
        assert box.scroll_y > 0  # scrolled to keep the cursor in view
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: Surveys(runtime.context("surveys")).get(draft)["audience"]["teams"],
            tries=40,
        )
    assert Surveys(runtime.context("surveys")).get(draft)["audience"]["teams"] == [
        teams.choices[-1][1]
    ]


async def test_a_condition_on_an_option_called_yes_matches_the_option(runtime: Runtime) -> None:
    types = Surveys(runtime.context("surveys")).types
    earlier = [
        {
            "id": "q1",
            "type": "single",
            "text": "Would you like coaching?",
            "options": ["Yes", "No", "Maybe later"],
            "required": True,
            "help": "",
            "section": "",
        }
    ]
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = QuestionModal(types, earlier, number=2)
        app.push_screen(modal)
        await pilot.pause()
        modal.query_one("#qm-type", Select).value = "long_text"
        modal.query_one("#qm-text", Input).value = "What kind?"
        modal.query_one("#qm-if-question", Select).value = "q1"
        modal.query_one("#qm-if-values", Input).value = "Yes, maybe later"
        question = modal.collect()
        assert question["show_if"] == {"question": "q1", "in": ["Yes", "Maybe later"]}
        # Escape with typing asks first; the question is not lost by one key.
        await pilot.press("escape")
        assert app.screen is not modal
        await pilot.pause()  # the question is on screen before it is answered
        await pilot.press("escape")
        assert app.screen is modal


async def test_the_builder_writes_grids_scales_other_and_conditions(runtime: Runtime) -> None:
    from plc_tui.widgets.choice_list import ChoiceList

    service = Surveys(runtime.context("surveys"))
    types = service.types
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        grid_modal = QuestionModal(types, [], number=1)
        app.push_screen(grid_modal)
        await pilot.pause()
        grid_modal.query_one("#qm-type", Select).value = "grid"
        grid_modal.query_one("#qm-scale", Select).value = "frequency"
        await pilot.pause()
        assert grid_modal.query_one("#qm-rows").display
        assert not grid_modal.query_one("#qm-labels").display
        grid_modal.query_one("#qm-text", Input).value = "How often does your team..."
        grid_modal.query_one(
            "#qm-rows", TextArea
        ).text = "look at student work together\n(r) plan alone\n"
        grid_modal.query_one("#qm-na", ChoiceList).value = [True]
        grid = grid_modal.collect()
        assert grid["labels"][0] == "Never" and grid["not_applicable"] == "Not applicable"
        assert grid["rows"] == [
            {"id": "r1", "text": "look at student work together"},
            {"id": "r2", "text": "plan alone", "reverse": True},
        ]
        app.pop_screen()

        follow = QuestionModal(types, [grid], number=2)
        app.push_screen(follow)
        await pilot.pause()
        follow.query_one("#qm-type", Select).value = "single"
        follow.query_one("#qm-text", Input).value = "Your role"
        follow.query_one("#qm-options", TextArea).text = "T = Teacher\nA = Aide"
        follow.query_one("#qm-other", ChoiceList).value = [True]
        follow.query_one("#qm-if-question", Select).value = "q1"
        await pilot.pause()
        rows = follow.query_one("#qm-if-row", Select)
        assert rows.display  # the grid's statements, by their words
        follow.query_one("#qm-if-op", Select).value = "lte"
        rows.value = "r1"
        follow.query_one("#qm-if-values", Input).value = "Rarely"
        role = follow.collect()
        assert role["codes"] == ["T", "A"] and role["other"] == "Other, please specify"
        assert role["show_if"] == {"question": "q1", "row": "r1", "lte": 2}
        app.pop_screen()

        scale = QuestionModal(types, [], number=3)
        app.push_screen(scale)
        await pilot.pause()
        scale.query_one("#qm-text", Input).value = "I feel valued"
        scale.query_one("#qm-scale", Select).value = "custom"
        await pilot.pause()
        assert scale.query_one("#qm-labels").display
        scale.query_one("#qm-labels", TextArea).text = "Not at all\nA little\nA lot\nEntirely"
        scale.query_one("#qm-reverse", ChoiceList).value = [True]
        valued = scale.collect()
        assert valued["labels"] == ["Not at all", "A little", "A lot", "Entirely"]
        assert valued["reverse"] is True


async def test_editing_a_scored_survey_keeps_its_sections_and_the_section_key_sets_them(
    runtime: Runtime,
) -> None:
    from plc_plugins.surveys.screens.section_modal import SectionModal
    from plc_plugins.surveys.templates import SCHOOL_CLIMATE

    from plc_tui.widgets.choice_list import ChoiceList

    runtime.today = lambda: TODAY
    service = Surveys(runtime.context("surveys"))
    sid = service.create({**SCHOOL_CLIMATE, "audience": {}})
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        builder = await open_builder(app, pilot, sid)
        assert any("Collaboration (scored)" in line for line in listed(app))
        listing = builder.query_one("#b-questions", OptionList)
        listing.focus()
        listing.highlighted = 3  # "I feel my professional judgement is valued" (About you)
        await pilot.press("s")
        modal = app.screen
        assert isinstance(modal, SectionModal)
        modal.query_one("#sm-description", Input).value = "A little about you."
        modal.query_one("#sm-score", ChoiceList).value = [True]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is builder)
        await pilot.press("ctrl+s")  # save the draft
        await until(pilot, lambda: service.get(sid)["sections"][-1].get("score"))
    sections = {info["title"]: info for info in service.get(sid)["sections"]}
    assert sections["Collaboration"]["score"] is True
    assert sections["About you"] == {
        "title": "About you",
        "description": "A little about you.",
        "score": True,
    }


async def test_leaving_unchanged_does_not_ask_and_save_and_open_asks_first(
    runtime: Runtime,
) -> None:
    from plc_tui.widgets.confirm_modal import ConfirmModal

    runtime.today = lambda: TODAY
    draft = Surveys(runtime.context("surveys")).create({**SURVEY, "closes": "2026-12-15"})
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        builder = await open_builder(app, pilot, draft)
        await pilot.pause()
        await pilot.press("escape")  # nothing changed: no question
        assert app.screen is not builder
        builder = await open_builder(app, pilot, draft)
        await pilot.pause()
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, ConfirmModal)
        assert "until 2026-12-15" in app.screen.detail
        await pilot.press("escape")
        assert Surveys(runtime.context("surveys")).get(draft)["status"] == "draft"


async def test_a_closing_date_that_has_passed_is_said_before_any_open_is_asked(
    runtime: Runtime, draft: int
) -> None:
    from plc_tui.widgets.confirm_modal import ConfirmModal

    notes: list[str] = []
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        real_notify = app.notify

        def noted(message: str, **kw: Any) -> None:
            notes.append(message)
            real_notify(message, **kw)

        app.notify = noted  # type: ignore[method-assign]
        builder = await open_builder(app, pilot, draft)  # closes 2026-11-15; today 11-24
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen is builder and not isinstance(app.screen, ConfirmModal)
        assert any("closing date (2026-11-15) has passed" in n for n in notes)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any(n.startswith("Saved as draft") for n in notes))
        assert any("Saved as draft" in n and "has passed" in n for n in notes)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is not builder)
        notes.clear()
        await pilot.press("o")  # from the list: said at once, nothing asked
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert any("has passed: edit it (e)" in n for n in notes)
    assert Surveys(runtime.context("surveys")).get(draft)["status"] == "draft"


async def test_a_question_left_empty_is_named_as_a_person_sees_it(
    runtime: Runtime, draft: int
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 30)) as pilot:
        builder = await open_builder(app, pilot, draft)
        builder.query_one("#b-questions").focus()
        await pilot.press("a")
        modal = app.screen
        assert isinstance(modal, QuestionModal)
        await pilot.press("ctrl+s")
        assert app.screen is modal
        said = str(modal.query_one("#qm-error").render())
        assert "question's text cannot be empty" in said and "q4" not in said
        # And in the builder, an error about a question names its number.
        assert builder._by_number("question more: type 'x' is not one") == (
            "question 2: type 'x' is not one"
        )


async def test_an_error_from_saving_goes_once_the_questions_change(
    runtime: Runtime, draft: int
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        builder = await open_builder(app, pilot, draft)
        questions = builder.query_one("#b-questions", OptionList)
        questions.focus()
        while builder.questions:
            questions.highlighted = 0
            await pilot.press("d")
        await pilot.press("ctrl+s")
        error = builder.query_one("#b-error")
        await until(pilot, lambda: "at least one question" in str(error.render()))
        await pilot.press("u")  # the last question comes back
        assert builder.questions
        assert str(error.render()) == ""

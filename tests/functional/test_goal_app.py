"""The SMART goals module in the app, by keyboard with Pilot at 80x24."""

from __future__ import annotations

from datetime import date

import pytest
from plc_plugins.smart_goals.screens.checkin_modal import CheckInModal
from plc_plugins.smart_goals.screens.goal_detail_screen import GoalDetailScreen
from plc_plugins.smart_goals.screens.goal_form_screen import GoalFormScreen
from plc_plugins.smart_goals.screens.goals_screen import GoalsScreen
from plc_plugins.smart_goals.service import Goals
from textual.widgets import DataTable, Input, Label, Select, Static

from plc_tui.api import PLCError
from plc_tui.app import PLCApp
from plc_tui.runtime import Runtime
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.reason_modal import ReasonModal
from tests.conftest import burst, holding_lock, shown_text, until

TODAY = date(2026, 11, 24)
READING = {
    "team": "Grade 3",
    "title": "Grade 3 reading: 62% to 80% at benchmark",
    "specific": {"what": "Reading comprehension", "for_whom": "All Grade 3 students"},
    "measurable": {
        "metric": "Students at benchmark",
        "baseline": 62,
        "target": 80,
        "unit": "%",
        "data_source": "Benchmark screener",
    },
    "ambitious": {"why_stretch": "Our best year was 71%", "data": "Fall benchmark 62%"},
    "reflective": {"how": "Running records together", "when": "Every other meeting"},
    "timely": {"start": "2026-11-16", "deadline": "2027-05-20", "checkpoints": ["2027-01-15"]},
    "owners": ["t1"],
    "actions": [{"text": "Daily guided reading", "owner": "t1", "due": "2026-10-01"}],
}


def as_login(runtime: Runtime, login: str) -> Runtime:
    runtime.login = login
    runtime.refresh_member()
    return runtime


def goals(runtime: Runtime) -> Goals:
    return Goals(runtime.context("smart_goals"))


@pytest.fixture
def proposed(runtime: Runtime) -> int:
    runtime.today = lambda: TODAY
    return goals(as_login(runtime, "t1")).add(READING)


async def test_team_agrees_then_checks_in_by_keyboard(runtime: Runtime, proposed: int) -> None:
    goals(as_login(runtime, "t2")).agree(proposed)
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        assert isinstance(app.screen, GoalsScreen)
        board = app.screen.query_one("#board", DataTable)
        assert str(board.get_row_at(0)[2]) == "proposed"
        await pilot.press("a")  # t1 agrees too: consensus reached
        await pilot.pause()
        assert str(board.get_row_at(0)[2]) == "on track"
        await pilot.press("enter")
        assert isinstance(app.screen, GoalDetailScreen)
        await pilot.press("c")
        assert isinstance(app.screen, CheckInModal)
        await pilot.press(*"68", "tab", "4")  # confidence: its number
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GoalDetailScreen)
        status = shown_text(app.screen.query_one("#goal-status", Static))
        assert "Latest 68% on 2026-11-24, confidence 4/5" in status
        history = shown_text(app.screen.query_one("#goal-checkins", Static))
        assert "2026-11-24      68  confidence 4/5" in history
        chart = shown_text(app.screen.query_one("#goal-chart", Static))
        assert "●" in chart and "·" in chart

    (entry,) = goals(runtime).checkins(proposed)
    assert (entry["value"], entry["confidence"], entry["by"]) == (68, 4, "t1")


async def test_a_check_in_that_reaches_the_target_is_celebrated(
    runtime: Runtime, proposed: int
) -> None:
    for login in ("t1", "t2"):
        goals(as_login(runtime, login)).agree(proposed)
    app = PLCApp(as_login(runtime, "t2"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(GoalDetailScreen(runtime.context("smart_goals"), proposed))
        await pilot.pause()
        await pilot.press("c", *"81", "enter")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("goal met! Celebrate it with your team." in m for m in messages)
        assert "met" in shown_text(app.screen.query_one("#goal-status", Static))


async def test_bad_check_in_is_explained_and_nothing_is_saved(
    runtime: Runtime, proposed: int
) -> None:
    for login in ("t1", "t2"):
        goals(as_login(runtime, login)).agree(proposed)
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CheckInModal(runtime.context("smart_goals"), proposed))
        await pilot.pause()
        await pilot.press("ctrl+s")
        error = shown_text(app.screen.query_one(".form-error", Static))
        assert "A check-in needs the measured value" in error
        app.screen.query_one("#ci-value", Input).value = "180"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CheckInModal)
        assert "100" in shown_text(app.screen.query_one(".form-error", Static))
    assert goals(runtime).checkins(proposed) == []


async def test_objecting_needs_a_reason_and_keeps_the_goal_proposed(
    runtime: Runtime, proposed: int
) -> None:
    app = PLCApp(as_login(runtime, "t2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "o")
        assert isinstance(app.screen, ReasonModal)
        await pilot.press("enter")
        assert "Please give a reason" in shown_text(app.screen.query_one(".form-error", Static))
        await pilot.press(*"Target ignores newcomers", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)
    tally = goals(runtime).consensus(proposed)
    assert tally.objections == (("t2", "Target ignores newcomers"),)
    assert not tally.reached


async def test_writing_a_goal_with_the_live_smart_check(runtime: Runtime) -> None:
    runtime.today = lambda: TODAY
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2", "n")
        assert isinstance(app.screen, GoalFormScreen)
        checker = app.screen.query_one("#checker", Static)
        assert "✗ S Specific" in shown_text(checker, 30)
        assert "0 of 5 met" in shown_text(checker, 30)
        assert app.screen.query_one("#f-team", Select).value == "grade-3"
        await pilot.press(*"Grade 3 writing stamina")
        app.screen.query_one("#f-specific-what", Input).focus()
        await pilot.press(*"Writing a full page independently", "tab", *"All Grade 3 writers")
        await pilot.pause()
        assert "✓ S Specific" in shown_text(checker, 30)
        app.screen.query_one("#f-measurable-baseline", Input).focus()
        await pilot.press(*"30", "tab", *"30")  # target equal to baseline
        await pilot.pause()
        assert "✗ M Measurable" in shown_text(checker, 30)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)
        messages = [n.message for n in app._notifications]
        assert any("Proposed goal 1" in m for m in messages)
        # Saved as it is, and told plainly that the team cannot agree to it yet.
        assert any("not SMART yet (Measurable" in m for m in messages)
    stored = goals(runtime).get(1)
    assert stored["title"] == "Grade 3 writing stamina"
    assert stored["specific"] == {
        "what": "Writing a full page independently",
        "for_whom": "All Grade 3 writers",
    }


async def test_at_80_columns_the_check_is_two_lines_under_a_full_width_form(
    runtime: Runtime,
) -> None:
    runtime.today = lambda: TODAY
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n")
        form = app.screen
        assert isinstance(form, GoalFormScreen)
        assert form.query_one("#f-title", Input).size.width >= 70
        checker = form.query_one("#checker", Static)
        assert shown_text(checker, 78).splitlines() == [
            "SMART ✗S ✗M ✗A ✗R ✗T  0 of 5 met",
            "S Specific: say what will improve and for whom",
        ]
        # The hint follows the part being written.
        form.query_one("#f-timely-start", Input).focus()
        await pilot.pause()
        assert shown_text(checker, 78).splitlines()[1].startswith("T Timely: ")
        # Tab goes from field to field, never to a container, and the field shows.
        form.query_one("#f-share", Input).focus()
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is form.query_one("#f-actions")
        assert form.query_one("#goal-form").region.contains_region(app.focused.region)


async def test_action_steps_name_their_owners_and_ctrl_end_reaches_the_last(
    runtime: Runtime,
) -> None:
    from plc_tui.widgets.text_box import TextBox

    runtime.today = lambda: TODAY
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_goal_form(pilot, "Grade 3 writing stamina")
        labels = [str(label.visual) for label in form.query(Label)]  # as drawn
        assert any("; [x] first when done" in text for text in labels)
        steps = form.query_one("#f-actions", TextBox)
        steps.focus()
        lines = [f"Step {n} | teacher t2 | 2026-12-{n + 10:02d}" for n in range(1, 9)]
        steps.text = "\n".join(lines)
        await pilot.press("ctrl+home", "ctrl+end")
        assert steps.cursor_location == (7, len(lines[7]))
        await pilot.press(*" extra")
        assert steps.text.endswith("2026-12-18 extra")
        await burst(pilot, "backspace", "backspace", "X", "ctrl+home", "delete", "s")
        assert steps.text.endswith("2026-12-18 extX")
        assert steps.text.startswith("step 1 |")
        steps.text = "Model a full page | Teacher | 2026-12-11"  # two teachers fit
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        error = shown_text(form.query_one("#f-error", Static), 76)
        assert "'Teacher' could be Teacher t1 or Teacher t2" in error
        steps.text = "Model a full page | Nobody Here | 2026-12-11"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "no member is called 'Nobody Here'" in shown_text(
            form.query_one("#f-error", Static), 76
        )
        steps.text = "Model a full page | teacher T2 | 2026-12-11\n[x] Pick mentor texts | t1"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not form)
        assert app.screen is not form
    gid = goals(runtime).list()[0].id
    assert [
        (a["text"], a["owner"], a["done"]) for a in goals(runtime).export_goal(gid)["actions"]
    ] == [
        ("Model a full page", "t2", False),
        ("Pick mentor texts", "t1", True),
    ]
    # Editing shows the owners by name again.
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(GoalFormScreen(runtime.context("smart_goals"), gid))
        await pilot.pause()
        assert app.screen.query_one("#f-actions", TextBox).text == (
            "Model a full page | Teacher t2 | 2026-12-11\n[x] Pick mentor texts | Teacher t1"
        )


async def test_teacher_of_another_team_cannot_check_in(runtime: Runtime, proposed: int) -> None:
    for login in ("t1", "t2"):
        goals(as_login(runtime, login)).agree(proposed)
    app = PLCApp(as_login(runtime, "t3"))  # Grade 4
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        board = app.screen.query_one("#board", DataTable)
        assert board.row_count == 0  # Grade 3's goals are not t3's to see
    coach = goals(as_login(runtime, "coach1"))
    assert [r.title for r in coach.list()] == [READING["title"]]


def test_goal_detail_at_80x24(runtime: Runtime, proposed: int, snap_compare) -> None:
    for login in ("t1", "t2"):
        goals(as_login(runtime, login)).agree(proposed)
    goals(runtime).check_in(proposed, 66, 4, "Small groups started", "2026-11-20")
    app = PLCApp(as_login(runtime, "t1"))
    assert snap_compare(app, press=["2", "enter"], terminal_size=(80, 24))


CONSENSUS_STATES = {
    "no votes": [],
    "partial": [("t2", "agree")],
    "objection": [("t2", "agree"), ("coach1", "We need the fall baseline first")],
    "adopted": [("t1", "agree"), ("t2", "agree")],
}


@pytest.mark.parametrize("state", list(CONSENSUS_STATES))
def test_goal_detail_shows_each_consensus_state_at_80x24(
    runtime: Runtime, proposed: int, state: str, snap_compare
) -> None:
    for login, vote in CONSENSUS_STATES[state]:
        voter = goals(as_login(runtime, login))
        voter.agree(proposed) if vote == "agree" else voter.object(proposed, vote)
    app = PLCApp(as_login(runtime, "t1"))
    assert snap_compare(app, press=["2", "enter"], terminal_size=(80, 24))


async def test_an_objection_says_who_objected_and_why(runtime: Runtime, proposed: int) -> None:
    goals(as_login(runtime, "t2")).agree(proposed)
    goals(as_login(runtime, "coach1")).object(proposed, "We need the fall baseline first")
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "enter")
        shown = shown_text(app.screen.query_one("#goal-consensus", Static))
    assert "1 of 2 agreed, 2 needed" in shown
    assert "Agreed: Teacher t2" in shown
    assert "Casey Coach objects: We need the fall baseline first" in shown
    assert "member" not in shown


async def test_the_team_sets_how_much_agreement_a_goal_needs(runtime: Runtime) -> None:
    runtime.today = lambda: TODAY
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n")
        app.screen.query_one("#f-title", Input).value = "Attendance"
        share = app.screen.query_one("#f-share", Input)
        share.value = "40"
        await pilot.press("ctrl+s")
        assert "between 0.5 and 1" in shown_text(app.screen.query_one("#f-error", Static))
        share.value = "50"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)
    assert goals(runtime).get(1)["consensus_share"] == 0.5


def test_two_members_editing_from_stale_loads_merge_or_are_refused(
    runtime: Runtime, proposed: int
) -> None:
    runtime.today = lambda: TODAY
    mine = goals(as_login(runtime, "t1")).export_goal(proposed)
    assert mine["revision"] == 1
    # Meanwhile a teammate ticks the action step (a change to what people edit).
    goals(as_login(runtime, "t2")).set_action_done(proposed, 1)
    me = goals(as_login(runtime, "t1"))
    saved = me.update(proposed, {**mine, "title": "Grade 3 reading: 62% to 85%"}, base=mine)
    assert saved["title"] == "Grade 3 reading: 62% to 85%"
    assert saved["actions"][0]["done"] is True  # the teammate's tick is kept
    assert saved["revision"] == 3
    # The teammate changes the title too, from what they loaded before: a conflict.
    theirs = {**mine, "title": "Grade 3 reading: 62% to 75%"}
    with pytest.raises(PLCError, match="Teacher t1 changed goal 1 while you were editing it"):
        goals(as_login(runtime, "t2")).update(proposed, theirs, base=mine)
    # Without the version it was loaded from (a file), a stale save is refused outright.
    with pytest.raises(PLCError, match="after you loaded it"):
        goals(as_login(runtime, "t2")).update(proposed, dict(theirs))
    assert goals(runtime).get(proposed)["title"] == "Grade 3 reading: 62% to 85%"


async def test_saving_the_form_after_a_teammates_change_merges_or_keeps_the_input(
    runtime: Runtime, proposed: int, data_dir
) -> None:
    runtime.today = lambda: TODAY
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(GoalFormScreen(runtime.context("smart_goals"), proposed))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, GoalFormScreen)
        # Another plc process ticks the action step while the form is open.
        other = Runtime(data_dir, host=runtime.host, login="t2")
        other.today = lambda: TODAY
        goals(other).set_action_done(proposed, 1)
        title = form.query_one("#f-title", Input)
        title.value = "Grade 3 reading: 62% to 85%"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, GoalFormScreen)
        saved = goals(runtime).get(proposed)
        assert saved["title"] == "Grade 3 reading: 62% to 85%"
        assert saved["actions"][0]["done"] is True

        # Now the teammate changes the title while the form is open again: refused.
        app.push_screen(GoalFormScreen(runtime.context("smart_goals"), proposed))
        await pilot.pause()
        form = app.screen
        goals(other).update(proposed, {**goals(other).export_goal(proposed), "title": "Theirs"})
        form.query_one("#f-title", Input).value = "Mine"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # the form stays, with what was typed
        assert form.query_one("#f-title", Input).value == "Mine"
        messages = [n.message for n in app._notifications]
        assert any("Teacher t2 changed goal 1 while you were editing it" in m for m in messages)
    assert goals(runtime).get(proposed)["title"] == "Theirs"


async def _new_goal_form(pilot, title: str) -> GoalFormScreen:
    await pilot.press("2", "n")
    form = pilot.app.screen
    assert isinstance(form, GoalFormScreen)
    await pilot.press(*title)
    return form


async def test_saving_while_another_plc_holds_the_lock_keeps_the_app_responsive(
    runtime: Runtime, data_dir
) -> None:
    from plc_tui.widgets.background import WAITING

    runtime.today = lambda: TODAY
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_goal_form(pilot, "Grade 3 writing stamina")
        with holding_lock(data_dir):  # another plc, in the middle of a commit
            await pilot.press("ctrl+s")
            await pilot.pause(0.6)
            assert app.screen is form
            assert form.sub_title == WAITING  # the person sees why nothing happens yet
            form.query_one("#f-specific-what", Input).focus()
            await pilot.press(*"typed while waiting")
            assert form.query_one("#f-specific-what", Input).value == "typed while waiting"
            await pilot.press("ctrl+s")  # a second save is not started
        await until(pilot, lambda: app.screen is not form, tries=100)
        assert isinstance(app.screen, GoalsScreen)
    assert [row.title for row in goals(runtime).list()] == ["Grade 3 writing stamina"]


async def test_a_lock_held_past_the_timeout_is_a_notification_and_the_input_stays(
    runtime: Runtime, data_dir
) -> None:
    runtime.today = lambda: TODAY
    runtime.storage.lock_timeout = 0.4
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_goal_form(pilot, "Grade 3 writing stamina")
        with holding_lock(data_dir):  # another plc, in the middle of a commit
            await pilot.press("ctrl+s")
            await until(
                pilot, lambda: any("locked by another plc" in n.message for n in app._notifications)
            )
        assert any("locked by another plc" in n.message for n in app._notifications)
        assert app.screen is form
        assert form.query_one("#f-title", Input).value == "Grade 3 writing stamina"
        assert form.sub_title != "waiting for another plc to finish…"


async def test_owners_are_picked_by_name_from_the_team(runtime: Runtime) -> None:
    runtime.today = lambda: TODAY
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_goal_form(pilot, "Grade 3 writing stamina")
        owners = form.query_one("#f-owners", ChoiceList)
        assert [label for label, _ in owners.choices] == ["Teacher t1", "Teacher t2"]
        owners.focus()
        await pilot.press("space", "down", "space")
        assert owners.value == ["t1", "t2"]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not form)
    goal = goals(runtime).list()[0]
    assert goals(runtime).export_goal(goal.id)["owners"] == ["t1", "t2"]


async def test_leaving_a_goal_form_with_typing_asks_first(runtime: Runtime) -> None:
    from plc_tui.widgets.confirm_modal import ConfirmModal

    runtime.today = lambda: TODAY
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_goal_form(pilot, "Draft goal I care about")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")  # stay
        assert app.screen is form
        assert form.query_one("#f-title", Input).value == "Draft goal I care about"
        # A template asks before it replaces what was typed.
        form.query_one("#f-template", Select).value = "reading-proficiency"
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        assert form.query_one("#f-title", Input).value == "Draft goal I care about"
        await pilot.press("escape", "enter")  # leave, confirmed
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)
    assert goals(runtime).list() == []


async def test_the_board_offers_what_the_highlighted_goal_allows(
    runtime: Runtime, proposed: int
) -> None:
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        offered = {b.binding.description for b in app.active_bindings.values() if b.enabled}
        # A proposed goal: votes, not check-ins (those start once the team agrees).
        assert {"Agree", "Object"} <= offered and "Check in" not in offered
        await pilot.press("c")
        assert isinstance(app.screen, GoalsScreen)


async def test_closing_a_check_in_with_a_typed_value_asks_first(
    runtime: Runtime, proposed: int
) -> None:
    from plc_tui.widgets.confirm_modal import ConfirmModal

    for login in ("t1", "t2"):
        goals(as_login(runtime, login)).agree(proposed)
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "c")
        modal = app.screen
        assert isinstance(modal, CheckInModal)
        await pilot.press("escape")  # nothing typed: closes at once
        assert isinstance(app.screen, GoalsScreen)
        await pilot.press("c", *"70", "escape")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        assert isinstance(app.screen, CheckInModal)
        assert app.screen.query_one("#ci-value", Input).value == "70"


async def test_a_new_goal_starts_in_the_highlighted_team_and_an_edit_says_edit(
    runtime: Runtime,
) -> None:
    runtime.today = lambda: TODAY
    goals(as_login(runtime, "t3")).add({**READING, "team": "Grade 4", "owners": [], "actions": []})
    app = PLCApp(as_login(runtime, "admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n")
        form = app.screen
        assert isinstance(form, GoalFormScreen)
        assert form.query_one("#f-team", Select).value == "grade-4"
        await pilot.press("escape")
        await pilot.press("enter", "e")
        assert isinstance(app.screen, GoalFormScreen)
        assert app.screen.title == "Edit a SMART goal"


async def test_y_steps_back_through_ended_school_years_and_round_again(
    runtime: Runtime, proposed: int
) -> None:
    last_year = {
        **READING,
        "title": "Last year's reading goal",
        "timely": {"start": "2025-09-02", "deadline": "2026-05-22", "checkpoints": ["2026-01-15"]},
    }
    runtime.today = lambda: date(2025, 11, 24)
    old = goals(as_login(runtime, "t1")).add(last_year)
    runtime.today = lambda: TODAY
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        board = app.screen.query_one("#board", DataTable)
        summary = app.screen.query_one("#board-summary", Static)
        await until(pilot, lambda: board.row_count == 1)
        assert shown_text(summary).startswith("2026-27 · 1 goal: 1 proposed")
        await pilot.press("y")
        await until(pilot, lambda: "2025-26" in shown_text(summary))
        assert [str(board.get_row_at(0)[1]), str(board.get_row_at(0)[2])] == [
            "Last year's reading goal",
            "not met",
        ]
        assert shown_text(summary).startswith("2025-26 · 1 goal: 1 not met · ended")
        offered = {b.binding.description for b in app.active_bindings.values() if b.enabled}
        assert not {"Agree", "Object", "New goal", "Check in"} & offered  # kept as it was
        await pilot.press("a")
        assert goals(runtime).get(old)["votes"] == {}
        await pilot.press("y")  # round to this year again
        await until(pilot, lambda: "2026-27" in shown_text(summary))
        assert str(board.get_row_at(0)[1]) == READING["title"]


async def test_the_smart_check_names_each_letter_once(runtime: Runtime) -> None:
    runtime.today = lambda: TODAY
    gid = goals(as_login(runtime, "t1")).add(
        {**READING, "specific": {}, "measurable": {"metric": "Students at benchmark"}}
    )
    app = PLCApp(as_login(runtime, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(GoalDetailScreen(runtime.context("smart_goals"), gid))
        await until(pilot, lambda: "SMART check" in shown_text(app.screen.query_one("#goal-smart")))
        check = shown_text(app.screen.query_one("#goal-smart", Static), width=120)
    assert "✗ Specific: say what will improve and for whom" in check
    assert "Specific: Specific" not in check and "Measurable: Measurable" not in check


async def test_worst_first_shows_the_top_of_the_sorted_board(runtime: Runtime) -> None:
    runtime.today = lambda: TODAY
    service = goals(as_login(runtime, "t1"))
    for n in range(12):
        service.add({**READING, "title": f"Goal {n:02d}: {60 + n}% to 80%"})
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
        board = app.screen.query_one("#board", DataTable)
        await until(pilot, lambda: board.row_count == 12)
        board.move_cursor(row=9)
        await pilot.press("w")
        await until(pilot, lambda: board.cursor_row == 0)
        assert board.scroll_y == 0
        assert "worst first" in shown_text(app.screen.query_one("#board-summary", Static))


async def test_my_teams_narrows_a_leaders_board_to_their_teams(runtime: Runtime) -> None:
    from plc_tui import community

    runtime.today = lambda: TODAY
    goals(as_login(runtime, "t1")).add(READING)  # Grade 3
    goals(as_login(runtime, "t3")).add({**READING, "team": "Grade 4", "title": "Grade 4 maths"})
    with runtime.storage.transaction() as tx:  # the coach works with Grade 3
        community.edit_member(tx, "coach1", add_teams=["Grade 3"])
    app = PLCApp(as_login(runtime, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
        board = app.screen.query_one("#board", DataTable)
        await until(pilot, lambda: board.row_count == 2)  # a leader sees every team's
        await pilot.press("t")
        await until(pilot, lambda: board.row_count == 1)
        summary = shown_text(app.screen.query_one("#board-summary", Static))
        assert "1 goal of your teams" in summary
        assert "Grade 3 reading" in str(board.get_row_at(0)[1])
        await pilot.press("t")
        await until(pilot, lambda: board.row_count == 2)
    teacher = PLCApp(as_login(runtime, "t1"))  # sees their teams' goals only: not offered
    async with teacher.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: isinstance(teacher.screen, GoalsScreen))
        await until(pilot, lambda: teacher.screen.query_one("#board", DataTable).row_count == 1)
        assert teacher.screen.check_action("my_teams", ()) is False


async def test_slash_finds_goals_by_words_and_escape_clears_then_leaves(
    runtime: Runtime, run_cli
) -> None:
    runtime.today = lambda: TODAY
    goals(as_login(runtime, "t1")).add(READING)  # Grade 3
    goals(as_login(runtime, "t3")).add({**READING, "team": "Grade 4", "title": "Grade 4 maths"})
    goals(as_login(runtime, "t3")).add(
        {**READING, "team": "Grade 4", "title": "Grade 4 reading fluency"}
    )
    app = PLCApp(as_login(runtime, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
        screen = app.screen
        board = screen.query_one("#board", DataTable)
        await until(pilot, lambda: board.row_count == 3)
        await pilot.press("slash", *"READING grade 4")  # any case, any order of words
        await until(pilot, lambda: board.row_count == 1)
        assert "Grade 4 reading fluency" in str(board.get_row_at(0)[1])
        summary = shown_text(screen.query_one("#board-summary", Static))
        assert "1 goal matching “READING grade 4”" in summary
        await pilot.press("enter")  # back to the board, still narrowed
        assert screen.focused is board and board.row_count == 1
        await pilot.press("escape")  # clears the search
        await until(pilot, lambda: board.row_count == 3)
        assert app.screen is screen and not screen.query_one("#goal-find").display
        await pilot.press("slash", *"science")
        await until(pilot, lambda: board.row_count == 0)
        assert "No goal has “science”" in shown_text(screen.query_one("#board-reason"))
        await pilot.press("escape", "escape")
        await until(pilot, lambda: app.screen is not screen)
        assert not isinstance(app.screen, GoalsScreen)
    listed = run_cli("goal", "list", "--find", "grade 4 reading", login="coach1").output
    assert "Grade 4 reading fluency" in listed and "maths" not in listed
    assert "Grade 3 reading" not in listed
    nothing = run_cli("goal", "list", "--find", "science", login="coach1")
    assert nothing.exit_code == 0 and nothing.output.strip() == "No goals match “science”."


async def test_a_search_with_my_teams_on_says_where_else_to_look(runtime: Runtime) -> None:
    from plc_tui import community

    runtime.today = lambda: TODAY
    goals(as_login(runtime, "t1")).add(READING)  # Grade 3
    goals(as_login(runtime, "t3")).add({**READING, "team": "Grade 4", "title": "Grade 4 maths"})
    with runtime.storage.transaction() as tx:
        community.edit_member(tx, "coach1", add_teams=["Grade 3"])
    app = PLCApp(as_login(runtime, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, GoalsScreen))
        board = app.screen.query_one("#board", DataTable)
        await until(pilot, lambda: board.row_count == 2)
        await pilot.press("t", "slash", *"maths")
        await until(pilot, lambda: board.row_count == 0)
        reason = " ".join(shown_text(app.screen.query_one("#board-reason")).split())
        assert "No goal of your teams has “maths”" in reason and "t shows every team" in reason

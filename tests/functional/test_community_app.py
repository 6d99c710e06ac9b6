"""Changing the community in the app, by keyboard at 80x24: admins and coaches."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from plc_tui import community
from plc_tui.app import PLCApp
from plc_tui.runtime import Runtime
from plc_tui.screens.community_screen import CommunityScreen
from plc_tui.screens.member_modal import MemberModal
from plc_tui.screens.team_modal import TeamModal
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.confirm_modal import ConfirmModal
from plc_tui.widgets.table_cursor import highlighted_key
from tests.conftest import burst, until


def as_login(runtime: Runtime, login: str) -> Runtime:
    runtime.login = login
    runtime.refresh_member()
    return runtime


def stored(runtime: Runtime, login: str) -> community.Member | None:
    with runtime.storage.read() as tx:
        return community.get_member(tx, login)


def footer_keys(app: PLCApp) -> set[str]:
    return {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}


async def test_an_admin_adds_a_member_typed_in_one_burst(runtime: Runtime, run_cli) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CommunityScreen)
        await pilot.press("down")  # Grade 3: the new member starts in it
        await pilot.press("a")
        assert isinstance(app.screen, MemberModal)
        # Over SSH the whole line arrives at once: each key must land where the
        # key before it left the focus.
        await burst(pilot, *"jgarcia", "tab", *"Julia Garcia", "tab", "left", "enter")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CommunityScreen))
        assert isinstance(app.screen, CommunityScreen)
        table = app.screen.query_one("#members-table", DataTable)
        await until(pilot, lambda: highlighted_key(table) == "jgarcia")
        assert highlighted_key(table) == "jgarcia"  # the new member is highlighted
    assert stored(runtime, "jgarcia") == community.Member(
        "jgarcia", "Julia Garcia", "coach", ("grade-3",)
    )
    listed = run_cli("member", "list", "--team", "Grade 3").output
    assert "jgarcia  Julia Garcia" in listed


async def test_a_refused_member_keeps_what_was_typed(runtime: Runtime) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "a")
        modal = app.screen
        await pilot.press(*"t1", "tab", *"Someone Else", "enter")
        await pilot.pause(0.2)
        assert app.screen is modal
        error = str(modal.query_one(".form-error").visual)
        assert "'t1' is already a member" in error
        assert modal.query_one("#mm-name", Input).value == "Someone Else"
        # The buttons stay on screen at 80x24, however long the list of teams.
        assert modal.query_one("#form-save").region.bottom <= 24
    assert stored(runtime, "t1").name == "Teacher t1"


async def test_removing_a_member_asks_first(runtime: Runtime) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "tab")  # to the members list
        table = app.screen.query_one("#members-table", DataTable)
        assert app.focused is table
        for _ in range(table.row_count):
            if highlighted_key(table) == "t3":
                break
            await pilot.press("down")
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        assert stored(runtime, "t3") is not None
        await pilot.press("delete", "y")
        await until(pilot, lambda: stored(runtime, "t3") is None)
        assert "t3" not in {key.value for key in table.rows}
    assert stored(runtime, "t3") is None


async def test_a_coach_adds_a_team_and_puts_people_in_it(runtime: Runtime) -> None:
    app = PLCApp(as_login(runtime, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        keys = footer_keys(app)
        assert {"add_team", "edit_member"} <= keys
        assert not {"add_member", "remove_member"} & keys
        await pilot.press("a", "delete")  # not offered: nothing happens
        assert isinstance(app.screen, CommunityScreen)
        await pilot.press("t")
        assert isinstance(app.screen, TeamModal)
        await pilot.press(*"Grade 5", "enter")
        await until(pilot, lambda: isinstance(app.screen, CommunityScreen))
        teams = app.screen.query_one("#teams-table", DataTable)
        assert "grade-5" in {key.value for key in teams.rows}
        await pilot.press("tab")
        table = app.screen.query_one("#members-table", DataTable)
        for _ in range(table.row_count):
            if highlighted_key(table) == "t3":
                break
            await pilot.press("down")
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, MemberModal)
        assert not modal.query("#mm-name")  # a coach does not rename people
        choices = modal.query_one("#mm-teams", ChoiceList)
        assert app.focused is choices
        await pilot.press("end", "space", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CommunityScreen))
    assert stored(runtime, "t3").teams == ("grade-4", "grade-5")


async def test_a_teacher_reads_the_directory_only(runtime: Runtime) -> None:
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        assert not {"add_member", "edit_member", "add_team", "remove_member"} & footer_keys(app)
        await pilot.press("a", "t", "e")
        assert isinstance(app.screen, CommunityScreen)


async def test_the_palette_finds_the_community_by_member(runtime: Runtime) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"member")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CommunityScreen))
        assert isinstance(app.screen, CommunityScreen)


async def test_editing_keys_in_a_burst_apply_in_the_order_typed(runtime: Runtime) -> None:
    """Over SSH "backspace x" arrives at once; the x must follow the deletion."""
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "a")
        login = app.screen.query_one("#mm-login", Input)
        await burst(pilot, *"abcd", "backspace", "backspace", "x", "left", "y")
        assert login.value == "abyx"
        await burst(pilot, "home", "delete", "z")
        assert login.value == "zbyx"


async def test_slash_finds_a_member_by_name_or_login(runtime: Runtime) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "slash", *"casey")
        table = app.screen.query_one("#members-table", DataTable)
        assert {key.value for key in table.rows} == {"coach1"}
        await pilot.press("enter")  # back to the list, on the one found
        assert app.focused is table
        await pilot.press("escape")  # clears the search first
        assert isinstance(app.screen, CommunityScreen)
        assert table.row_count == 5  # everyone again
        await pilot.press("escape")
        assert not isinstance(app.screen, CommunityScreen)


async def test_home_and_end_go_to_the_first_and_last_row_of_a_list(runtime: Runtime) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        table = app.screen.query_one("#members-table", DataTable)
        table.focus()
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        # In the find box they stay the box's own: the start and end of the line.
        await pilot.press("slash", *"grade")
        finder = app.screen.query_one(Input)
        assert app.screen.focused is finder
        await pilot.press("home")
        assert finder.cursor_position == 0
        await pilot.press("end")
        assert finder.cursor_position == len("grade")


async def test_finding_a_member_says_how_many_match_or_that_none_do(runtime: Runtime) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "slash", *"t2 teacher")
        title = app.screen.query_one("#community-title")
        table = app.screen.query_one("#members-table", DataTable)
        await until(pilot, lambda: "matching" in str(title.render()))
        assert table.row_count == 1
        assert "1 member matching “t2 teacher”" in str(title.render())
        await pilot.press(*"zzq")
        await until(pilot, lambda: table.row_count == 0)
        assert "No member has “t2 teacherzzq”" in str(title.render())
        await pilot.press("escape")  # clears the search: the community's line again
        await until(pilot, lambda: "matching" not in str(title.render()))
        assert "5 members" in str(title.render()) and table.row_count == 5

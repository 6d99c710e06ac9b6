"""The norms module in the app, by keyboard with Pilot at 80x24: from an empty
charter to adopted norms and a first norms check."""

from __future__ import annotations

from datetime import date

import pytest
from plc_plugins.norms.screens.charter_screen import CharterScreen
from plc_plugins.norms.screens.check_modal import CheckModal
from plc_plugins.norms.screens.check_results_screen import CheckResultsScreen
from plc_plugins.norms.screens.history_screen import HistoryScreen
from plc_plugins.norms.screens.norms_screen import NormsScreen
from plc_plugins.norms.screens.propose_modal import ProposeModal
from plc_plugins.norms.screens.starters_modal import StartersModal
from plc_plugins.norms.service import Norms
from textual.widgets import DataTable, Static

from plc_tui import community
from plc_tui.app import PLCApp
from plc_tui.runtime import Runtime
from plc_tui.widgets.confirm_modal import ConfirmModal
from plc_tui.widgets.reason_modal import ReasonModal
from tests.conftest import burst, holding_lock, shown_text, until

TODAY = date(2026, 11, 24)


def as_login(runtime: Runtime, login: str) -> Runtime:
    runtime.login = login
    runtime.refresh_member()
    return runtime


def norms(runtime: Runtime, login: str) -> Norms:
    return Norms(as_login(runtime, login).context("norms"))


@pytest.fixture
def team_of_three(runtime: Runtime) -> Runtime:
    """Grade 3 with three teachers (t1, t2, t8): enough for a check's results."""
    runtime.today = lambda: TODAY
    with runtime.storage.transaction() as tx:
        community.add_member(tx, login="t8", name="Teacher t8", role="teacher", teams=["Grade 3"])
    return runtime


def notifications(app: PLCApp) -> list[str]:
    return [n.message for n in app._notifications]


def table_rows(screen: object, selector: str) -> list[list[str]]:
    """The rows a table shows (none while its screen is still being put together)."""
    tables = screen.query(selector).results(DataTable)  # type: ignore[attr-defined]
    table = next(tables, None)
    if table is None:
        return []
    return [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]


def showing(app: PLCApp, kind: type) -> bool:
    """Whether the app shows a screen of ``kind``, mounted with its widgets."""
    return isinstance(app.screen, kind) and app.screen.is_mounted


async def test_a_team_goes_from_an_empty_charter_to_norms_and_a_first_check(
    team_of_three: Runtime,
) -> None:
    runtime = team_of_three
    app = PLCApp(as_login(runtime, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        card = shown_text(app.screen.query_one("#card-norms"))
        assert "no norms yet: propose the first, or the starters" in card
        await pilot.press("3")
        await until(pilot, lambda: showing(app, CharterScreen))
        agreed = shown_text(app.screen.query_one("#charter-agreed", Static))
        assert "No adopted norms yet" in agreed and "t proposes the starter set" in agreed
        await pilot.press("t")
        await until(pilot, lambda: showing(app, StartersModal))
        # Keep the first three of the starter set: space unchooses the rest.
        await pilot.press("down", "down", "down", *["space", "down"] * 4)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: showing(app, CharterScreen))
        await until(pilot, lambda: len(table_rows(app.screen, "#charter")) == 3)
        await until(pilot, lambda: "3 norms proposed" in " ".join(notifications(app)))
        rows = table_rows(app.screen, "#charter")
        assert [r[0] for r in rows] == ["Proposal"] * 3
        assert rows[0][1] == "We start and end our meetings on time."
        assert rows[0][2] == "new: your vote"
        # t1 agrees to the first two in the app, and objects to the third.
        await pilot.press("a")
        await until(pilot, lambda: "1/3 agree" in table_rows(app.screen, "#charter")[0][2])
        await pilot.press("down", "a")
        await until(pilot, lambda: "1/3 agree" in table_rows(app.screen, "#charter")[1][2])
        await pilot.press("down", "o")
        await until(pilot, lambda: showing(app, ReasonModal))
        await burst(pilot, *"Say what stays in the room")
        await pilot.press("enter")
        await until(pilot, lambda: showing(app, CharterScreen))
        await until(pilot, lambda: "objects" in shown_text(app.screen.query_one("#charter-text")))
        assert table_rows(app.screen, "#charter")[2][2] == "new: 1 objection"
        detail = shown_text(app.screen.query_one("#charter-text"))
        assert "Teacher t1 objects: Say what stays in the room" in detail

        # The others agree (from their own plc); the first two are adopted.
        proposals = norms(runtime, "t2").proposals("grade-3")
        for login in ("t2", "t8"):
            for proposal in proposals[:2]:
                norms(runtime, login).agree(proposal["id"])
        as_login(runtime, "t1")
        app.screen.refresh_data()
        await until(pilot, lambda: table_rows(app.screen, "#charter")[0][0] == "Time")
        rows = table_rows(app.screen, "#charter")
        assert [r[:3] for r in rows[:2]] == [
            ["Time", "We start and end our meetings on time.", "adopted"],
            ["Listening", "We listen to understand, not to reply.", "adopted"],
        ]
        title = shown_text(app.screen.query_one("#charter-title"))
        assert "Grade 3 · norms version 2 · rule: everyone agrees" in title
        agreed = shown_text(app.screen.query_one("#charter-agreed"))
        assert "Version 2 agreed by Teacher t1, Teacher t2, Teacher t8" in agreed

        # The first norms check: each rates every norm by its number, anonymously.
        await pilot.press("k")
        await until(pilot, lambda: showing(app, CheckModal))
        await pilot.press("ctrl+s")  # nothing rated yet: said, nothing sent
        await pilot.pause()
        assert "Rate every norm; 2 to go" in shown_text(app.screen.query_one(".form-error"))
        # In one burst: the ratings, then the comment (the last rating moves on to it).
        await burst(pilot, "2", "4", *"5 min late twice")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: showing(app, CharterScreen))
        assert any("your ratings are in, with no name" in m for m in notifications(app))
        await until(
            pilot, lambda: "you rated it" in shown_text(app.screen.query_one("#charter-agreed"))
        )

    for login, ratings in (("t2", {1: 3, 2: 5}), ("t8", {1: 1, 2: 4})):
        norms(runtime, login).rate("Grade 3", ratings)
    app = PLCApp(as_login(runtime, "t2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await until(pilot, lambda: showing(app, CharterScreen))
        # Everyone rated: the team closes the check at its meeting, and then sees it.
        agreed = shown_text(app.screen.query_one("#charter-agreed"))
        assert "open until 2026-12-01, 3 rated: you rated it (x closes it)." in agreed
        assert [r[2] for r in table_rows(app.screen, "#charter")[:2]] == ["adopted"] * 2
        await pilot.press("x")
        await until(pilot, lambda: showing(app, ConfirmModal))
        await pilot.press("enter")
        await until(pilot, lambda: table_rows(app.screen, "#charter")[0][2] != "adopted")
        rows = table_rows(app.screen, "#charter")
        assert [r[2] for r in rows[:2]] == ["kept 2.0/5", "kept 4.3/5"]
        await pilot.press("r")
        await until(pilot, lambda: showing(app, CheckResultsScreen))
        rows = table_rows(app.screen, "#results")
        # Lowest first: time (2.0) before listening (4.3).
        assert [r[0] for r in rows] == [
            "We start and end our meetings on time.",
            "We listen to understand, not to reply.",
        ]
        assert [r[1] for r in rows] == ["2.0", "4.3"]
        latest = shown_text(app.screen.query_one("#results-text"))
        assert "Latest check, 2026-11-24: 3 rated." in latest
        assert "• 5 min late twice" in latest  # the 5 went to the comment, not a rating


async def test_proposing_in_a_category_of_the_teams_own(runtime: Runtime) -> None:
    runtime.today = lambda: TODAY
    app = PLCApp(as_login(runtime, "t2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await until(pilot, lambda: showing(app, CharterScreen))
        await pilot.press("p")
        await until(pilot, lambda: showing(app, ProposeModal))
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = shown_text(app.screen.query_one(".form-error"))
        assert "The norm is empty" in error or "norm" in error.lower()
        await burst(pilot, *"Phones stay face down [b]unless[/b] a family calls.")
        await pilot.press("tab", "tab")  # past the categories, to the team's own
        await burst(pilot, *"Devices")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: showing(app, CharterScreen))
        await until(pilot, lambda: len(table_rows(app.screen, "#charter")) == 1)
    (proposal,) = norms(runtime, "t1").proposals("grade-3")
    assert proposal["text"] == "Phones stay face down [b]unless[/b] a family calls."
    assert proposal["category"] == "Devices"


async def test_a_coach_sees_every_team_and_cannot_agree_for_a_team(runtime: Runtime) -> None:
    runtime.today = lambda: TODAY
    pid = norms(runtime, "t1").propose("Grade 3", "We start and end on time.", "time")
    app = PLCApp(as_login(runtime, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await until(pilot, lambda: showing(app, NormsScreen))
        await until(pilot, lambda: len(table_rows(app.screen, "#teams")) == 2)
        rows = table_rows(app.screen, "#teams")
        assert rows[0][:4] == ["Grade 3", "none yet", "-", "1"]
        summary = shown_text(app.screen.query_one("#teams-summary"))
        assert summary.startswith("0 of 2 teams have adopted norms")
        await pilot.press("enter")
        await until(pilot, lambda: showing(app, CharterScreen))
        assert app.screen.check_action("agree", ()) is False  # not in the team
        assert app.screen.check_action("object", ()) is True
        assert app.screen.check_action("check", ()) is False
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("c")  # a coach may comment
        await burst(pilot, *"Could we say within five minutes?")
        await pilot.press("ctrl+s")
        await until(
            pilot, lambda: "within five" in shown_text(app.screen.query_one("#charter-text"))
        )
    assert norms(runtime, "t1").proposal(pid)["votes"] == {}
    (comment,) = norms(runtime, "t1").proposal(pid)["comments"]
    assert (comment["by"], comment["text"]) == ("coach1", "Could we say within five minutes?")


async def test_a_new_member_agrees_to_the_charter_from_the_dashboard_card(
    team_of_three: Runtime,
) -> None:
    runtime = team_of_three
    pid = norms(runtime, "t1").propose("Grade 3", "We start and end on time.", "time")
    for login in ("t1", "t2", "t8"):
        norms(runtime, login).agree(pid)
    with runtime.storage.transaction() as tx:
        community.edit_member(tx, "t3", add_teams=["grade-3"])
    app = PLCApp(as_login(runtime, "t3"))
    async with app.run_test(size=(80, 24)) as pilot:
        card = shown_text(app.screen.query_one("#card-norms"))
        assert "Grade 3: agree to the norms (version 1)" in card
        assert "Grade 3: 1 norm, version 1, agreed by 3 of 4" in card
        await pilot.press("3")  # in two teams now: first the teams, then Grade 3
        await until(pilot, lambda: showing(app, NormsScreen))
        await until(pilot, lambda: table_rows(app.screen, "#teams")[0][4] == "1")
        await pilot.press("enter")
        await until(pilot, lambda: showing(app, CharterScreen))
        agreed = shown_text(app.screen.query_one("#charter-agreed"), width=120)
        assert "not yet: Teacher t3 (press a to agree)" in agreed
        await pilot.press("a")
        await until(
            pilot, lambda: "not yet" not in shown_text(app.screen.query_one("#charter-agreed"))
        )
        await pilot.press("h")
        await until(pilot, lambda: showing(app, HistoryScreen))
        assert table_rows(app.screen, "#versions")[0][:2] == ["1", "2026-11-24"]
    assert norms(runtime, "t1").waiting_for("grade-3") == []


async def test_the_palette_opens_the_norms_check(team_of_three: Runtime) -> None:
    runtime = team_of_three
    pid = norms(runtime, "t1").propose("Grade 3", "We start and end on time.", "time")
    for login in ("t1", "t2", "t8"):
        norms(runtime, login).agree(pid)
    app = PLCApp(as_login(runtime, "t2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await burst(pilot, *"norms check")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: showing(app, CheckModal))
        await pilot.press("5", "ctrl+s")
        await until(pilot, lambda: showing(app, CharterScreen))
    (check,) = norms(runtime, "t1").check_schedule("grade-3")["checks"]
    assert check["responses"] == 1


async def test_ratings_sent_while_another_plc_holds_the_lock_wait_and_are_kept(
    team_of_three: Runtime, data_dir
) -> None:
    runtime = team_of_three
    runtime.storage.lock_timeout = 0.4
    pid = norms(runtime, "t1").propose("Grade 3", "We start and end on time.", "time")
    for login in ("t1", "t2", "t8"):
        norms(runtime, login).agree(pid)
    app = PLCApp(as_login(runtime, "t2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await until(pilot, lambda: showing(app, CharterScreen))
        await pilot.press("k")
        await until(pilot, lambda: showing(app, CheckModal))
        modal = app.screen
        await pilot.press("4")
        with holding_lock(data_dir):  # another plc, in the middle of a long commit
            await pilot.press("ctrl+s")
            await until(
                pilot, lambda: any("locked by another plc" in m for m in notifications(app))
            )
        assert app.screen is modal  # nothing lost: the rating is still chosen
        assert modal.query_one("#check-grid").value == {1: 4}
        await pilot.press("ctrl+s")
        await until(pilot, lambda: showing(app, CharterScreen))
    (check,) = norms(runtime, "t1").check_schedule("grade-3")["checks"]
    assert check["responses"] == 1

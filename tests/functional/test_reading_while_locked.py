"""Another plc holds the lock (a long commit, a backup): the app never freezes.

On the app's own thread storage refuses to wait; screens then read in a worker,
say "waiting for another plc…" in the header, and fill in once the lock is free.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from plc_plugins.smart_goals.screens.goal_detail_screen import GoalDetailScreen
from plc_plugins.smart_goals.screens.goals_screen import GoalsScreen
from plc_plugins.smart_goals.service import Goals
from textual.pilot import Pilot
from textual.widgets import DataTable

from plc_tui import community
from plc_tui.app import PLCApp
from plc_tui.errors import LockBusy
from plc_tui.plugins import PluginHost
from plc_tui.runtime import Runtime
from plc_tui.screens.community_screen import CommunityScreen
from plc_tui.screens.help_screen import HelpScreen
from plc_tui.widgets.background import WAITING
from tests.conftest import holding_lock, make_runtime

TODAY = date(2026, 11, 24)
GOAL = {
    "team": "Grade 3",
    "title": "Grade 3 reading: 62% to 80% at benchmark",
    "measurable": {"metric": "Students at benchmark", "baseline": 62, "target": 80, "unit": "%"},
    "timely": {"start": "2026-11-16", "deadline": "2027-05-20"},
}


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 5) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def another_plc(data_dir: Path, host: PluginHost, login: str) -> Runtime:
    """A second process's view of the same data directory (its own lock and cache)."""
    other = make_runtime(data_dir, host, login)
    other.today = lambda: TODAY
    return other


async def test_a_module_opened_while_locked_waits_visibly_and_keys_still_work(
    runtime: Runtime, data_dir: Path, host: PluginHost
) -> None:
    Goals(another_plc(data_dir, host, "t1").context("smart_goals")).add(GOAL)
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        with holding_lock(data_dir):
            await pilot.press("2")  # SMART goals
            assert isinstance(app.screen, GoalsScreen)
            board = app.screen.query_one("#board", DataTable)
            assert await until(pilot, lambda: app.screen.sub_title == WAITING)
            assert board.row_count == 0
            await pilot.press("question_mark")  # the app answers keys meanwhile
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, GoalsScreen)
        assert await until(pilot, lambda: board.row_count == 1)
        assert app.screen.sub_title != WAITING
        with holding_lock(data_dir):
            await pilot.press("enter")  # open the goal: read in a worker
            await pilot.pause(0.4)
            assert isinstance(app.screen, GoalsScreen)
        assert await until(pilot, lambda: isinstance(app.screen, GoalDetailScreen))
        await pilot.pause(0.2)  # let the new screen finish mounting before the app closes


async def test_a_change_by_another_plc_shows_once_the_lock_is_free(
    runtime: Runtime, data_dir: Path, host: PluginHost
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CommunityScreen)
        teams = app.screen.query_one("#teams-table", DataTable)
        assert teams.row_count == 3  # Everyone, Grade 3, Grade 4
        other = another_plc(data_dir, host, "admin1")
        with other.storage.transaction() as tx:
            community.add_team(tx, name="Grade 5")
        with holding_lock(data_dir):
            await pilot.pause(1.3)  # the change poll ran and found the lock busy
            assert teams.row_count == 3
            assert app.is_running
        assert await until(pilot, lambda: teams.row_count == 4)


async def test_reading_on_the_app_thread_never_waits_for_the_lock(
    runtime: Runtime, data_dir: Path
) -> None:
    """The guarantee the screens stand on, seen from the storage side."""
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)):
        with holding_lock(data_dir):
            started = time.monotonic()
            try:
                with runtime.storage.read():
                    pass
            except LockBusy as busy:
                assert "try again in a moment" in busy.message
            else:
                raise AssertionError("read on the app thread waited for the lock")
            assert time.monotonic() - started < 0.5
    # Outside the app (the CLI), reads wait as before.
    with runtime.storage.read():
        pass

"""Every screen and modal at 80x24 on the district demo (its longest names), as
a teacher, a coach and the admin see them; the answering screen also without
colour, in ASCII and at 60x20. Review the SVGs after `pytest --snapshot-update`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from plc_tui import identity, plugins
from plc_tui.app import PLCApp
from plc_tui.demo import COACH, TEACHER, build_demo
from plc_tui.plugins import PluginHost
from plc_tui.runtime import Runtime
from plc_tui.terminal import Terminal

TODAY = date(2026, 11, 24)
ADMIN = "admin1"


@pytest.fixture(scope="module")
def district_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home for the module: the demo members' keys are made there once."""
    return tmp_path_factory.mktemp("district-home")


@pytest.fixture(autouse=True)
def _district_keys(
    _isolated_environment: None, district_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(district_home / "data"))


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory, district_home: Path) -> Iterator[Path]:
    """The district demo, built once for the module on a fixed day."""
    folder = tmp_path_factory.mktemp("district") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(district_home / "data"))
        patch.setattr(identity, "current_full_name", lambda: "Avery Admin")
        host = PluginHost()
        plugins.set_host(host)
        runtime = Runtime(folder, host=host, login=ADMIN, create=True)
        runtime.today = lambda: TODAY
        build_demo(runtime, size="district")
        plugins.set_host(None)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def app_as(
    district: Path, host: PluginHost, login: str, terminal: Terminal | None = None
) -> PLCApp:
    runtime = Runtime(district, host=host, login=login)
    runtime.today = lambda: TODAY
    return PLCApp(runtime, terminal)


SCREENS = {
    # name: (login, keys)
    "dashboard_admin": (ADMIN, []),
    "dashboard_teacher": (TEACHER[0], []),
    "help": (ADMIN, ["question_mark"]),
    "community": (ADMIN, ["c"]),
    "plugins": (ADMIN, ["p"]),
    "surveys_for_me": (TEACHER[0], ["1"]),
    "surveys_manage": (COACH[0], ["1", "m"]),
    "survey_question": (TEACHER[0], ["1", "enter"]),
    "survey_review": (TEACHER[0], ["1", "enter", "ctrl+r"]),
    "survey_results": (COACH[0], ["1", "m", "down", "enter"]),
    "survey_builder": (COACH[0], ["1", "m", "n"]),
    "question_modal": (COACH[0], ["1", "m", "n", "focus:#b-questions", "a"]),
    "close_survey_modal": (COACH[0], ["1", "m", "x"]),
    "goals_board": (COACH[0], ["2"]),
    "goal_detail": (COACH[0], ["2", "enter"]),
    "goal_form": (COACH[0], ["2", "n"]),
    "checkin_modal": (COACH[0], ["2", "c"]),
    # The demo teacher's board (this school year's goals) ends with their team's
    # proposal.
    "objection_modal": (TEACHER[0], ["2", "ctrl+end", "o"]),
    "norms_teams": (COACH[0], ["3"]),
    "norms_charter": (TEACHER[0], ["3"]),
    "norms_check_modal": (TEACHER[0], ["3", "k"]),
    "norms_results": (TEACHER[0], ["3", "r"]),
    "norms_propose_modal": (TEACHER[0], ["3", "p"]),
    "norms_starters_modal": (TEACHER[0], ["3", "t"]),
    "norms_versions": (TEACHER[0], ["3", "h"]),
    "reflections_journal": (ADMIN, ["4"]),
    "reflection_read": (ADMIN, ["4", "enter"]),
    "reflection_editor": (ADMIN, ["4", "n", "1"]),
    "reflection_share_modal": (ADMIN, ["4", "enter", "s"]),
    "reflections_shared_with_coach": (COACH[0], ["4", "v"]),
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_at_80x24(name: str, district: Path, host: PluginHost, snap_compare) -> None:
    login, keys = SCREENS[name]
    app = app_as(district, host, login)

    async def run_before(pilot: Any) -> None:
        for key in keys:
            if key.startswith("focus:"):  # put the keyboard in a field, as tab would
                pilot.app.screen.query_one(key.removeprefix("focus:")).focus()
            else:
                await pilot.press(key)
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


@pytest.mark.parametrize(
    ("terminal", "size"),
    [
        (Terminal(colour=False), (80, 24)),
        (Terminal(unicode=False), (80, 24)),
        (Terminal(), (60, 20)),
    ],
    ids=["no_color", "ascii", "60x20"],
)
def test_answering_on_other_terminals(
    terminal: Terminal, size: tuple[int, int], district: Path, host: PluginHost, snap_compare
) -> None:
    app = app_as(district, host, TEACHER[0], terminal)
    assert snap_compare(app, press=["1", "enter"], terminal_size=size)

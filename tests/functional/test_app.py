"""The app shell driven with Pilot: dashboard, navigation, help, refresh, failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from plc_tui import community
from plc_tui.api import Card, LockBusy, Module, hookimpl
from plc_tui.app import PLCApp
from plc_tui.plugins import PluginHost
from plc_tui.runtime import Runtime
from plc_tui.screens.community_screen import CommunityScreen
from plc_tui.screens.dashboard_screen import DashboardScreen
from plc_tui.screens.help_screen import HelpScreen
from plc_tui.storage import Storage
from plc_tui.widgets.background import WAITING
from plc_tui.widgets.module_card import ModuleCard
from tests.conftest import make_runtime, module_plugin_source, seed_community, write_plugin


@pytest.fixture
def plugin_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plugins"
    write_plugin(folder, "walks", module_plugin_source())
    return folder


@pytest.fixture
def app_runtime(data_dir: Path, plugin_folder: Path) -> Runtime:
    from plc_tui import plugins

    host = PluginHost(use_entry_points=False, folders=[plugin_folder])
    plugins.set_host(host)
    return seed_community(make_runtime(data_dir, host))


def _plain(card: ModuleCard) -> str:
    from rich.console import Console

    console = Console(width=60, color_system=None)
    with console.capture() as cap:
        console.print(card.render())
    return cap.get()


async def test_dashboard_shows_member_teams_and_module_cards(app_runtime: Runtime) -> None:
    app = PLCApp(app_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert str(app.screen.query_one("#whoami", Static).render()) == (
            "Avery Admin  admin  ·  no team yet"
        )
        assert app.sub_title == "Test School"
        text = _plain(app.screen.query_one("#card-walks", ModuleCard))
        assert "1 Learning walks" in text
        assert "0 walks recorded" in text
        assert app.focused is app.screen.query_one("#card-walks")


async def test_number_key_and_enter_open_the_module_and_escape_returns(
    app_runtime: Runtime,
) -> None:
    app = PLCApp(app_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        assert str(app.screen.query_one("#walks-body", Static).render()) == (
            "Learning walks screen: 0 walks"
        )
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("enter")
        assert app.screen.query("#walks-body")
        await pilot.press("escape")
        await pilot.click("#card-walks")
        assert app.screen.query("#walks-body")


async def test_help_lists_the_keys_of_the_screen(app_runtime: Runtime) -> None:
    app = PLCApp(app_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.keys)
        assert keys["c"] == "Community"
        assert keys["p"] == "Plugins"
        # Keys that work everywhere are listed once, under "Everywhere", not per screen.
        described = {d for _, d in app.screen.keys + app.screen.widget_keys}
        assert not described & {"Focus Next", "palette", "Theme", "Quit", "Help"}
        assert all(d[:1].isupper() for d in described)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_community_screen_filters_members_by_team(app_runtime: Runtime) -> None:
    app = PLCApp(app_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CommunityScreen)
        members = app.screen.query_one("#members-table", DataTable)
        assert members.row_count == 5
        await pilot.press("down")  # Grade 3
        await pilot.pause()
        names = [str(members.get_row_at(i)[0]) for i in range(members.row_count)]
        assert names == ["Teacher t1", "Teacher t2"]


async def test_another_process_writing_refreshes_the_dashboard(
    app_runtime: Runtime, data_dir: Path
) -> None:
    app = PLCApp(app_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        other = Storage(data_dir)
        with other.transaction() as tx:
            tx.table("walks", "walks").insert({"room": "[red]12[/]"})
            tx.table("walks", "walks").insert({"room": "14"})
        app.check_for_changes()
        await pilot.pause()
        text = _plain(app.screen.query_one("#card-walks", ModuleCard))
        assert "2 walks recorded" in text
        assert "2 for you" in text


async def test_a_plugin_failing_in_the_app_is_notified_and_the_rest_keeps_working(
    data_dir: Path, plugin_folder: Path
) -> None:
    write_plugin(plugin_folder, "broken", "raise ImportError('missing dependency foo')\n")
    write_plugin(
        plugin_folder,
        "cardbug",
        "from plc_tui.api import Module, hookimpl\n"
        "def card(ctx):\n"
        "    return 1 / 0\n"
        "@hookimpl\n"
        "def register_modules(register):\n"
        "    register(Module(id='cardbug', title='Card bug', description='d',\n"
        "                    open_screen=lambda ctx: None, dashboard_card=card))\n",
    )
    from plc_tui import plugins

    host = PluginHost(use_entry_points=False, folders=[plugin_folder])
    plugins.set_host(host)
    runtime = seed_community(make_runtime(data_dir, host))
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert (
            "Plugin broken is disabled: failed to import: ImportError: missing dependency foo"
            in messages
        )
        assert any(
            "Plugin cardbug is disabled: raised in its dashboard card" in m for m in messages
        )
        await pilot.press("1")
        assert app.screen.query("#walks-body")


async def test_theme_toggles_between_dark_and_light(app_runtime: Runtime) -> None:
    app = PLCApp(app_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark


def test_dashboard_at_80x24(app_runtime: Runtime, snap_compare) -> None:
    assert snap_compare(PLCApp(app_runtime), terminal_size=(80, 24))


async def test_command_palette_offers_modules_core_screens_and_plugin_commands(
    app_runtime: Runtime,
) -> None:
    app = PLCApp(app_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {
            "Open Learning walks",
            "Community: teams and members",
            "Plugins: installed and failed",
            "Help: keys for this screen",
        } <= set(titles)
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title.startswith("Community")
        )
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, CommunityScreen)


async def test_survey_palette_command_opens_the_next_survey(runtime: Runtime) -> None:
    from datetime import date

    from plc_plugins.surveys.screens.take_screen import TakeSurveyScreen
    from plc_plugins.surveys.service import Surveys

    runtime.today = lambda: date(2026, 11, 24)
    service = Surveys(runtime.context("surveys"))
    sid = service.create(
        {"title": "Pulse", "questions": [{"id": "q1", "type": "yes_no", "text": "Useful?"}]}
    )
    service.open(sid)
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "New survey" in commands  # the admin leads
        commands["Answer my next survey"].callback()
        await pilot.pause()
        assert isinstance(app.screen, TakeSurveyScreen)
        assert app.screen.survey["title"] == "Pulse"


async def test_a_damaged_file_while_the_app_runs_is_a_notification_not_a_crash(
    app_runtime: Runtime, data_dir: Path
) -> None:
    app = PLCApp(app_runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        walks = data_dir / "walks" / "walks.json"
        walks.parent.mkdir(exist_ok=True)
        walks.write_text("{broken")
        other = Storage(data_dir)
        with other.transaction() as tx:
            tx.table("core", "teams").insert({"id": "x", "name": "X"})
        app.check_for_changes()
        await pilot.pause()
        card = _plain(app.screen.query_one("#card-walks", ModuleCard))
        assert "Unavailable: data file" in card
        await pilot.press("1")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(f"data file {walks} is damaged" in m for m in messages)
        await pilot.press("escape")
        await pilot.press("c")
        assert isinstance(app.screen, CommunityScreen)
    assert walks.read_text() == "{broken"


async def test_a_module_screen_that_reads_a_damaged_file_on_mount_does_not_crash_the_app(
    runtime: Runtime, data_dir: Path
) -> None:
    from plc_plugins.surveys.screens.surveys_screen import SurveysScreen
    from plc_plugins.surveys.service import Surveys

    Surveys(runtime.context("surveys")).create(
        {
            "title": "Pulse",
            "questions": [{"id": "q1", "type": "likert", "text": "We have time to collaborate."}],
        }
    )
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        surveys = data_dir / "surveys" / "surveys.json"
        surveys.write_text("{broken")
        await pilot.press("1")  # the surveys screen lists surveys when it mounts
        await pilot.pause()
        assert isinstance(app.screen, SurveysScreen)
        messages = [n.message for n in app._notifications]
        assert any(f"data file {surveys} is damaged" in m for m in messages)
        await pilot.press("escape", "c")  # and the app goes on
        assert isinstance(app.screen, CommunityScreen)
    assert surveys.read_text() == "{broken"


def test_the_app_uses_textual_through_its_public_api_only() -> None:
    # Errors a person can act on are reported by run_action (public) and by
    # handlers marked @reports_errors, not by overriding Textual's private methods.
    import inspect

    own = [name for name, value in vars(PLCApp).items() if inspect.isfunction(value)]
    private = [name for name in own if name.startswith("_") and not name.startswith("__")]
    overridden = [n for n in private if any(n in vars(base) for base in PLCApp.__mro__[1:])]
    assert overridden == []


async def test_the_palette_runs_what_the_screens_keys_do_by_name(runtime: Runtime) -> None:
    from plc_plugins.smart_goals.service import Goals

    from plc_tui.widgets.save_file_modal import SaveFileModal

    Goals(runtime.context("smart_goals")).add(
        {"team": "Grade 3", "title": "Reading", "specific": {"what": "Reading"}}
    )
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Export goals sheet (s)" in titles
        assert "Keys" not in titles  # Textual's key panel: help (F1) does it
        await pilot.press("ctrl+p", *"export")
        await pilot.pause(0.5)
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause(0.05)
            if isinstance(app.screen, SaveFileModal):
                break
        assert isinstance(app.screen, SaveFileModal)


async def test_f1_opens_help_inside_a_dialog_and_closes_it(runtime: Runtime) -> None:
    from plc_tui.screens.help_screen import HelpScreen
    from plc_tui.screens.member_modal import MemberModal

    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "a")
        assert isinstance(app.screen, MemberModal)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, MemberModal)


class CountedWalks:
    """A module whose dashboard card counts its reads; the first ``busy`` of them
    find another plc saving (LockBusy), as a card's ``ctx.read()`` would."""

    def __init__(self, busy: int = 0) -> None:
        self.reads = 0
        self.busy = busy

    @hookimpl
    def register_modules(self, register):
        register(
            Module(
                id="walks",
                title="Learning walks",
                description="Short visits",
                open_screen=lambda ctx: None,
                dashboard_card=self.card,
            )
        )

    def card(self, ctx):
        self.reads += 1
        if self.reads <= self.busy:
            raise LockBusy("another plc is saving; try again in a moment")
        return Card(lines=("3 walks this week",), attention=1)


async def test_the_dashboards_first_paint_has_its_cards_read_once(plc_community) -> None:
    walks = CountedWalks()
    school = plc_community(walks)
    async with school.app() as pilot:
        card = pilot.app.screen.query_one("#card-walks", ModuleCard)
        assert card.card == Card(lines=("3 walks this week",), attention=1)
        assert card.has_class("-attention")
        assert walks.reads == 1  # read as the dashboard was made, not again as it showed
        await pilot.press("c", "escape")  # back, nothing changed: the card is kept
        await pilot.pause()
        assert walks.reads == 1
        with school.runtime().storage.transaction() as tx:  # another plc changes something
            community.add_team(tx, name="Walkers")
        await pilot.press("c", "escape")  # back: read again
        await pilot.pause()
        assert walks.reads == 2


async def test_a_dashboard_that_starts_while_another_plc_saves_fills_in_after(
    plc_community,
) -> None:
    walks = CountedWalks(busy=2)  # busy as the dashboard is made and as it first shows
    school = plc_community(walks)
    async with school.app() as pilot:
        card = pilot.app.screen.query_one("#card-walks", ModuleCard)
        for _ in range(40):  # the third read, in a worker, finds the lock free
            if card.card is not None:
                break
            await pilot.pause(0.05)
        assert card.card == Card(lines=("3 walks this week",), attention=1)
        assert "3 walks this week" in _plain(card)
        assert walks.reads == 3
        assert pilot.app.screen.sub_title != WAITING

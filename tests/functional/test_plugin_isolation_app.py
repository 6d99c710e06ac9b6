"""A plugin's screen that raises (in compose, a handler, an action or a worker) is
named, disabled for this run and closed; the app and the other modules go on."""

from __future__ import annotations

from pathlib import Path

import pytest

from plc_tui.app import PLCApp
from plc_tui.plugins import PluginHost
from tests.conftest import make_runtime, seed_community, write_plugin

SOURCE = """
from textual import work
from textual.screen import Screen
from textual.widgets import Static
from plc_tui.api import Card, Module, PLCError, hookimpl


class FaultyScreen(Screen):
    BINDINGS = [("x", "explode", "Explode"), ("m", "message", "Message"),
                ("w", "background", "Background"), ("escape", "app.pop_screen", "Back")]

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx

    def compose(self):
        if "{where}" == "compose":
            raise KeyError("no such column")
        yield Static("Faulty screen", id="faulty-body")

    def on_mount(self):
        if "{where}" == "mount":
            raise ValueError("bad mount")

    def action_explode(self):
        raise ZeroDivisionError("division by zero in an action")

    def action_message(self):
        raise PLCError("that team has no goals yet; propose one first.")

    def action_background(self):
        self.slow()

    @work
    async def slow(self):
        raise RuntimeError("the background task broke")


@hookimpl
def register_modules(register):
    register(Module(id="faulty", title="Faulty", description="raises", order=5,
                    open_screen=FaultyScreen,
                    dashboard_card=lambda ctx: Card(lines=("Faulty card",))))
"""


@pytest.fixture
def app_for(data_dir: Path, tmp_path: Path):
    def make(where: str) -> PLCApp:
        folder = tmp_path / "plugins"
        write_plugin(folder, "faulty", SOURCE.replace("{where}", where))
        from plc_tui import plugins

        host = PluginHost(folders=[folder])  # the built-in modules too
        plugins.set_host(host)
        return PLCApp(seed_community(make_runtime(data_dir, host)))

    return make


def notes(app: PLCApp) -> list[str]:
    return [n.message for n in app._notifications]


async def open_faulty(pilot) -> None:
    app = pilot.app
    card = next(m for m in app.modules() if m.id == "faulty")
    app.open_module(card.id)
    for _ in range(40):
        await pilot.pause(0.05)
        if app.screen.query("#faulty-body") or any("faulty" in n for n in notes(app)):
            return


async def disabled_and_back(pilot, said: str) -> None:
    app = pilot.app
    for _ in range(40):
        await pilot.pause(0.05)
        if app.runtime.host.infos["faulty"].status == "failed":
            break
    await pilot.pause(0.2)
    assert app.runtime.host.infos["faulty"].status == "failed"
    # The first error is the one kept: what fails after it follows from it.
    assert app.runtime.host.infos["faulty"].error.startswith(f"raised in {said}")
    assert any(n.startswith(f"Plugin faulty is disabled: raised in {said}") for n in notes(app)), (
        notes(app)
    )
    assert app.screen.__class__.__name__ == "DashboardScreen"
    assert "faulty" not in [m.id for m in app.modules()]
    # The other modules still open.
    await pilot.press("1")
    await pilot.pause(0.5)
    assert app.screen.__class__.__name__ != "DashboardScreen"


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("compose", "FaultyScreen.compose: KeyError"),
        ("mount", "FaultyScreen.on_mount: ValueError: bad mount"),
    ],
)
async def test_a_screen_raising_as_it_opens_is_closed_and_its_plugin_disabled(
    app_for, where: str, said: str
) -> None:
    app = app_for(where)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_faulty(pilot)
        await disabled_and_back(pilot, said)
    assert app.return_code in (None, 0)


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("x", "FaultyScreen.action_explode: ZeroDivisionError"),
        ("w", "a background task (slow): RuntimeError: the background task broke"),
    ],
)
async def test_an_action_or_worker_raising_is_named_and_the_app_goes_on(
    app_for, key: str, said: str
) -> None:
    app = app_for("nowhere")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_faulty(pilot)
        assert app.screen.query("#faulty-body")
        await pilot.press(key)
        await disabled_and_back(pilot, said)


async def test_a_plc_error_in_a_plugin_action_is_a_message_not_a_fault(app_for) -> None:
    app = app_for("nowhere")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_faulty(pilot)
        await pilot.press("m")
        await pilot.pause(0.2)
        assert "that team has no goals yet; propose one first." in notes(app)
        assert app.runtime.host.infos["faulty"].status == "ok"
        assert app.screen.query("#faulty-body")


STYLED = """
from textual.screen import Screen
from textual.widgets import RadioButton, RadioSet
from plc_tui.api import Module, hookimpl


class {cls}Screen(Screen):
    CSS = "RadioSet {{ background: {colour}; }}"
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def __init__(self, ctx):
        super().__init__()

    def compose(self):
        yield RadioSet(RadioButton("one"), RadioButton("two"), id="{name}-radios")


@hookimpl
def register_modules(register):
    register(Module(id="{name}", title="{name}", description="styled",
                    open_screen={cls}Screen))
"""


async def test_a_plugins_css_stays_on_its_own_screens(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "plugins"
    write_plugin(folder, "red", STYLED.format(name="red", cls="Red", colour="red"))
    write_plugin(
        folder,
        "plain",
        STYLED.format(name="plain", cls="Plain", colour="").replace(
            'CSS = "RadioSet { background: ; }"', ""
        ),
    )
    from plc_tui import plugins

    host = PluginHost(use_entry_points=False, folders=[folder])
    plugins.set_host(host)
    app = PLCApp(seed_community(make_runtime(data_dir, host)))
    async with app.run_test(size=(80, 24)) as pilot:

        async def opened(module: str) -> None:
            app.open_module(module)
            for _ in range(60):
                await pilot.pause(0.05)
                if app.screen.query(f"#{module}-radios"):
                    return

        await opened("red")
        assert app.screen.query("#red-radios"), [n.message for n in app._notifications]
        red = app.screen.query_one("#red-radios").styles.background
        assert (red.r, red.g, red.b) == (255, 0, 0)
        await opened("plain")  # opened on top of the red screen
        plain = app.screen.query_one("#plain-radios").styles.background
        assert (plain.r, plain.g, plain.b) != (255, 0, 0)

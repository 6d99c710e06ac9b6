"""Shared fixtures: a fresh data directory, a plugin host, a runtime, the CLI."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from plc_tui import identity, plugins
from plc_tui.plugins import PluginHost
from plc_tui.runtime import Runtime
from plc_tui.server import confinement
from plc_tui.storage import LOCK_FILE, Storage
from plc_tui.testing import seed_community

pytest_plugins = ["plc_tui.testing.fixtures"]

ADMIN = "admin1"


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No test reads the real user's config, data or plugin folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for var in ("PLC_DB", "PLC_CONFIG", "PLC_PLUGINS_DIR", "COLUMNS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(identity, "current_login", lambda: ADMIN)
    monkeypatch.setattr(identity, "current_full_name", lambda: "Avery Admin")
    yield
    plugins.set_host(None)
    confinement.release()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def host() -> PluginHost:
    """The real plugin host (entry points: the built-in modules), process-wide."""
    host = PluginHost()
    plugins.set_host(host)
    return host


@pytest.fixture
def bare_host() -> PluginHost:
    """A host with no entry-point plugins; tests register fakes into it."""
    host = PluginHost(use_entry_points=False)
    plugins.set_host(host)
    return host


def make_runtime(data_dir: Path, host: PluginHost, login: str = ADMIN) -> Runtime:
    return Runtime(data_dir, host=host, login=login, create=True)


@pytest.fixture
def runtime(data_dir: Path, host: PluginHost) -> Runtime:
    """A community with an admin, two teams, a coach and three teachers: the one
    plc_tui.testing gives plugin authors, with every built-in module loaded."""
    return seed_community(make_runtime(data_dir, host))


@pytest.fixture
def run_cli(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `plc --db <data_dir> ARGS` as a login (default the admin)."""
    from plc_tui.cli import cli

    def run(*args: str, login: str = ADMIN, input: str | None = None, db: bool = True) -> Result:
        monkeypatch.setattr(identity, "current_login", lambda: login)
        argv = (["--db", str(data_dir)] if db else []) + list(args)
        return CliRunner().invoke(cli, argv, input=input, catch_exceptions=False, prog_name="plc")

    return run


def write_plugin(folder: Path, name: str, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(source, "utf-8")
    return path


def module_plugin_source(module_id: str = "walks", title: str = "Learning walks") -> str:
    """A small, real folder plugin: one module with a card and a screen."""
    return f'''
from textual.screen import Screen
from textual.widgets import Static
from plc_tui.api import Card, Module, Table, hookimpl


class WalksScreen(Screen):
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx

    def compose(self):
        with self.ctx.read() as tables:
            count = len(tables.table("walks"))
        yield Static(f"{title} screen: {{count}} walks", id="walks-body")


def card(ctx):
    with ctx.read() as tables:
        count = len(tables.table("walks"))
    return Card(lines=(f"{{count}} walks recorded",), attention=count)


@hookimpl
def register_tables(register):
    register(Table("walks"))


@hookimpl
def register_modules(register):
    register(Module(id="{module_id}", title="{title}", description="Short visits to classrooms",
                    open_screen=WalksScreen, dashboard_card=card))
'''


def shown_text(widget: Any, width: int = 76) -> str:
    """What a Static widget (or any widget that renders) shows, as plain text."""
    from rich.console import Console

    console = Console(width=width, color_system=None)
    shown = widget.content if hasattr(widget, "content") else widget.render()
    with console.capture() as capture:
        console.print(shown)
    return capture.get()


def open_survey_for(runtime: Runtime, definition: dict[str, Any], today: Any, login: str) -> int:
    """Create and open ``definition`` as the admin on ``today``, then sign in as
    ``login`` (who answers it); returns the survey id."""
    from plc_plugins.surveys.service import Surveys

    runtime.today = lambda: today
    service = Surveys(runtime.context("surveys"))
    sid = service.create(definition)
    service.open(sid)
    runtime.login = login
    runtime.refresh_member()
    return sid


KEY_CHARACTERS = {"space": " ", "enter": "\r", "tab": "\t"}


async def burst(pilot: Any, *keys: str) -> None:
    """Post every key at once, as a terminal driver does with bunched input (SSH)."""
    from textual import events

    for key in keys:
        character = KEY_CHARACTERS.get(key, key if len(key) == 1 else None)
        pilot.app.post_message(events.Key(key, character))
    for _ in range(20):
        await pilot.pause(0.02)


async def until(pilot: Any, done: Callable[[], Any], tries: int = 60, pause: float = 0.05) -> None:
    """Let the app run until ``done()`` is true (a worker saved, a screen closed),
    at most ``tries`` pauses; the test's own assert then says what did not happen."""
    for _ in range(tries):
        await pilot.pause(pause)
        if done():
            return


def log_with(path: Path, *texts: str, seconds: float = 10) -> str:
    """The text of a server's log once every one of ``texts`` is in it (or the
    deadline passes): ``plc serve`` writes its log from a queue listener thread, so a
    line can land just after the client has seen what it records."""
    deadline = time.monotonic() + seconds
    while True:
        log = path.read_text() if path.exists() else ""
        if all(text in log for text in texts) or time.monotonic() > deadline:
            return log
        time.sleep(0.1)


@contextlib.contextmanager
def holding_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's lock, as another plc in the middle of a commit does."""
    held = os.open(data_dir / LOCK_FILE, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(held, fcntl.LOCK_UN)
        os.close(held)


def seed_left_right(root: Path) -> Storage:
    """Two one-document tables, ``core/left`` and ``core/right``, both ``{"v": "old"}``."""
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("core", "left").insert({"v": "old"})
        tx.table("core", "right").insert({"v": "old"})
    return storage


def record_parses(monkeypatch: pytest.MonkeyPatch, table: str) -> list[Path]:
    """From now on, the paths of ``table``'s files that any Storage parses whole."""
    from plc_tui.storage.store import Storage as StorageClass

    parsed: list[Path] = []
    real = StorageClass.parse

    def parse(self: Storage, path: Path, **kw: Any) -> Any:
        if table in path.parts or path.stem == table:
            parsed.append(path)
        return real(self, path, **kw)

    monkeypatch.setattr(StorageClass, "parse", parse)
    return parsed

"""Testing helpers for plugin authors (and plc's own modules): a temporary
community with members and teams, loading only the plugins under test, with a
CLI runner and an app harness for Textual's ``Pilot``.

In a plugin's tests::

    from plc_tui.testing import make_community
    import plc_walks

    def test_walks_list(tmp_path):
        school = make_community(tmp_path, plc_walks)
        result = school.cli("walks", "list", login="t1")
        assert result.exit_code == 0

    async def test_walks_screen(tmp_path):
        school = make_community(tmp_path, plc_walks)
        async with school.app(login="t1") as pilot:
            await pilot.press("1")

With pytest, ``pytest_plugins = ["plc_tui.testing.fixtures"]`` in a
``conftest.py`` gives the ``plc_community`` fixture, which also keeps the
test away from the real user's config, data and plugins.

The community has an admin ``admin1`` (Avery Admin), a coach ``coach1``
(Casey Coach), teams "Grade 3" and "Grade 4", teachers ``t1`` and ``t2`` in
Grade 3 and ``t3`` in Grade 4 (see :data:`MEMBERS`).
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .. import community as core
from .. import identity, plugins
from ..context import Context
from ..plugins import PluginHost
from ..runtime import Runtime

TEAMS = ("Grade 3", "Grade 4")
# (login, name, role, teams)
MEMBERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("admin1", "Avery Admin", "admin", ()),
    ("coach1", "Casey Coach", "coach", ()),
    ("t1", "Teacher t1", "teacher", ("Grade 3",)),
    ("t2", "Teacher t2", "teacher", ("Grade 3",)),
    ("t3", "Teacher t3", "teacher", ("Grade 4",)),
)


@dataclass
class CliResult:
    """What a ``plc`` command did: its exit code, stdout and stderr."""

    exit_code: int
    output: str
    stderr: str


class Community:
    """A community in a temporary folder, with its plugin host."""

    def __init__(self, data_dir: Path, host: PluginHost, today: date | None = None) -> None:
        self.data_dir = data_dir
        self.host = host
        self.today = today

    def runtime(self, login: str = "admin1") -> Runtime:
        """plc signed in as ``login``, as the CLI and the app make it."""
        runtime = Runtime(self.data_dir, host=self.host, login=login)
        if self.today is not None:
            runtime.today = lambda: self.today  # type: ignore[assignment,return-value]
        return runtime

    def context(self, plugin: str, login: str = "admin1") -> Context:
        """The ``ctx`` plugin ``plugin`` gets, signed in as ``login``."""
        return self.runtime(login).context(plugin)

    def cli(self, *args: str, login: str = "admin1", input: str | None = None) -> CliResult:
        """Run ``plc ARGS`` on this community as ``login``."""
        from click.testing import CliRunner

        from ..cli import cli

        previous_host, previous_login = plugins.current_host(), identity.current_login
        plugins.set_host(self.host)
        identity.current_login = lambda: login  # type: ignore[assignment]
        try:
            result = CliRunner().invoke(
                cli,
                ["--db", str(self.data_dir), *args],
                input=input,
                catch_exceptions=False,
                prog_name="plc",  # messages name the command as a person types it
            )
        finally:
            identity.current_login = previous_login  # type: ignore[assignment]
            plugins.set_host(previous_host)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    @contextlib.asynccontextmanager
    async def app(
        self, login: str = "admin1", size: tuple[int, int] = (80, 24), *, strict: bool = True
    ) -> AsyncIterator[Any]:
        """The app as ``login`` under Textual's test driver; yields a ``Pilot``.

        plc keeps running when a plugin raises (it disables the plugin and says so);
        in a test that would hide the bug, so with ``strict`` a plugin disabled
        during the run fails the test with its reason. ``strict=False`` for a test
        that breaks a plugin on purpose."""
        from ..app import PLCApp

        before = {info.name for info in self.host.failures}
        app = PLCApp(self.runtime(login))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield pilot
        failed = [i for i in self.host.failures if i.name not in before]
        if strict and failed:
            reasons = "; ".join(f"{i.name}: {i.error}" for i in failed)
            raise AssertionError(f"a plugin was disabled while the app ran: {reasons}")


def make_community(
    folder: Path,
    *plugins_under_test: types.ModuleType | object,
    builtins: bool = False,
    members: Iterable[tuple[str, str, str, tuple[str, ...]]] = MEMBERS,
    teams: Iterable[str] = TEAMS,
    today: date | None = None,
    host: PluginHost | None = None,
) -> Community:
    """A new community in ``folder/data`` with ``teams`` and ``members``, and only
    ``plugins_under_test`` loaded (with the built-in modules too if ``builtins``).

    A plugin is a module (named by its last dotted part) or any object with hook
    implementations (named by its class, lowercased). Its tables are migrated
    as plc would migrate them. ``host`` gives a plugin host of your own instead.
    """
    host = host or PluginHost(use_entry_points=builtins)
    for plugin in plugins_under_test:
        host.register(plugin, name=_plugin_name(plugin), source="under test")
    for info in host.infos.values():
        if info.status != "ok":
            raise AssertionError(f"plugin {info.name} did not load: {info.error}")
    members = tuple(members)
    admin = next((m for m in members if m[2] == "admin"), MEMBERS[0])
    data = Path(folder) / "data"
    seed_community(Runtime(data, host=host, login=admin[0], create=True), members, teams)
    return Community(data, host, today)


def seed_community(
    runtime: Runtime,
    members: Iterable[tuple[str, str, str, tuple[str, ...]]] = MEMBERS,
    teams: Iterable[str] = TEAMS,
) -> Runtime:
    """Make "Test School" with ``teams`` and ``members`` in ``runtime``'s empty data
    folder, the first admin in ``members`` as its admin; returns ``runtime``."""
    members = tuple(members)
    admin = next((m for m in members if m[2] == "admin"), MEMBERS[0])
    with runtime.storage.transaction() as tx:
        core.init_community(tx, name="Test School", admin_login=admin[0], admin_name=admin[1])
        for team in teams:
            core.add_team(tx, name=team)
        for login, name, role, member_teams in members:
            if login != admin[0]:
                core.add_member(tx, login=login, name=name, role=role, teams=list(member_teams))
    runtime.refresh_member()
    return runtime


def _plugin_name(plugin: object) -> str:
    if isinstance(plugin, types.ModuleType):
        return plugin.__name__.rsplit(".", 1)[-1]
    return type(plugin).__name__.lower()

"""The ``plc`` command line: one entry point for the app and every scriptable action.

Run ``plc`` alone to open the app. Every subcommand has ``--help``; data
commands take ``--format json``; errors are one line on stderr with a non-zero
exit code (1 for errors, 2 for wrong usage).
"""

from __future__ import annotations

import gc
import importlib
import itertools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__, community, identity
from ..cli_helpers import echo_json, echo_plain, echo_table, format_option
from ..config import default_demo_dir
from ..errors import PLCError
from ..membership import Membership
from ..plugins import get_host
from ..runtime import Runtime
from ..sealing import KeyMissing
from ..storage import SHARING_MODES
from .state import CLIError, CliState, act_as, pass_state

if TYPE_CHECKING:
    from ..app import PLCApp


# Commands in modules of their own, imported only when named (or listed, as by
# `plc --help`): `plc survey list` needs none of the servers, backups or keys.
LAZY_COMMANDS = {
    "db": "db:db",
    "keys": "keys:keys",
    "plugin": "plugin:plugin",
    "serve": "serve:serve",
    "ssh-keys": "ssh:ssh_keys",
    "ssh-session": "ssh:ssh_session",
    "web-session": "ssh:web_session",
}


def _one_line(exc: click.UsageError) -> CLIError:
    """A usage error (an unknown option, a missing argument) as one line, like
    every other error, saying where the command's usage is; exit code 2 kept."""
    where = exc.ctx.command_path if exc.ctx is not None else "plc"
    return CLIError(f"{exc.format_message()} See `{where} --help`.", exc.exit_code)


class PlcGroup(click.Group):
    """The root group: adds plugin subcommands lazily and turns errors into one line."""

    _host_seen: object = None
    _plugin_commands: tuple[str, ...] = ()
    _command_owners: dict[str, str] = {}  # replaced whole, never changed in place

    def _add_plugin_commands(self) -> None:
        host = get_host()
        if self._host_seen is host:
            return
        # A new host (tests swap them) replaces the previous host's commands.
        for name in self._plugin_commands:
            self.commands.pop(name, None)
        before = set(self.commands)
        self._host_seen = host

        marks: list[tuple[str, set[str]]] = []

        def for_plugin(name: str) -> dict[str, Any]:
            marks.append((name, set(self.commands)))

            def get_context() -> Any:
                state = click.get_current_context().ensure_object(CliState)
                runtime = state.member_runtime()
                info = host.infos.get(name)
                if info is not None and info.status != "ok":
                    raise PLCError(f"plugin {name} is disabled: {info.error}; see `plc plugins`.")
                return runtime.context(name)

            return {"cli": self, "get_context": get_context}

        host.call("register_commands", for_plugin)
        self._plugin_commands = tuple(set(self.commands) - before)
        # Plugins are asked one after another: what appeared between one plugin's
        # turn and the next is that plugin's, so its errors can carry its name.
        marks.append(("", set(self.commands)))
        self._command_owners = {
            command: name
            for (name, seen), (_, after) in itertools.pairwise(marks)
            for command in after - seen
        }

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_plugin_commands()
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._add_plugin_commands()
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, _, name = LAZY_COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(f"{__name__}.{module}"), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PLCError as exc:
            raise CLIError(exc.message, exc.exit_code) from None
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            raise
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as exc:
            state = ctx.find_object(CliState)
            if state is not None and state.debug:
                raise
            owner = self._command_owners.get(ctx.invoked_subcommand or "")
            if owner:
                raise CLIError(
                    f"the {owner} plugin failed in `{_failed_command(exc, ctx)}`: "
                    f"{type(exc).__name__}: {exc}. This is the plugin's, not plc's: tell its "
                    "author (run again with --debug for the traceback)."
                ) from None
            raise CLIError(
                f"unexpected {type(exc).__name__}: {exc}. Run again with --debug for the "
                f"full traceback and report it."
            ) from None


@click.group(
    cls=PlcGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_option",
    metavar="PATH",
    help="Data directory (default: $PLC_DB, the config file's `db`, or your user data folder).",
)
@click.option(
    "--as",
    "as_login",
    metavar="LOGIN",
    help="Act as another member; only on a demo community.",
)
@click.option(
    "--demo",
    "use_demo",
    is_flag=True,
    help="Use the demo community `plc demo` made (so `plc --demo survey list` tries it).",
)
@click.option("--debug", is_flag=True, help="Show full tracebacks for unexpected errors.")
@click.version_option(__version__, prog_name="plc")
@click.pass_context
def cli(
    ctx: click.Context, db_option: str | None, as_login: str | None, use_demo: bool, debug: bool
) -> None:
    """plc: your professional learning community in the terminal.

    Run `plc` alone to open the app. Start with `plc demo` to explore a demo
    community (then `plc --demo ...` runs any command on it), or
    `plc init --name "Your school"` to create a real one.
    """
    state = ctx.ensure_object(CliState)
    if use_demo:
        if db_option:
            raise click.UsageError("--demo and --db name two places; give one.")
        if not default_demo_dir().exists() and ctx.invoked_subcommand != "demo":
            raise CLIError("there is no demo community yet; make one with `plc demo`.")
        db_option = str(default_demo_dir())
    state.db_option = db_option
    state.as_login = as_login
    state.debug = debug
    if ctx.invoked_subcommand is None:
        _open_app(state.member_runtime())


def _failed_command(exc: BaseException, root: click.Context) -> str:
    """The whole command that raised (`plc walks list`), from the click contexts
    on its way down."""
    import traceback

    path = f"plc {root.invoked_subcommand}"
    for frame, _line in traceback.walk_tb(exc.__traceback__):
        ctx = frame.f_locals.get("ctx")
        if isinstance(ctx, click.Context):
            path = " ".join(["plc", *ctx.command_path.split()[1:]])
    return path


def _open_app(runtime: Runtime) -> None:
    from ..server import confinement

    if not sys.stdout.isatty() or not sys.stdin.isatty():
        if confinement.current() is not None:
            raise PLCError(
                "the app needs a terminal: connect with `ssh -t plc@SERVER`, or give a "
                "command (`ssh plc@SERVER help` lists them)."
            )
        raise PLCError(
            "the app needs a terminal: over SSH connect with `ssh -t HOST plc`; "
            "in scripts use the subcommands (`plc --help`)."
        )
    app = build_app(runtime)
    app.run(mouse=app.terminal.mouse)
    if app.ended_because:
        raise PLCError(app.ended_because)
    if app.return_code:
        sys.exit(app.return_code)


def build_app(runtime: Runtime) -> PLCApp:
    """The app for ``runtime``'s member, as `plc` opens it (the start-up benchmark
    builds it here too, to run it headless)."""
    from ..app import PLCApp
    from ..terminal import detect, write_ascii

    terminal = detect()
    if terminal.problem:
        raise PLCError(terminal.problem)
    # Every member gets a key the first time they open plc, so what others share
    # with them (a reflection) can be sealed to them. A lost key is said here,
    # before the screen is taken over, with what to do.
    try:
        runtime.sealing().ensure_key()
    except KeyMissing as exc:
        click.echo(f"plc: warning: {exc.message}", err=True)
    if not terminal.unicode and sys.__stderr__ is not None:
        write_ascii(sys.__stderr__)  # the stream Textual draws on
    # What is loaded by now (plc, its plugins, Textual) lives as long as the process:
    # the collector need not walk it again on each full collection while the app
    # starts and runs, nor at exit.
    gc.freeze()
    return PLCApp(runtime, terminal)


# -- community --------------------------------------------------------------


@cli.command()
@click.option("--name", required=True, help="The community's name, e.g. the school's.")
@click.option("--admin-name", help="Your display name (default: from your account).")
@click.option(
    "--shared",
    type=click.Choice(SHARING_MODES),
    help="group: every member of the folder's group can use it, whatever their umask "
    "(a school server); all: and everyone can read it; umask: only your umask decides. "
    "Default: group if the folder is setgid and group-writable, else umask.",
)
@click.option("--group", "group_name", metavar="GROUP", help="With --shared: the folder's group.")
@click.option(
    "--service-account",
    is_flag=True,
    help="This account serves members over SSH (see `plc ssh-keys`): the folder is its "
    "alone (0700).",
)
@pass_state
def init(
    state: CliState,
    name: str,
    admin_name: str | None,
    shared: str | None,
    group_name: str | None,
    service_account: bool,
) -> None:
    """Create a community in the data directory; you become its first admin."""
    if service_account and (shared not in (None, "umask") or group_name):
        raise click.UsageError("--service-account keeps the folder private; drop --shared.")
    runtime = state.runtime(create=True)
    storage = runtime.raw_storage
    if group_name and not shared:
        shared = "group"
    gid = _group_id(group_name) if group_name else None
    sharing = storage.share(shared or storage.sharing.mode, gid)
    with runtime.storage.transaction() as tx:
        admin = community.init_community(
            tx,
            name=name,
            admin_login=runtime.login,
            admin_name=admin_name or identity.current_full_name(),
        )
    runtime.refresh_member()
    echo_plain(f"Created {name!s} in {runtime.data_dir}; you ({admin.login}) are its admin.")
    if service_account:
        os.chmod(runtime.data_dir, 0o700)
        click.echo(
            "Only this account can open it. Add members with `plc member add`, then let "
            "each in with `plc ssh-keys add LOGIN KEYFILE`."
        )
        return
    if sharing.shared:
        echo_plain(f"Shared with the group {_group_name(sharing.gid)} ({sharing.mode}).")
    else:
        click.echo(
            "Only your umask decides who else can use it; for a team on this server run "
            "`plc init --shared group --group GROUP` on a new folder."
        )
    click.echo("Next: add teams with `plc team add`, people with `plc member add`.")


def _group_id(name: str) -> int:
    import grp

    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise PLCError(
            f"there is no group {name!r} on this machine; ask an admin to create it."
        ) from None


def _group_name(gid: int | None) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name if gid is not None else "?"
    except KeyError:
        return str(gid)


@cli.command()
@format_option()
@pass_state
def whoami(state: CliState, output_format: str) -> None:
    """Show who you are signed in as, and where the data lives."""
    runtime = state.member_runtime()
    member = runtime.member
    assert member is not None
    with runtime.storage.read() as tx:
        name = community.community_name(tx)
        teams = [community.find_team(tx, t).name for t in member.teams]
    data = {
        "login": member.login,
        "name": member.name,
        "role": member.role,
        "teams": teams,
        "community": name,
        "data_dir": str(runtime.data_dir),
    }
    if output_format == "json":
        echo_json(data)
        return
    echo_plain(f"{member.name} ({member.login}), {member.role} in {name}")
    echo_plain(f"Teams: {', '.join(teams) or 'none'}")
    click.echo(f"Data: {runtime.data_dir}")


@cli.group()
def member() -> None:
    """Add, change and list the community's members."""


@member.command("add")
@click.argument("login")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=click.Choice(community.ROLES), default="teacher", show_default=True)
@click.option("--team", "teams", multiple=True, help="Team name or id; repeat for more.")
@pass_state
def member_add(state: CliState, login: str, name: str, role: str, teams: tuple[str, ...]) -> None:
    """Add LOGIN (their user name on this server) as a member."""
    runtime = state.member_runtime()
    added, team_names = Membership(runtime.storage, runtime.member).add_member(
        login, name, role, teams
    )
    where = f" in {', '.join(team_names)}" if team_names else ""
    echo_plain(f"Added {added.name} ({added.login}) as {added.role}{where}.")


@member.command("edit")
@click.argument("login")
@click.option("--name", help="New display name.")
@click.option("--role", type=click.Choice(community.ROLES), help="New role (admins only).")
@click.option("--add-team", "add_teams", multiple=True, help="Put them in this team.")
@click.option("--remove-team", "remove_teams", multiple=True, help="Take them out of this team.")
@pass_state
def member_edit(
    state: CliState,
    login: str,
    name: str | None,
    role: str | None,
    add_teams: tuple[str, ...],
    remove_teams: tuple[str, ...],
) -> None:
    """Change a member's name, role or teams."""
    runtime = state.member_runtime()
    changed, team_names = Membership(runtime.storage, runtime.member).edit_member(
        login, name=name, role=role, add_teams=add_teams, remove_teams=remove_teams
    )
    runtime.refresh_member()
    teams_text = ", ".join(team_names) or "none"
    echo_plain(f"{changed.name} ({changed.login}): {changed.role}; teams: {teams_text}.")


@member.command("remove")
@click.argument("login")
@pass_state
def member_remove(state: CliState, login: str) -> None:
    """Remove a member (their past records stay)."""
    runtime = state.member_runtime()
    removed = Membership(runtime.storage, runtime.member).remove_member(login)
    echo_plain(f"Removed {removed.name} ({removed.login}).")


@member.command("list")
@click.option("--team", help="Only this team's members.")
@format_option()
@pass_state
def member_list(state: CliState, team: str | None, output_format: str) -> None:
    """List members with their roles and teams."""
    runtime = state.member_runtime()
    with runtime.storage.read() as tx:
        team_id = community.find_team(tx, team).id if team else None
        members = community.list_members(tx, team=team_id)
        names = {t.id: t.name for t in community.list_teams(tx)}
    rows = [
        {
            "login": m.login,
            "name": m.name,
            "role": m.role,
            "teams": [names.get(t, t) for t in m.teams],
        }
        for m in members
    ]
    if output_format == "json":
        echo_json(rows)
        return
    echo_table(
        ["LOGIN", "NAME", "ROLE", "TEAMS"],
        [[r["login"], r["name"], r["role"], ", ".join(r["teams"])] for r in rows],
    )


@cli.group()
def team() -> None:
    """Add and list teams."""


@team.command("add")
@click.argument("name")
@click.option("--description", default="", help="What the team is for.")
@pass_state
def team_add(state: CliState, name: str, description: str) -> None:
    """Create a team called NAME (coaches and admins)."""
    runtime = state.member_runtime()
    added = Membership(runtime.storage, runtime.member).add_team(name, description)
    echo_plain(f"Added team {added.name} (id {added.id}).")


@team.command("list")
@format_option()
@pass_state
def team_list(state: CliState, output_format: str) -> None:
    """List teams with their member counts."""
    runtime = state.member_runtime()
    with runtime.storage.read() as tx:
        teams = community.list_teams(tx)
        members = community.list_members(tx)
    rows = [
        {
            "id": t.id,
            "name": t.name,
            "description": t.description,
            "members": sum(1 for m in members if t.id in m.teams),
        }
        for t in teams
    ]
    if output_format == "json":
        echo_json(rows)
        return
    echo_table(
        ["ID", "NAME", "MEMBERS", "DESCRIPTION"],
        [[r["id"], r["name"], r["members"], r["description"]] for r in rows],
    )


# -- demo ---------------------------------------------------------------------


@cli.command()
@click.option(
    "--size",
    type=click.Choice(["small", "district"]),
    default="small",
    show_default=True,
    help="small: one school; district: many schools and teams.",
)
@click.option("--reset", is_flag=True, help="Delete an existing demo community first.")
@click.option("--no-open", is_flag=True, help="Create the demo but do not open the app.")
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed.")
@click.option(
    "--db",
    "demo_db",
    metavar="PATH",
    help="Where to keep the demo (default: a demo folder beside your user data).",
)
@pass_state
def demo(
    state: CliState, size: str, reset: bool, no_open: bool, seed: int, demo_db: str | None
) -> None:
    """Open a realistic demo community (kept apart from your real data).

    The demo lives in your user data folder unless --db names another place.
    Try each role's view with `plc --as LOGIN demo` (see `plc --as tnguyen demo`).
    """
    from ..demo import build_demo, demo_exists, remove_demo

    chosen = demo_db or state.db_option
    path = Path(chosen).expanduser() if chosen else default_demo_dir()
    if reset and path.exists():
        remove_demo(path)
    as_login = state.as_login
    state.as_login = None
    runtime = state.runtime(data_dir=path, create=True)
    if not demo_exists(runtime):
        if size == "district":  # half a minute of silence would look like a hang
            click.echo(
                f"Building a district demo community in {path}: about half a minute...",
                err=True,
            )
        counts = build_demo(runtime, size=size, seed=seed)
        click.echo(
            f"Built a {size} demo community in {path}: "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
            + "."
        )
    if as_login:
        act_as(runtime, as_login)
    if no_open:
        where = "--demo" if path == default_demo_dir() else f"--db {path}"
        click.echo(
            f"Open it with: plc {where}   (any command works on it: plc {where} survey list)"
        )
        return
    runtime.require_member()
    _open_app(runtime)


# -- plugins --------------------------------------------------------------------


@cli.command()
@format_option()
@click.option("--traceback", "show_tb", is_flag=True, help="Show tracebacks of failed plugins.")
@click.option(
    "--verbose", "-v", is_flag=True, help="Also each plugin's load time, tables and versions."
)
@pass_state
def plugins(state: CliState, output_format: str, show_tb: bool, verbose: bool) -> None:
    """List installed plugins: name, version, source, status and hooks."""
    host = get_host().load()
    # Opening the community runs the plugins' migrations, which is what reveals a
    # plugin whose table cannot be brought up to date.
    try:
        state.runtime().storage  # noqa: B018
    except PLCError:
        pass  # no community here (yet), or one plc cannot open: plugins still listed
    # Calling the registration hooks is what reveals a plugin that raises in them.
    host.modules(), host.question_types(), host.templates()
    specs = host.table_specs()
    infos = sorted(host.infos.values(), key=lambda i: (i.source != "built-in", i.name))
    tables = {
        info.name: [f"{t.name} v{t.version}" for t in specs if t.namespace == info.name]
        for info in infos
    }
    if output_format == "json":
        rows = [i.as_dict() for i in infos]
        if verbose:
            for row, info in zip(rows, infos, strict=True):
                row["load_ms"] = round(info.load_seconds * 1000, 1)
                row["tables"] = tables[info.name]
        echo_json(rows)
        return
    if not infos:
        click.echo("No plugins installed.")
        return
    if verbose:
        for info in infos:
            echo_plain(f"{info.name} {info.version} ({info.source}): {info.status}")
            echo_plain(f"  loaded in {info.load_seconds * 1000:.0f} ms")
            echo_plain(f"  hooks: {', '.join(info.hooks) or 'none'}")
            echo_plain(f"  tables: {', '.join(tables[info.name]) or 'none'}")
            if info.status != "ok":
                echo_plain(f"  {info.error}")
    else:
        echo_table(
            ["NAME", "VERSION", "SOURCE", "STATUS", "HOOKS"],
            [[i.name, i.version, i.source, i.status, ", ".join(i.hooks)] for i in infos],
            max_cell=60,
        )
        for info in infos:
            if info.status != "ok":
                echo_plain(f"{info.name}: {info.error}")
    if show_tb:
        for info in infos:
            if info.status != "ok" and info.traceback:
                click.echo(info.traceback, err=True)


def _warn_plugin_failure(info: Any) -> None:
    # Said once per plugin and error, not on every command: `plc plugins` always
    # shows it, and the app on every start.
    from ..notices import warned_once

    if not warned_once(f"plugin:{info.name}", info.error):
        return
    click.echo(
        f"plc: warning: plugin {info.name} is disabled: {info.error} (see `plc plugins`; "
        "this is said once)",
        err=True,
    )


def main() -> None:
    # What importing plc made lives as long as the command: the collector need not
    # walk it again (build_app freezes what the app adds the same way).
    gc.freeze()
    try:
        get_host().on_failure = _warn_plugin_failure
    except PLCError as exc:  # e.g. a config file that cannot be read
        click.echo(f"plc: error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    try:
        cli(prog_name="plc")
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)

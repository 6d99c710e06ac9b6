"""``plc ssh-keys`` (who may come in) and ``plc ssh-session`` (what they get).

A service account owns the community; ``plc ssh-keys add`` writes each key into
its ``authorized_keys`` with a forced ``plc ssh-session --member LOGIN``, so the
key alone decides who the person is in plc.
"""

from __future__ import annotations

import contextlib
import os
import shlex
from collections.abc import Iterator
from pathlib import Path

import click

from .. import community
from ..cli_helpers import echo_json, echo_plain, echo_table, format_option, read_text
from ..errors import PLCError, UnknownMember
from ..runtime import Runtime
from ..sealing import KeyMissing
from ..server import confinement
from ..server.ssh_keys import (
    SshKeys,
    check_service_folder,
    default_authorized_keys,
    parse_public_key,
    write_authorized_keys,
)
from .state import CLIError, CliState, pass_state

# Options that would choose who the person is or which data they reach.
IDENTITY_OPTIONS = ("--as", "--db", "--demo", "--debug")
# Commands that make or serve communities: the service account's, not a member's.
SERVER_ONLY = ("init", "demo", "ssh-session", "web-session", "serve")

authorized_keys_option = click.option(
    "--authorized-keys",
    "authorized_keys",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The service account's authorized_keys (default: ~/.ssh/authorized_keys).",
)


@click.group("ssh-keys")
def ssh_keys() -> None:
    """Members' SSH keys for a service account (admins, run as that account).

    Each key is written into the account's authorized_keys so that
    `ssh plc@server` with it opens plc as that member and no one else.
    """


def _keys(state: CliState, *, fix: bool = False) -> tuple[SshKeys, str | None]:
    runtime = state.member_runtime()
    changed = check_service_folder(runtime.data_dir, runtime.raw_storage.sharing.mode, fix=fix)
    return SshKeys(runtime.storage, runtime.member), changed


def _sync(state: CliState, keys: SshKeys, authorized_keys: Path | None) -> str:
    path = authorized_keys or default_authorized_keys()
    count = write_authorized_keys(path, keys.all_keys(), state.runtime().data_dir)
    return f"{path} now lets in {count} key(s)."


@ssh_keys.command("add")
@click.argument("login")
@click.argument("keyfile", type=click.Path(allow_dash=True, dir_okay=False))
@authorized_keys_option
@pass_state
def ssh_keys_add(state: CliState, login: str, keyfile: str, authorized_keys: Path | None) -> None:
    """Let LOGIN in with the public key in KEYFILE (their .pub file; - for stdin)."""
    key = parse_public_key(read_text(keyfile, "the key file", max_bytes=16_384))
    keys, changed = _keys(state, fix=True)
    if changed:
        echo_plain(changed)
    doc = keys.add(login, key)
    echo_plain(f"Added {doc['fingerprint']} for {login}. {_sync(state, keys, authorized_keys)}")
    click.echo(f"They connect with: ssh {_account()}@{_host()}")


@ssh_keys.command("remove")
@click.argument("what", metavar="FINGERPRINT_OR_LOGIN")
@authorized_keys_option
@pass_state
def ssh_keys_remove(state: CliState, what: str, authorized_keys: Path | None) -> None:
    """Remove one key (by fingerprint) or every key of a login."""
    keys, _ = _keys(state)
    removed = keys.remove(what)
    names = ", ".join(f"{d['fingerprint']} ({d['login']})" for d in removed)
    echo_plain(f"Removed {names}. {_sync(state, keys, authorized_keys)}")


@ssh_keys.command("list")
@format_option()
@pass_state
def ssh_keys_list(state: CliState, output_format: str) -> None:
    """List the keys: whose, fingerprint, when added and by whom."""
    keys, _ = _keys(state)
    rows = keys.list()
    if output_format == "json":
        echo_json(rows)
        return
    if not rows:
        click.echo("No SSH keys yet; add one with `plc ssh-keys add LOGIN KEYFILE`.")
        return
    echo_table(
        ["LOGIN", "FINGERPRINT", "TYPE", "COMMENT", "ADDED", "BY"],
        [
            [
                r["login"] + ("" if r["member"] else " (not a member: shut out)"),
                r["fingerprint"],
                r["kind"],
                r["comment"],
                r["added"][:10],
                r["added_by"],
            ]
            for r in rows
        ],
        max_cell=60,
    )


@ssh_keys.command("sync")
@authorized_keys_option
@pass_state
def ssh_keys_sync(state: CliState, authorized_keys: Path | None) -> None:
    """Write authorized_keys again from the community (after a restore, or when
    members were removed)."""
    keys, _ = _keys(state)
    echo_plain(_sync(state, keys, authorized_keys))


def _account() -> str:
    from ..identity import current_login

    return current_login()


def _host() -> str:
    import socket

    # The name people know the machine by; getfqdn() often says only "localhost".
    return socket.gethostname() or "SERVER"


# -- the forced command ----------------------------------------------------------


def _served_member(state: CliState, login: str, how: str, key: str | None = None) -> Runtime:
    """The runtime of a session served to ``login`` by the service account, with the
    process confined (no files, no programs) from here on."""
    if state.as_login:
        raise click.UsageError("--as cannot be used in a served session.")
    runtime = state.runtime()
    check_service_folder(runtime.data_dir, runtime.raw_storage.sharing.mode, fix=False)
    runtime.login = login
    runtime.served_key = key
    state.member_login = login
    try:
        if runtime.reload_member() is None and key is not None and _is_member(runtime, login):
            raise PLCError("this key was removed, so it opens nothing any more; ask an admin.")
        runtime.require_member()
    except UnknownMember:
        with runtime.storage.read() as tx:
            name = community.community_name(tx)
        raise PLCError(
            f"{login} is not a member of {name} any more, so this key opens nothing; ask an admin."
        ) from None
    confinement.confine(login, how)
    return runtime


def _is_member(runtime: Runtime, login: str) -> bool:
    with runtime.storage.read() as tx:
        return community.get_member(tx, login) is not None


@click.command("ssh-session")
@click.option("--member", "login", required=True, metavar="LOGIN", help="Whose key came in.")
@click.option(
    "--key", metavar="FINGERPRINT", help="The key's fingerprint: removing it ends the session."
)
@click.pass_context
def ssh_session(ctx: click.Context, login: str, key: str | None) -> None:
    """Serve LOGIN over SSH: the forced command `plc ssh-keys` writes into
    authorized_keys. With no SSH command it opens the app; with one
    (`ssh plc@server survey list`) it runs that command as LOGIN."""
    state = ctx.ensure_object(CliState)
    args = _requested_command(os.environ.get("SSH_ORIGINAL_COMMAND", ""))
    runtime = _served_member(state, login, "SSH", key)
    if not args:
        from . import _open_app

        _open_app(runtime)
        return
    from . import cli

    with confinement.stdio_only(cli), _help_for_members(cli):
        cli.main(
            args=["--db", str(runtime.data_dir), *args],
            prog_name="plc",
            obj=state,
            standalone_mode=True,
        )


@click.command("web-session", hidden=True)
@click.option("--member", "login", required=True, metavar="LOGIN")
@click.pass_context
def web_session(ctx: click.Context, login: str) -> None:
    """The app for LOGIN in a browser: what `plc serve web` runs per connection."""
    from ..app import PLCApp
    from ..terminal import Terminal

    if "TEXTUAL_DRIVER" not in os.environ:
        raise PLCError("web-session is started by `plc serve web`, not by hand.")
    runtime = _served_member(ctx.ensure_object(CliState), login, "the web")
    with contextlib.suppress(KeyMissing):  # said where it matters, in Reflections
        runtime.sealing().ensure_key()
    # The browser's terminal (xterm.js) has colour, Unicode and a mouse.
    PLCApp(runtime, Terminal()).run()


MEMBER_HELP = """plc over SSH: `ssh plc@SERVER` opens the app as you; `ssh plc@SERVER
COMMAND ...` runs one of the commands below as you, and `ssh plc@SERVER help
COMMAND` tells more about one.

The server reads what you type as a shell would, so quote a value with spaces
twice: --team "'Grade 3'". Files stay on your computer: give input on stdin
(`--file - < goal.json`) and take output from stdout (`... > results.csv`).
"""


@contextlib.contextmanager
def _help_for_members(root: click.Group) -> Iterator[None]:
    """``--help`` in a served session shows what a member can run there."""
    hidden: list[click.Command | click.Parameter] = []
    ctx = click.Context(root)
    for name in SERVER_ONLY:
        command = root.get_command(ctx, name)  # imports a lazily loaded one
        if command is not None and not command.hidden:
            hidden.append(command)
    for param in root.params:
        if isinstance(param, click.Option) and set(param.opts) & set(IDENTITY_OPTIONS):
            if not param.hidden:
                hidden.append(param)
    for item in hidden:
        item.hidden = True  # type: ignore[union-attr]
    saved_help = root.help
    root.help = MEMBER_HELP
    try:
        yield
    finally:
        root.help = saved_help
        for item in hidden:
            item.hidden = False  # type: ignore[union-attr]


def _requested_command(command: str) -> list[str]:
    """What the person typed after ``ssh plc@server``, as plc arguments, with
    anything that would change who they are or where the data is refused."""
    try:
        args = shlex.split(command)
    except ValueError as exc:
        raise CLIError(f"cannot read the command {command!r}: {exc}.", 2) from None
    if args and args[0] in ("plc", "plc-tui"):
        args = args[1:]  # `ssh plc@server plc survey list` reads naturally too
    if args and args[0] == "help":
        # `ssh plc@server --help` is read by ssh itself, so `help [COMMAND]` it is.
        args = [*args[1:], "--help"]
    for arg in args:
        if arg == "--":
            break
        option = arg.split("=", 1)[0]
        if option in IDENTITY_OPTIONS:
            raise CLIError(
                f"{option} cannot be given over SSH: your key decides who you are, and the "
                "server decides where the data is.",
                2,
            )
    first = next((a for a in args if not a.startswith("-")), None)
    if first in SERVER_ONLY:
        raise CLIError(
            f"`plc {first}` is run on the server by its admin, not over SSH "
            "(`ssh plc@SERVER help` lists what you can run).",
            2,
        )
    return args

"""A session served to a member by the service account: no files on the server.

Over ``ssh plc@server`` (or ``plc serve``) plc runs as the service account,
which can read every member's data, their keys and its own ``authorized_keys``.
A member must get only what their role gives them in plc, so in such a session
nothing they type may name a file on the server (an export written to
``~/.ssh/authorized_keys2`` would be a way in) and no program of their choosing
may start (an editor's shell escape). Input comes on stdin and output goes to
stdout, where ``ssh`` carries it to their own computer.

The confinement is for the whole process: a session is its own process, and
code that never sees the runtime (a plugin's command opening a file) must be
held by it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import click
from click.core import ParameterSource

from ..errors import PLCError


@dataclass(frozen=True)
class Confinement:
    """The one member a served session (SSH or the web) may act as."""

    member: str
    how: str  # "SSH" or "the web": said in messages


_current: Confinement | None = None


class NotOverSsh(PLCError):
    """Something a member can do only on their own computer, not in a served session."""


def confine(member: str, how: str = "SSH") -> Confinement:
    global _current
    _current = Confinement(member, how)
    return _current


def release() -> None:
    """End the confinement (tests run several sessions in one process)."""
    global _current
    _current = None


def current() -> Confinement | None:
    return _current


def check_path(source: object, what: str = "a file") -> None:
    """Refuse a file path (anything but ``-``) in a confined session."""
    if _current is None or str(source) == "-":
        return
    raise NotOverSsh(
        f"over {_current.how}, plc cannot open files on the server ({what}: {source}); "
        "use - to read from stdin or leave out the file to write to stdout, e.g. "
        "`ssh plc@SERVER survey export 3 > results.csv`."
    )


def check_program(what: str) -> None:
    """Refuse starting a program (an editor) in a confined session."""
    if _current is None:
        return
    raise NotOverSsh(
        f"over {_current.how}, plc cannot start {what} on the server; give the text on "
        "stdin instead (see the command's --help)."
    )


class _StdioOnly(click.ParamType):
    """A file parameter that takes only ``-`` from the person (a default set by the
    command's author is theirs, not the person's, and stays allowed)."""

    def __init__(self, inner: click.ParamType) -> None:
        self.inner = inner
        self.name = inner.name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        source = ctx.get_parameter_source(param.name) if ctx and param and param.name else None
        if source not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP):
            name = param.human_readable_name if param else "a file"
            check_path(value, name)
        return self.inner.convert(value, param, ctx)


def _commands(group: click.Group, ctx: click.Context) -> Iterator[click.Command]:
    try:
        names = group.list_commands(ctx)
    except Exception:
        # A plugin's group whose commands fail to load (cli_helpers.lazy_group) has
        # none: nothing in it can run to open a file, and the others stay served.
        return
    for name in names:
        command = group.get_command(ctx, name)
        if command is None:
            continue
        yield command
        if isinstance(command, click.Group):
            yield from _commands(command, ctx)


@contextmanager
def stdio_only(root: click.Group) -> Iterator[None]:
    """Every file parameter of every command (plugins' too) takes only ``-`` while
    this lasts."""
    ctx = click.Context(root)
    changed: list[tuple[click.Parameter, click.ParamType]] = []
    for command in [root, *_commands(root, ctx)]:
        for param in command.params:
            if isinstance(param.type, (click.Path, click.File)):
                changed.append((param, param.type))
                param.type = _StdioOnly(param.type)
    try:
        yield
    finally:
        for param, original in changed:
            param.type = original

"""Helpers for ``plc`` subcommands, shared by the core and plugins (public API).

Every command that prints data takes ``--format text|json`` (:func:`format_option`);
text output goes through :func:`echo_table`, which strips control characters
from every cell so nothing a person typed can drive another person's terminal.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import PLCError, ValidationError
from .text import one_line

MAX_INPUT_BYTES = 2_000_000

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str) -> Callable[[F], F]:
    """``--format`` with ``text`` as the default (``format_option("text", "json")``)."""
    choices = choices or ("text", "json")
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


class _LazyGroup(click.Group):
    """A group whose commands are added the first time it is used (see lazy_group)."""

    def __init__(self, name: str, add_commands: Callable[[click.Group], None], **attrs: Any):
        super().__init__(name, **attrs)
        self._add_commands: Callable[[click.Group], None] | None = add_commands

    def _load(self) -> None:
        if self._add_commands is None:
            return
        try:
            self._add_commands(self)
        except BaseException:
            # Half a set of commands is none: they stay out, and the next use
            # raises the same again (and names the plugin, as any of its errors).
            self.commands.clear()
            raise
        self._add_commands = None

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load()
        return super().get_command(ctx, cmd_name)


def lazy_group(
    cli: click.Group, name: str, help: str, add_commands: Callable[[click.Group], None]
) -> click.Group:
    """Add to ``cli`` a command group ``name`` whose commands ``add_commands(group)``
    adds the first time the group is used (run, listed, or asked for ``--help``), so
    that other commands do not import the code behind yours. ``help`` is the
    group's own help text; its first sentence is what ``plc --help`` shows."""
    group = _LazyGroup(name, add_commands, help=help)
    cli.add_command(group)
    return group


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _terminal_columns() -> int | None:
    """How wide the output may be: ``COLUMNS`` if set, else the terminal's width when
    printing to one; ``None`` when piped (a script gets whole cells, or uses JSON)."""
    import os
    import shutil

    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def _fit(widths: list[int], floors: list[int], room: int) -> list[int]:
    """Column widths within ``room`` (two spaces between columns): the widest
    column gives a character at a time, none below its floor."""
    widths = list(widths)
    while sum(widths) + 2 * (len(widths) - 1) > room:
        shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def echo_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, max_cell: int = 48
) -> None:
    """Print an aligned plain-text table; cells are single-line and shortened, and
    on a terminal the widest columns are cut (with …) so each row fits its width."""
    cells = [[one_line(c, max_cell) for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    room = _terminal_columns()
    if room is not None:
        floors = [min(w, max(_width(h), 8)) for w, h in zip(widths, headers, strict=True)]
        fitted = _fit(widths, floors, room)
        if fitted != widths:
            cells = [
                [c if _width(c) <= w else one_line(c, w) for c, w in zip(row, fitted, strict=True)]
                for row in cells
            ]
            widths = fitted

    def line(values: Sequence[str]) -> str:
        parts = [v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)]
        return "  ".join(parts).rstrip()

    click.echo(line(headers))
    click.echo(line(["-" * w for w in widths]))
    for row in cells:
        click.echo(line(row))


def echo_templates(templates: Sequence[Any], output_format: str, *, max_cell: int = 60) -> None:
    """List ``Template`` objects as a table or as JSON (``id``, ``title``, ``description``)."""
    if output_format == "json":
        echo_json([{"id": t.id, "title": t.title, "description": t.description} for t in templates])
        return
    echo_table(
        ["ID", "TITLE", "DESCRIPTION"],
        [[t.id, t.title, t.description] for t in templates],
        max_cell=max_cell,
    )


def echo_plain(message: str = "") -> None:
    """Print text that may contain user input, with control characters removed."""
    from .text import strip_controls

    click.echo(strip_controls(message, multiline=True))


def read_json(source: str, what: str, *, max_bytes: int = MAX_INPUT_BYTES) -> Any:
    """JSON from a file path or ``-`` (stdin), with one-line errors for every failure.

    ``what`` names the input in messages ("the survey definition is not valid JSON").
    """
    return parse_json(read_text(source, what, max_bytes=max_bytes), what)


def read_text(source: str, what: str, *, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """UTF-8 text from a file path or ``-`` (stdin), with one-line errors.

    In a session served over SSH only ``-`` is taken (see
    :mod:`plc_tui.server.confinement`)."""
    from .server import confinement

    confinement.check_path(source, what)
    try:
        if source == "-":
            text = sys.stdin.read(max_bytes + 1)
        else:
            path = Path(source)
            if path.stat().st_size > max_bytes:
                raise ValidationError(f"{source} is larger than {max_bytes:,} bytes.")
            text = path.read_text("utf-8")
    except FileNotFoundError:
        raise PLCError(f"no such file: {source}") from None
    except IsADirectoryError:
        raise PLCError(f"{source} is a folder, not a file.") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{source} is not UTF-8 text.") from None
    except OSError as exc:
        raise PLCError(f"cannot read {source}: {exc.strerror}") from None
    if len(text) > max_bytes:
        raise ValidationError(f"{what} is larger than {max_bytes:,} bytes.")
    return text


def parse_json(text: str, what: str) -> Any:
    """JSON text, with a one-line error naming ``what`` when it is not JSON."""

    def refuse_constant(name: str) -> Any:
        raise ValidationError(
            f"{what} holds {name}, which is not a number JSON allows; write a number."
        )

    try:
        return json.loads(text, parse_constant=refuse_constant)
    except ValidationError:
        raise
    except ValueError as exc:
        raise ValidationError(f"{what} is not valid JSON: {exc}.") from None


def edit_text(start: str, *, extension: str = ".txt") -> str | None:
    """Open ``start`` in the person's ``$EDITOR`` and return what they saved
    (``None`` when they quit without saving). Refused in a session served over
    SSH, where the editor would run as the service account."""
    from .server import confinement

    confinement.check_program("an editor")
    return click.edit(start, extension=extension, require_save=True)

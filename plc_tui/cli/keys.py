"""``plc keys``: your key for private text (reflections), and its backup.

Your private key lives in your own user data folder (mode 0600); the community
keeps your public key. Lose the private key and what was sealed to you cannot be
opened: back it up with ``plc keys backup FILE`` and keep the file safe.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli_helpers import echo_json, echo_plain, format_option
from ..errors import PLCError
from ..sealing import fingerprint
from .state import CliState, pass_state


@click.group()
def keys() -> None:
    """Your key for private text (reflections): show, back up, restore, replace."""


@keys.command("show")
@format_option()
@pass_state
def keys_show(state: CliState, output_format: str) -> None:
    """Your key's fingerprint and where its private half is kept (made if missing)."""
    sealing = state.member_runtime().sealing()
    public = sealing.ensure_key()
    folder = sealing.keys.folder
    if output_format == "json":
        echo_json(
            {"login": sealing.login, "fingerprint": fingerprint(public), "folder": str(folder)}
        )
        return
    echo_plain(f"Your key: {fingerprint(public)}")
    echo_plain(f"Kept in: {folder} (only you can read it)")
    echo_plain("Back it up: plc keys backup FILE")


@keys.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def keys_backup(state: CliState, file: Path) -> None:
    """Write your private key to FILE (readable by you alone; - prints it); keep it safe."""
    from ..widgets.save_file_modal import write_file

    secret = state.member_runtime().sealing().backup()
    text = f"plc key backup: keep this file private.\n{secret}\n"
    if str(file) == "-":
        click.echo(text, nl=False)
        return
    write_file(file.absolute(), text, replace=False, private=True)
    echo_plain(f"Saved your key to {file}. Anyone with this file can read what you wrote.")


@keys.command("restore")
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
@pass_state
def keys_restore(state: CliState, file: Path) -> None:
    """Put back the key saved with `plc keys backup` (FILE, or - for stdin)."""
    try:
        text = sys.stdin.read(4096) if str(file) == "-" else file.read_text("ascii")
        lines = text.strip().splitlines()
    except FileNotFoundError:
        raise PLCError(f"no such file: {file}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PLCError(f"cannot read {file} as a plc key backup: {exc}.") from None
    public = state.member_runtime().sealing().restore(lines[-1] if lines else "")
    echo_plain(f"Your key {fingerprint(public)} is back; what was shared with you opens again.")


@keys.command("new")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@pass_state
def keys_new(state: CliState, yes: bool) -> None:
    """Start a new key after losing yours: what was sealed to the old one stays unreadable."""
    if not yes:
        click.confirm(
            "A new key cannot open what was sealed to your old one (your reflections, "
            "what was shared with you). Make a new key?",
            abort=True,
            err=True,
        )
    public = state.member_runtime().sealing().new_key()
    echo_plain(f"Your new key: {fingerprint(public)}. Back it up: plc keys backup FILE")

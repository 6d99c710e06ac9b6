"""``plc db``: check, repair, back up and restore the data directory.

Everything but ``path`` and ``check`` replaces or exposes all of the
community's data, so it takes an admin. When the member list itself is
damaged, plc cannot tell who is an admin; then the owner of the data
directory (or root) may restore it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .. import community, permissions
from ..cli_helpers import echo_json, echo_plain, format_option
from ..errors import CorruptDataError, PLCError
from ..storage import Storage
from .state import CliState, pass_state


def _admin_storage(state: CliState) -> Storage:
    """The data directory, once the person running plc is known to be an admin."""
    runtime = state.runtime()
    storage = runtime.raw_storage
    try:
        with storage.read() as tx:
            member = community.get_member(tx, runtime.login)
    except CorruptDataError as exc:
        if os.geteuid() in (0, storage.root.stat().st_uid):
            return storage
        raise PLCError(
            f"{exc.relative} is damaged, so plc cannot tell who is an admin; the owner "
            f"of {storage.root} (or root) can run `plc db restore --file {exc.relative}`."
        ) from None
    permissions.require(member, "community.admin")
    return storage


@click.group()
def db() -> None:
    """Check, repair, back up and restore the data directory."""


@db.command("path")
@pass_state
def db_path(state: CliState) -> None:
    """Print the data directory plc uses."""
    click.echo(str(state.data_dir()))


@db.command("check")
@format_option()
@pass_state
def db_check(state: CliState, output_format: str) -> None:
    """Read every data file and check the folder's permissions; exits 1 on problems."""
    storage = state.runtime().raw_storage
    removed = storage.remove_leftovers()
    problems = storage.check()
    count = len(storage.data_files())
    if output_format == "json":
        echo_json(
            {
                "files": count,
                "sharing": storage.sharing.mode,
                "problems": [
                    {"file": p.file, "problem": p.problem, "fix": p.fix} for p in problems
                ],
                "removed": removed,
            }
        )
    else:
        for rel in removed:
            click.echo(f"{rel}: removed (left over from an interrupted write)")
        for problem in problems:
            echo_plain(f"{problem.file}: {problem.problem}")
        if problems:
            hints = []
            if any(p.fix == "restore" for p in problems):
                hints.append("restore a damaged file with `plc db restore --file FILE`")
            if any(p.fix == "repair" for p in problems):
                hints.append("an admin fixes the rest with `plc db repair`")
            click.echo(f"{len(problems)} problem(s) in {count} files; " + "; ".join(hints) + ".")
        else:
            click.echo(
                f"All {count} data files in {storage.root} are readable"
                + (
                    f" and shared with the group ({storage.sharing.mode})."
                    if storage.sharing.shared
                    else "."
                )
            )
    if problems:
        sys.exit(1)


@db.command("repair")
@pass_state
def db_repair(state: CliState) -> None:
    """Fix modes, groups and left-overs (admins); says what needs root."""
    storage = _admin_storage(state)
    fixed, needs = storage.repair()
    for line in fixed:
        echo_plain(line)
    for line in needs:
        echo_plain(line)
    if needs:
        click.echo(f"{len(needs)} thing(s) need their owner or root (commands above).")
        sys.exit(1)
    click.echo("Nothing left to repair." if not fixed else f"Repaired {len(fixed)} thing(s).")


@db.command("backup")
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@pass_state
def db_backup(state: CliState, dest: Path | None) -> None:
    """Copy every data file into a new snapshot (admins), or into DEST outside the folder."""
    if dest is not None and str(dest) == "-":
        raise PLCError("a backup is a folder of files; give a folder, or nothing for a snapshot.")
    storage = _admin_storage(state)
    target = storage.backup(dest)
    click.echo(f"Backed up {len(storage.data_files())} files to {target}")
    if dest is None:
        click.echo(f"Restore it with: plc db restore {target.name}")


@db.command("restore")
@click.argument("snapshot", required=False)
@click.option(
    "--file",
    "rel",
    metavar="FILE",
    help="Restore one file (e.g. core/members.json) from its kept earlier versions.",
)
@click.option(
    "--generation", type=click.IntRange(min=1), help="With --file: which version (1 = newest)."
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def db_restore(
    state: CliState, snapshot: str | None, rel: str | None, generation: int | None, yes: bool
) -> None:
    """Restore a snapshot by name, or one file (admins); alone, list what can be restored.

    The current state is kept as a snapshot first, so a restore never loses data.
    """
    storage = _admin_storage(state)
    if rel:
        used = storage.restore_file(rel, generation)
        click.echo(f"Restored {rel} from {used.name}")
        return
    if snapshot is None:
        _list_restorable(storage)
        return
    from ..storage.snapshots import find_snapshot

    path = find_snapshot(storage, snapshot)
    if not yes and not click.confirm(f"Replace all data in {storage.root} with {path.name}?"):
        raise click.Abort()
    safety = storage.restore_snapshot(path.name)
    click.echo(f"Restored {path.name}. The data as it was is kept as snapshot {safety.name}")


def _list_restorable(storage: Storage) -> None:
    snaps = storage.snapshots()
    if not snaps:
        click.echo("No snapshots yet; make one with `plc db backup`.")
    for snap in snaps:
        click.echo(snap.name)
    for problem in storage.check():
        if problem.fix == "restore" and storage.generations_of(problem.file):
            click.echo(
                f"{problem.file}: {len(storage.generations_of(problem.file))} kept "
                f"version(s); `plc db restore --file {problem.file}`"
            )

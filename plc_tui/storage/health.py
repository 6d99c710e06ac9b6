"""``plc db check`` and ``plc db repair``: what is wrong with a data directory,
and fixing what the person running it is allowed to fix.

Checked: damaged data files, an interrupted commit, left-over temporary files
and partial backups, kept versions of tables that must keep none, and, in a
shared folder, modes and groups that would lock another member out.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CorruptDataError, StorageError
from . import files, journal, snapshots
from .files import TMP_SUFFIX

if TYPE_CHECKING:
    from .store import Storage


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the data directory, and how it is fixed."""

    file: str
    problem: str
    fix: str = "repair"  # "repair": `plc db repair` fixes it; "restore"; "root"; "none"


def _owner(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def _mode_problems(storage: Storage) -> list[tuple[Path, int, str]]:
    """``(path, wanted mode, what is wrong)`` for what would lock the group out."""
    sharing = storage.sharing
    if not sharing.shared:
        return []
    private = snapshots.snapshots_dir(storage)
    found = []
    for folder, dirnames, filenames in os.walk(storage.root):
        here = Path(folder)
        if here.parent == private:
            dirnames[:] = []  # a snapshot is private to the admin who made it
            continue
        entries = [(here, True)] + [(here / f, False) for f in filenames]
        for path, is_dir in entries:
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(st.st_mode):
                continue
            wanted = sharing.dir_mode if is_dir else sharing.file_mode
            mode = st.st_mode & 0o7777
            wrong = []
            if mode & wanted != wanted:
                wrong.append(f"mode {mode:04o}, needs {wanted:04o}")
            if sharing.gid is not None and st.st_gid != sharing.gid:
                wrong.append(f"group {st.st_gid}, not the folder's group {sharing.gid}")
            if wrong:
                found.append((path, wanted, "; ".join(wrong) + f" (owner {_owner(st.st_uid)})"))
    return found


def check(storage: Storage) -> list[Problem]:
    problems: list[Problem] = []
    root = storage.root
    with storage.locked(exclusive=False):
        if journal.pending(root):
            problems.append(
                Problem(journal.JOURNAL_FILE, "an interrupted commit; the next write completes it")
            )
        for path in storage.data_files():
            try:
                storage.parse(path)
            except CorruptDataError as exc:
                problems.append(Problem(storage.relative(path), exc.detail, "restore"))
            except StorageError as exc:
                problems.append(Problem(storage.relative(path), exc.message, "none"))
        for tmp in root.rglob(f"*{TMP_SUFFIX}"):
            problems.append(Problem(storage.relative(tmp), "left over from an interrupted write"))
        for part in snapshots.partial_snapshots(storage):
            problems.append(Problem(storage.relative(part), "an interrupted backup"))
        for kept in _versions_kept_against_rules(storage):
            problems.append(
                Problem(
                    storage.relative(kept),
                    "an earlier version of a table that must keep none (anonymity)",
                )
            )
        for path, _wanted, wrong in _mode_problems(storage):
            problems.append(Problem(_rel(storage, path), wrong))
    return problems


def _versions_kept_against_rules(storage: Storage) -> list[Path]:
    """Kept versions of tables whose rule on disk says to keep none."""
    gens = storage.generations_dir()
    if not gens.is_dir():
        return []
    rules = storage.rules()
    found = []
    for kept in sorted(gens.rglob("*.json.*")):
        rel = kept.relative_to(gens).as_posix().rsplit(".", 1)[0]
        if storage.is_data_path(rel) and not storage.keeps_history(rel, rules):
            found.append(kept)
    return found


def _rel(storage: Storage, path: Path) -> str:
    return "." if path == storage.root else storage.relative(path)


def remove_leftovers(storage: Storage) -> list[str]:
    """Finish an interrupted commit, then delete temporary files nothing needs.

    Under the exclusive lock no writer is running, so every temporary file
    not named by a journal is left over from a writer that was killed.
    """
    removed = []
    with storage.locked(exclusive=True):
        storage.recover()
        for tmp in storage.root.rglob(f"*{TMP_SUFFIX}"):
            with contextlib.suppress(StorageError):
                files.remove(tmp)
                removed.append(storage.relative(tmp))
        for part in snapshots.partial_snapshots(storage):
            files.remove_tree(part)
            removed.append(storage.relative(part))
    return removed


def repair(storage: Storage) -> tuple[list[str], list[str]]:
    """Fix what can be fixed; returns ``(fixed, what needs root or another person)``."""
    fixed = [f"{rel}: removed (left over)" for rel in remove_leftovers(storage)]
    needs: list[str] = []
    with storage.locked(exclusive=True):
        for kept in _versions_kept_against_rules(storage):
            files.remove(kept)
            fixed.append(f"{storage.relative(kept)}: removed (anonymous table)")
        for path, wanted, wrong in _mode_problems(storage):
            st = os.lstat(path)
            try:
                if storage.sharing.gid is not None and st.st_gid != storage.sharing.gid:
                    os.chown(path, -1, storage.sharing.gid)
                os.chmod(path, (st.st_mode & 0o7777) | wanted)
                fixed.append(f"{_rel(storage, path)}: {wrong} -> fixed")
            except PermissionError:
                needs.append(
                    f"{_rel(storage, path)}: {wrong}; only its owner or root can change it: "
                    f"sudo chgrp {storage.sharing.gid} '{path}' && "
                    f"sudo chmod {wanted:o} '{path}'"
                )
    return fixed, needs

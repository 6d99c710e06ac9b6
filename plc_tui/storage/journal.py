"""The journal of a commit that touches several files.

Before the first rename, ``.plc.journal`` names every temporary file and the
file it becomes, and every file the commit deletes; only then is anything
renamed. A process killed part-way leaves the journal, and the next process
to take the lock completes the commit (:func:`roll_forward`). The journal is
written only once every temporary file is on disk, so it never names one a
power cut could lose.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import StorageError
from . import files
from .files import Sharing

JOURNAL_FILE = ".plc.journal"


def write(root: Path, sharing: Sharing, renames: list[tuple[str, str]], deletes: list[str]) -> None:
    for folder in {(root / tmp).parent for tmp, _ in renames}:
        files.fsync_dir(folder)
    payload = json.dumps({"renames": renames, "deletes": deletes}).encode()
    tmp = files.write_temp(root / JOURNAL_FILE, payload, sharing)
    files.replace(tmp, root / JOURNAL_FILE)
    files.fsync_dir(root)


def pending(root: Path) -> bool:
    return (root / JOURNAL_FILE).exists()


def roll_forward(root: Path) -> list[str]:
    """Complete an interrupted commit; returns the files it changed (relative)."""
    path = root / JOURNAL_FILE
    try:
        raw = json.loads(files.read_bytes(path))
        renames = [(str(t), str(f)) for t, f in raw["renames"]]
        deletes = [str(d) for d in raw.get("deletes", [])]
    except FileNotFoundError:
        return []
    except (ValueError, KeyError, TypeError):
        # A journal that was not complete: its commit had not started renaming.
        renames, deletes = [], []
    return apply(root, renames, deletes)


def apply(root: Path, renames: list[tuple[str, str]], deletes: list[str]) -> list[str]:
    """Carry out a journalled commit, then remove the journal."""
    changed = []
    try:
        for tmp_rel, final_rel in renames:
            tmp = root / tmp_rel
            if tmp.exists():
                files.replace(tmp, root / final_rel, changed=True)
            changed.append(final_rel)
        for rel in deletes:
            files.remove(root / rel, changed=True)
            changed.append(rel)
        for folder in {(root / rel).parent for rel in changed}:
            files.fsync_dir(folder, changed=True)
        files.remove(root / JOURNAL_FILE, changed=True)
        files.fsync_dir(root, changed=True)
    except StorageError as exc:
        raise StorageError(
            f"an interrupted commit in {root} cannot be completed yet: {exc.message}"
        ) from None
    return changed

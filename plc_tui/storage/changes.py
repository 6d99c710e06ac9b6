"""The commit counter: every commit advances it, so a cache or an open screen
knows from one small read whether, and where, anything changed.

``.plc.changes`` holds ``{"counter": N, "recent": [[n, [files]], ...]}`` with the
files of the last commits. A process whose cache is a few commits behind drops
just those files; one further behind drops everything. The counter is
advanced *before* a commit's files are renamed into place, so a crash can only
make others re-read a file needlessly, never miss a change. It holds no
process id, login or time: someone reading it learns that a file changed, as
they could from the file itself.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import files
from .files import Sharing
from .summaries import signature

STAMP_FILE = ".plc.changes"
KEEP = 64
EVERYTHING = "*"
MANY = 256  # files in one commit beyond which it is recorded as EVERYTHING


_last: dict[Path, tuple[tuple[int, ...], tuple[int, list[tuple[int, list[str]]]]]] = {}


def read(root: Path) -> tuple[int, list[tuple[int, list[str]]]]:
    """``(counter, recent commits)``; ``(0, [])`` before the first commit.

    Every read view reads it: while the file is the one read last time (it is
    replaced, never written in place, so a commit always gives it a new
    signature) the last reading is used, not parsed again.
    """
    path = root / STAMP_FILE
    sig = signature(path)
    known = _last.get(path)
    if sig and known is not None and known[0] == sig:
        return known[1]
    found = _read(path)
    if sig:
        _last[path] = (sig, found)
    return found


def _read(path: Path) -> tuple[int, list[tuple[int, list[str]]]]:
    try:
        raw = json.loads(files.read_bytes(path))
        counter = int(raw["counter"])
        recent = [(int(n), [str(f) for f in changed]) for n, changed in raw["recent"]]
    except FileNotFoundError:
        return 0, []
    except (ValueError, KeyError, TypeError):
        # A stamp from an older plc, or damaged: count it as "everything changed".
        return -1, []
    return counter, recent


def advance(root: Path, sharing: Sharing, changed: list[str]) -> int:
    """Record one commit that changes ``changed`` (relative paths); returns the new counter."""
    counter, recent = read(root)
    counter = max(counter, 0) + 1
    if len(changed) > MANY:
        # A commit this large (a demo built, a whole community imported) is
        # recorded as "everything": every reader drops its cache once, and the
        # file every read view reads stays small.
        changed = [EVERYTHING]
    recent = [*recent, (counter, sorted(changed))][-KEEP:]
    payload = json.dumps({"counter": counter, "recent": recent}).encode()
    # Not fsynced: after a power cut every cache is gone anyway.
    tmp = files.write_temp(root / STAMP_FILE, payload, sharing, sync=False)
    files.replace(tmp, root / STAMP_FILE)
    return counter


def changed_since(seen: int, counter: int, recent: list[tuple[int, list[str]]]) -> list[str] | None:
    """The files changed after commit ``seen``, or ``None`` when that is not known."""
    if seen == counter:
        return []
    if seen < 0 or counter < seen:
        return None
    wanted = range(seen + 1, counter + 1)
    found = {n: changed for n, changed in recent if n in wanted}
    if len(found) != len(wanted):
        return None
    out = sorted({f for changed in found.values() for f in changed})
    return None if EVERYTHING in out else out

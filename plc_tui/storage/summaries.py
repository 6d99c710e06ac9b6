"""Small values derived from a data file, kept beside it so a listing need not read it.

A survey's answers can run to thousands of documents, but a list of surveys
needs only how many there are. A *summary* is such a value: a plugin names it
and gives the function that computes it from the file's documents, and plc
keeps the result in ``.plc.cache/<namespace>/<table>/<partition>.json`` together
with the signature (inode, size, times) of the data file it was computed from.

The data file stays the only truth. A summary whose signature no longer matches
the file is computed again from the file, so a crash between a commit and its
summary, a restore or a repair can make plc read a file once more, never give a
wrong value. Writing one is best effort (no fsync, no lock: the rename is atomic
and any writer's value is right for the signature it names), and a reader with
no write permission just computes it each time.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import StorageError
from . import files
from .files import Sharing

CACHE_DIR = ".plc.cache"
PARTS = ("", "spans")  # a data file's cache files: its summaries, its documents' spans

Compute = Callable[[Mapping[str, Mapping[str, Any]]], Any]


def signature(path: Path) -> tuple[int, ...]:
    """What changes whenever the file is replaced or written: ``()`` when it is missing."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return ()
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def cache_path(root: Path, rel: str, part: str = "") -> Path:
    """The cache file of the data file ``rel``; a ``part`` (``"spans"``) is a file of
    its own beside it, read without the others (data file names hold no dot)."""
    if part:
        rel = f"{rel.removesuffix('.json')}.{part}.json"
    return root / CACHE_DIR / rel


def load(
    root: Path,
    rel: str,
    sig: tuple[int, ...],
    unchanged_since: Callable[[int, str], bool],
    part: str = "",
) -> dict[str, Any]:
    """The summaries kept for ``rel`` if they were computed from the file as it is now:
    its signature is the same, and the commit counter knows of no change since
    (``unchanged_since(counter, rel)``; signatures alone can repeat)."""
    try:
        raw = json.loads(files.read_bytes(cache_path(root, rel, part)))
    except (FileNotFoundError, StorageError, ValueError):
        return {}
    if not isinstance(raw, dict) or not isinstance(raw.get("sig"), list) or not sig:
        return {}
    if tuple(raw["sig"]) != sig:
        return {}
    counter, values = raw.get("counter"), raw.get("values")
    if not isinstance(counter, int) or not isinstance(values, dict):
        return {}
    return values if unchanged_since(counter, rel) else {}


def save(
    root: Path,
    sharing: Sharing,
    rel: str,
    sig: tuple[int, ...],
    counter: int,
    values: dict[str, Any],
    part: str = "",
) -> None:
    """Keep ``values`` for the file with signature ``sig`` as of commit ``counter``;
    failures are ignored."""
    if not sig:
        return
    path = cache_path(root, rel, part)
    with contextlib.suppress(StorageError, OSError, ValueError, TypeError):
        files.make_dirs(path.parent, root, sharing)
        payload = files.dumps({"sig": list(sig), "counter": counter, "values": values})
        tmp = files.write_temp(path, payload, sharing, sync=False)
        try:
            files.replace(tmp, path)
        except StorageError:
            files.remove(tmp)
            raise


def merged(kept: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``kept`` with ``new`` added, leaving out other versions of a new key.

    A key ending in ``-N`` names version N of a summary ("outlines-3"): a plugin
    that changes what a summary holds changes N, and saving the new version drops
    the old, which would otherwise be read with every load of the file's
    summaries until the data file next changed (a closed survey's, never).
    """
    stems = {_stem(key) for key in new}
    out = {key: value for key, value in kept.items() if _stem(key) not in stems}
    out.update(new)
    return out


def _stem(key: str) -> str:
    stem, dash, version = key.rpartition("-")
    return stem if dash and version.isdigit() else key


def forget(root: Path, rel: str) -> None:
    for part in PARTS:
        with contextlib.suppress(StorageError):
            files.remove(cache_path(root, rel, part))

"""Backups of a whole data directory, and putting data back.

A snapshot is a folder under ``backups/snapshots/`` written as
``<name>.partial`` and renamed only once every file and its manifest
(``snapshot.json``: each file's SHA-256) are on disk, so an interrupted backup
is never listed as restorable. Snapshots are private to the admin who made
them (folders ``0700``, files ``0600``): two snapshots side by side would show
which anonymous answer arrived with which participant.

Restoring replaces every data file through the commit journal, so a restore
killed part-way is completed by the next process, never left half done; the
data as it was is kept as a snapshot first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CorruptDataError, StorageError
from . import changes, files, journal

if TYPE_CHECKING:
    from .store import Storage

MANIFEST = "snapshot.json"
PARTIAL = ".partial"
_SNAPSHOT_NAME = re.compile(r"^[0-9]{8}T[0-9]{12}Z(-before-restore)?$")


def snapshots_dir(storage: Storage) -> Path:
    return storage.root / "backups" / "snapshots"


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _write_snapshot(storage: Storage, target: Path) -> Path:
    """Copy every data file into ``target`` (must not exist); caller holds a lock."""
    partial = target.with_name(target.name + PARTIAL)
    files.make_dirs(partial.parent, storage.root, storage.sharing)
    with contextlib.suppress(FileExistsError):
        partial.mkdir(mode=0o700)
    files.set_mode(partial, 0o700, storage.sharing)
    manifest: dict[str, str] = {}
    try:
        for path in storage.data_files():
            rel = storage.relative(path)
            payload = files.read_bytes(path)
            storage.decode(payload, path)  # never back up a damaged file as if it were good
            out = partial / rel
            files.make_dirs(out.parent, partial, storage.sharing, private=True)
            tmp = files.write_temp(out, payload, storage.sharing, mode=0o600)
            files.replace(tmp, out)
            manifest[rel] = hashlib.sha256(payload).hexdigest()
        body = json.dumps({"format": 1, "created": _stamp(), "files": manifest}, indent=1)
        tmp = files.write_temp(partial / MANIFEST, body.encode(), storage.sharing, mode=0o600)
        files.replace(tmp, partial / MANIFEST)
        files.fsync_dir(partial)
        files.replace(partial, target)
        files.fsync_dir(target.parent)
    except BaseException:
        files.remove_tree(partial)
        raise
    return target


def backup(storage: Storage, dest: Path | None = None) -> Path:
    """A new complete snapshot (or a copy in ``dest``, outside the data directory)."""
    if dest is None:
        target = snapshots_dir(storage) / _stamp()
    else:
        target = Path(dest).expanduser().absolute()
        if storage.root.resolve() in (target.resolve(), *target.resolve().parents):
            raise StorageError(
                f"{target} is inside the data directory, where it would be taken for data; "
                f"choose a place outside it, or leave DEST out for backups/snapshots."
            )
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise StorageError(f"{target} already exists and is not empty; choose another place.")
        with contextlib.suppress(OSError):
            target.rmdir()
    with storage.locked(exclusive=True):
        storage.recover()  # never back up half of an interrupted commit
        return _write_snapshot(storage, target)


def snapshots(storage: Storage) -> list[Path]:
    """Complete snapshots, oldest first."""
    folder = snapshots_dir(storage)
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if _SNAPSHOT_NAME.match(p.name) and p.is_dir() and (p / MANIFEST).is_file()
    )


def partial_snapshots(storage: Storage) -> list[Path]:
    folder = snapshots_dir(storage)
    return sorted(folder.glob(f"*{PARTIAL}")) if folder.is_dir() else []


def find_snapshot(storage: Storage, name: str) -> Path:
    """A snapshot by the name `plc db restore` lists; nothing else is accepted."""
    for snap in snapshots(storage):
        if snap.name == name:
            return snap
    listed = ", ".join(p.name for p in snapshots(storage)[-3:]) or "none yet"
    raise StorageError(
        f"no snapshot called {name!r}; restore takes a name that `plc db restore` lists "
        f"(latest: {listed})."
    )


def _verified_files(storage: Storage, snap: Path) -> dict[str, bytes]:
    try:
        manifest = json.loads(files.read_bytes(snap / MANIFEST))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise StorageError(
            f"snapshot {snap.name} has no readable manifest; choose another."
        ) from None
    out = {}
    for rel, digest in manifest.items():
        if not storage.is_data_path(rel):
            raise StorageError(f"snapshot {snap.name} names {rel!r}, which is not a data file.")
        try:
            payload = files.read_bytes(snap / rel)
        except FileNotFoundError:
            raise StorageError(f"snapshot {snap.name} is missing {rel}; choose another.") from None
        if hashlib.sha256(payload).hexdigest() != digest:
            raise StorageError(f"snapshot {snap.name} has a changed copy of {rel}; choose another.")
        storage.decode(payload, snap / rel)
        out[rel] = payload
    return out


def _holds_a_community(payloads: dict[str, bytes]) -> bool:
    def docs(rel: str) -> list[dict[str, Any]]:
        raw = payloads.get(rel)
        return list(json.loads(raw).get("_default", {}).values()) if raw else []

    admins = [m for m in docs("core/members.json") if m.get("role") == "admin"]
    return bool(docs("core/community.json")) and bool(admins)


def restore_snapshot(storage: Storage, name: str) -> Path:
    """Replace all data with the snapshot ``name``; returns the safety copy of before."""
    snap = find_snapshot(storage, name)
    payloads = _verified_files(storage, snap)
    if not _holds_a_community(payloads):
        raise StorageError(
            f"snapshot {name} holds no community with an admin; nothing was changed. "
            f"Choose another with `plc db restore`."
        )
    root = storage.root
    with storage.locked(exclusive=True):
        storage.recover()
        safety = _write_snapshot(storage, snapshots_dir(storage) / f"{_stamp()}-before-restore")
        temps: list[tuple[str, str]] = []
        try:
            for rel, payload in payloads.items():
                final = root / rel
                files.make_dirs(final.parent, root, storage.sharing)
                tmp = files.write_temp(final, payload, storage.sharing)
                temps.append((storage.relative(tmp), rel))
            deletes = [
                storage.relative(p)
                for p in storage.data_files()
                if storage.relative(p) not in payloads
            ]
            changes.advance(root, storage.sharing, [changes.EVERYTHING])
            journal.write(root, storage.sharing, temps, deletes)
        except BaseException:
            for tmp_rel, _ in temps:
                with contextlib.suppress(StorageError):
                    files.remove(root / tmp_rel)
            raise
        journal.apply(root, temps, deletes)
        storage.forget_all()
    return safety


def restore_file(storage: Storage, rel: str, generation: int | None = None) -> Path:
    """Put back a kept version of one data file; returns the version used.

    Without ``generation``: the newest readable version when the file is damaged
    or missing, else the newest version that differs from it (an undo).
    """
    if not storage.is_data_path(rel):
        raise StorageError(
            f"{rel} is not a data file; name one as `plc db check` lists it, "
            f"e.g. core/members.json."
        )
    if not storage.keeps_history(rel):
        raise StorageError(
            f"{rel} keeps no earlier versions: its table is stored without history so that "
            f"no one can tell whose answer arrived when. Restore a whole snapshot instead."
        )
    target = storage.root / rel
    try:
        current: bytes | None = files.read_bytes(target)
        storage.decode(current, target)
        damaged = False
    except (FileNotFoundError, CorruptDataError):
        current, damaged = None, True
    candidates = storage.generations_of(rel)
    if generation is not None:
        candidates = [c for c in candidates if c.name.endswith(f".{generation}")]
        if not candidates:
            raise StorageError(f"no version {generation} of {rel} is kept; see `plc db restore`.")
    chosen: tuple[Path, bytes] | None = None
    for candidate in candidates:
        try:
            payload = files.read_bytes(candidate)
            storage.decode(payload, candidate)
        except (CorruptDataError, FileNotFoundError):
            continue
        if generation is None and not damaged and payload == current:
            continue
        chosen = (candidate, payload)
        break
    if chosen is None:
        raise StorageError(
            f"no good earlier copy of {rel} is kept; restore a whole backup with "
            f"`plc db restore SNAPSHOT` (list them with `plc db restore`)."
        )
    candidate, payload = chosen
    with storage.locked(exclusive=True):
        storage.recover()
        if damaged and target.exists():
            files.copy_file(target, target.with_name(f"{target.name}.damaged-{_stamp()}"))
        files.make_dirs(target.parent, storage.root, storage.sharing)
        tmp = files.write_temp(target, payload, storage.sharing)
        changes.advance(storage.root, storage.sharing, [rel])
        files.replace(tmp, target)
        storage.forget_all()
        with contextlib.suppress(StorageError):
            storage.keep_generation(rel, payload)
    return candidate

"""TinyDB behind a locked, atomic, multi-process storage layer.

Layout of a data directory (one TinyDB JSON file per collection, or per
partition of a collection, so one write never rewrites unrelated data)::

    <data>/
      .plc.lock                    inter-process lock (flock)
      .plc.changes                 change stamp: bumped by every commit
      .plc.journal                 only while a multi-file commit is under way
      core/members.json            core collections
      core/teams.json
      <plugin>/<table>.json        a plugin's table
      <plugin>/<table>/<part>.json a partitioned table (e.g. one file per survey)
      backups/generations/...      the last N versions of every file (hard links)
      backups/snapshots/<stamp>/   full copies made by `plc db backup`

Every read-modify-write runs inside :meth:`Storage.transaction`: an exclusive
``flock`` on ``.plc.lock``, TinyDB tables served from memory, and on success
each changed file written to a temporary file, fsynced and renamed over the old
one. A commit that touches several files first writes a journal naming the
renames, so a crash part-way is rolled forward by the next process. Reads take
a shared lock and re-read a file only when its inode, size or mtime changed.

A file that cannot be parsed raises :class:`CorruptDataError` and is never
written over.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage as _TinyStorage
from tinydb.table import Table

from .errors import CorruptDataError, DatabaseLocked, SchemaTooNew, StorageError

LOCK_FILE = ".plc.lock"
STAMP_FILE = ".plc.changes"
JOURNAL_FILE = ".plc.journal"
TMP_SUFFIX = ".plc-tmp"
BACKUPS_DIR = "backups"
SCHEMA_TABLE = ("core", "schema")

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_PARTITION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
_DEFAULT_TABLE = TinyDB.default_table_name


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_NEW_FILE_MODE = 0o666 & ~_current_umask()


def check_name(kind: str, value: str) -> str:
    if not _NAME.match(value):
        raise ValueError(
            f"{kind} name {value!r} is not allowed: use lowercase letters, digits and _"
        )
    return value


def check_partition(value: str) -> str:
    if not _PARTITION.match(value):
        raise ValueError(f"partition {value!r} is not allowed: use letters, digits, _ and -")
    return value


@dataclass(frozen=True)
class TableSpec:
    """A collection declared by the core or a plugin (see ``register_tables``)."""

    namespace: str
    name: str
    version: int = 1
    migrations: dict[int, Any] = field(default_factory=dict)
    partitioned: bool = False
    history: bool = True

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass
class _Cached:
    signature: tuple[int, int, int]
    data: dict[str, dict[str, Any]]


def _signature(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _TxStorage(_TinyStorage):
    """A TinyDB storage that reads from, and stages writes into, a transaction."""

    def __init__(self, tx: Transaction, path: Path) -> None:
        self._tx = tx
        self._path = path

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self._tx._load(self._path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._tx._stage(self._path, data)


class Transaction:
    """A view of the data directory under the lock; made by :class:`Storage`."""

    def __init__(self, storage: Storage, *, writable: bool) -> None:
        self._storage = storage
        self.writable = writable
        self._staged: dict[Path, dict[str, dict[str, Any]]] = {}
        self._tables: dict[Path, Table] = {}
        self._loaded: set[Path] = set()  # TinyDB may change these in place, then fail
        self.after_commit: list[Any] = []

    # -- tables -------------------------------------------------------------

    def table(self, namespace: str, name: str, partition: str | None = None) -> Table:
        """The TinyDB table of one collection (or one partition of it)."""
        path = self._storage.path_of(namespace, name, partition)
        table = self._tables.get(path)
        if table is None:
            db = TinyDB(storage=lambda: _TxStorage(self, path))
            table = db.table(_DEFAULT_TABLE)
            self._tables[path] = table
        return table

    def partitions(self, namespace: str, name: str) -> list[str]:
        """The partitions of a partitioned collection that hold data."""
        folder = self._storage.root / check_name("namespace", namespace) / check_name("table", name)
        found = {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()
        found |= {p.stem for p in self._staged if p.parent == folder and p.suffix == ".json"}
        return sorted(found)

    # -- internals used by _TxStorage ---------------------------------------

    def _load(self, path: Path) -> dict[str, dict[str, Any]]:
        staged = self._staged.get(path)
        if staged is not None:
            return staged
        self._loaded.add(path)
        return self._storage._read_file(path)

    def _stage(self, path: Path, data: dict[str, dict[str, Any]]) -> None:
        if not self.writable:
            # TinyDB mutated the cached dict before calling write(); forget it.
            self._storage._forget(path)
            raise StorageError("internal error: a write was attempted in a read-only view")
        self._staged[path] = data

    @property
    def changed(self) -> list[Path]:
        return list(self._staged)


class Storage:
    """The one place that opens a plc data directory."""

    def __init__(
        self,
        root: Path | str,
        *,
        create: bool = False,
        lock_timeout: float = 10.0,
        generations: int = 3,
    ) -> None:
        self.root = Path(root).expanduser().absolute()
        self.lock_timeout = lock_timeout
        self.generations = generations
        if not self.root.exists():
            if not create:
                raise StorageError(
                    f"no plc data directory at {self.root}; create one with "
                    f'`plc init --name "Your school"` or point --db / PLC_DB at it.'
                )
            try:
                self.root.mkdir(parents=True)
            except OSError as exc:
                raise StorageError(
                    f"cannot create data directory {self.root}: {exc.strerror}."
                ) from None
        if not self.root.is_dir():
            raise StorageError(f"{self.root} is not a directory; point --db at a directory.")
        self._cache: dict[Path, _Cached] = {}
        self._thread_lock = threading.RLock()
        self._lock_fd: int | None = None
        self._lock_depth = 0
        self._current: Transaction | None = None
        # Collections ("namespace/name") whose earlier versions must not be kept,
        # e.g. anonymous answers: two kept versions side by side would show which
        # answer arrived with which participant.
        self.no_history: set[str] = set()

    # -- paths --------------------------------------------------------------

    def path_of(self, namespace: str, name: str, partition: str | None = None) -> Path:
        check_name("namespace", namespace)
        check_name("table", name)
        if partition is None:
            return self.root / namespace / f"{name}.json"
        return self.root / namespace / name / f"{check_partition(partition)}.json"

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def data_files(self) -> list[Path]:
        """Every collection file: ``<namespace>/<table>.json`` or ``<ns>/<table>/<part>.json``.

        Anything else in the folder (backups, a copy someone put there) is not data,
        so check, backup and restore never touch it.
        """
        out = []
        for path in sorted(self.root.rglob("*.json")):
            parts = path.relative_to(self.root).parts
            if parts[0] == BACKUPS_DIR or not _NAME.match(parts[0]):
                continue
            if len(parts) == 2 and _NAME.match(path.stem):
                out.append(path)
            elif len(parts) == 3 and _NAME.match(parts[1]) and _PARTITION.match(path.stem):
                out.append(path)
        return out

    # -- locking ------------------------------------------------------------

    def _open_lock(self) -> int:
        if self._lock_fd is None:
            try:
                self._lock_fd = os.open(
                    self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, _NEW_FILE_MODE
                )
            except PermissionError:
                raise StorageError(
                    f"cannot open {self.root / LOCK_FILE}: permission denied. Ask an admin "
                    f"to give you write access to the data directory {self.root}."
                ) from None
        return self._lock_fd

    @contextlib.contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        with self._thread_lock:
            if self._lock_depth:
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                return
            fd = self._open_lock()
            mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
            deadline = time.monotonic() + self.lock_timeout
            delay = 0.002
            while True:
                try:
                    fcntl.flock(fd, mode | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise DatabaseLocked(
                            f"the data directory {self.root} is locked by another plc "
                            f"process (waited {self.lock_timeout:g} s); try again in a "
                            f"moment, and if it stays locked find the process with "
                            f"`fuser {self.root / LOCK_FILE}`."
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.05)
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0
                fcntl.flock(fd, fcntl.LOCK_UN)

    # -- transactions -------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Read-modify-write under the exclusive lock; all or nothing.

        Nested calls join the outer transaction. Callables appended to
        ``tx.after_commit`` run once the data is on disk (used for events).
        """
        with self._thread_lock:
            if self._current is not None:
                if not self._current.writable:
                    raise StorageError(
                        "internal error: a transaction was opened inside a read-only view"
                    )
                yield self._current
                return
            with self._locked(exclusive=True):
                self._recover()
                tx = Transaction(self, writable=True)
                self._current = tx
                try:
                    yield tx
                except BaseException:
                    for path in {*tx.changed, *tx._loaded}:
                        self._forget(path)
                    raise
                finally:
                    self._current = None
                try:
                    self._commit(tx)
                except BaseException:
                    # The cache may hold the uncommitted data: drop it, disk wins.
                    for path in tx.changed:
                        self._forget(path)
                    raise
        for callback in tx.after_commit:
            callback()

    @contextlib.contextmanager
    def read(self) -> Iterator[Transaction]:
        """A consistent read-only view under the shared lock."""
        with self._thread_lock:
            if self._current is not None:
                yield self._current
                return
            if (self.root / JOURNAL_FILE).exists():
                with self._locked(exclusive=True):
                    self._recover()
            with self._locked(exclusive=False):
                tx = Transaction(self, writable=False)
                self._current = tx
                try:
                    yield tx
                finally:
                    self._current = None

    @property
    def current(self) -> Transaction | None:
        """The transaction or read view open in this process, if any."""
        return self._current

    # -- file I/O -----------------------------------------------------------

    def _forget(self, path: Path) -> None:
        self._cache.pop(path, None)

    def _read_file(self, path: Path) -> dict[str, dict[str, Any]]:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            cached = self._cache.get(path)
            if cached is None or cached.signature != (0, 0, 0):
                cached = _Cached((0, 0, 0), {})
                self._cache[path] = cached
            return cached.data
        sig = _signature(st)
        cached = self._cache.get(path)
        if cached is not None and cached.signature == sig:
            return cached.data
        data = self._parse(path)
        self._cache[path] = _Cached(sig, data)
        return data

    def _parse(self, path: Path) -> dict[str, dict[str, Any]]:
        rel = self.relative(path)
        try:
            raw = path.read_bytes()
        except PermissionError:
            raise StorageError(
                f"cannot read {path}: permission denied. Ask an admin for read access "
                f"to the data directory."
            ) from None
        try:
            data = json.loads(raw)
        except UnicodeDecodeError:
            raise CorruptDataError(path, rel, "not UTF-8 text") from None
        except ValueError as exc:
            if not raw.strip():
                raise CorruptDataError(path, rel, "the file is empty") from None
            raise CorruptDataError(path, rel, f"invalid JSON: {exc}") from None
        if not isinstance(data, dict) or not all(
            isinstance(t, dict) and all(isinstance(d, dict) for d in t.values())
            for t in data.values()
        ):
            raise CorruptDataError(path, rel, "not a plc table")
        return data

    def _write_temp(self, path: Path, data: Any) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}{TMP_SUFFIX}")
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            mode = _NEW_FILE_MODE
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            os.fchmod(fd, mode)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return tmp

    def _rotate_generations(self, path: Path) -> None:
        """Keep the last versions of ``path`` as hard links (no copying)."""
        if self.generations <= 0 or not path.exists():
            return
        parts = self.relative(path).split("/")
        if len(parts) >= 2 and f"{parts[0]}/{parts[1].removesuffix('.json')}" in self.no_history:
            return
        base = self.root / BACKUPS_DIR / "generations" / self.relative(path)
        base.parent.mkdir(parents=True, exist_ok=True)
        for n in range(self.generations - 1, 0, -1):
            older = base.with_name(f"{base.name}.{n}")
            if older.exists():
                os.replace(older, base.with_name(f"{base.name}.{n + 1}"))
        newest = base.with_name(f"{base.name}.1")
        with contextlib.suppress(FileNotFoundError):
            newest.unlink()
        try:
            os.link(path, newest)
        except OSError:
            shutil.copy2(path, newest)

    def _commit(self, tx: Transaction) -> None:
        if not tx._staged:
            return
        temps: dict[Path, Path] = {}
        journal = self.root / JOURNAL_FILE
        try:
            for path, data in tx._staged.items():
                temps[path] = self._write_temp(path, data)
            if len(temps) > 1:
                # The journal must never name a temporary file a power cut could lose.
                for folder in {t.parent for t in temps.values()}:
                    _fsync_dir(folder)
                entries = [[self.relative(t), self.relative(p)] for p, t in temps.items()]
                jtmp = self._write_temp(journal, {"renames": entries})
                os.replace(jtmp, journal)
                _fsync_dir(self.root)
        except BaseException:
            # Nothing has been renamed yet: the old files are intact.
            for tmp in temps.values():
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise
        dirs = set()
        for path, tmp in temps.items():
            self._rotate_generations(path)
            os.replace(tmp, path)
            dirs.add(path.parent)
            self._cache[path] = _Cached(_signature(os.stat(path)), tx._staged[path])
        for folder in dirs:
            _fsync_dir(folder)
        if len(temps) > 1:
            journal.unlink()
        self._bump_stamp([self.relative(p) for p in temps])

    def _recover(self) -> None:
        """Roll forward a multi-file commit that a crashed process left half done."""
        journal = self.root / JOURNAL_FILE
        if not journal.exists():
            return
        try:
            pairs = json.loads(journal.read_text("utf-8"))["renames"]
        except (ValueError, KeyError, TypeError):
            # The journal itself was not complete, so no rename had started.
            pairs = []
        for tmp_rel, final_rel in pairs:
            tmp = self.root / tmp_rel
            if tmp.exists():
                final = self.root / final_rel
                self._rotate_generations(final)
                os.replace(tmp, final)
                self._forget(final)
        journal.unlink()
        _fsync_dir(self.root)
        if pairs:  # the commit is complete only now: let open screens refresh
            self._bump_stamp([final_rel for _, final_rel in pairs])

    # -- change notification ------------------------------------------------

    def _bump_stamp(self, changed: list[str]) -> None:
        stamp = self.root / STAMP_FILE
        tmp = stamp.with_name(f"{STAMP_FILE}.{os.getpid()}{TMP_SUFFIX}")
        tmp.write_text(json.dumps({"pid": os.getpid(), "changed": changed}), "utf-8")
        os.chmod(tmp, _NEW_FILE_MODE)
        os.replace(tmp, stamp)

    def change_token(self) -> tuple[int, int, int]:
        """A cheap token (one stat) that changes whenever any process commits."""
        try:
            return _signature(os.stat(self.root / STAMP_FILE))
        except FileNotFoundError:
            return (0, 0, 0)

    def last_changes(self) -> list[str]:
        """The collections the most recent commit changed (relative paths)."""
        try:
            return list(json.loads((self.root / STAMP_FILE).read_text("utf-8"))["changed"])
        except (OSError, ValueError, KeyError):
            return []

    # -- schema -------------------------------------------------------------

    def migrate(self, specs: list[TableSpec]) -> list[str]:
        """Bring every declared collection to its declared version.

        Returns one line per migration that ran. Data newer than the code raises
        :class:`SchemaTooNew` and nothing is touched.
        """
        done: list[str] = []
        self.no_history = {s.key for s in specs if not s.history}
        with self.read() as view:
            versions = {d["key"]: d["version"] for d in view.table(*SCHEMA_TABLE).all()}
        pending = [s for s in specs if versions.get(s.key) != s.version]
        for spec in pending:
            stored = versions.get(spec.key)
            if stored is not None and stored > spec.version:
                raise SchemaTooNew(
                    f"the {spec.key} data was written by a newer plc or plugin "
                    f"(schema {stored}, this one knows {spec.version}); upgrade plc."
                )
        if not pending:
            return done
        from tinydb import Query

        with self.transaction() as tx:
            schema = tx.table(*SCHEMA_TABLE)
            for spec in pending:
                row = schema.get(Query().key == spec.key)
                stored = row["version"] if row else None
                if stored is not None and stored > spec.version:
                    # A newer plc migrated between our first look and the lock.
                    raise SchemaTooNew(
                        f"the {spec.key} data was written by a newer plc or plugin "
                        f"(schema {stored}, this one knows {spec.version}); upgrade plc."
                    )
                if stored is not None and stored < spec.version:
                    if spec.partitioned:
                        parts: list[str | None] = list(tx.partitions(spec.namespace, spec.name))
                    else:
                        parts = [None]
                    for version in range(stored + 1, spec.version + 1):
                        step = spec.migrations.get(version)
                        if step is None:
                            raise StorageError(
                                f"{spec.key} has no migration to schema {version}; "
                                f"the plugin that owns it must declare one."
                            )
                        for part in parts:
                            table = tx.table(spec.namespace, spec.name, part)
                            # One pass over the table (one update per document is quadratic).
                            table.update(lambda doc, step=step: _replace_with(step(dict(doc)))(doc))
                        done.append(f"{spec.key}: schema {version - 1} -> {version}")
                schema.upsert({"key": spec.key, "version": spec.version}, Query().key == spec.key)
        return done

    # -- check, backup, restore ---------------------------------------------

    def check(self) -> list[tuple[str, str]]:
        """Return ``(relative path, problem)`` for every damaged or stray file."""
        problems: list[tuple[str, str]] = []
        with self._locked(exclusive=False):
            if (self.root / JOURNAL_FILE).exists():
                problems.append(
                    (JOURNAL_FILE, "an interrupted commit; the next write completes it")
                )
            for path in self.data_files():
                try:
                    self._parse(path)
                except CorruptDataError as exc:
                    problems.append((self.relative(path), exc.detail))
                except StorageError as exc:
                    problems.append((self.relative(path), exc.message))
            for tmp in self.root.rglob(f"*{TMP_SUFFIX}"):
                problems.append((self.relative(tmp), "left over from an interrupted write"))
        return problems

    def remove_leftovers(self) -> list[str]:
        """Finish an interrupted commit, then delete temporary files nothing needs.

        Under the exclusive lock no writer is running, so every temporary file
        not named by a journal is left over from a writer that was killed.
        """
        with self._locked(exclusive=True):
            self._recover()
            removed = []
            for tmp in self.root.rglob(f"*{TMP_SUFFIX}"):
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
                    removed.append(self.relative(tmp))
        return removed

    def snapshots_dir(self) -> Path:
        return self.root / BACKUPS_DIR / "snapshots"

    def backup(self, dest: Path | None = None) -> Path:
        """Copy every collection into a new snapshot folder, under the shared lock."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = Path(dest) if dest is not None else self.snapshots_dir() / stamp
        inside = self.root.resolve() in target.resolve().parents
        if inside and (self.root / BACKUPS_DIR).resolve() not in target.resolve().parents:
            raise StorageError(
                f"{target} is inside the data directory, where it would be taken for data; "
                f"choose a place outside it, or leave DEST out for backups/snapshots."
            )
        if target.exists() and any(target.iterdir()):
            raise StorageError(f"{target} already exists and is not empty; choose another place.")
        if (self.root / JOURNAL_FILE).exists():
            with self._locked(exclusive=True):
                self._recover()  # never back up half of an interrupted commit
        with self._locked(exclusive=False):
            for path in self.data_files():
                rel = path.relative_to(self.root)
                self._parse(path)  # never back up a damaged file as if it were good
                out = target / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, out)
        target.mkdir(parents=True, exist_ok=True)
        return target

    def snapshots(self) -> list[Path]:
        folder = self.snapshots_dir()
        return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []

    def generations_of(self, rel: str) -> list[Path]:
        base = self.root / BACKUPS_DIR / "generations" / rel
        return [
            base.with_name(f"{base.name}.{n}")
            for n in range(1, self.generations + 1)
            if base.with_name(f"{base.name}.{n}").exists()
        ]

    def restore_snapshot(self, snapshot: Path) -> Path:
        """Replace all collections with a snapshot; the current state is kept first."""
        snapshot = Path(snapshot)
        if not snapshot.is_dir():
            raise StorageError(f"no backup at {snapshot}; list them with `plc db restore`.")
        files = sorted(p for p in snapshot.rglob("*.json"))
        for path in files:
            self._parse_external(path)
        with self.transaction():
            safety = self._safety_copy()
            for path in self.data_files():
                if not (snapshot / path.relative_to(self.root)).exists():
                    path.unlink()
                    self._forget(path)
            for path in files:
                final = self.root / path.relative_to(snapshot)
                final.parent.mkdir(parents=True, exist_ok=True)
                tmp = self._write_temp(final, json.loads(path.read_bytes()))
                os.replace(tmp, final)
                self._forget(final)
            self._bump_stamp(["*"])
        return safety

    def restore_file(self, rel: str, generation: int | None = None) -> Path:
        """Put back the newest readable generation (or the one asked for) of one file."""
        if self.root.resolve() not in (self.root / rel).resolve().parents:
            raise StorageError(f"{rel} is not inside the data directory.")
        target = self.root / rel
        candidates = self.generations_of(rel)
        if generation is not None:
            candidates = [c for c in candidates if c.name.endswith(f".{generation}")]
        for candidate in candidates:
            try:
                data = self._parse_external(candidate)
            except CorruptDataError:
                continue
            with self.transaction():
                damaged = target.with_name(
                    f"{target.name}.damaged-{datetime.now().strftime('%Y%m%dT%H%M%S')}"
                )
                if target.exists():
                    shutil.copy2(target, damaged)
                tmp = self._write_temp(target, data)
                os.replace(tmp, target)
                self._forget(target)
                self._bump_stamp([rel])
            return candidate
        raise StorageError(
            f"no good earlier copy of {rel} is kept; restore a whole backup with "
            f"`plc db restore SNAPSHOT` (list them with `plc db restore`)."
        )

    def _safety_copy(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.snapshots_dir() / f"{stamp}-before-restore"
        for path in self.data_files():
            out = target / path.relative_to(self.root)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, out)
        target.mkdir(parents=True, exist_ok=True)
        return target

    def _parse_external(self, path: Path) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(path.read_bytes())
        except (ValueError, UnicodeDecodeError) as exc:
            raise CorruptDataError(path, str(path), f"invalid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise CorruptDataError(path, str(path), "not a plc table")
        return data


def _replace_with(new: dict[str, Any]) -> Any:
    """A TinyDB update operation that replaces a document's fields with ``new``."""

    def transform(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(new)

    return transform

"""The storage of one data directory: locking, transactions, the read cache,
commits, table rules and schema migrations.

Every read-modify-write runs inside :meth:`Storage.transaction`: an exclusive
``flock`` on ``.plc.lock``, TinyDB tables served from memory, and on success
each changed file written to a temporary file, fsynced and renamed over the
old one (through a journal when several files change). Reads take a shared
lock. The cache is trusted only as far as the commit counter says
(:mod:`.changes`), never on file times.

This class is the seam for another backend: the app, the CLI and plugins use
only ``transaction``, ``read``, ``change_token``, ``last_changes`` and the
``db`` operations, so a server database could stand behind the same calls.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import Query

from ..errors import (
    CorruptDataError,
    DatabaseLocked,
    LockBusy,
    MigrationFailed,
    SchemaTooNew,
    StorageError,
    TableError,
)
from . import changes, files, health, journal, snapshots, summaries
from .files import Sharing
from .spans import document_at, document_spans
from .summaries import Compute
from .tables import PlcTable, TxTableStorage, json_copy

LOCK_FILE = ".plc.lock"
BACKUPS_DIR = "backups"
SCHEMA_TABLE = ("core", "schema")
TABLE = "_default"

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_PARTITION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


_thread = threading.local()


def refuse_to_wait(refuse: bool = True) -> None:
    """On the calling thread, make storage raise :class:`LockBusy` at once where it
    would wait for a lock. The app sets this on its own thread, so a lock held by
    another plc never freezes the screen: screens then read in a worker instead."""
    _thread.refuses = refuse


def _refuses_to_wait() -> bool:
    return getattr(_thread, "refuses", False)


def check_name(kind: str, value: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValueError(
            f"{kind} name {value!r} is not allowed: use lowercase letters, digits and _"
        )
    return value


def check_partition(value: str) -> str:
    if not isinstance(value, str) or not _PARTITION.match(value):
        raise ValueError(f"partition {value!r} is not allowed: use letters, digits, _ and -")
    return value


def table_key(rel: str) -> str:
    """``namespace/table`` of a data file's relative path."""
    parts = rel.split("/")
    return f"{parts[0]}/{parts[1].removesuffix('.json')}"


@dataclass(frozen=True)
class TableSpec:
    """A collection declared by the core or a plugin (see ``register_tables``)."""

    namespace: str
    name: str
    version: int = 1
    migrations: dict[int, Any] = field(default_factory=dict)
    partitioned: bool = False
    history: bool = True
    keep_order: bool = True

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    def rule(self) -> dict[str, Any]:
        """What is written on disk with the table, for every process to honour."""
        return {
            "key": self.key,
            "version": self.version,
            "owner": self.namespace,
            "partitioned": self.partitioned,
            "history": self.history,
            "keep_order": self.keep_order,
        }


class Transaction:
    """A view of the data directory under the lock; made by :class:`Storage`."""

    def __init__(self, storage: Storage, *, writable: bool) -> None:
        self._storage = storage
        self.writable = writable
        self.open = True
        self.staged: dict[Path, dict[str, dict[str, Any]]] = {}
        self.loaded: set[Path] = set()
        self._tables: dict[Path, PlcTable] = {}
        self.after_commit: list[Any] = []
        self.dropped: set[Path] = set()
        self.summaries: dict[Path, dict[str, Compute]] = {}

    def check_open(self) -> None:
        if not self.open:
            raise StorageError(
                "a table was used after its transaction ended; open a new one "
                "(ctx.transaction() or ctx.read()) around each use."
            )

    def table(self, namespace: str, name: str, partition: str | None = None) -> PlcTable:
        """The TinyDB table of one collection (or one partition of it)."""
        self.check_open()
        path = self._storage.path_of(namespace, name, partition)
        table = self._tables.get(path)
        if table is None:
            table = self._tables[path] = PlcTable(TxTableStorage(self, path), TABLE)
        return table

    def partitions(self, namespace: str, name: str) -> list[str]:
        """The partitions of a partitioned collection that hold data."""
        self.check_open()
        folder = self._storage.root / check_name("namespace", namespace) / check_name("table", name)
        found = {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()
        found |= {p.stem for p in self.staged if p.parent == folder}
        return sorted(f for f in found if _PARTITION.match(f))

    def drop(self, namespace: str, name: str, partition: str) -> None:
        """Delete one partition's file when the transaction commits."""
        self.check_open()
        path = self._storage.path_of(namespace, name, partition)
        self.stage(path, {})
        self.dropped.add(path)
        self._tables.pop(path, None)

    def summary(
        self,
        namespace: str,
        name: str,
        partition: str | None,
        key: str,
        compute: Compute,
        *,
        keep: bool = True,
    ) -> Any:
        """``compute(documents)`` of one file, kept beside it (see :mod:`.summaries`).

        In a transaction that changed the file the value is computed from the
        change, and kept with the file when it commits. With ``keep=False`` the
        value lives in this process's memory only (what is cheap to compute but
        asked for often: the community's members as objects).
        """
        self.check_open()
        path = self._storage.path_of(namespace, name, partition)
        staged = self.staged.get(path)
        if staged is None:
            return self._storage.summary_of(path, key, compute, keep=keep)
        if keep:
            self.summaries.setdefault(path, {})[key] = compute
        return compute(staged.get(TABLE, {}))

    def document(
        self, namespace: str, name: str, partition: str | None, doc_id: int
    ) -> dict[str, Any] | None:
        """A copy of document ``doc_id`` of one file, or ``None``: from this
        transaction's change if it made one, else read alone (see
        :meth:`Storage.document`)."""
        self.check_open()
        path = self._storage.path_of(namespace, name, partition)
        staged = self.staged.get(path)
        if staged is None:
            return self._storage.document(path, doc_id)
        return _copy_of(staged, doc_id)

    def load(self, path: Path) -> dict[str, dict[str, Any]]:
        staged = self.staged.get(path)
        if staged is not None:
            return staged
        self.loaded.add(path)
        return self._storage.read_file(path)

    def stage(self, path: Path, data: dict[str, dict[str, Any]]) -> None:
        if not self.writable:
            raise StorageError("internal error: a write was attempted in a read-only view")
        self.staged[path] = data
        self.dropped.discard(path)


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
        try:
            exists = self.root.exists()
        except OSError as exc:
            raise files.failure(exc, self.root, "open the data directory") from None
        if not exists:
            if not create:
                raise StorageError(
                    f"no plc data directory at {self.root}; create one with "
                    f'`plc init --name "Your school"` or point --db / PLC_DB at it.'
                )
            try:
                self.root.mkdir(parents=True)
            except OSError as exc:
                raise files.failure(exc, self.root, "create the data directory") from None
            parent = self.root.parent.stat()
            if parent.st_mode & stat.S_ISGID and parent.st_mode & stat.S_IWGRP:
                # Made inside a folder shared with a group: share it the same way.
                files.set_mode(self.root, 0o2770, Sharing("group", parent.st_gid))
        if not self.root.is_dir():
            raise StorageError(f"{self.root} is not a directory; point --db at a directory.")
        if not create and not any((self.root / n).exists() for n in (LOCK_FILE, "core")):
            raise StorageError(
                f"{self.root} holds no plc data; create a community there with "
                f'`plc init --name "Your school"` or point --db / PLC_DB at one.'
            )
        self.sharing: Sharing = files.sharing_of(self.root)
        self._cache: dict[Path, tuple[tuple[int, ...], dict[str, dict[str, Any]]]] = {}
        self._summaries: dict[tuple[Path, str], tuple[tuple[int, ...], Any]] = {}
        self._recent: list[tuple[int, list[str]]] = []
        self._changed_after: dict[int, frozenset[str] | None] = {}
        self._seen = -2  # the commit counter the cache is valid for
        self._paths: dict[tuple[str, str, str | None], Path] = {}
        self._thread_lock = threading.RLock()
        self._lock_fd: int | None = None
        self._lock_depth = 0
        self._current: Transaction | None = None
        if create:  # the lock file marks the folder as plc's from the start
            self._lock_fd = files.open_lock(self.root / LOCK_FILE, self.sharing)

    # -- sharing ------------------------------------------------------------

    def share(self, mode: str, gid: int | None = None) -> Sharing:
        """Record how the folder is shared and give the folder itself that mode.

        A folder someone else (root) already prepared for the group is left as it is.
        """
        if mode not in files.SHARING_MODES:
            raise StorageError(f"--shared must be one of {', '.join(files.SHARING_MODES)}.")
        st = self.root.stat()
        if mode != "umask":
            sharing = Sharing(mode, gid if gid is not None else st.st_gid)
            right_group = st.st_gid == sharing.gid
            if not right_group or st.st_mode & sharing.dir_mode != sharing.dir_mode:
                files.set_mode(self.root, sharing.dir_mode, sharing)
            lock = self.root / LOCK_FILE
            if lock.exists() and lock.stat().st_uid == os.geteuid():
                files.set_mode(lock, sharing.file_mode, sharing)
        else:
            sharing = Sharing()
        payload = json.dumps(sharing.as_dict()).encode()
        tmp = files.write_temp(self.root / files.SETTINGS_FILE, payload, sharing)
        files.replace(tmp, self.root / files.SETTINGS_FILE)
        self.sharing = sharing
        return sharing

    # -- paths --------------------------------------------------------------

    def path_of(self, namespace: str, name: str, partition: str | None = None) -> Path:
        # Kept once checked and made: a survey list asks for a thousand answer
        # files' summaries, and building each path took longer than its summary.
        key = (namespace, name, partition)
        path = self._paths.get(key)
        if path is None:
            check_name("namespace", namespace)
            check_name("table", name)
            if partition is None:
                path = self.root / namespace / f"{name}.json"
            else:
                path = self.root / namespace / name / f"{check_partition(partition)}.json"
            if len(self._paths) > 100_000:
                self._paths.clear()
            self._paths[key] = path
        return path

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def is_data_path(self, rel: str) -> bool:
        parts = rel.split("/")
        if not parts[-1].endswith(".json") or parts[0] == BACKUPS_DIR:
            return False
        stem = parts[-1].removesuffix(".json")
        if len(parts) == 2:
            return bool(_NAME.match(parts[0]) and _NAME.match(stem))
        if len(parts) == 3:
            return bool(_NAME.match(parts[0]) and _NAME.match(parts[1]) and _PARTITION.match(stem))
        return False

    def data_files(self) -> list[Path]:
        """Every collection file: ``<namespace>/<table>.json`` or ``<ns>/<table>/<part>.json``.

        Anything else in the folder (backups, a copy someone put there) is not data,
        so check, backup and restore never touch it.
        """
        return [
            p
            for p in sorted(self.root.rglob("*.json"))
            if self.is_data_path(self.relative(p)) and not p.is_symlink()
        ]

    # -- locking ------------------------------------------------------------

    def _busy(self) -> LockBusy:
        return LockBusy(f"another plc is saving to {self.root} right now; try again in a moment.")

    @contextlib.contextmanager
    def _this_process(self) -> Iterator[None]:
        """One thread at a time in this process (another thread's save waits here)."""
        if not self._thread_lock.acquire(blocking=not _refuses_to_wait()):
            raise self._busy()
        try:
            yield
        finally:
            self._thread_lock.release()

    @contextlib.contextmanager
    def locked(self, exclusive: bool) -> Iterator[None]:
        """The inter-process lock (re-entrant within this process)."""
        with self._this_process():
            if self._lock_depth:
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                return
            if self._lock_fd is None:
                self._lock_fd = files.open_lock(self.root / LOCK_FILE, self.sharing)
            fd = self._lock_fd
            mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
            deadline = time.monotonic() + self.lock_timeout
            delay = 0.002
            while True:
                try:
                    fcntl.flock(fd, mode | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if _refuses_to_wait():
                        raise self._busy() from None
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
        with self._this_process():
            if self._current is not None:
                if not self._current.writable:
                    raise StorageError(
                        "internal error: a transaction was opened inside a read-only view"
                    )
                yield self._current
                return
            with self.locked(exclusive=True):
                self.recover()
                self._sync_cache()
                tx = Transaction(self, writable=True)
                self._current = tx
                try:
                    yield tx
                except BaseException:
                    self._forget(tx.staged)
                    raise
                finally:
                    self._current = None
                    tx.open = False
                self._commit(tx)
        for callback in tx.after_commit:
            callback()

    @contextlib.contextmanager
    def read(self) -> Iterator[Transaction]:
        """A consistent read-only view under the shared lock."""
        with self._this_process():
            if self._current is not None:
                yield self._current
                return
            while True:
                with self.locked(exclusive=False):
                    if not journal.pending(self.root):
                        self._sync_cache()
                        tx = Transaction(self, writable=False)
                        self._current = tx
                        try:
                            yield tx
                        finally:
                            self._current = None
                            tx.open = False
                        return
                # An interrupted commit must be completed before anyone reads.
                with self.locked(exclusive=True):
                    self.recover()

    @property
    def current(self) -> Transaction | None:
        """The transaction or read view open in this process, if any."""
        return self._current

    # -- cache ----------------------------------------------------------------

    def _sync_cache(self) -> None:
        counter, recent = changes.read(self.root)
        self._recent = recent
        if counter == self._seen:
            return
        self._changed_after.clear()
        changed = changes.changed_since(self._seen, counter, recent)
        if changed is None:
            self._cache.clear()
            self._summaries.clear()
        else:
            gone = {self.root / rel for rel in changed}
            for path in gone:
                self._cache.pop(path, None)
            for known in [k for k in self._summaries if k[0] in gone]:
                del self._summaries[known]
        self._seen = counter

    def _forget(self, paths: Any) -> None:
        for path in paths:
            self._cache.pop(path, None)

    def read_file(self, path: Path) -> dict[str, dict[str, Any]]:
        """A data file's tables, from the cache while the file is unchanged.

        The commit counter says which files plc changed (file times can miss a
        change); the file's own signature is checked as well, so a file damaged
        or replaced by something other than plc is read again.
        """
        sig = summaries.signature(path)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == sig:
            return cached[1]
        data = self.parse(path, missing_ok=True)
        self._cache[path] = (sig, data)
        return data

    def document(self, path: Path, doc_id: int) -> dict[str, Any] | None:
        """A copy of document ``doc_id`` of the file at ``path``, or ``None``.

        From the read cache while the file is there and unchanged; otherwise only
        this document is parsed, at the offsets kept for this version of the file
        (:mod:`.spans`, found with one parse of the whole file per version). A
        command that needs one survey of three hundred, or one member of a
        district, then parses that one. The caller holds the lock, so the file
        cannot change while it is read.
        """
        sig = summaries.signature(path)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == sig:
            return _copy_of(cached[1], doc_id)
        if not sig:
            return None  # no file: an empty table
        try:
            text = files.read_bytes(path).decode("utf-8")
        except (StorageError, UnicodeDecodeError):
            return _copy_of(self.read_file(path), doc_id)  # says what is wrong
        rel = self.relative(path)
        kept = summaries.load(self.root, rel, sig, self._unchanged_since, part="spans")
        spans = kept.get("spans")
        if not isinstance(spans, dict):
            spans = document_spans(text, TABLE)
            if spans is None:
                return _copy_of(self.read_file(path), doc_id)
            values = {"spans": spans}
            summaries.save(self.root, self.sharing, rel, sig, self._seen, values, part="spans")
        key = str(doc_id)
        span = spans.get(key)
        if span is None:
            return None
        doc = document_at(text, span, key) if isinstance(span, list) and len(span) == 2 else None
        return doc if doc is not None else _copy_of(self.read_file(path), doc_id)

    def parse(self, path: Path, *, missing_ok: bool = False) -> dict[str, dict[str, Any]]:
        """The tables in ``path``; a damaged file raises :class:`CorruptDataError`."""
        try:
            raw = files.read_bytes(path)
        except FileNotFoundError:
            if missing_ok:
                return {}
            raise CorruptDataError(path, self._name(path), "the file is missing") from None
        except StorageError as exc:
            if getattr(exc, "errno", None) == errno.ELOOP:  # a link where a file should be
                detail = "a symbolic link, not a file"
                raise CorruptDataError(path, self._name(path), detail) from None
            raise
        return self.decode(raw, path)

    def _name(self, path: Path) -> str:
        return self.relative(path) if self.root in path.parents else str(path)

    def decode(self, raw: bytes, path: Path) -> dict[str, dict[str, Any]]:
        """The tables in the bytes ``raw`` read from ``path`` (named in errors)."""
        rel = self._name(path)
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

    # -- commit -------------------------------------------------------------

    def _commit(self, tx: Transaction) -> None:
        if not tx.staged:
            return
        rules = self.rules(tx)
        deletes = [p for p in tx.dropped if p.exists() or p.is_symlink()]
        written = {p: d for p, d in tx.staged.items() if p not in tx.dropped}
        for path, data in written.items():
            if not rules.get(table_key(self.relative(path)), {}).get("keep_order", True):
                written[path] = _in_id_order(data)
        payloads = {path: files.dumps(data) for path, data in written.items()}
        temps: dict[Path, Path] = {}
        try:
            for path, payload in payloads.items():
                files.make_dirs(path.parent, self.root, self.sharing)
                temps[path] = files.write_temp(
                    path, payload, self.sharing, mode=self._mode_for(path)
                )
                _check_replaceable(path)
            for path in deletes:
                _check_replaceable(path)
            rels = [self.relative(p) for p in [*temps, *deletes]]
            if not rels:
                return
            counter = changes.advance(self.root, self.sharing, rels)
            entries = [(self.relative(t), self.relative(p)) for p, t in temps.items()]
            gone = [self.relative(p) for p in deletes]
            if len(rels) > 1:
                journal.write(self.root, self.sharing, entries, gone)
        except BaseException:
            # Nothing has been renamed: the old files are intact.
            self._forget(tx.staged)
            for tmp in temps.values():
                with contextlib.suppress(StorageError):
                    files.remove(tmp)
            raise
        if len(rels) == 1 and temps:
            ((path, tmp),) = temps.items()
            try:
                files.replace(tmp, path)
                files.fsync_dir(path.parent)
            except StorageError:
                self._forget(tx.staged)
                with contextlib.suppress(StorageError):
                    files.remove(tmp)
                raise
        else:
            try:
                journal.apply(self.root, entries, gone)
            except StorageError as exc:
                self._forget(tx.staged)
                raise StorageError(
                    f"{exc.message} The change is recorded in {journal.JOURNAL_FILE} and the "
                    f"next plc that can write there completes it."
                ) from None
        for path in temps:
            self._cache[path] = (summaries.signature(path), written[path])
        for path in deletes:
            self._cache.pop(path, None)
            summaries.forget(self.root, self.relative(path))
        self._seen = counter
        self._changed_after.clear()
        self._keep_summaries(tx)
        self._keep_generations(payloads, rules)

    # -- summaries ------------------------------------------------------------

    def summary_of(self, path: Path, key: str, compute: Compute, *, keep: bool = True) -> Any:
        """``compute`` of the documents in ``path``, computed again only when the
        file changed (see :mod:`.summaries`). The file's data is not kept in the
        read cache for it: a listing of many large files stays small in memory."""
        sig = summaries.signature(path)
        known = self._summaries.get((path, key))
        if known is not None and known[0] == sig:
            return known[1]
        rel = self.relative(path)
        kept = summaries.load(self.root, rel, sig, self._unchanged_since) if keep else {}
        if key in kept:
            value = kept[key]
        else:
            cached = self._cache.get(path)
            data = cached[1] if cached is not None and cached[0] == sig else None
            if data is None:
                data = self.parse(path, missing_ok=True)
            value = compute(data.get(TABLE, {}))
            if keep:
                values = summaries.merged(kept, {key: value})
                summaries.save(self.root, self.sharing, rel, sig, self._seen, values)
        self._summaries[(path, key)] = (sig, value)
        return value

    def _unchanged_since(self, counter: int, rel: str) -> bool:
        """Whether no commit after ``counter`` changed ``rel``, as far as the
        commit counter knows (file signatures alone can repeat)."""
        if counter not in self._changed_after:  # once per counter, not once per summary
            changed = changes.changed_since(counter, self._seen, self._recent)
            self._changed_after[counter] = None if changed is None else frozenset(changed)
        known = self._changed_after[counter]
        return known is None or rel not in known

    def _keep_summaries(self, tx: Transaction) -> None:
        for path, computes in tx.summaries.items():
            if path in tx.dropped:
                continue
            sig, data = self._cache.get(path, ((), {}))
            docs = data.get(TABLE, {})
            values = {key: compute(docs) for key, compute in computes.items()}
            summaries.save(self.root, self.sharing, self.relative(path), sig, self._seen, values)
            for key, value in values.items():
                self._summaries[(path, key)] = (sig, value)

    def _mode_for(self, path: Path) -> int | None:
        """In a shared folder the sharing decides; otherwise a file keeps the mode
        its owner gave it (someone who made their community 0600 keeps it so)."""
        if self.sharing.shared:
            return None
        try:
            return path.stat().st_mode & 0o777
        except FileNotFoundError:
            return None

    def recover(self) -> None:
        """Complete a multi-file commit that a killed process left half done."""
        if not journal.pending(self.root):
            return
        with self.locked(exclusive=True):
            changed = journal.roll_forward(self.root)
            if changed:
                self._forget(self.root / rel for rel in changed)
                changes.advance(self.root, self.sharing, changed)

    # -- rules and generations ------------------------------------------------

    def rules(self, tx: Transaction | None = None) -> dict[str, dict[str, Any]]:
        """The table rules on disk: ``namespace/table`` -> rule (see TableSpec.rule)."""
        path = self.path_of(*SCHEMA_TABLE)
        data = tx.load(path) if tx is not None else self.read_file(path)
        return {d["key"]: d for d in data.get(TABLE, {}).values() if "key" in d}

    def keeps_history(self, rel: str, rules: dict[str, dict[str, Any]] | None = None) -> bool:
        """Whether earlier versions of this data file may be kept.

        A table with no rule on disk keeps none unless it is the core's own: the
        rule is written when the table is declared, before it holds data.
        """
        key = table_key(rel)
        rule = (rules if rules is not None else self.rules()).get(key)
        if key == "/".join(SCHEMA_TABLE):
            return True
        if rule is None:
            return key.startswith("core/")
        return bool(rule.get("history", True))

    def generations_dir(self) -> Path:
        return self.root / BACKUPS_DIR / "generations"

    def generations_of(self, rel: str) -> list[Path]:
        """Kept versions of a data file, newest first (1 is the current one)."""
        base = self.generations_dir() / rel
        found = []
        for n in range(1, self.generations + 1):
            candidate = base.with_name(f"{base.name}.{n}")
            if candidate.exists():
                found.append(candidate)
        return found

    def _keep_generations(
        self, payloads: dict[Path, bytes], rules: dict[str, dict[str, Any]]
    ) -> None:
        """Keep a copy of each committed file; best effort, after the commit.

        A copy (not a hard link) so that damage to the file in place cannot
        reach its kept versions. A failure here (a full disk) never undoes or
        blocks the commit; `plc db check` reports missing copies only as such.
        """
        if self.generations <= 0:
            return
        for path, payload in payloads.items():
            rel = self.relative(path)
            if not self.keeps_history(rel, rules):
                continue
            with contextlib.suppress(StorageError):
                self.keep_generation(rel, payload)

    def keep_generation(self, rel: str, payload: bytes) -> None:
        base = self.generations_dir() / rel
        files.make_dirs(base.parent, self.root, self.sharing)
        tmp = files.write_temp(base, payload, self.sharing, sync=False)
        try:
            for n in range(self.generations - 1, 0, -1):
                older = base.with_name(f"{base.name}.{n}")
                if older.exists():
                    files.replace(older, base.with_name(f"{base.name}.{n + 1}"))
            files.replace(tmp, base.with_name(f"{base.name}.1"))
        finally:
            with contextlib.suppress(StorageError):
                files.remove(tmp)

    def purge_generations(self, key: str) -> list[str]:
        """Delete every kept version of the table ``key`` (when it turns history off)."""
        namespace, name = key.split("/")
        folder = self.generations_dir() / namespace
        if not folder.is_dir():
            return []
        doomed = [*folder.glob(f"{name}.json.*"), *(folder / name).glob("*.json.*")]
        removed = []
        for path in doomed:
            files.remove(path)
            removed.append(path.relative_to(self.root).as_posix())
        return removed

    # -- check, repair, backup, restore (see .health and .snapshots) ---------

    def forget_all(self) -> None:
        self._cache.clear()
        self._seen = -2

    def check(self) -> list[health.Problem]:
        return health.check(self)

    def remove_leftovers(self) -> list[str]:
        return health.remove_leftovers(self)

    def repair(self) -> tuple[list[str], list[str]]:
        return health.repair(self)

    def backup(self, dest: Path | None = None) -> Path:
        return snapshots.backup(self, dest)

    def snapshots(self) -> list[Path]:
        return snapshots.snapshots(self)

    def snapshots_dir(self) -> Path:
        return snapshots.snapshots_dir(self)

    def restore_snapshot(self, name: str) -> Path:
        return snapshots.restore_snapshot(self, name)

    def restore_file(self, rel: str, generation: int | None = None) -> Path:
        return snapshots.restore_file(self, rel, generation)

    # -- change notification ------------------------------------------------

    def change_token(self) -> int:
        """A cheap token (one small read) that changes whenever any process commits."""
        return changes.read(self.root)[0]

    def last_changes(self) -> list[str]:
        """The collections the most recent commit changed (relative paths)."""
        recent = changes.read(self.root)[1]
        return list(recent[-1][1]) if recent else []

    # -- schema -------------------------------------------------------------

    def migrate(self, specs: list[TableSpec]) -> list[str]:
        """Bring every declared collection to its declared version and rules.

        Returns one line per migration that ran. Data newer than the code raises
        :class:`SchemaTooNew` and nothing is touched.
        """
        done: list[str] = []
        with self.read() as view:
            stored_rules = self.rules(view)
        pending = [s for s in specs if _rule_differs(stored_rules.get(s.key), s)]
        for spec in pending:
            _refuse_newer(stored_rules.get(spec.key), spec)
        if not pending:
            return done
        purge: list[str] = []
        with self.transaction() as tx:
            schema = tx.table(*SCHEMA_TABLE)
            for spec in pending:
                row = schema.get(Query().key == spec.key)
                _refuse_newer(row, spec)  # a newer plc may have migrated meanwhile
                stored = row.get("version") if row else None
                if stored is not None and stored < spec.version:
                    done += self._run_migrations(tx, spec, stored)
                if not spec.history and (row is None or row.get("history", True)):
                    purge.append(spec.key)
                schema.upsert(spec.rule(), Query().key == spec.key)
        for key in purge:
            self.purge_generations(key)
        return done

    def _run_migrations(self, tx: Transaction, spec: TableSpec, stored: int) -> list[str]:
        done = []
        if spec.partitioned:
            parts: list[str | None] = list(tx.partitions(spec.namespace, spec.name))
        else:
            parts = [None]
        for version in range(stored + 1, spec.version + 1):
            step = spec.migrations.get(version)
            if step is None:
                raise TableError(
                    f"{spec.key} has no migration to schema {version}; "
                    f"the plugin that owns it must declare one.",
                    owner=spec.namespace,
                    key=spec.key,
                )
            for part in parts:
                table = tx.table(spec.namespace, spec.name, part)
                # One pass over the table (one update per document is quadratic).
                try:
                    table.update(lambda doc, step=step: _replace_with(doc, step(dict(doc))))
                except StorageError:
                    raise
                except Exception as exc:
                    raise MigrationFailed(
                        f"the migration of {spec.key} to schema {version} raised "
                        f"{type(exc).__name__}: {exc}; nothing was changed",
                        owner=spec.namespace,
                        key=spec.key,
                    ) from exc
            done.append(f"{spec.key}: schema {version - 1} -> {version}")
        return done


def _copy_of(data: dict[str, dict[str, Any]], doc_id: int) -> dict[str, Any] | None:
    """A copy of document ``doc_id`` of a file's parsed data, or ``None``."""
    doc = data.get(TABLE, {}).get(str(doc_id))
    return None if doc is None else json_copy(doc)


def _rule_differs(row: dict[str, Any] | None, spec: TableSpec) -> bool:
    if row is None:
        return True
    wanted = spec.rule()
    return any(row.get(k) != v for k, v in wanted.items())


def _refuse_newer(row: dict[str, Any] | None, spec: TableSpec) -> None:
    stored = row.get("version") if row else None
    if stored is not None and stored > spec.version:
        who = "plc" if spec.namespace == "core" else f"plc or the {spec.namespace} plugin"
        raise SchemaTooNew(
            f"the {spec.key} data was written by a newer {who} "
            f"(schema {stored}, this one knows {spec.version}); upgrade {who}.",
            owner=spec.namespace,
            key=spec.key,
        )


def _in_id_order(data: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each table's documents by id, so the file shows nothing of which came last."""
    return {
        name: dict(sorted(docs.items(), key=lambda item: _id_key(item[0])))
        for name, docs in data.items()
    }


def _id_key(doc_id: str) -> tuple[int, str]:
    return (int(doc_id), "") if doc_id.isdigit() else (0, doc_id)


def _replace_with(doc: dict[str, Any], new: dict[str, Any]) -> None:
    doc.clear()
    doc.update(new)


def _check_replaceable(path: Path) -> None:
    """Refuse before the commit starts where a rename could not replace the file.

    In a folder with the sticky bit only a file's owner may replace it; finding
    that out half-way through a multi-file commit would leave it to others.
    """
    try:
        folder = os.stat(path.parent)
        current = os.stat(path)
    except FileNotFoundError:
        return
    if folder.st_mode & stat.S_ISVTX and current.st_uid != os.geteuid() and os.geteuid() != 0:
        raise StorageError(
            f"cannot replace {path}: its folder has the sticky bit, so only the file's "
            f"owner may. Nothing was changed. To fix it: ask an admin to run `plc db repair`."
        )

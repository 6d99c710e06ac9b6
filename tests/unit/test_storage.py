"""The storage layer: transactions, partitions, many processes, crashes, damage,
backups, locking, change notification, migrations and file permissions.

Crash and concurrency tests run real child processes (``subprocess`` with a small
script, or ``multiprocessing`` with the fork context) against a data directory in
``tmp_path``; nothing here asserts on timing.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from tinydb import Query

from plc_tui.errors import CorruptDataError, DatabaseLocked, SchemaTooNew, StorageError
from plc_tui.storage import JOURNAL_FILE, LOCK_FILE, STAMP_FILE, TMP_SUFFIX, Storage, TableSpec
from tests.conftest import seed_left_right

# -- helpers ----------------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "data"


def rows(storage: Storage, namespace: str, name: str, partition: str | None = None) -> list:
    with storage.read() as view:
        return view.table(namespace, name, partition).all()


def disk_rows(root: Path, namespace: str, name: str, partition: str | None = None) -> list:
    """What a brand-new process would read (no cache shared with the caller)."""
    return rows(Storage(root), namespace, name, partition)


def file_state(path: Path) -> tuple[bytes, int, int]:
    st = path.stat()
    return path.read_bytes(), st.st_ino, st.st_mtime_ns


def all_bytes(root: Path) -> dict[str, bytes]:
    """Every file under the data directory (data, stamp, backups) and its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != LOCK_FILE
    }


def run_child(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_marker(marker: Path, proc: subprocess.Popen, limit: float = 120.0) -> None:
    """Wait until the child wrote ``marker`` (a safety limit, not a timing check)."""
    deadline = time.monotonic() + limit
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(f"child exited early ({proc.returncode}): {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            pytest.fail("child never reached the point where it should be killed")
        time.sleep(0.01)


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    proc.stdout.close()
    proc.stderr.close()


# -- transactions -----------------------------------------------------------------


def test_transaction_commits_every_collection_it_wrote(root: Path) -> None:
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ana"})
        tx.table("core", "teams").insert({"name": "Grade 3"})

    assert disk_rows(root, "core", "members") == [{"login": "ana"}]
    assert disk_rows(root, "core", "teams") == [{"name": "Grade 3"}]
    assert rows(storage, "core", "members") == [{"login": "ana"}]
    assert storage.check() == []


def test_exception_inside_transaction_commits_nothing(root: Path) -> None:
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ana"})
        tx.table("core", "teams").insert({"name": "Grade 3"})
    before = all_bytes(root)
    token = storage.change_token()

    with pytest.raises(RuntimeError, match="boom"), storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ben"})
        tx.table("core", "teams").update({"name": "Renamed"}, doc_ids=[1])
        tx.table("core", "teams").insert({"name": "Grade 4"})
        raise RuntimeError("boom")

    assert all_bytes(root) == before
    assert storage.change_token() == token
    # Neither this process's cache nor a fresh process sees the rolled-back data.
    for view_of in (storage, Storage(root)):
        assert rows(view_of, "core", "members") == [{"login": "ana"}]
        assert rows(view_of, "core", "teams") == [{"name": "Grade 3"}]
    # And a later, unrelated commit does not smuggle it onto the disk.
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "cy"})
    assert disk_rows(root, "core", "teams") == [{"name": "Grade 3"}]
    assert disk_rows(root, "core", "members") == [{"login": "ana"}, {"login": "cy"}]


def test_update_that_fails_half_way_is_rolled_back_in_memory_too(root: Path) -> None:
    """TinyDB changes documents in place before it writes; a failure must not leak."""
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("core", "members").insert_multiple([{"name": "a", "n": 1}, {"name": "b", "n": 1}])

    def bump(doc: dict) -> None:
        if doc["name"] == "b":
            raise ValueError("refused")
        doc["n"] = 99

    with pytest.raises(ValueError), storage.transaction() as tx:
        tx.table("core", "members").update(bump)

    expected = [{"name": "a", "n": 1}, {"name": "b", "n": 1}]
    assert rows(storage, "core", "members") == expected
    with storage.transaction() as tx:
        tx.table("core", "teams").insert({"name": "x"})
        tx.table("core", "members").insert({"name": "c", "n": 1})
    assert disk_rows(root, "core", "members") == [*expected, {"name": "c", "n": 1}]


def test_nested_transaction_joins_the_outer_one(root: Path) -> None:
    storage = Storage(root, create=True)
    with pytest.raises(KeyError), storage.transaction() as outer:
        outer.table("core", "members").insert({"login": "ana"})
        with storage.transaction() as inner:
            assert inner is outer
            inner.table("core", "teams").insert({"name": "Grade 3"})
        raise KeyError("late failure")
    assert disk_rows(root, "core", "members") == []
    assert disk_rows(root, "core", "teams") == []
    assert storage.data_files() == []


def test_after_commit_callbacks_run_only_when_the_data_is_stored(root: Path) -> None:
    storage = Storage(root, create=True)
    seen: list[list] = []
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ana"})
        tx.after_commit.append(lambda: seen.append(disk_rows(root, "core", "members")))
    with pytest.raises(RuntimeError), storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ben"})
        tx.after_commit.append(lambda: seen.append(["must not run"]))
        raise RuntimeError
    assert seen == [[{"login": "ana"}]]


def test_read_only_view_refuses_writes_and_keeps_no_trace(root: Path) -> None:
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ana"})
    with pytest.raises(StorageError), storage.read() as view:
        view.table("core", "members").insert({"login": "ben"})
    assert rows(storage, "core", "members") == [{"login": "ana"}]
    assert disk_rows(root, "core", "members") == [{"login": "ana"}]


# -- partitions -------------------------------------------------------------------


def test_each_partition_is_its_own_file_and_writes_leave_others_alone(root: Path) -> None:
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("surveys", "answers", "s1").insert({"survey": "s1", "q": "q1", "value": 4})
        tx.table("surveys", "answers", "s2").insert({"survey": "s2", "q": "q1", "value": 2})

    folder = root / "surveys" / "answers"
    assert sorted(p.name for p in folder.iterdir()) == ["s1.json", "s2.json"]
    assert storage.path_of("surveys", "answers", "s2") == folder / "s2.json"
    other = file_state(folder / "s2.json")

    for value in range(5):
        with storage.transaction() as tx:
            tx.table("surveys", "answers", "s1").insert({"survey": "s1", "q": "q2", "value": value})

    assert file_state(folder / "s2.json") == other
    assert storage.last_changes() == ["surveys/answers/s1.json"]
    assert len(disk_rows(root, "surveys", "answers", "s1")) == 6
    assert disk_rows(root, "surveys", "answers", "s2") == [{"survey": "s2", "q": "q1", "value": 2}]
    with storage.read() as view:
        assert view.partitions("surveys", "answers") == ["s1", "s2"]
        assert view.table("surveys", "answers", "s1").count(Query().value == 4) == 2


def test_partition_names_cannot_escape_the_table_folder(root: Path) -> None:
    storage = Storage(root, create=True)
    for bad in ("../core", "a/b", "", ".hidden"):
        with pytest.raises(ValueError), storage.transaction() as tx:
            tx.table("surveys", "answers", bad)
    with pytest.raises(ValueError):
        storage.path_of("Bad-Name", "answers")


# -- many processes ---------------------------------------------------------------

WORKERS = 8
WRITES = 50


def _counter_worker(root: str, worker: int, start) -> None:  # runs in a child process
    storage = Storage(root, lock_timeout=120)
    start.wait()
    for i in range(WRITES):
        with storage.transaction() as tx:
            counter = tx.table("core", "counter")
            n = counter.get(doc_id=1)["n"]
            counter.update({"n": n + 1}, doc_ids=[1])
            tx.table("core", "records").insert({"worker": worker, "i": i, "seen": n})


def test_eight_processes_writing_at_once_lose_nothing(root: Path) -> None:
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("core", "counter").insert({"n": 0})

    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    procs = [
        ctx.Process(target=_counter_worker, args=(str(root), w, start)) for w in range(WORKERS)
    ]
    for proc in procs:
        proc.start()
    start.set()
    for proc in procs:
        proc.join(300)
    assert [p.exitcode for p in procs] == [0] * WORKERS

    total = WORKERS * WRITES
    records = disk_rows(root, "core", "records")
    assert len(records) == total
    assert disk_rows(root, "core", "counter") == [{"n": total}]
    assert {(r["worker"], r["i"]) for r in records} == {
        (w, i) for w in range(WORKERS) for i in range(WRITES)
    }
    # Every transaction saw the effect of every earlier one: no lost update.
    assert sorted(r["seen"] for r in records) == list(range(total))
    # The parent's long-lived Storage notices the new data too.
    assert rows(storage, "core", "counter") == [{"n": total}]
    assert storage.check() == []
    for path in storage.data_files():
        json.loads(path.read_bytes())


# -- crashes ----------------------------------------------------------------------

CRASH_CHILD = r"""
import os, sys, time
from pathlib import Path
import plc_tui.storage as storage

root, marker, when = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
real_replace = os.replace

def is_data_file(dst):
    rel = Path(dst).relative_to(root)
    return rel.suffix == ".json" and rel.parts[0] != storage.BACKUPS_DIR

def stop_here():
    marker.write_text("stopped")
    time.sleep(600)

def replace(src, dst):
    if when == "before-journal" and Path(dst).name == storage.JOURNAL_FILE:
        stop_here()
    if when == "before-rename" and is_data_file(dst):
        stop_here()
    real_replace(src, dst)
    if when == "after-first-rename" and is_data_file(dst):
        stop_here()

storage.files.os.replace = replace
s = storage.Storage(root)
with s.transaction() as tx:
    tx.table("core", "left").update({"v": "new"}, doc_ids=[1])
    if sys.argv[4] == "both":
        tx.table("core", "right").update({"v": "new"}, doc_ids=[1])
"""


def crash_writer(root: Path, tmp_path: Path, when: str, tables: str = "both") -> None:
    marker = tmp_path / f"stopped-{when}"
    proc = run_child(CRASH_CHILD, str(root), str(marker), when, tables)
    wait_for_marker(marker, proc)
    kill(proc)


def raw_value(root: Path, name: str) -> str:
    return json.loads((root / "core" / f"{name}.json").read_bytes())["_default"]["1"]["v"]


@pytest.mark.parametrize("when", ["after-first-rename", "before-rename"])
def test_writer_killed_mid_commit_is_rolled_forward_by_the_next_read(
    root: Path, tmp_path: Path, when: str
) -> None:
    """Once the journal is on disk the commit has happened, even if no file was renamed."""
    storage = seed_left_right(root)
    assert rows(storage, "core", "left") == [{"v": "old"}]  # warm this process's cache
    watcher = Storage(root)  # e.g. an open screen in another plc process
    token = watcher.change_token()

    crash_writer(root, tmp_path, when)

    on_disk = sorted([raw_value(root, "left"), raw_value(root, "right")])
    if when == "after-first-rename":  # the crash really happened half way
        assert on_disk == ["new", "old"]
    else:
        assert on_disk == ["old", "old"]
    assert (root / JOURNAL_FILE).exists()
    # `plc db check` names the interrupted commit and the files waiting to be renamed.
    problems = [p.file for p in storage.check()]
    assert problems[0] == JOURNAL_FILE
    assert len(problems) == (2 if when == "after-first-rename" else 3)
    assert all(rel.endswith(TMP_SUFFIX) for rel in problems[1:])

    with storage.read() as view:
        assert view.table("core", "left").all() == [{"v": "new"}]
        assert view.table("core", "right").all() == [{"v": "new"}]
    assert not (root / JOURNAL_FILE).exists()
    assert storage.check() == []
    assert disk_rows(root, "core", "right") == [{"v": "new"}]
    # Finishing the commit tells other processes that the data changed.
    assert watcher.change_token() != token
    assert sorted(watcher.last_changes()) == ["core/left.json", "core/right.json"]


def test_writer_killed_mid_commit_is_rolled_forward_by_the_next_transaction(
    root: Path, tmp_path: Path
) -> None:
    seed_left_right(root)
    crash_writer(root, tmp_path, "after-first-rename")

    storage = Storage(root)
    with storage.transaction() as tx:
        left, right = tx.table("core", "left"), tx.table("core", "right")
        assert (left.all(), right.all()) == ([{"v": "new"}], [{"v": "new"}])
        left.insert({"v": "next"})
    assert disk_rows(root, "core", "left") == [{"v": "new"}, {"v": "next"}]
    assert disk_rows(root, "core", "right") == [{"v": "new"}]
    assert storage.check() == []


def test_backup_taken_after_a_crash_mid_commit_is_consistent(root: Path, tmp_path: Path) -> None:
    seed_left_right(root)
    crash_writer(root, tmp_path, "after-first-rename")

    snapshot = Storage(root).backup()

    assert disk_rows(snapshot, "core", "left") == disk_rows(snapshot, "core", "right")
    assert disk_rows(snapshot, "core", "left") == [{"v": "new"}]


@pytest.mark.parametrize(("when", "tables"), [("before-journal", "both"), ("before-rename", "one")])
def test_writer_killed_before_its_commit_leaves_the_old_data(
    root: Path, tmp_path: Path, when: str, tables: str
) -> None:
    storage = seed_left_right(root)
    data_before = {p: p.read_bytes() for p in storage.data_files()}

    crash_writer(root, tmp_path, when, tables)

    assert {p: p.read_bytes() for p in storage.data_files()} == data_before
    assert not (root / JOURNAL_FILE).exists()
    assert rows(Storage(root), "core", "left") == [{"v": "old"}]
    assert rows(storage, "core", "right") == [{"v": "old"}]
    # `plc db check` names only the half-written temporary files, no damaged data.
    problems = storage.check()
    assert problems
    assert all(p.file.endswith(TMP_SUFFIX) for p in problems)
    # And the data directory keeps working.
    with storage.transaction() as tx:
        tx.table("core", "left").update({"v": "later"}, doc_ids=[1])
    assert disk_rows(root, "core", "left") == [{"v": "later"}]
    assert disk_rows(root, "core", "right") == [{"v": "old"}]


# -- damaged files ----------------------------------------------------------------

DAMAGE = {
    "truncated JSON": b'{"_default": {"1": {"login": "ana"',
    "empty file": b"",
    "only whitespace": b"  \n",
    "a JSON list": b"[1, 2, 3]",
    "documents that are not objects": b'{"_default": {"1": 5}}',
    "not UTF-8": b"\xff\xfe\x00garbage",
}


@pytest.mark.parametrize("damage", list(DAMAGE.values()), ids=list(DAMAGE))
def test_damaged_file_is_reported_and_never_overwritten(root: Path, damage: bytes) -> None:
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ana"})
        tx.table("core", "teams").insert({"name": "Grade 3"})
    members = storage.path_of("core", "members")
    members.write_bytes(damage)
    # Damage from outside plc does not move the commit counter: a process that
    # has the file cached keeps its good copy, one that reads it sees the damage.
    storage = Storage(root)

    for reader in (storage, Storage(root)):
        with pytest.raises(CorruptDataError) as info, reader.read() as view:
            view.table("core", "members").all()
        message = str(info.value)
        assert str(members) in message
        assert "plc db restore --file core/members.json" in message
        assert "\n" not in message

    with pytest.raises(CorruptDataError), storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ben"})
    # A transaction that touches the damaged file writes nothing at all.
    with pytest.raises(CorruptDataError), storage.transaction() as tx:
        tx.table("core", "teams").insert({"name": "Grade 4"})
        tx.table("core", "members").update({"login": "x"})
    assert members.read_bytes() == damage
    assert disk_rows(root, "core", "teams") == [{"name": "Grade 3"}]

    # Other collections go on working.
    with storage.transaction() as tx:
        tx.table("core", "teams").insert({"name": "Grade 5"})
    assert disk_rows(root, "core", "teams") == [{"name": "Grade 3"}, {"name": "Grade 5"}]
    assert members.read_bytes() == damage
    assert [p.file for p in storage.check()] == ["core/members.json"]
    with pytest.raises(CorruptDataError):
        storage.backup()


def test_restore_file_brings_back_the_newest_good_generation(root: Path) -> None:
    storage = Storage(root, create=True)
    for login in ("v1", "v2", "v3"):
        with storage.transaction() as tx:
            tx.table("core", "members").insert({"login": login})
    members = storage.path_of("core", "members")
    members.write_bytes(b'{"_default": {')
    token = storage.change_token()

    used = storage.restore_file("core/members.json")

    # Version 1 is a copy of the last commit, so nothing committed is lost.
    assert used.name == "members.json.1"
    everyone = [{"login": "v1"}, {"login": "v2"}, {"login": "v3"}]
    assert rows(storage, "core", "members") == everyone
    assert disk_rows(root, "core", "members") == everyone
    damaged = list(members.parent.glob("members.json.damaged-*"))
    assert len(damaged) == 1
    assert damaged[0].read_bytes() == b'{"_default": {'
    assert storage.check() == []
    assert storage.change_token() != token
    assert storage.last_changes() == ["core/members.json"]
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "v4"})
    assert len(disk_rows(root, "core", "members")) == 4


def test_restore_file_can_pick_an_older_generation_and_skips_damaged_ones(root: Path) -> None:
    storage = Storage(root, create=True)
    for login in ("v1", "v2", "v3"):
        with storage.transaction() as tx:
            tx.table("core", "members").insert({"login": login})
    storage.path_of("core", "members").write_bytes(b"")

    storage.restore_file("core/members.json", generation=2)
    assert disk_rows(root, "core", "members") == [{"login": "v1"}, {"login": "v2"}]

    # Damage the file and its newest kept copy: the next good one is used.
    storage.path_of("core", "members").write_bytes(b"")
    newest = storage.generations_of("core/members.json")[0]
    newest.unlink()
    newest.write_bytes(b"not json")
    used = storage.restore_file("core/members.json")
    assert used.name == "members.json.2"
    assert storage.check() == []


def test_restore_file_without_any_kept_copy_says_what_to_do(root: Path) -> None:
    storage = Storage(root, create=True, generations=0)
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "only"})
    storage.path_of("core", "members").write_bytes(b"")
    with pytest.raises(StorageError, match="plc db restore"):
        storage.restore_file("core/members.json")
    with pytest.raises(StorageError, match="not a data file"):
        storage.restore_file("../outside.json")
    assert storage.path_of("core", "members").read_bytes() == b""


def test_backup_and_restore_snapshot_round_trip_and_keep_a_safety_copy(root: Path) -> None:
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("core", "community").insert({"name": "Test School"})
        tx.table("core", "members").insert({"login": "ana", "role": "admin"})
        tx.table("surveys", "answers", "s1").insert({"value": 1})
    snapshot = storage.backup()
    assert snapshot.parent == storage.snapshots_dir()
    assert storage.snapshots() == [snapshot]

    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ben", "role": "teacher"})
        tx.table("core", "teams").insert({"name": "Grade 3"})
        tx.table("surveys", "answers", "s2").insert({"value": 2})
    after = {p.relative_to(root): p.read_bytes() for p in storage.data_files()}
    rows(storage, "core", "teams")  # warm the cache of the file the restore removes
    token = storage.change_token()

    safety = storage.restore_snapshot(snapshot.name)

    assert rows(storage, "core", "members") == [{"login": "ana", "role": "admin"}]
    assert rows(storage, "core", "teams") == []
    assert disk_rows(root, "surveys", "answers", "s1") == [{"value": 1}]
    with storage.read() as view:
        assert view.partitions("surveys", "answers") == ["s1"]
    assert [p.relative_to(root).as_posix() for p in storage.data_files()] == [
        "core/community.json",
        "core/members.json",
        "surveys/answers/s1.json",
    ]
    assert storage.change_token() != token
    assert storage.check() == []

    # The state just before the restore is kept, whole, as its own snapshot.
    assert safety.name.endswith("-before-restore")
    assert safety in storage.snapshots()
    kept = {p.relative_to(safety): p.read_bytes() for p in safety.rglob("*.json")}
    kept.pop(Path("snapshot.json"))
    assert kept == after
    assert disk_rows(safety, "core", "teams") == [{"name": "Grade 3"}]

    # ... so the restore itself can be undone.
    storage.restore_snapshot(safety.name)
    assert [m["login"] for m in disk_rows(root, "core", "members")] == ["ana", "ben"]


def test_backup_into_a_non_empty_folder_is_refused(root: Path, tmp_path: Path) -> None:
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ana"})
    dest = tmp_path / "elsewhere"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    with pytest.raises(StorageError, match="already exists"):
        storage.backup(dest)
    assert (dest / "keep.txt").read_text() == "mine"
    with pytest.raises(StorageError, match="no snapshot called"):
        storage.restore_snapshot(str(tmp_path / "missing"))


# -- locking ----------------------------------------------------------------------


def test_lock_held_by_another_storage_times_out_with_a_one_line_message(root: Path) -> None:
    holder = Storage(root, create=True)
    entered, release = threading.Event(), threading.Event()

    def hold() -> None:
        with holder.transaction() as tx:
            tx.table("core", "members").insert({"login": "held"})
            entered.set()
            release.wait(60)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert entered.wait(60)
        waiter = Storage(root, lock_timeout=0.3)
        with pytest.raises(DatabaseLocked) as info, waiter.transaction():
            pass
        message = str(info.value)
        assert "\n" not in message
        assert str(root) in message and "locked" in message
        with pytest.raises(DatabaseLocked), waiter.read():
            pass
    finally:
        release.set()
        thread.join()
    with waiter.transaction() as tx:
        tx.table("core", "members").insert({"login": "after"})
    assert disk_rows(root, "core", "members") == [{"login": "held"}, {"login": "after"}]


HOLD_CHILD = r"""
import sys, time
from pathlib import Path
from plc_tui.storage import Storage

with Storage(sys.argv[1]).transaction() as tx:
    tx.table("core", "members").insert({"login": "child"})
    Path(sys.argv[2]).write_text("holding")
    time.sleep(600)
"""


def test_lock_held_by_a_process_times_out_and_is_freed_when_it_dies(
    root: Path, tmp_path: Path
) -> None:
    Storage(root, create=True)
    marker = tmp_path / "holding"
    proc = run_child(HOLD_CHILD, str(root), str(marker))
    try:
        wait_for_marker(marker, proc)
        waiter = Storage(root, lock_timeout=0.3)
        with pytest.raises(DatabaseLocked, match="locked by another plc process"):
            with waiter.transaction():
                pass
    finally:
        kill(proc)
    # The kernel drops a dead process's lock; its uncommitted insert is gone.
    with waiter.transaction() as tx:
        tx.table("core", "members").insert({"login": "parent"})
    assert disk_rows(root, "core", "members") == [{"login": "parent"}]


# -- change notification ----------------------------------------------------------

COMMIT_CHILD = r"""
import sys
from plc_tui.storage import Storage

with Storage(sys.argv[1]).transaction() as tx:
    tx.table("core", "members").insert({"login": "from-child"})
    tx.table("surveys", "answers", "s9").insert({"value": 5})
"""


def test_change_token_follows_commits_from_other_storages_and_processes(root: Path) -> None:
    mine = Storage(root, create=True)
    with mine.transaction() as tx:
        tx.table("core", "members").insert({"login": "ana"})
    token = mine.change_token()

    # Reading, checking, backing up, or a transaction that writes nothing: no change.
    rows(mine, "core", "members")
    with mine.transaction() as tx:
        tx.table("core", "members").all()
    mine.check()
    mine.backup()
    with pytest.raises(RuntimeError), mine.transaction() as tx:
        tx.table("core", "members").insert({"login": "rolled back"})
        raise RuntimeError
    assert mine.change_token() == token

    other = Storage(root)
    with other.transaction() as tx:
        tx.table("core", "teams").insert({"name": "Grade 3"})
    second = mine.change_token()
    assert second != token
    assert mine.last_changes() == ["core/teams.json"]
    assert rows(mine, "core", "teams") == [{"name": "Grade 3"}]

    proc = subprocess.run(
        [sys.executable, "-c", COMMIT_CHILD, str(root)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert mine.change_token() not in (token, second)
    assert sorted(mine.last_changes()) == ["core/members.json", "surveys/answers/s9.json"]
    assert rows(mine, "core", "members") == [{"login": "ana"}, {"login": "from-child"}]
    assert mine.change_token() == other.change_token()


def test_change_token_before_any_commit(root: Path) -> None:
    storage = Storage(root, create=True)
    assert storage.change_token() == storage.change_token()
    assert storage.last_changes() == []
    assert not (root / STAMP_FILE).exists()


# -- migrations -------------------------------------------------------------------


def answers_spec(version: int, **migrations) -> TableSpec:
    steps = {int(k.removeprefix("to")): fn for k, fn in migrations.items()}
    return TableSpec("surveys", "answers", version=version, migrations=steps, partitioned=True)


def notes_spec(version: int, **migrations) -> TableSpec:
    steps = {int(k.removeprefix("to")): fn for k, fn in migrations.items()}
    return TableSpec("core", "notes", version=version, migrations=steps)


def five_point_to_hundred(doc: dict) -> dict:
    return {**doc, "value": doc["value"] * 20, "scale": 100}


def seed_for_migration(root: Path) -> Storage:
    storage = Storage(root, create=True)
    assert storage.migrate([answers_spec(1), notes_spec(1)]) == []
    with storage.transaction() as tx:
        tx.table("surveys", "answers", "s1").insert_multiple(
            [{"q": "q1", "value": 4}, {"q": "q2", "value": 5}]
        )
        tx.table("surveys", "answers", "s2").insert({"q": "q1", "value": 1})
        tx.table("core", "notes").insert({"text": "hello"})
    return storage


def test_migration_transforms_every_document_in_every_partition(root: Path) -> None:
    storage = seed_for_migration(root)

    done = storage.migrate(
        [
            answers_spec(2, to2=five_point_to_hundred),
            notes_spec(
                3,
                to2=lambda d: {**d, "pinned": False},
                to3=lambda d: {"body": d["text"], "pinned": d["pinned"]},
            ),
        ]
    )

    assert done == [
        "surveys/answers: schema 1 -> 2",
        "core/notes: schema 1 -> 2",
        "core/notes: schema 2 -> 3",
    ]
    fresh = Storage(root)
    assert rows(fresh, "surveys", "answers", "s1") == [
        {"q": "q1", "value": 80, "scale": 100},
        {"q": "q2", "value": 100, "scale": 100},
    ]
    assert rows(fresh, "surveys", "answers", "s2") == [{"q": "q1", "value": 20, "scale": 100}]
    assert rows(fresh, "core", "notes") == [{"body": "hello", "pinned": False}]
    with fresh.read() as view:
        assert [d.doc_id for d in view.table("surveys", "answers", "s1").all()] == [1, 2]
        versions = {d["key"]: d["version"] for d in view.table("core", "schema").all()}
    assert versions == {"surveys/answers": 2, "core/notes": 3}

    # Running it again does nothing and writes nothing.
    token = storage.change_token()
    assert storage.migrate([answers_spec(2, to2=five_point_to_hundred), notes_spec(3)]) == []
    assert storage.change_token() == token
    assert rows(storage, "surveys", "answers", "s2") == [{"q": "q1", "value": 20, "scale": 100}]


def test_data_from_a_newer_schema_is_refused_and_left_alone(root: Path) -> None:
    storage = seed_for_migration(root)
    storage.migrate([answers_spec(2, to2=five_point_to_hundred)])
    before = all_bytes(root)

    with pytest.raises(SchemaTooNew) as info:
        storage.migrate([notes_spec(2, to2=lambda d: {**d, "x": 1}), answers_spec(1)])

    assert "surveys/answers" in str(info.value) and "upgrade plc" in str(info.value)
    assert "\n" not in str(info.value)
    assert all_bytes(root) == before
    assert rows(storage, "core", "notes") == [{"text": "hello"}]


def test_missing_migration_step_changes_nothing(root: Path) -> None:
    storage = seed_for_migration(root)
    before = all_bytes(root)
    with pytest.raises(StorageError, match="no migration to schema 3"):
        storage.migrate([answers_spec(3, to2=five_point_to_hundred)])
    assert all_bytes(root) == before
    assert rows(storage, "surveys", "answers", "s2") == [{"q": "q1", "value": 1}]


# -- file permissions -------------------------------------------------------------

UMASK_CHILD = r"""
import os, sys
os.umask(int(sys.argv[2], 8))
from plc_tui.storage import Storage

storage = Storage(sys.argv[1], create=True)
for n in range(2):
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ana"})
        tx.table("surveys", "answers", "s1").insert({"value": n})
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("umask", "file_mode", "dir_mode"),
    [(0o002, 0o664, 0o775), (0o022, 0o644, 0o755), (0o077, 0o600, 0o700)],
)
def test_new_files_follow_the_umask(root: Path, umask: int, file_mode: int, dir_mode: int) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", UMASK_CHILD, str(root), oct(umask)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr

    for rel in ("core/members.json", "surveys/answers/s1.json", LOCK_FILE, STAMP_FILE):
        assert mode(root / rel) == file_mode, rel
    for rel in (".", "core", "surveys/answers"):
        assert mode(root / rel) == dir_mode, rel


def test_an_existing_files_mode_is_kept_across_rewrites(root: Path) -> None:
    storage = Storage(root, create=True)
    with storage.transaction() as tx:
        tx.table("core", "members").insert({"login": "ana"})
    members = storage.path_of("core", "members")
    members.chmod(0o640)
    for login in ("ben", "cy"):
        with storage.transaction() as tx:
            tx.table("core", "members").insert({"login": login})
    assert mode(members) == 0o640
    assert len(disk_rows(root, "core", "members")) == 3
    assert not list(root.rglob(f"*{TMP_SUFFIX}"))


def test_files_that_are_not_collections_are_left_alone(tmp_path) -> None:
    storage = Storage(tmp_path / "data", create=True)
    with storage.transaction() as tx:
        tx.table("core", "community").insert({"name": "Test School"})
        tx.table("core", "members").insert({"login": "a", "role": "admin"})
        tx.table("surveys", "responses", "3").insert({"answers": {}})
    stray = tmp_path / "data" / "manual-copy" / "core" / "members.json"
    stray.parent.mkdir(parents=True)
    stray.write_text("not json at all")
    (tmp_path / "data" / "notes.json").write_text("{}")

    rels = [storage.relative(p) for p in storage.data_files()]
    assert rels == ["core/community.json", "core/members.json", "surveys/responses/3.json"]
    assert storage.check() == []
    snapshot = storage.backup()
    storage.restore_snapshot(snapshot.name)
    assert stray.read_text() == "not json at all"

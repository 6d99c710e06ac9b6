"""Summaries kept beside data files, partitions dropped in a commit, and files
written in id order: what lets a survey's answers be listed without being read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from plc_tui.storage import Storage, TableSpec, summaries
from tests.conftest import record_parses


def count(docs: Any) -> int:
    return len(docs)


def make(root: Path, **rules: Any) -> Storage:
    storage = Storage(root, create=True)
    storage.migrate([TableSpec("demo", "items", partitioned=True, history=False, **rules)])
    return storage


def add(storage: Storage, part: str, n: int) -> None:
    with storage.transaction() as tx:
        for k in range(n):
            tx.table("demo", "items", part).insert({"k": k})


def summary(storage: Storage, part: str) -> int:
    with storage.read() as view:
        return view.summary("demo", "items", part, "count", count)


def test_a_summary_is_kept_beside_the_file_and_read_without_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    writer = make(root)
    add(writer, "a", 5)
    assert summary(writer, "a") == 5
    kept = json.loads((root / ".plc.cache" / "demo" / "items" / "a.json").read_text())
    assert kept["values"] == {"count": 5}

    parsed = record_parses(monkeypatch, "items")
    other = Storage(root)  # another plc process: its own caches are empty
    assert summary(other, "a") == 5
    assert parsed == [], "the summary was read from beside the file, not the file"


def test_a_summary_asked_for_in_the_transaction_that_wrote_is_kept_with_the_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    storage = make(root)
    with storage.transaction() as tx:
        tx.table("demo", "items", "a").insert({"k": 1})
        assert tx.summary("demo", "items", "a", "count", count) == 1
    parsed = record_parses(monkeypatch, "items")
    assert summary(Storage(root), "a") == 1
    assert parsed == []


def test_a_summary_is_computed_again_after_any_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    mine, theirs = make(root), Storage(root)
    add(mine, "a", 2)
    assert summary(mine, "a") == summary(theirs, "a") == 2
    add(theirs, "a", 3)  # another process writes
    assert summary(mine, "a") == 5
    # Changed by something other than plc (a restore by hand): the file decides.
    path = root / "demo" / "items" / "a.json"
    path.write_text(json.dumps({"_default": {"1": {"k": 0}}}))
    assert summary(mine, "a") == summary(Storage(root), "a") == 1
    # A signature that repeats (inode reused in the same clock tick) is not trusted
    # over the commit counter.
    monkeypatch.setattr(summaries, "signature", lambda path: (1, 2, 3, 4))
    add(theirs, "a", 1)
    assert summary(mine, "a") == summary(Storage(root), "a") == 2
    add(mine, "a", 1)
    assert summary(theirs, "a") == 3


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"sig": 1, "values": []}', b"[]"])
def test_a_damaged_or_missing_summary_is_computed_again(tmp_path: Path, damage: bytes) -> None:
    root = tmp_path / "data"
    storage = make(root)
    add(storage, "a", 4)
    summary(storage, "a")
    kept = root / ".plc.cache" / "demo" / "items" / "a.json"
    kept.write_bytes(damage)
    assert summary(Storage(root), "a") == 4
    kept.unlink()
    assert summary(Storage(root), "a") == 4


def test_a_summary_that_cannot_be_kept_is_still_right(tmp_path: Path) -> None:
    root = tmp_path / "data"
    storage = make(root)
    add(storage, "a", 3)
    (root / ".plc.cache").write_text("not a folder")  # nothing can be kept there
    assert summary(Storage(root), "a") == 3
    add(storage, "a", 1)
    assert summary(storage, "a") == summary(Storage(root), "a") == 4
    assert (root / ".plc.cache").read_text() == "not a folder"


def test_keep_order_false_writes_documents_in_id_order(tmp_path: Path) -> None:
    root = tmp_path / "data"
    storage = make(root, keep_order=False)
    storage.migrate([TableSpec("demo", "log", partitioned=True)])
    from tinydb.table import Document

    with storage.transaction() as tx:
        for doc_id in (907, 15, 300):
            tx.table("demo", "items", "a").insert(Document({"v": doc_id}, doc_id=doc_id))
            tx.table("demo", "log", "a").insert(Document({"v": doc_id}, doc_id=doc_id))
    with storage.transaction() as tx:
        tx.table("demo", "items", "a").insert(Document({"v": 2}, doc_id=2))
        tx.table("demo", "log", "a").insert(Document({"v": 2}, doc_id=2))
    ordered = json.loads((root / "demo" / "items" / "a.json").read_text())["_default"]
    as_added = json.loads((root / "demo" / "log" / "a.json").read_text())["_default"]
    assert list(ordered) == ["2", "15", "300", "907"]
    assert list(as_added) == ["907", "15", "300", "2"]
    with storage.read() as view:  # the cache holds what the disk holds
        assert [d.doc_id for d in view.table("demo", "items", "a").all()] == [2, 15, 300, 907]


def test_a_dropped_partition_goes_in_the_same_commit(tmp_path: Path) -> None:
    root = tmp_path / "data"
    storage = make(root)
    add(storage, "old", 3)
    summary(storage, "old")
    with storage.transaction() as tx:
        docs = tx.table("demo", "items", "old").all()
        tx.table("demo", "items", "new").insert_multiple(dict(d) for d in docs)
        tx.drop("demo", "items", "old")
    assert not (root / "demo" / "items" / "old.json").exists()
    assert not (root / ".plc.cache" / "demo" / "items" / "old.json").exists()
    assert sorted(storage.last_changes()) == ["demo/items/new.json", "demo/items/old.json"]
    other = Storage(root)
    with other.read() as view:
        assert view.partitions("demo", "items") == ["new"]
        assert len(view.table("demo", "items", "new")) == 3
    assert summary(other, "old") == 0
    assert other.check() == []


def test_a_drop_that_fails_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    root = tmp_path / "data"
    storage = make(root)
    add(storage, "old", 2)
    before = (root / "demo" / "items" / "old.json").read_bytes()
    with pytest.raises(RuntimeError), storage.transaction() as tx:
        tx.table("demo", "items", "new").insert({"k": 1})
        tx.drop("demo", "items", "old")
        raise RuntimeError("stop")
    assert (root / "demo" / "items" / "old.json").read_bytes() == before
    assert not (root / "demo" / "items" / "new.json").exists()


def test_documents_are_shared_in_a_read_view_until_the_file_changes_and_copies_to_write(
    runtime: Any,
) -> None:
    ctx = runtime.context("smart_goals")
    with ctx.transaction() as tables:
        tables.table("goals").insert({"team": "grade-3", "title": "Reading"})
    with ctx.read() as tables:
        first = tables.documents("goals")
    with ctx.read() as tables:
        assert tables.documents("goals") is first  # the same objects: nothing copied
    assert [(d["id"], d["title"]) for d in first] == [(1, "Reading")]

    with ctx.transaction() as tables:
        (mine,) = tables.documents("goals")
        mine["title"] = "changed in my copy only"
        assert tables.table("goals").get(doc_id=1)["title"] == "Reading"
        tables.table("goals").update({"title": "Reading, Grade 3"}, doc_ids=[1])
    with ctx.read() as tables:
        after = tables.documents("goals")
    assert after is not first and [d["title"] for d in after] == ["Reading, Grade 3"]
    assert first[0]["title"] == "Reading"  # what an earlier reader holds is left as it was


def test_a_new_version_of_a_summary_drops_the_old_one_and_keeps_the_others(
    tmp_path: Path,
) -> None:
    root = tmp_path / "data"
    storage = make(root)
    add(storage, "a", 3)
    with storage.read() as view:
        assert view.summary("demo", "items", "a", "count-1", count) == 3
        assert view.summary("demo", "items", "a", "keys", lambda docs: sorted(docs)) == [
            "1",
            "2",
            "3",
        ]
        assert view.summary("demo", "items", "a", "count-2", lambda docs: {"n": len(docs)}) == {
            "n": 3
        }
    kept = json.loads((root / ".plc.cache" / "demo" / "items" / "a.json").read_text())
    assert kept["values"] == {"keys": ["1", "2", "3"], "count-2": {"n": 3}}


def test_a_commit_of_very_many_files_is_recorded_as_everything(tmp_path: Path) -> None:
    from plc_tui.storage import changes

    root = tmp_path / "data"
    storage = make(root)
    with storage.transaction() as tx:
        for part in range(changes.MANY + 1):
            tx.table("demo", "items", f"p{part}").insert({"k": part})
    counter, recent = changes.read(root)
    assert recent[-1] == (counter, [changes.EVERYTHING])
    assert changes.changed_since(counter - 1, counter, recent) is None  # every cache drops
    assert (root / changes.STAMP_FILE).stat().st_size < 1000
    add(storage, "p1", 1)
    assert summary(storage, "p1") == 2  # read again after the large commit, and after

"""One document read alone: the offsets of each document in a file's text, kept per
version of the file, and ``document()``, which parses only the one asked for and
is never wrong when the file changed, was damaged or its offsets are stale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from plc_tui.errors import CorruptDataError
from plc_tui.storage import Storage, TableSpec
from plc_tui.storage.spans import document_spans
from tests.conftest import record_parses

TRICKY = {
    "1": {"title": 'quotes " and braces } { and \\ backslashes', "n": 1},
    "2": {"title": "Ünïcödé — émoji 🧑‍🏫 and 漢字", "nested": {"a": [1, {"b": "}"}]}},
    "10": {"empty": {}, "list": [], "float": 0.1, "none": None, "yes": True},
}


def spans_of(text: str) -> dict[str, Any]:
    found = document_spans(text, "_default")
    assert found is not None
    return {key: json.loads(text[start:end]) for key, (start, end) in found.items()}


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"_default": TRICKY, "_plc": {"ids": {"next": 11}}}, ensure_ascii=False),
        json.dumps({"_default": TRICKY, "_plc": {"ids": {"next": 11}}}),  # \\u escapes
        json.dumps({"_plc": {"x": [1]}, "_default": TRICKY}, indent=2),  # by hand, spaced
    ],
)
def test_each_documents_text_is_found_exactly(text: str) -> None:
    assert spans_of(text) == TRICKY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"_plc": {"ids": {"next": 1}}}', {}),  # no table: no documents
        ('{"_default": {}}', {}),
        ("[1, 2]", None),  # not an object
        ('{"_default": {"1": [1]}}', None),  # a document that is not an object
        ('{"_default": {"1": {"a": 1}}} trailing', None),
        ('{"_default": {"1": {"a": 1},}}', None),
        ('{"_default": {"1": {"a": 1}', None),  # cut short
        ("", None),
    ],
)
def test_what_is_not_a_plc_file_has_no_spans(text: str, expected: Any) -> None:
    assert document_spans(text, "_default") == expected


def make(root: Path) -> Storage:
    storage = Storage(root, create=True)
    storage.migrate([TableSpec("demo", "items")])
    return storage


def fill(storage: Storage, docs: list[dict[str, Any]]) -> list[int]:
    with storage.transaction() as tx:
        return tx.table("demo", "items").insert_multiple(docs)


def read_one(storage: Storage, doc_id: int) -> Any:
    with storage.read() as view:
        return view.document("demo", "items", None, doc_id)


def test_a_document_is_read_without_parsing_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    ids = fill(make(root), [{"title": f"Survey {n} 🧑‍🏫", "n": n} for n in range(300)])
    parsed = record_parses(monkeypatch, "items")
    reader = Storage(root)  # another process: nothing read yet
    assert read_one(reader, ids[123]) == {"title": "Survey 123 🧑‍🏫", "n": 123}
    assert read_one(Storage(root), ids[7]) == {"title": "Survey 7 🧑‍🏫", "n": 7}
    assert read_one(reader, 99_999) is None
    assert parsed == []
    assert (root / ".plc.cache" / "demo" / "items.spans.json").exists()
    with reader.read() as view:  # the caller's own copy
        view.document("demo", "items", None, ids[1])["n"] = "changed"
    assert read_one(reader, ids[1])["n"] == 1


def test_another_processs_change_is_seen(tmp_path: Path) -> None:
    root = tmp_path / "data"
    writer = make(root)
    ids = fill(writer, [{"n": n} for n in range(5)])
    reader = Storage(root)
    assert read_one(reader, ids[2]) == {"n": 2}
    with writer.transaction() as tx:
        tx.table("demo", "items").update({"n": "two, and longer now"}, doc_ids=[ids[2]])
        tx.table("demo", "items").remove(doc_ids=[ids[0]])
    assert read_one(Storage(root), ids[2]) == {"n": "two, and longer now"}
    assert read_one(reader, ids[2]) == {"n": "two, and longer now"}
    assert read_one(reader, ids[0]) is None
    assert read_one(reader, ids[4]) == {"n": 4}


def test_a_transaction_sees_its_own_change(tmp_path: Path) -> None:
    storage = make(tmp_path / "data")
    ids = fill(storage, [{"n": 1}])
    with storage.transaction() as tx:
        tx.table("demo", "items").update({"n": 2}, doc_ids=[ids[0]])
        new = tx.table("demo", "items").insert({"n": 3})
        assert tx.document("demo", "items", None, ids[0]) == {"n": 2}
        assert tx.document("demo", "items", None, new) == {"n": 3}


def test_stale_offsets_never_give_a_wrong_document(tmp_path: Path) -> None:
    root = tmp_path / "data"
    ids = fill(make(root), [{"n": n} for n in range(20)])
    assert read_one(Storage(root), ids[5]) == {"n": 5}
    kept = root / ".plc.cache" / "demo" / "items.spans.json"
    cache = json.loads(kept.read_text())
    spans = cache["values"]["spans"]
    spans[str(ids[5])] = spans[str(ids[6])]  # offsets of another document
    spans[str(ids[7])] = [0, 3]  # offsets of nothing
    kept.write_text(json.dumps(cache))
    reader = Storage(root)
    assert read_one(reader, ids[5]) == {"n": 5}
    assert read_one(reader, ids[7]) == {"n": 7}


def test_a_damaged_file_is_reported_not_half_read(tmp_path: Path) -> None:
    root = tmp_path / "data"
    ids = fill(make(root), [{"n": 1}, {"n": 2}])
    path = root / "demo" / "items.json"
    path.write_text(path.read_text()[:-3])  # cut short, as by a full disk
    with pytest.raises(CorruptDataError, match=r"items\.json"):
        read_one(Storage(root), ids[0])
    path.write_bytes(b"\xff\xfe not text")
    with pytest.raises(CorruptDataError, match="not UTF-8"):
        read_one(Storage(root), ids[0])


def test_a_missing_file_is_an_empty_table(tmp_path: Path) -> None:
    assert read_one(make(tmp_path / "data"), 1) is None

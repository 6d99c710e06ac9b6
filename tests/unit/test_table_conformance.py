"""TinyDB's documented Table behaviour, run against plain TinyDB and plc's tables.

Each scenario runs once on a plain TinyDB file and once on a table plc hands to a
plugin (inside one transaction, as a plugin uses it); the two must agree. The
tests after them cover what plc promises beyond one transaction: its cache must
behave as if every operation re-read the file, as plain TinyDB does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tinydb import Query, TinyDB
from tinydb.operations import add, decrement, delete, increment, set
from tinydb.table import Document

from plc_tui.errors import StorageError
from plc_tui.storage import Storage, UnstorableValue

Q = Query()


@pytest.fixture(params=["tinydb", "plc"])
def table(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "tinydb":
        db = TinyDB(tmp_path / "plain.json")
        yield db.table("_default")
        db.close()
    else:
        storage = Storage(tmp_path / "data", create=True)
        with storage.transaction() as tx:
            yield tx.table("demo", "things")


def outcome(action: Callable[[], Any]) -> Any:
    """What a call returned, or the kind of error it raised."""
    try:
        return ("ok", action())
    except (ValueError, TypeError, KeyError, RuntimeError) as exc:
        return ("error", ValueError if isinstance(exc, ValueError) else type(exc))


def state(table: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(doc.doc_id, dict(doc)) for doc in table.all()]


SCENARIOS: dict[str, Callable[[Any], Any]] = {}


def scenario(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    SCENARIOS[fn.__name__] = fn
    return fn


@scenario
def insert_and_read(t: Any) -> Any:
    ids = [t.insert({"name": "ana", "n": 1}), t.insert({"name": "ben", "n": 2})]
    return ids, state(t), len(t), t.get(doc_id=2), t.get(Q.name == "ana").doc_id


@scenario
def insert_multiple_and_search(t: Any) -> Any:
    ids = t.insert_multiple({"k": k, "even": k % 2 == 0} for k in range(6))
    return ids, [d["k"] for d in t.search(Q.even == True)], t.count(Q.k > 2)  # noqa: E712


@scenario
def get_many_contains_and_missing(t: Any) -> Any:
    t.insert_multiple([{"a": 1}, {"a": 2}, {"a": 3}])
    return (
        [d["a"] for d in t.get(doc_ids=[1, 3])],
        t.contains(Q.a == 2),
        t.contains(doc_id=9),
        t.get(doc_id=9),
        t.get(Q.a == 9),
    )


@scenario
def update_fields_by_query_and_ids(t: Any) -> Any:
    t.insert_multiple([{"a": 1}, {"a": 2}, {"a": 3}])
    first = t.update({"b": True}, Q.a >= 2)
    second = t.update({"a": 10}, doc_ids=[1, 7])
    return first, second, state(t)


@scenario
def update_with_callable_and_operations(t: Any) -> Any:
    t.insert_multiple([{"n": 1, "tags": ["x"]}, {"n": 5, "tags": []}])

    def tag(doc: dict[str, Any]) -> None:
        doc["tags"].append("y")

    t.update(tag, Q.n == 1)
    t.update(increment("n"))
    t.update(add("n", 10), doc_ids=[2])
    t.update(decrement("n"), Q.n > 10)
    t.update(set("s", "v"), doc_ids=[1])
    t.update(delete("tags"), doc_ids=[2])
    return state(t)


@scenario
def update_all_and_update_multiple(t: Any) -> Any:
    t.insert_multiple([{"k": "a"}, {"k": "b"}, {"k": "c"}])
    everyone = t.update({"seen": 1})
    several = t.update_multiple([({"x": 1}, Q.k == "a"), ({"x": 2}, Q.k == "c")])
    return everyone, several, state(t)


@scenario
def upsert_updates_or_inserts(t: Any) -> Any:
    t.insert({"login": "ana", "v": 1})
    updated = t.upsert({"login": "ana", "v": 2}, Q.login == "ana")
    inserted = t.upsert({"login": "ben", "v": 1}, Q.login == "ben")
    by_id = t.upsert(Document({"v": 3}, doc_id=1))
    new_id = t.upsert(Document({"v": 9}, doc_id=12))
    return updated, inserted, by_id, new_id, state(t)


@scenario
def upsert_without_query_or_id_is_refused(t: Any) -> Any:
    return outcome(lambda: t.upsert({"a": 1}))


@scenario
def remove_then_insert_does_not_reuse_ids(t: Any) -> Any:
    t.insert_multiple([{"a": 1}, {"a": 2}, {"a": 3}])
    removed = t.remove(Q.a == 3)
    also = t.remove(doc_ids=[1, 8])
    new_id = t.insert({"a": 4})
    return removed, also, new_id, state(t)


@scenario
def document_with_its_own_id(t: Any) -> Any:
    given = t.insert(Document({"a": 1}, doc_id=40))
    following = t.insert({"a": 2})
    duplicate = outcome(lambda: t.insert(Document({"a": 3}, doc_id=40)))
    many = t.insert_multiple([Document({"b": 1}, doc_id=50), {"b": 2}])
    return given, following, duplicate, many, state(t)


@scenario
def truncate_empties_the_table(t: Any) -> Any:
    t.insert_multiple([{"a": 1}, {"a": 2}])
    t.truncate()
    return len(t), t.all()


@scenario
def non_mapping_is_refused(t: Any) -> Any:
    return outcome(lambda: t.insert(["not", "a", "dict"])), len(t)  # type: ignore[arg-type]


@scenario
def returned_documents_are_copies(t: Any) -> Any:
    t.insert({"tags": ["a"], "meta": {"k": 1}})
    doc = t.get(doc_id=1)
    doc["tags"].append("changed")
    doc["meta"]["k"] = 99
    doc["top"] = "changed"
    for listed in t.all():
        listed["tags"].append("again")
    t.insert({"other": True})  # a later write must not save those changes
    return state(t)


@scenario
def failed_update_changes_nothing(t: Any) -> Any:
    t.insert_multiple([{"n": 1, "l": []}, {"n": 2, "l": []}, {"n": 3, "l": []}])

    def breaks_on_two(doc: dict[str, Any]) -> None:
        doc["l"].append("touched")
        doc["n"] = doc["n"] * 10
        if doc["n"] == 20:
            raise KeyError("boom")

    failed = outcome(lambda: t.update(breaks_on_two))
    t.insert({"n": 4, "l": []})  # a later write must not save a partial update
    return failed, state(t)


@scenario
def values_come_back_as_json_holds_them(t: Any) -> Any:
    t.insert({"pair": (1, 2), "nested": {"inner": (3, [4, (5,)])}, "keys": {1: "one"}})
    return state(t)


@scenario
def inserted_dict_is_not_shared_with_the_caller(t: Any) -> Any:
    mine = {"tags": ["a"]}
    t.insert(mine)
    mine["tags"].append("later")
    mine["new"] = 1
    t.insert({"other": 1})
    return state(t)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_plc_tables_agree_with_plain_tinydb(name: str, tmp_path: Path) -> None:
    plain_db = TinyDB(tmp_path / "plain.json")
    expected = SCENARIOS[name](plain_db.table("_default"))
    on_disk_plain = state(plain_db.table("_default"))
    plain_db.close()

    storage = Storage(tmp_path / "data", create=True)
    with storage.transaction() as tx:
        got = SCENARIOS[name](tx.table("demo", "things"))
    assert got == expected
    # And what plc committed is what plain TinyDB has on disk.
    with Storage(tmp_path / "data").read() as view:
        assert state(view.table("demo", "things")) == on_disk_plain


def test_the_fixture_serves_both(table: Any) -> None:
    assert table.insert({"a": 1}) == 1


# -- beyond one transaction: what plc adds -----------------------------------------


@pytest.fixture
def storage(tmp_path: Path) -> Storage:
    return Storage(tmp_path / "data", create=True)


def fresh(storage: Storage) -> list[tuple[int, dict[str, Any]]]:
    """What another process reads from disk."""
    with Storage(storage.root).read() as view:
        return state(view.table("demo", "things"))


def test_ids_are_never_reused_across_transactions(storage: Storage) -> None:
    for n in (1, 2, 3):
        with storage.transaction() as tx:
            assert tx.table("demo", "things").insert({"n": n}) == n
    with storage.transaction() as tx:
        tx.table("demo", "things").remove(doc_ids=[3])
    with storage.transaction() as tx:
        tx.table("demo", "things").truncate()
    with Storage(storage.root).transaction() as tx:  # another process, no memory of them
        assert tx.table("demo", "things").insert({"n": 4}) == 4


def test_a_table_kept_after_its_transaction_refuses_everything(storage: Storage) -> None:
    with storage.transaction() as tx:
        kept = tx.table("demo", "things")
        kept.insert({"n": 1})
    with storage.read() as view:
        seen = view.table("demo", "things")
    for late in (kept, seen):
        for call in (
            lambda t=late: t.insert({"n": 2}),
            lambda t=late: t.all(),
            lambda t=late: t.update({"n": 3}),
            lambda t=late: len(t),
        ):
            with pytest.raises(StorageError, match="after its transaction ended"):
                call()
    assert fresh(storage) == [(1, {"n": 1})]


def test_changes_to_returned_documents_never_reach_the_cache_or_disk(storage: Storage) -> None:
    with storage.transaction() as tx:
        tx.table("demo", "things").insert({"tags": ["a"]})
    with storage.read() as view:
        doc = view.table("demo", "things").get(doc_id=1)
    doc["tags"].append("sneaky")
    with storage.transaction() as tx:
        tx.table("demo", "things").insert({"tags": []})
    with storage.read() as view:
        assert view.table("demo", "things").get(doc_id=1) == {"tags": ["a"]}
    assert fresh(storage)[0] == (1, {"tags": ["a"]})


def test_a_caught_partial_update_is_not_saved_by_the_next_write(storage: Storage) -> None:
    with storage.transaction() as tx:
        tx.table("demo", "things").insert_multiple([{"n": 1}, {"n": 2}])
    with storage.transaction() as tx:
        things = tx.table("demo", "things")

        def fails_on_second(doc: dict[str, Any]) -> None:
            doc["n"] += 100
            if doc["n"] == 102:
                raise RuntimeError("plugin bug")

        with pytest.raises(RuntimeError):
            things.update(fails_on_second)
        things.insert({"n": 3})
    assert fresh(storage) == [(1, {"n": 1}), (2, {"n": 2}), (3, {"n": 3})]


def test_the_writer_sees_what_the_disk_holds(storage: Storage) -> None:
    with storage.transaction() as tx:
        tx.table("demo", "things").insert({"pair": (1, 2), "by": {7: "x"}})
    with storage.read() as view:
        mine = state(view.table("demo", "things"))
    assert mine == fresh(storage) == [(1, {"pair": [1, 2], "by": {"7": "x"}})]


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"score": math.nan}, "score"),
        ({"score": math.inf}, "score"),
        ({"answers": {"q1": {1, 2}}}, "answers.q1"),
        ({"answers": [1, object()]}, "answers[1]"),
        ({"when": {(1, 2): "pair key"}}, "when.(1, 2)"),
    ],
)
def test_a_value_json_cannot_hold_is_refused_at_insert_naming_the_field(
    storage: Storage, value: dict[str, Any], field: str
) -> None:
    with storage.transaction() as tx:
        things = tx.table("demo", "things")
        things.insert({"ok": 1})
        with pytest.raises(
            UnstorableValue, match=re.escape(f"field {field} cannot be stored")
        ) as info:
            things.insert(value)
        assert "\n" not in str(info.value)
        with pytest.raises(UnstorableValue):
            things.update(value, doc_ids=[1])
    # The rest of the transaction is stored; the refused value is not.
    assert fresh(storage) == [(1, {"ok": 1})]
    assert "NaN" not in (storage.root / "demo" / "things.json").read_text()

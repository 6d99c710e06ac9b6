"""The TinyDB tables plc hands to plugins: TinyDB's documented behaviour, kept
true when the data is cached in memory and shared across transactions.

Plain TinyDB re-reads its JSON file for every operation, so a document a caller
changes, a value JSON cannot hold or an update that fails half-way never
reaches the disk. plc serves tables from a cache, so this module keeps the same
promises explicitly (``tests/unit/test_table_conformance.py`` runs TinyDB's
documented behaviour against both, side by side):

- documents returned to callers are deep copies: changing one changes nothing
  stored;
- what goes in is checked and copied as JSON at the call that stores it, so the
  cache holds what the disk holds (lists, string keys) and a value JSON cannot
  hold (a set, NaN) is refused there, naming the field;
- an update that raises part-way changes nothing;
- a table whose transaction has ended refuses every call;
- document ids are never reused, even after a remove in an earlier transaction
  (ids often name other records, such as a survey's partitions).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tinydb.storages import Storage as TinyStorage
from tinydb.table import Document, Table

from ..errors import ValidationError

if TYPE_CHECKING:
    from .store import Transaction

META_TABLE = "_plc"  # per-file bookkeeping beside TinyDB's tables: the id high-water mark


class UnstorableValue(ValidationError, ValueError):
    """A value that JSON cannot hold (a set, NaN, a non-string key, ...)."""


def json_copy(value: Any) -> Any:
    """A deep copy of plain JSON data (dicts, lists, strings, numbers)."""
    kind = type(value)
    if kind is dict:
        return {k: json_copy(v) for k, v in value.items()}
    if kind is list:
        return [json_copy(v) for v in value]
    return value


def _where(value: Any, path: str) -> str | None:
    """The dotted path of the first value in ``value`` that JSON cannot hold."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            # JSON turns number, true/false and null keys into text, as TinyDB's file does.
            if not (key is None or isinstance(key, str | int | float | bool)):
                return f"{path}.{key!r}" if path else repr(key)
            found = _where(item, f"{path}.{key}" if path else key)
            if found:
                return found
        return None
    if isinstance(value, list | tuple):
        for n, item in enumerate(value):
            found = _where(item, f"{path}[{n}]")
            if found:
                return found
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return path or "value"
    if value is None or isinstance(value, str | int | float | bool):
        return None
    return path or "value"


def to_json(value: Mapping[str, Any]) -> dict[str, Any]:
    """``value`` as the disk will hold it, or :class:`UnstorableValue` naming the field."""
    if not isinstance(value, Mapping):
        raise ValueError("Document is not a Mapping")
    bad = _where(value, "")
    if bad is not None:
        raise UnstorableValue(
            f"field {bad} cannot be stored: only text, numbers (not NaN or infinity), "
            f"true/false, null, lists and objects can."
        )
    return json.loads(json.dumps(dict(value), ensure_ascii=False))


class _ReturnedDocument(Document):
    """A document given to a caller: its own copy, so changes to it stay with it."""

    def __init__(self, value: Mapping[str, Any], doc_id: int) -> None:
        super().__init__(json_copy(value), doc_id)


class TxTableStorage(TinyStorage):
    """TinyDB's storage for one file inside one transaction."""

    def __init__(self, tx: Transaction, path: Any) -> None:
        self.tx = tx
        self.path = path
        self.writing = False
        self.next_id: int | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        self.tx.check_open()
        data = self.tx.load(self.path)
        if not self.writing:
            return data
        # TinyDB changes the documents it reads before it writes them: hand it
        # copies one level deep, so an operation that fails leaves the cache as it was.
        return {name: {k: dict(d) for k, d in docs.items()} for name, docs in data.items()}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.tx.check_open()
        if self.next_id is not None:
            data[META_TABLE] = {"ids": {"next": self.next_id}}
        self.tx.stage(self.path, data)


class PlcTable(Table):
    """A TinyDB :class:`~tinydb.table.Table` with the promises listed above."""

    document_class = _ReturnedDocument

    def __init__(self, storage: TxTableStorage, name: str) -> None:
        super().__init__(storage, name, cache_size=0)
        self.plc_storage = storage

    # -- ids ------------------------------------------------------------------

    def _stored_next(self) -> int:
        data = self.plc_storage.tx.load(self.plc_storage.path)
        mark = data.get(META_TABLE, {}).get("ids", {}).get("next", 1)
        ids = [int(k) for k in data.get(self.name, {})]
        return max([int(mark), *(i + 1 for i in ids)])

    def _claim(self, documents: list[Mapping[str, Any]]) -> list[Document]:
        """Give each document its id: its own if it is a Document, else the next one.

        Only ids plc assigns move the mark kept in the file; a table whose
        callers choose their own ids (random ones, for anonymous answers) keeps
        no mark, so nothing in it records an earlier state of the table.
        """
        storage = self.plc_storage
        out = []
        for document in documents:
            clean = to_json(document)
            if isinstance(document, Document) and getattr(document, "doc_id", None) is not None:
                out.append(Document(clean, int(document.doc_id)))
                continue
            doc_id = storage.next_id if storage.next_id is not None else self._stored_next()
            storage.next_id = doc_id + 1
            out.append(Document(clean, doc_id))
        return out

    # -- writes -----------------------------------------------------------------

    def _write(self, operation: Callable[[], Any]) -> Any:
        self.plc_storage.tx.check_open()
        self.plc_storage.writing = True
        try:
            return operation()
        finally:
            self.plc_storage.writing = False

    def insert(self, document: Mapping[str, Any]) -> int:
        (doc,) = self._claim([document])
        return self._write(lambda: super(PlcTable, self).insert(self._as_own(doc)))

    def insert_multiple(self, documents: Iterable[Mapping[str, Any]]) -> list[int]:
        docs = [self._as_own(d) for d in self._claim(list(documents))]
        return self._write(lambda: super(PlcTable, self).insert_multiple(docs))

    def _as_own(self, doc: Document) -> Document:
        # TinyDB keeps a Document's id only when it is of this table's document class.
        own = dict.__new__(self.document_class)
        dict.update(own, doc)
        own.doc_id = doc.doc_id
        return own

    def update(
        self,
        fields: Mapping[str, Any] | Callable[[dict[str, Any]], None],
        cond: Any = None,
        doc_ids: Iterable[int] | None = None,
    ) -> list[int]:
        change = self._safe(fields)
        return self._write(lambda: super(PlcTable, self).update(change, cond, doc_ids))

    def update_multiple(self, updates: Iterable[tuple[Any, Any]]) -> list[int]:
        safe = [(self._safe(fields), cond) for fields, cond in updates]
        return self._write(lambda: super(PlcTable, self).update_multiple(safe))

    def upsert(self, document: Mapping[str, Any], cond: Any = None) -> list[int]:
        if isinstance(document, Document) and getattr(document, "doc_id", None) is not None:
            doc_ids = [int(document.doc_id)]
            if self.update(document, doc_ids=doc_ids):
                return doc_ids
            return [self.insert(document)]
        if cond is None:
            raise ValueError(
                "If you don't specify a search query, you must specify a doc_id. "
                "Hint: use a table.Document object."
            )
        updated = self.update(document, cond)
        return updated if updated else [self.insert(document)]

    def remove(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        return self._write(lambda: super(PlcTable, self).remove(cond, doc_ids))

    def truncate(self) -> None:
        # The mark stays in the file, so ids are not reused after a truncate either.
        self._write(lambda: super(PlcTable, self).truncate())

    @staticmethod
    def _safe(fields: Any) -> Any:
        if not callable(fields):
            return to_json(fields)

        def transform(doc: dict[str, Any]) -> None:
            # Run the caller's function on a deep copy and keep the result only if
            # it finished and can be stored, as TinyDB on a file would.
            trial = json_copy(doc)
            fields(trial)
            clean = to_json(trial)
            doc.clear()
            doc.update(clean)

        return transform

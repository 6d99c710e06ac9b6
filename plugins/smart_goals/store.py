"""SMART goals in storage.

Tables (declared in ``register_tables``):

``goals``
    one document per goal: the goal in its normalised form (see :mod:`.model`)
    plus ``state`` (``proposed`` or ``agreed``), ``votes`` (see
    :mod:`.consensus`), ``author``, ``created``, ``agreed_on``, ``met_on``,
    ``status`` (the status last saved, to tell when it changes), ``latest``
    (a copy of the latest check-in, so lists and the dashboard never open the
    check-in files), and ``revision`` / ``changed_by`` (moved by every change to
    what people edit; see :mod:`plc_tui.revisions`). The doc id is the goal id
    people type (``plc goal show 3``).
``checkins/<goal>``
    the goal's check-ins: ``{"date", "value", "confidence", "note", "by",
    "recorded"}``; one file per goal, so a check-in never rewrites the others.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from plc_tui.api import Document, NotFound, parse_id

from .model import TOP_KEYS


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _with_id(doc: Document) -> dict[str, Any]:
    return {**doc, "id": doc.doc_id}


def goal_id(value: Any) -> int:
    """A goal id from user input (``3``, ``"3"`` or ``"#3"``), with a clear error."""
    return parse_id(value, "goal", "plc goal list")


def create_goal(tables: Any, goal: dict[str, Any], *, author: str) -> int:
    return tables.table("goals").insert(new_goal(goal, author=author))


def new_goal(goal: dict[str, Any], *, author: str) -> dict[str, Any]:
    """The document :func:`create_goal` stores: a proposal no one has voted on yet
    (the demo inserts many at once from these)."""
    return {
        **goal,
        "state": "proposed",
        "status": "proposed",
        "votes": {},
        "author": author,
        "created": now(),
        "agreed_on": None,
        "met_on": None,
        "latest": None,
        "revision": 1,
        "changed_by": author,
    }


def get_goal(tables: Any, gid: int) -> dict[str, Any]:
    doc = tables.table("goals").get(doc_id=gid)
    if doc is None:
        raise NotFound(f"there is no goal {gid}; see `plc goal list`.")
    return _with_id(doc)


def _goals_with_ids(docs: Any) -> tuple[dict[str, Any], ...]:
    return tuple({**doc, "id": int(key)} for key, doc in docs.items())


def list_goals(tables: Any) -> list[dict[str, Any]]:
    """Every goal. In a read view they are shared with the read cache (read them,
    never change them): a district's thousands of goals are not copied for each
    screen and card that lists them. In a transaction they are the caller's copies."""
    if tables.writable:
        return [_with_id(d) for d in tables.table("goals").all()]
    return list(tables.summary("goals", "with-ids", _goals_with_ids, keep=False))


def update_goal(
    tables: Any, gid: int, fields: dict[str, Any], *, by: str | None = None
) -> dict[str, Any]:
    """Change a goal; a change to what people edit (the SMART parts, actions,
    evidence) moves its revision, so an editor working from an older one is caught."""
    if TOP_KEYS & fields.keys():
        current = tables.table("goals").get(doc_id=gid) or {}
        fields = {**fields, "revision": int(current.get("revision") or 0) + 1}
        if by:
            fields["changed_by"] = by
    tables.table("goals").update(fields, doc_ids=[gid])
    return get_goal(tables, gid)


def delete_goal(tables: Any, gid: int) -> None:
    tables.table("goals").remove(doc_ids=[gid])
    tables.table("checkins", partition=gid).truncate()


def checkins(tables: Any, gid: int) -> list[dict[str, Any]]:
    """A goal's check-ins, oldest first (by date, then in the order recorded)."""
    docs = tables.table("checkins", partition=gid).all()
    return [dict(d) for d in sorted(docs, key=lambda d: (d["date"], d.doc_id))]


def add_checkin(tables: Any, gid: int, entry: dict[str, Any]) -> dict[str, Any] | None:
    """Store a check-in; return the goal's latest check-in summary afterwards."""
    tables.table("checkins", partition=gid).insert(entry)
    return latest_of(checkins(tables, gid))


def latest_of(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not entries:
        return None
    last = entries[-1]
    return {"date": last["date"], "value": last["value"], "confidence": last["confidence"]}

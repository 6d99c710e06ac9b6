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
``past_goals/<school year>``
    the goals of school years that have ended (``2024`` for 2024-25), moved
    there by :func:`roll_over` with their ids and kept as they were, so what
    this year's board, dashboard card and reminders read does not grow year
    after year. ``goals`` keeps the id mark, so an id is never given twice.
``checkins/<goal>``
    the goal's check-ins: ``{"date", "value", "confidence", "note", "by",
    "recorded"}``; one file per goal, so a check-in never rewrites the others.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from plc_tui.api import Document, NotFound, PLCError, parse_id, school_year_label

from .model import TOP_KEYS
from .years import goal_year


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
    """The goal with ``id``; one of an ended school year also has ``ended_year``."""
    doc = tables.table("goals").get(doc_id=gid)
    if doc is not None:
        return _with_id(doc)
    year = tables.partition_of("past_goals", gid)
    if year is not None:
        doc = tables.table("past_goals", partition=year).get(doc_id=gid)
        return {**doc, "id": gid, "ended_year": int(year)}
    raise NotFound(f"there is no goal {gid}; see `plc goal list`.")


def current_goal(tables: Any, gid: int) -> dict[str, Any]:
    """The goal, refusing one of an ended school year: those are kept as they were."""
    goal = get_goal(tables, gid)
    if "ended_year" in goal:
        raise PLCError(
            f"goal {gid} ended with the {school_year_label(goal['ended_year'])} school year and is "
            f"kept as it was; see it with `plc goal show {gid}`."
        )
    return goal


def past_years(tables: Any) -> list[int]:
    """The ended school years that have goals, latest first."""
    return sorted((int(p) for p in tables.partitions("past_goals")), reverse=True)


def list_past(tables: Any, year: int) -> list[dict[str, Any]]:
    """The goals of one ended school year (shared in a read view, as in :func:`list_goals`)."""
    if year not in past_years(tables):
        return []
    return [{**d, "ended_year": year} for d in tables.documents("past_goals", partition=year)]


def roll_over(tables: Any, this_year: int, starts: tuple[int, int]) -> list[int]:
    """Move the goals of school years before ``this_year`` to ``past_goals``.

    Ids move with them (people keep typing ``plc goal show 12``). Returns the ids
    moved; none, and nothing written, on all but the first write of a year.
    """
    goals = tables.table("goals")
    # The file is read into the transaction first (the change that follows reads
    # it anyway), then the years are found on its shared documents: copying every
    # goal, as .all() does, was most of a check-in's time on a district's board.
    if not len(goals):
        return []
    years = tables.summary(
        "goals",
        f"school years from {starts[0]:02d}-{starts[1]:02d}",
        lambda docs: {int(key): goal_year(doc, starts) for key, doc in docs.items()},
        keep=False,
    )
    by_year: dict[int, list[Document]] = {}
    for gid, year in sorted(years.items()):
        if year is not None and year < this_year:
            by_year.setdefault(year, []).append(goals.get(doc_id=gid))
    return tables.move("goals", "past_goals", dict(sorted(by_year.items())))


def list_goals(tables: Any) -> list[dict[str, Any]]:
    """Every goal in ``goals``: this school year's (and an ended year's until the
    year's first change moves them). In a read view they are shared with the read
    cache (read them, never change them): the goals are not copied for each screen
    and card that lists them. In a transaction they are the caller's copies."""
    return list(tables.documents("goals"))


_NOT_OUTLINED = frozenset(
    {"specific", "ambitious", "reflective", "evidence", "author", "changed_by", "revision"}
)


def list_outlines(tables: Any) -> list[dict[str, Any]]:
    """Every goal in ``goals`` in outline: no SMART texts or evidence, the numbers
    of ``measurable`` only, votes only while proposed, action steps not done
    only; enough for its status and its reminders. Kept as a
    summary beside the file, so the dashboard card reads neither the whole file
    nor its texts (read them, never change them)."""
    if tables.writable:
        return [_outline(d["id"], d) for d in tables.documents("goals")]
    return tables.summary("goals", "outlines-2", _outlines)


def _outline(gid: int, doc: dict[str, Any]) -> dict[str, Any]:
    outline = {k: v for k, v in doc.items() if k not in _NOT_OUTLINED}
    measurable = doc.get("measurable") or {}
    outline["measurable"] = {k: measurable.get(k) for k in ("baseline", "target", "unit")}
    # Votes matter until the team agrees, and done steps remind no one.
    if doc.get("state") != "proposed":
        outline["votes"] = {}
    outline["actions"] = [a for a in doc.get("actions") or [] if not a.get("done")]
    return {**outline, "id": gid}


def _outlines(docs: Any) -> list[dict[str, Any]]:
    return [_outline(int(key), doc) for key, doc in docs.items()]


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
    year = get_goal(tables, gid).get("ended_year")
    if year is None:
        tables.table("goals").remove(doc_ids=[gid])
    else:
        tables.table("past_goals", partition=year).remove(doc_ids=[gid])
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

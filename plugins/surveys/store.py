"""Surveys in storage: lifecycle, drafts, submissions, participation.

Tables (declared in ``register_tables``):

``surveys``
    one document per survey (definition, status, wave); the doc id is the
    survey id people type (``plc survey open 3``).
``drafts/<survey>``
    unfinished answers as an older plc kept them, beside the member's login in the
    shared files; each is moved out when its author next saves or submits. Drafts
    now live in the author's private store (``ctx.private``, their user data
    folder, mode 0600), so nothing in the shared files joins a login to answers.
``answers/<survey>-<level>-<n>``
    the responses and who submitted, in files of bounded size (see
    :mod:`.answers`). For an anonymous survey a response holds the answers and
    nothing else: no login, no time, a random id, and each file is written in
    id order, so neither its position nor its id matches the roster.
``responses/<survey>``, ``participation/<survey>``
    the same, as surveys answered before the ``answers`` table kept them.

None of the partitioned tables keeps earlier versions on disk (see
``Table(history=False)``), since two versions side by side would show whose
answer arrived.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from plc_tui.api import (
    Document,
    Member,
    NotFound,
    PLCError,
    Query,
    QuestionType,
    ValidationError,
    parse_id,
)

from . import answers
from .definition import validate_answers

STATUSES = ("draft", "open", "closed")


class AlreadySubmitted(PLCError):
    """A member tried to answer the same survey wave twice."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _with_id(doc: Document) -> dict[str, Any]:
    return {**doc, "id": doc.doc_id}


def survey_id(value: Any) -> int:
    """A survey id from user input (``3`` or ``"3"``), with a clear error."""
    return parse_id(value, "survey", "plc survey list")


# -- surveys ----------------------------------------------------------------------


def create_survey(
    tables: Any,
    definition: dict[str, Any],
    *,
    author: str,
    series: int | None = None,
    wave: int = 1,
) -> int:
    """Store a validated definition as a new draft survey; returns its id."""
    table = tables.table("surveys")
    sid = table.insert(
        {
            **definition,
            "status": "draft",
            "published": False,
            "wave": wave,
            "series": series,
            "author": author,
            "created": _now(),
        }
    )
    if series is None:
        table.update({"series": sid}, doc_ids=[sid])
    return sid


def get_survey(tables: Any, sid: int) -> dict[str, Any]:
    doc = tables.table("surveys").get(doc_id=sid)
    if doc is None:
        raise NotFound(f"there is no survey {sid}; see `plc survey list`.")
    return _with_id(doc)


def list_outlines(tables: Any) -> list[dict[str, Any]]:
    """Every survey without its questions, description and sections: what lists,
    cards and counts need. Kept as a summary
    beside the surveys file, so a list reads neither the questions of two hundred
    surveys nor the file (read them, never change them)."""
    if tables.writable:
        return [_outline(d["id"], d) for d in tables.documents("surveys")]
    # The key names the shape: a summary kept by an older plc is never read as this one.
    return tables.summary("surveys", "outlines-3", _outlines)


_NOT_OUTLINED = frozenset({"questions", "description", "sections"})


def _outline(sid: int, doc: dict[str, Any]) -> dict[str, Any]:
    return {**{k: v for k, v in doc.items() if k not in _NOT_OUTLINED}, "id": sid}


def _outlines(docs: Any) -> list[dict[str, Any]]:
    return [_outline(int(key), doc) for key, doc in docs.items()]


def list_surveys(tables: Any) -> list[dict[str, Any]]:
    """Every survey. In a read view they are shared with the read cache (read them,
    never change them), as lists are read far more often than surveys change; in
    a transaction they are the caller's copies."""
    return list(tables.documents("surveys"))


def update_definition(tables: Any, sid: int, definition: dict[str, Any]) -> None:
    survey = get_survey(tables, sid)
    if survey["status"] != "draft":
        raise ValidationError(
            f"survey {sid} is {survey['status']}; only a draft can be edited. "
            f"Start a new wave with `plc survey repeat {sid}`."
        )
    tables.table("surveys").update(definition, doc_ids=[sid])


def delete_draft_survey(tables: Any, sid: int) -> dict[str, Any]:
    survey = get_survey(tables, sid)
    if survey["status"] != "draft":
        raise ValidationError(f"survey {sid} is {survey['status']}; only drafts can be deleted.")
    tables.table("surveys").remove(doc_ids=[sid])
    return survey


def state(survey: dict[str, Any], today: date) -> str:
    """``draft``, ``scheduled`` (open but not yet started), ``open`` or ``closed``."""
    if survey["status"] != "open":
        return survey["status"]
    if survey.get("opens") and today.isoformat() < survey["opens"]:
        return "scheduled"
    if survey.get("closes") and today.isoformat() > survey["closes"]:
        return "closed"
    return "open"


def open_survey(tables: Any, sid: int, today: date) -> dict[str, Any]:
    survey = get_survey(tables, sid)
    if survey["status"] == "open":
        raise ValidationError(f"survey {sid} is already open.")
    if survey.get("closes") and survey["closes"] < today.isoformat():
        if survey["status"] == "draft":
            raise ValidationError(
                f"survey {sid}'s closing date ({survey['closes']}) has passed; set a later "
                f"closing date before opening it."
            )
        raise ValidationError(
            f"survey {sid} closed on {survey['closes']}; repeat it as a new wave instead."
        )
    fields: dict[str, Any] = {"status": "open"}
    if not survey.get("opens"):
        fields["opens"] = today.isoformat()
    tables.table("surveys").update(fields, doc_ids=[sid])
    return get_survey(tables, sid)


def close_survey(tables: Any, sid: int, today: date) -> dict[str, Any]:
    survey = get_survey(tables, sid)
    if survey["status"] != "open":
        raise ValidationError(f"survey {sid} is {survey['status']}, not open.")
    fields: dict[str, Any] = {"status": "closed"}
    if not survey.get("closes") or survey["closes"] > today.isoformat():
        fields["closes"] = today.isoformat()
    tables.table("surveys").update(fields, doc_ids=[sid])
    return get_survey(tables, sid)


def set_published(tables: Any, sid: int, published: bool) -> dict[str, Any]:
    get_survey(tables, sid)
    tables.table("surveys").update({"published": published}, doc_ids=[sid])
    return get_survey(tables, sid)


def repeat_survey(tables: Any, sid: int, *, author: str, today: date | None = None) -> int:
    """A new draft wave of the same survey: same questions; open for as many days
    as the last wave was, counted from ``today`` (the builder can change it)."""
    survey = get_survey(tables, sid)
    closes = None
    if today is not None and survey.get("opens") and survey.get("closes"):
        days = date.fromisoformat(survey["closes"]) - date.fromisoformat(survey["opens"])
        if days.days >= 1:  # a wave closed on the day it opened says nothing of length
            closes = (today + days).isoformat()
    series = survey["series"]
    waves = [s["wave"] for s in list_surveys(tables) if s["series"] == series]
    keep = {
        k: survey[k]
        for k in ("title", "description", "anonymous", "threshold", "audience", "questions")
    }
    return create_survey(
        tables,
        {**keep, "opens": None, "closes": closes},
        author=author,
        series=series,
        wave=max(waves) + 1,
    )


def waves_of(tables: Any, survey: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(
        (s for s in list_surveys(tables) if s["series"] == survey["series"]),
        key=lambda s: s["wave"],
    )


# -- audience -----------------------------------------------------------------


def in_audience(survey: dict[str, Any], member: Member) -> bool:
    audience = survey["audience"]
    if audience["teams"] and not set(audience["teams"]) & set(member.teams):
        return False
    return not audience["roles"] or member.role in audience["roles"]


def audience_of(survey: dict[str, Any], members: list[Member]) -> list[Member]:
    return [m for m in members if in_audience(survey, m)]


# -- answering ----------------------------------------------------------------


def _survey(tables: Any, survey: dict[str, Any] | int) -> dict[str, Any]:
    return survey if isinstance(survey, dict) else get_survey(tables, survey)


def participants(tables: Any, survey: dict[str, Any] | int) -> list[str]:
    """The sorted logins of those who submitted."""
    return answers.members(tables, _survey(tables, survey))


def has_submitted(tables: Any, survey: dict[str, Any] | int, login: str) -> bool:
    return answers.has_answered(tables, _survey(tables, survey), login)


def draft_key(sid: int) -> str:
    return f"draft-{sid}"


def _legacy_draft(tables: Any, sid: int, login: str) -> Any:
    return tables.table("drafts", partition=sid).get(Query().member == login)


def member_status(tables: Any, survey: dict[str, Any] | int, login: str, drafts: Any = None) -> str:
    """``submitted``, ``draft`` or ``not started`` (drafts: the member's private store)."""
    survey = _survey(tables, survey)
    sid = survey["id"]
    if has_submitted(tables, survey, login):
        return "submitted"
    if drafts is not None and drafts.get(draft_key(sid)) is not None:
        return "draft"
    if _legacy_draft(tables, sid, login):
        return "draft"
    return "not started"


def load_draft(tables: Any, sid: int, login: str, drafts: Any) -> dict[str, Any]:
    doc = drafts.get(draft_key(sid))
    if doc is None:
        doc = _legacy_draft(tables, sid, login)
    if not doc:
        return {}
    # Answers kept as typed (not valid yet) come back into their boxes.
    return {**doc["answers"], **{q: kept for q, (kept, _) in doc.get("unchecked", {}).items()}}


def _check_can_answer(tables: Any, survey: dict[str, Any], member: Member, today: date) -> None:
    _check_open(survey, today)
    _check_addressed(survey, member)
    if has_submitted(tables, survey, member.login):
        raise _already(survey)


def _check_open(survey: dict[str, Any], today: date) -> None:
    current = state(survey, today)
    if current != "open":
        when = {
            "draft": "it has not been opened yet",
            "scheduled": f"it opens on {survey.get('opens')}",
            "closed": "it is closed",
        }[current]
        raise ValidationError(f"survey {survey['id']} cannot be answered: {when}.")


def _check_addressed(survey: dict[str, Any], member: Member) -> None:
    if not in_audience(survey, member):
        raise PLCError(f"survey {survey['id']} ({survey['title']}) is not addressed to you.")


def _already(survey: dict[str, Any]) -> AlreadySubmitted:
    return AlreadySubmitted(
        f"you have already submitted survey {survey['id']} ({survey['title']}); "
        f"there is one submission per person."
    )


def save_draft(
    tables: Any,
    survey: dict[str, Any],
    member: Member,
    answers: dict[str, Any],
    types: dict[str, QuestionType],
    today: date,
    drafts: Any,
    invalid: dict[str, tuple[str, str]] | None = None,
    at: str | None = None,
) -> dict[str, Any]:
    """Keep unfinished answers in the member's private store (validated, but
    required ones may be missing; with ``invalid``, answers not valid yet are
    kept as typed and listed there)."""
    _check_can_answer(tables, survey, member, today)
    clean = validate_answers(survey, answers, types, partial=True, invalid=invalid)
    doc: dict[str, Any] = {"answers": clean, "saved": today.isoformat()}
    if invalid:
        doc["unchecked"] = {q: list(kept) for q, kept in invalid.items()}
    if at is not None:
        doc["at"] = at
    drafts.put(draft_key(survey["id"]), doc)
    if tables.writable:
        _drop_legacy_draft(tables, survey["id"], member.login)
    return clean


def _drop_legacy_draft(tables: Any, sid: int, login: str) -> None:
    # Only when there is one: an empty write would create the shared file for nothing.
    if _legacy_draft(tables, sid, login):
        tables.table("drafts", partition=sid).remove(Query().member == login)


def submit(
    tables: Any,
    survey: dict[str, Any],
    member: Member,
    answers_given: dict[str, Any],
    types: dict[str, QuestionType],
    today: date,
) -> dict[str, Any]:
    """Store a complete response; one per person per wave. Returns the clean answers."""
    _check_can_answer(tables, survey, member, today)
    clean = validate_answers(survey, answers_given, types)
    answers.add(tables, survey, _response(survey, member, clean), member.login)
    _drop_legacy_draft(tables, survey["id"], member.login)
    return clean


def submit_many(
    tables: Any,
    survey: dict[str, Any],
    entries: Iterable[tuple[Member, dict[str, Any]]],
    types: dict[str, QuestionType],
    today: date,
) -> int:
    """Store many complete responses in one go (the demo, imports); the same checks
    and the same files as calling :func:`submit` for each; returns how many were stored."""
    entries = list(entries)
    if entries:
        _check_open(survey, today)
    answered = set(participants(tables, survey)) if entries else set()  # once, not per entry
    checked = []
    seen: set[str] = set()
    for member, given in entries:
        _check_addressed(survey, member)
        if member.login in answered:
            raise _already(survey)
        if member.login in seen:
            raise AlreadySubmitted(f"{member.login} is listed twice for survey {survey['id']}.")
        seen.add(member.login)
        clean = validate_answers(survey, given, types)
        checked.append((_response(survey, member, clean), member.login))
    return answers.add_many(tables, survey, checked)


def _response(survey: dict[str, Any], member: Member, clean: dict[str, Any]) -> dict[str, Any]:
    if survey["anonymous"]:
        return {"answers": clean}
    return {"member": member.login, "answers": clean, "submitted": _now()}


def add_unnamed_response(tables: Any, survey: dict[str, Any], clean: dict[str, Any]) -> None:
    """Store checked answers with no login, no time and a random id (a paper sheet)."""
    answers.add(tables, survey, {"answers": clean}, None)


def response_count(tables: Any, survey: dict[str, Any] | int) -> int:
    return answers.count(tables, _survey(tables, survey))


def responses_of(tables: Any, survey: dict[str, Any] | int) -> list[dict[str, Any]]:
    """Stored responses: ``{"answers": ...}`` plus ``member`` for named surveys."""
    return answers.responses(tables, _survey(tables, survey))


def neutral_order(values: list[Any]) -> list[Any]:
    """A copy in an order that reveals nothing (for anonymous answers): sorted
    by content, so not by when or by whom, and the same on every refresh."""
    return sorted(
        values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False).casefold()
    )

"""Surveys in storage: lifecycle, drafts, submissions, participation.

Tables (declared in ``register_tables``):

``surveys``
    one document per survey (definition, status, wave); the doc id is the
    survey id people type (``plc survey open 3``): this school year's, drafts
    and open ones.
``past_surveys/<school year>``
    the surveys that closed in an ended school year (``2024`` for 2024-25), moved
    there with their ids by :func:`roll_over` on the first change of a new year,
    so what lists, cards and every answer read does not grow year after year.
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
    school_year,
    school_year_of,
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
    # One survey, read alone: answering reads it, and a district's surveys file
    # holds hundreds whose parse was most of what an answer's command did.
    doc = tables.document("surveys", sid)
    if doc is None:
        year = tables.partition_of("past_surveys", sid)
        doc = None if year is None else tables.document("past_surveys", sid, partition=year)
    if doc is None:
        raise NotFound(f"there is no survey {sid}; see `plc survey list`.")
    return _with_id(doc)


def _table_of(tables: Any, sid: int) -> Any:
    """The table that holds survey ``sid``: ``surveys``, or the ``past_surveys``
    partition of the school year it closed in."""
    table = tables.table("surveys")
    if table.contains(doc_id=sid):
        return table
    year = tables.partition_of("past_surveys", sid)
    if year is not None:
        return tables.table("past_surveys", partition=year)
    raise NotFound(f"there is no survey {sid}; see `plc survey list`.")


def past_years(tables: Any) -> list[int]:
    """The ended school years whose closed surveys were moved out of ``surveys``,
    latest first."""
    return sorted((int(p) for p in tables.partitions("past_surveys")), reverse=True)


def survey_year(survey: dict[str, Any], starts: tuple[int, int]) -> int | None:
    """The school year a survey belongs to: the one it closed in (or opened, or
    was made in)."""
    return school_year_of(
        (survey.get("closes"), survey.get("opens"), survey.get("created")), starts
    )


def roll_over(tables: Any, today: date, starts: tuple[int, int]) -> list[int]:
    """Move the surveys that closed in school years before today's to
    ``past_surveys/<year>``, ids and all (answers are kept by id, apart).

    What every list, card and answer reads then holds this year's surveys, not
    every year's. Drafts and open surveys stay, whatever their dates. Returns the
    ids moved; none, and nothing written, on all but the first change of a year.
    """
    this_year = school_year(today, starts)
    surveys = tables.table("surveys")
    # Read into the transaction first, then looked over without copying every
    # survey (as in the goals module's roll_over).
    if not len(surveys):
        return []

    def closed_years(docs: Any) -> dict[int, int | None]:
        return {
            int(key): survey_year(doc, starts)
            for key, doc in docs.items()
            if state(doc, today) == "closed"
        }

    years = tables.summary(
        "surveys",
        f"closed by {today.isoformat()}, school years from {starts[0]:02d}-{starts[1]:02d}",
        closed_years,
        keep=False,
    )
    by_year: dict[int, list[Document]] = {}
    for sid, year in sorted(years.items()):
        if year is not None and year < this_year:
            by_year.setdefault(year, []).append(surveys.get(doc_id=sid))
    return tables.move("surveys", "past_surveys", dict(sorted(by_year.items())))


def list_outlines(tables: Any, past: bool | int = False) -> list[dict[str, Any]]:
    """This year's surveys without their questions, description and sections: what
    lists, cards and counts need; with ``past=True`` those of every ended school
    year too, with ``past=YEAR`` those of that one. Kept as summaries beside the
    files, so a list reads neither the questions of two hundred surveys nor the
    files (read them, never change them)."""
    if tables.writable:
        found = [_outline(d["id"], d) for d in tables.documents("surveys")]
    else:
        # The key names the shape: a summary kept by an older plc is never read as this one.
        found = list(tables.summary("surveys", "outlines-3", _outlines))
    years = past_years(tables) if past is True else [] if past is False else [past]
    for year in years:
        if year not in past_years(tables):
            continue
        if tables.writable:
            found += [_outline(d["id"], d) for d in tables.documents("past_surveys", year)]
        else:
            found += tables.summary("past_surveys", "outlines-3", _outlines, partition=year)
    return found


_NOT_OUTLINED = frozenset({"questions", "description", "sections"})


def _outline(sid: int, doc: dict[str, Any]) -> dict[str, Any]:
    return {**{k: v for k, v in doc.items() if k not in _NOT_OUTLINED}, "id": sid}


def _outlines(docs: Any) -> list[dict[str, Any]]:
    return [_outline(int(key), doc) for key, doc in docs.items()]


def list_surveys(tables: Any) -> list[dict[str, Any]]:
    """This year's surveys, whole. In a read view they are shared with the read
    cache (read them, never change them), as lists are read far more often than
    surveys change; in a transaction they are the caller's copies."""
    return list(tables.documents("surveys"))


def update_definition(tables: Any, sid: int, definition: dict[str, Any]) -> None:
    survey = get_survey(tables, sid)
    if survey["status"] != "draft":
        raise ValidationError(
            f"survey {sid} is {survey['status']}; only a draft can be edited. "
            f"Start a new wave with `plc survey repeat {sid}`."
        )
    _table_of(tables, sid).update(definition, doc_ids=[sid])


def delete_draft_survey(tables: Any, sid: int) -> dict[str, Any]:
    survey = get_survey(tables, sid)
    if survey["status"] != "draft":
        raise ValidationError(f"survey {sid} is {survey['status']}; only drafts can be deleted.")
    _table_of(tables, sid).remove(doc_ids=[sid])
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
    _table_of(tables, sid).update(fields, doc_ids=[sid])
    return get_survey(tables, sid)


def close_survey(tables: Any, sid: int, today: date) -> dict[str, Any]:
    survey = get_survey(tables, sid)
    if survey["status"] != "open":
        raise ValidationError(f"survey {sid} is {survey['status']}, not open.")
    fields: dict[str, Any] = {"status": "closed"}
    if not survey.get("closes") or survey["closes"] > today.isoformat():
        fields["closes"] = today.isoformat()
    _table_of(tables, sid).update(fields, doc_ids=[sid])
    return get_survey(tables, sid)


def set_published(tables: Any, sid: int, published: bool) -> dict[str, Any]:
    _table_of(tables, sid).update({"published": published}, doc_ids=[sid])
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
    waves = [s["wave"] for s in list_outlines(tables, past=True) if s["series"] == series]
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
    """Every wave of the survey's series, earlier school years' too, whole."""
    series = survey["series"]
    waves = [s for s in list_outlines(tables, past=True) if s["series"] == series]
    return [get_survey(tables, s["id"]) for s in sorted(waves, key=lambda s: s["wave"])]


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

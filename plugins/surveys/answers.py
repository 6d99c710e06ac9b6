"""Where a survey's answers are kept: files of bounded size, one write per answer.

A survey's answers and the roster of who answered live in the ``answers`` table,
spread over ``2**level`` files (*buckets*) named ``<survey>-<level>-<n>``. Each
bucket holds some responses (random ids) and, as document 1, the sorted logins
of some of the people who answered. Submitting writes exactly one bucket, the
one the member's login hashes to, so an answer costs the same with 10 answers
stored or 10,000, and is one file renamed into place: no journal, the cheapest
durable write there is.

When a bucket would hold more than :data:`BUCKET` responses the survey moves to
the next level: every response is dealt at random into twice as many buckets and
every login to the bucket it now hashes to. This is rare (at about 256, 512,
1,024... answers) and rewrites the survey once.

Anonymity in the files: responses carry no login and no time, have random ids
and are written in id order (``keep_order=False``), and nothing keeps earlier
versions (``history=False``). A bucket's roster and its responses are not
matched: a person's response is in the bucket their login hashes to, or, if it
was dealt at a level change, in any bucket. So a reader of the files learns at
most that one person's answer is among the ~128 or more in a bucket, and nothing
in a survey of up to 256 answers, which is one file. How many answers each
bucket has is kept as a summary beside it, so listing surveys reads no answers.

Surveys answered before this layout keep their ``responses/<survey>`` and
``participation/<survey>`` files; they are read as one more bucket.
"""

from __future__ import annotations

import bisect
import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from plc_tui.api import Document

BUCKET = 256  # responses per file before the survey moves to twice as many files
ROSTER = 1  # the document id of a bucket's roster; responses have random ids above it
LEVEL_FIELD = "answer_level"


def level_of(survey: Mapping[str, Any]) -> int:
    return int(survey.get(LEVEL_FIELD) or 0)


def bucket_name(sid: int, level: int, n: int) -> str:
    return f"{sid}-{level}-{n}"


def buckets(survey: Mapping[str, Any]) -> list[str]:
    level = level_of(survey)
    return [bucket_name(survey["id"], level, n) for n in range(2**level)]


def bucket_of(survey: Mapping[str, Any], login: str, level: int | None = None) -> str:
    level = level_of(survey) if level is None else level
    digest = hashlib.sha256(login.encode("utf-8")).digest()
    return bucket_name(survey["id"], level, int.from_bytes(digest[:8], "big") % 2**level)


def _tally(docs: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    roster = docs.get(str(ROSTER), {}).get("members", [])
    return {"responses": len(docs) - (str(ROSTER) in docs), "members": list(roster)}


def tally(tables: Any, part: str) -> dict[str, Any]:
    """``{"responses": n, "members": [logins]}`` of one bucket, read from its summary."""
    return tables.summary("answers", "tally", _tally, partition=part)


# -- reading ----------------------------------------------------------------------


def _legacy_members(tables: Any, sid: int) -> list[str]:
    doc = tables.table("participation", partition=sid).get(doc_id=1)
    return list(doc["members"]) if doc else []


def has_answered(tables: Any, survey: Mapping[str, Any], login: str) -> bool:
    if login in tally(tables, bucket_of(survey, login))["members"]:
        return True
    return login in _legacy_members(tables, survey["id"])


def members(tables: Any, survey: Mapping[str, Any]) -> list[str]:
    """The sorted logins of everyone who answered."""
    found = set(_legacy_members(tables, survey["id"]))
    for part in buckets(survey):
        found.update(tally(tables, part)["members"])
    return sorted(found)


def count(tables: Any, survey: Mapping[str, Any]) -> int:
    """How many responses are stored (reads only the buckets' summaries)."""
    total = len(tables.table("responses", partition=survey["id"]))
    return total + sum(tally(tables, part)["responses"] for part in buckets(survey))


def _responses(docs: Mapping[str, Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    return tuple(doc for key, doc in docs.items() if key != str(ROSTER))


def responses(tables: Any, survey: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every stored response, shared with the read cache: read them, never change them.

    Not copied: the results of a survey of thousands read each answer once, and
    copying them all first was most of the time it took.
    """
    out: list[Mapping[str, Any]] = [
        dict(d) for d in tables.table("responses", partition=survey["id"]).all()
    ]
    for part in buckets(survey):
        out.extend(tables.summary("answers", "responses", _responses, partition=part, keep=False))
    return out


# -- writing ------------------------------------------------------------------------


def _new_id(taken: Callable[[int], bool]) -> int:
    rid = secrets.randbits(53)
    while rid <= ROSTER or taken(rid):
        rid = secrets.randbits(53)
    return rid


def add(tables: Any, survey: dict[str, Any], response: dict[str, Any], login: str | None) -> None:
    """Store one response and, with ``login``, put them on the roster: one file written."""
    part = bucket_of(survey, login or secrets.token_hex(8))
    table = tables.table("answers", partition=part)
    if tally(tables, part)["responses"] >= BUCKET:
        _next_level(tables, survey)
        part = bucket_of(survey, login or secrets.token_hex(8))
        table = tables.table("answers", partition=part)
    table.insert(Document(response, doc_id=_new_id(lambda rid: table.contains(doc_id=rid))))
    if login is not None:
        roster = table.get(doc_id=ROSTER)
        logins = list(roster["members"]) if roster else []
        bisect.insort(logins, login)
        table.upsert(Document({"members": logins}, doc_id=ROSTER))
    tally(tables, part)  # computed from the change, kept with the file


def add_many(
    tables: Any, survey: dict[str, Any], entries: Iterable[tuple[dict[str, Any], str | None]]
) -> int:
    """Store many responses (an import, the demo) as :func:`add` would, each file once."""
    entries = list(entries)
    if not entries:
        return 0
    stored = sum(tally(tables, part)["responses"] for part in buckets(survey))
    total = stored + len(entries)
    level = level_of(survey)
    while total > BUCKET * 2**level // 2 and total > BUCKET:
        level += 1
    if level == level_of(survey):
        # Same layout: add to the buckets where they belong, random ones for responses.
        for response, login in entries:
            add(tables, survey, response, login)
        return len(entries)
    responses, logins = _gather(tables, survey)  # read every bucket only to rewrite them
    responses += [response for response, _ in entries]
    logins += [login for _, login in entries if login is not None]
    _rewrite(tables, survey, level, responses, logins)
    return len(entries)


def _gather(tables: Any, survey: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    stored: list[dict[str, Any]] = []
    logins: list[str] = []
    for part in buckets(survey):
        for doc in tables.table("answers", partition=part).all():
            if doc.doc_id == ROSTER:
                logins.extend(doc["members"])
            else:
                stored.append(dict(doc))
    return stored, logins


def _next_level(tables: Any, survey: dict[str, Any]) -> None:
    stored, logins = _gather(tables, survey)
    _rewrite(tables, survey, level_of(survey) + 1, stored, logins)


def _rewrite(
    tables: Any, survey: dict[str, Any], level: int, stored: list[dict[str, Any]], logins: list[str]
) -> None:
    """Deal every response at random, and every login by its hash, into ``2**level`` files."""
    old = buckets(survey)
    secrets.SystemRandom().shuffle(stored)
    size = 2**level
    dealt: list[list[dict[str, Any]]] = [stored[n::size] for n in range(size)]
    rosters: dict[str, list[str]] = {}
    for login in logins:
        rosters.setdefault(bucket_of(survey, login, level), []).append(login)
    for part in old:
        tables.drop("answers", part)
    for n, docs in enumerate(dealt):
        part = bucket_name(survey["id"], level, n)
        table = tables.table("answers", partition=part)
        taken: set[int] = set()
        batch = []
        for doc in docs:
            rid = _new_id(taken.__contains__)
            taken.add(rid)
            batch.append(Document(doc, doc_id=rid))
        roster = sorted(rosters.get(part, []))
        if roster:
            batch.append(Document({"members": roster}, doc_id=ROSTER))
        table.insert_multiple(batch)
        tally(tables, part)
    tables.table("surveys").update({LEVEL_FIELD: level}, doc_ids=[survey["id"]])
    survey[LEVEL_FIELD] = level

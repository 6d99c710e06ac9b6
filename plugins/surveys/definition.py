"""Survey definitions: parse, validate and export them; evaluate conditions.

A definition is plain JSON (the scripting contract documented in the README)::

    {"title": "Needs", "anonymous": true, "threshold": 5,
     "audience": {"teams": ["Grade 3"], "roles": ["teacher"]},
     "opens": "2026-11-24", "closes": "2026-12-05",
     "questions": [{"id": "q1", "type": "likert", "text": "I have time to collaborate"},
                   {"id": "q2", "type": "long_text", "text": "What support do you need?",
                    "required": false, "show_if": {"question": "q1", "in": [1, 2]}}]}

Questions may instead be grouped in sections, each with a title, an optional
description, a ``show_if`` for the whole section, and ``"score": true`` to report
the section's score (the mean of its scale items, reversed items flipped)::

    "sections": [{"title": "Collaboration", "description": "...", "score": true,
                  "questions": [...]}]

Everything here is plain Python; the CLI, the screens and the tests share it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from plc_tui.api import QuestionType, ValidationError, clean
from plc_tui.text import strip_controls

from . import conditions, scales
from .question_types import OTHER, SIDE_TEXT_MAX, TYPE_KEYS, grid_missing, no_answer

TITLE_MAX = 120
DESCRIPTION_MAX = 1000
QUESTION_TEXT_MAX = 300
HELP_MAX = 300
SECTION_MAX = 80
MAX_QUESTIONS = 100  # in one section (or in a survey without sections)
MAX_TOTAL_QUESTIONS = 500
SIDE_ANSWERS = ("other", "comment")  # "q3.other": the text of "Other"; "q3.comment"
DEFAULT_THRESHOLD = 5
# Characters of one not-yet-valid answer a draft keeps as typed (an answer
# pasted over its limit is kept for its author to shorten, never dropped).
DRAFT_TEXT_MAX = 100_000
MIN_THRESHOLD = 3
MAX_THRESHOLD = 10_000  # more than a district asks: results that could never show
ROLES = ("admin", "coach", "teacher")
_QUESTION_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_TOP_KEYS = {
    "title",
    "description",
    "anonymous",
    "threshold",
    "audience",
    "opens",
    "closes",
    "questions",
    "sections",
}
_QUESTION_KEYS = {"id", "type", "text", "help", "required", "show_if", "section", "settings"} | set(
    TYPE_KEYS
)
_SECTION_KEYS = {"title", "description", "show_if", "score", "questions"}
# A plugin question type's own settings (an object its check_definition checks).
SETTINGS_MAX = 2000


def _parse_date(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a date like 2026-12-05.")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValidationError(f"{field} {value!r} is not a date like 2026-12-05.") from None


def resolve_team(teams: list[Any], name: str) -> str:
    """A team id from a name or id, for definitions that name teams."""
    key = str(name).strip().casefold()
    for team in teams:
        if team.id == key or team.name.casefold() == key:
            return team.id
    known = ", ".join(t.name for t in teams) or "none yet"
    raise ValidationError(f"audience names a team {name!r} that does not exist; teams: {known}.")


def parse_definition(raw: Any, types: dict[str, QuestionType], teams: list[Any]) -> dict[str, Any]:
    """Validate a definition and return it normalised (team names become ids).

    Every problem raises :class:`ValidationError` with the question it is in.
    """
    if not isinstance(raw, dict):
        raise ValidationError(
            "a survey definition must be a JSON object with a title and questions."
        )
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise ValidationError(f"unknown field(s) in the survey: {', '.join(sorted(unknown))}.")
    title = clean(raw.get("title"), field="Survey title", max_length=TITLE_MAX)
    description = clean(
        raw.get("description", ""),
        field="Description",
        max_length=DESCRIPTION_MAX,
        multiline=True,
        required=False,
    )
    anonymous = raw.get("anonymous", True)
    if not isinstance(anonymous, bool):
        raise ValidationError("anonymous must be true or false.")
    threshold = raw.get("threshold", DEFAULT_THRESHOLD)
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < MIN_THRESHOLD:
        raise ValidationError(
            f"threshold must be a whole number of at least {MIN_THRESHOLD}: results for "
            f"fewer people than that could identify them."
        )
    if threshold > MAX_THRESHOLD:
        raise ValidationError(
            f"threshold must be at most {MAX_THRESHOLD:,}: results wait until that many "
            f"have answered, so a larger one would never show them."
        )
    audience = raw.get("audience") or {}
    if audience == "all":
        audience = {}
    if not isinstance(audience, dict) or set(audience) - {"teams", "roles"}:
        raise ValidationError('audience must be like {"teams": ["Grade 3"], "roles": ["teacher"]}.')
    team_ids = sorted({resolve_team(teams, t) for t in audience.get("teams") or []})
    roles = audience.get("roles") or []
    if not isinstance(roles, list) or any(r not in ROLES for r in roles):
        raise ValidationError(f"audience roles must be some of: {', '.join(ROLES)}.")
    opens = _parse_date(raw.get("opens"), "opens")
    closes = _parse_date(raw.get("closes"), "closes")
    if opens and closes and closes < opens:
        raise ValidationError(f"closes ({closes}) is before opens ({opens}).")

    flat: list[tuple[Any, str]] = []
    section_info: list[tuple[int, dict[str, Any], Any]] = []  # (first question, info, show_if)
    if "sections" in raw:
        if "questions" in raw:
            raise ValidationError("give either questions or sections, not both.")
        sections = raw["sections"]
        if not isinstance(sections, list):
            raise ValidationError("sections must be a list.")
        titles: set[str] = set()
        for n, section in enumerate(sections, start=1):
            if not isinstance(section, dict) or not isinstance(section.get("questions"), list):
                raise ValidationError(f"section {n} must have a title and a list of questions.")
            unknown_keys = set(section) - _SECTION_KEYS
            if unknown_keys:
                raise ValidationError(
                    f"section {n}: unknown field(s) {', '.join(sorted(unknown_keys))}."
                )
            # A section without a title holds questions outside any section (the
            # builder writes one for questions given no section): no heading.
            name = clean(
                section.get("title", ""),
                field=f"Section {n} title",
                max_length=SECTION_MAX,
                required=False,
            )
            if name and name.casefold() in titles:
                raise ValidationError(f"two sections are called {name!r}.")
            if not name and (
                section.get("description") or section.get("score") or section.get("show_if")
            ):
                raise ValidationError(
                    f"section {n} has a description, score or condition but no title; "
                    "give it a title."
                )
            titles.add(name.casefold())
            if len(section["questions"]) > MAX_QUESTIONS:
                raise ValidationError(
                    f"section {name!r} has {len(section['questions'])} questions; "
                    f"a section can have at most {MAX_QUESTIONS}."
                )
            info: dict[str, Any] = {"title": name}
            text = clean(
                section.get("description", ""),
                field=f"Section {name!r} description",
                max_length=DESCRIPTION_MAX,
                multiline=True,
                required=False,
            )
            if text:
                info["description"] = text
            score = section.get("score", False)
            if not isinstance(score, bool):
                raise ValidationError(f"section {name!r}: score must be true or false.")
            if score:
                info["score"] = True
            if name:
                section_info.append((len(flat), info, section.get("show_if")))
            flat.extend((q, name) for q in section["questions"])
    else:
        questions = raw.get("questions")
        if not isinstance(questions, list):
            raise ValidationError("a survey needs a list of questions.")
        if len(questions) > MAX_QUESTIONS:
            raise ValidationError(
                f"a survey can have at most {MAX_QUESTIONS} questions without sections; "
                f"group them in sections (up to {MAX_QUESTIONS} each) for more."
            )
        flat = [(q, "") for q in questions]
    if not flat:
        raise ValidationError("a survey needs at least one question.")
    if len(flat) > MAX_TOTAL_QUESTIONS:
        raise ValidationError(f"a survey can have at most {MAX_TOTAL_QUESTIONS} questions.")

    parsed: list[dict[str, Any]] = []
    infos: list[dict[str, Any]] = []
    starts = {first: (info, cond) for first, info, cond in section_info}
    for n, (q, section) in enumerate(flat, start=1):
        if n - 1 in starts:
            info, cond = starts[n - 1]
            if cond is not None:
                info["show_if"] = conditions.parse_condition(
                    cond, f"section {info['title']!r}", types, parsed
                )
            infos.append(info)
        parsed.append(parse_question(q, n, types, parsed, section))
    for info in infos:
        if info.get("score"):
            _check_score(info, [q for q in parsed if q.get("section") == info["title"]])
    result = {
        "title": title,
        "description": description,
        "anonymous": anonymous,
        "threshold": threshold,
        "audience": {"teams": team_ids, "roles": sorted(set(roles))},
        "opens": opens,
        "closes": closes,
        "questions": parsed,
    }
    if infos and any(set(i) != {"title"} for i in infos):
        result["sections"] = infos
    return result


def _check_score(info: dict[str, Any], questions: list[dict[str, Any]]) -> None:
    """A scored section needs scale items that share one number of points."""
    items = [q for q in questions if q["type"] in ("likert", "grid")]
    if not items:
        raise ValidationError(
            f"section {info['title']!r} has a score but no scale or grid questions to score."
        )
    sizes = {scales.points(q) for q in items}
    if len(sizes) > 1:
        raise ValidationError(
            f"section {info['title']!r} has a score, but its items use scales of "
            f"{' and '.join(str(n) for n in sorted(sizes))} points; a mean needs one scale."
        )


def section_of(definition: dict[str, Any], title: str) -> dict[str, Any]:
    """A section's title, description, condition and score setting."""
    for info in definition.get("sections") or []:
        if info["title"] == title:
            return info
    return {"title": title}


def parse_question(
    raw: Any,
    number: int,
    types: dict[str, QuestionType],
    earlier: list[dict[str, Any]],
    section: str = "",
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValidationError(f"question {number} must be an object with id, type and text.")
    qid = raw.get("id") or f"q{number}"
    where = f"question {qid}"
    if not isinstance(qid, str) or not _QUESTION_ID.match(qid):
        raise ValidationError(f"question {number}: id must be letters, digits, _ or - (up to 40).")
    if any(q["id"] == qid for q in earlier):
        raise ValidationError(f"{where}: the id is used twice.")
    unknown = set(raw) - _QUESTION_KEYS
    if unknown:
        raise ValidationError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
    qtype = raw.get("type")
    if qtype not in types:
        raise ValidationError(f"{where}: type {qtype!r} is not one of: {', '.join(sorted(types))}.")
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise ValidationError(f"{where}: required must be true or false.")
    question: dict[str, Any] = {
        "id": qid,
        "type": qtype,
        "text": clean(raw.get("text"), field=f"{where} text", max_length=QUESTION_TEXT_MAX),
        "help": clean(
            raw.get("help", ""), field=f"{where} help", max_length=HELP_MAX, required=False
        ),
        "required": required,
        "section": clean(
            raw.get("section", section) or "",
            field=f"{where} section",
            max_length=SECTION_MAX,
            required=False,
        ),
    }
    for key in TYPE_KEYS:
        if key in raw:
            question[key] = raw[key]
    if raw.get("settings") not in (None, {}):
        question["settings"] = _parse_settings(raw["settings"], where)
    try:
        types[qtype].check_definition(question)
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc.message}") from None
    if "show_if" in raw and raw["show_if"] is not None:
        question["show_if"] = conditions.parse_condition(raw["show_if"], where, types, earlier)
    return question


def _as_typed(value: Any) -> Any:
    """A not-yet-valid answer as a draft may keep it (text, or a list such as
    four ticks where three are allowed), or None when it is no such thing."""
    if isinstance(value, str):
        return strip_controls(value, multiline=True) if len(value) <= DRAFT_TEXT_MAX else None
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        try:
            size = len(json.dumps(value, allow_nan=False))
        except ValueError:
            return None
        return (
            [strip_controls(v) if isinstance(v, str) else v for v in value]
            if (size <= DRAFT_TEXT_MAX)
            else None
        )
    return None


def _parse_settings(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(f'{where}: settings must be an object like {{"stars": 5}}.')
    try:
        size = len(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        raise ValidationError(
            f"{where}: settings must hold only text, numbers and lists."
        ) from None
    if size > SETTINGS_MAX:
        raise ValidationError(f"{where}: settings are {size:,} characters; the limit is 2,000.")
    return value


def is_shown(
    question: dict[str, Any], answers: dict[str, Any], definition: dict[str, Any] | None = None
) -> bool:
    """Whether ``question`` is asked given the answers so far: its own "show only
    if" and its section's."""
    if definition is not None and question.get("section"):
        section = section_of(definition, question["section"])
        if not conditions.holds(section.get("show_if"), answers):
            return False
    return conditions.holds(question.get("show_if"), answers)


def shown_questions(definition: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions that apply, in order; a hidden question hides its dependants too."""
    shown: list[dict[str, Any]] = []
    visible: dict[str, Any] = {}
    for question in definition["questions"]:
        if is_shown(question, visible, definition):
            shown.append(question)
            if question["id"] in answers:
                visible[question["id"]] = answers[question["id"]]
    return shown


def validate_answers(
    definition: dict[str, Any],
    answers: Any,
    types: dict[str, QuestionType],
    *,
    partial: bool = False,
    invalid: dict[str, tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Check a member's answers; return them normalised.

    An answer to a question that is not asked (its "show only if" is false) is
    refused with a message naming it: a script must not believe it stored an
    answer that was dropped. With ``partial`` (a draft), such answers are left
    out instead (an earlier answer changed and hid the question), and missing
    required answers are allowed. With an ``invalid`` dict (a draft saved from
    the app), a typed answer that is not valid yet (too long, a half-typed
    number) is put there as ``(text, why)`` instead of refusing the whole
    draft, so nothing typed is lost.

    The text of "Other, please specify" and a choice's comment come as
    ``"q3.other"`` and ``"q3.comment"`` beside ``"q3"``.
    """
    if not isinstance(answers, dict):
        raise ValidationError('answers must be a JSON object like {"q1": 4, "q2": "text"}.')
    by_id = {q["id"]: q for q in definition["questions"]}
    for key in answers:
        base, _, side = str(key).partition(".")
        question = by_id.get(base)
        if question is None or (side and (side not in SIDE_ANSWERS or not question.get(side))):
            if question is not None and side in SIDE_ANSWERS:
                raise ValidationError(f"question {base} has no {side!r} answer.")
            raise ValidationError(f"this survey has no question {key!r}.")
    result: dict[str, Any] = {}
    missing: list[str] = []
    unasked: list[str] = []
    for question in definition["questions"]:
        qid = question["id"]
        kind = types.get(question["type"])
        # Conditions compare normalised answers ("yes" is True, "agree" is 4).
        if not is_shown(question, result, definition):
            keys = (qid, f"{qid}.other", f"{qid}.comment")
            unasked.extend(k for k in keys if not no_answer(answers.get(k)))
            continue
        if kind is not None and not kind.asks:
            if not no_answer(answers.get(qid)):
                raise ValidationError(f"{qid} is text to read; it takes no answer.")
            continue
        value = answers.get(qid)
        if no_answer(value):
            if question["required"] and not partial:
                missing.append(qid)
            continue
        try:
            result[qid] = types[question["type"]].validate(question, value)
        except ValidationError as exc:
            if invalid is not None and (kept := _as_typed(value)) is not None:
                invalid[qid] = (kept, exc.message)
                continue
            raise ValidationError(f"{qid} ({question['text']}): {exc.message}") from None
        if question["type"] == "grid" and question["required"] and not partial:
            left = grid_missing(question, result[qid])
            if left:
                missing.append(f"{qid} (rows {', '.join(left)})")
        _side_answers(question, answers, result, partial, missing, invalid)
    if unasked and not partial:
        raise ValidationError(
            f"{unasked[0]} is not asked with these answers (its 'show only if' is not met); "
            f"leave it out."
        )
    if missing:
        raise ValidationError(f"please answer the required question(s): {', '.join(missing)}.")
    return result


def _side_answers(
    question: dict[str, Any],
    answers: dict[str, Any],
    result: dict[str, Any],
    partial: bool,
    missing: list[str],
    invalid: dict[str, tuple[str, str]] | None,
) -> None:
    """The text of "Other" (needed when Other is chosen) and an optional comment."""
    qid = question["id"]
    chosen = result[qid] if isinstance(result[qid], list) else [result[qid]]
    for side in SIDE_ANSWERS:
        key = f"{qid}.{side}"
        text = answers.get(key)
        if side == "other" and question.get("other") and OTHER in chosen and no_answer(text):
            if not partial:
                missing.append(f"{key} (say what '{question['other']}' is)")
            continue
        if no_answer(text):
            continue
        if side == "other" and OTHER not in chosen:
            if partial:
                continue
            raise ValidationError(
                f"{key} is given, but {qid} does not choose {question['other']!r}; leave it out."
            )
        try:
            result[key] = clean(text, field="The text", max_length=SIDE_TEXT_MAX, multiline=True)
        except ValidationError as exc:
            if invalid is not None and (kept := _as_typed(text)) is not None:
                invalid[key] = (kept, exc.message)
                continue
            raise ValidationError(f"{key}: {exc.message}") from None


def export_definition(stored: dict[str, Any], team_names: dict[str, str]) -> dict[str, Any]:
    """The definition in the import format (team ids back to names); sections
    with a description, condition or score keep the sections layout."""
    out: dict[str, Any] = {
        "title": stored["title"],
        "description": stored.get("description", ""),
        "anonymous": stored["anonymous"],
        "threshold": stored["threshold"],
        "audience": {
            "teams": [team_names.get(t, t) for t in stored["audience"]["teams"]],
            "roles": list(stored["audience"]["roles"]),
        },
        "opens": stored.get("opens"),
        "closes": stored.get("closes"),
    }
    questions = []
    for question in stored["questions"]:
        q = {k: v for k, v in question.items() if v not in ("", None)}
        if "show_if" in q:
            q["show_if"] = conditions.export_condition(q["show_if"])
        if "codes" in q:
            q["options"] = [
                {"code": c, "label": o} for c, o in zip(q.pop("codes"), q["options"], strict=True)
            ]
        questions.append(q)
    if not stored.get("sections"):
        out["questions"] = questions
        return out
    # In question order: questions outside any section form an untitled one.
    infos = {info["title"]: info for info in stored["sections"]}
    out["sections"] = []
    for q in questions:
        title = q.pop("section", "") or ""
        if not out["sections"] or out["sections"][-1]["title"] != title:
            info = infos.get(title, {"title": title})
            section = {k: v for k, v in info.items() if k != "show_if"}
            if info.get("show_if"):
                section["show_if"] = conditions.export_condition(info["show_if"])
            section["questions"] = []
            out["sections"].append(section)
        out["sections"][-1]["questions"].append(q)
    return out

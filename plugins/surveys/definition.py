"""Survey definitions: parse, validate and export them; evaluate conditions.

A definition is plain JSON (the scripting contract documented in the README)::

    {"title": "Needs", "anonymous": true, "threshold": 5,
     "audience": {"teams": ["Grade 3"], "roles": ["teacher"]},
     "opens": "2026-11-24", "closes": "2026-12-05",
     "questions": [{"id": "q1", "type": "likert", "text": "I have time to collaborate"},
                   {"id": "q2", "type": "long_text", "text": "What support do you need?",
                    "required": false, "show_if": {"question": "q1", "in": [1, 2]}}]}

Questions may instead be grouped: ``"sections": [{"title": "Time", "questions": [...]}]``.
Everything here is plain Python; the CLI, the screens and the tests share it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from plc_tui.api import QuestionType, ValidationError, clean
from plc_tui.text import strip_controls

TITLE_MAX = 120
DESCRIPTION_MAX = 1000
QUESTION_TEXT_MAX = 300
HELP_MAX = 300
SECTION_MAX = 80
MAX_QUESTIONS = 100
DEFAULT_THRESHOLD = 5
# Characters of one not-yet-valid answer a draft keeps as typed (an answer
# pasted over its limit is kept for its author to shorten, never dropped).
DRAFT_TEXT_MAX = 100_000
MIN_THRESHOLD = 3
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
_QUESTION_KEYS = {
    "id",
    "type",
    "text",
    "help",
    "required",
    "options",
    "labels",
    "min",
    "max",
    "min_select",
    "max_select",
    "show_if",
    "section",
    "settings",
}
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
    if "sections" in raw:
        if "questions" in raw:
            raise ValidationError("give either questions or sections, not both.")
        sections = raw["sections"]
        if not isinstance(sections, list):
            raise ValidationError("sections must be a list.")
        for n, section in enumerate(sections, start=1):
            if not isinstance(section, dict) or not isinstance(section.get("questions"), list):
                raise ValidationError(f"section {n} must have a title and a list of questions.")
            name = clean(
                section.get("title", ""),
                field=f"Section {n} title",
                max_length=SECTION_MAX,
                required=False,
            )
            flat.extend((q, name) for q in section["questions"])
    else:
        questions = raw.get("questions")
        if not isinstance(questions, list):
            raise ValidationError("a survey needs a list of questions.")
        flat = [(q, "") for q in questions]
    if not flat:
        raise ValidationError("a survey needs at least one question.")
    if len(flat) > MAX_QUESTIONS:
        raise ValidationError(f"a survey can have at most {MAX_QUESTIONS} questions.")

    parsed: list[dict[str, Any]] = []
    for n, (q, section) in enumerate(flat, start=1):
        parsed.append(parse_question(q, n, types, parsed, section))
    return {
        "title": title,
        "description": description,
        "anonymous": anonymous,
        "threshold": threshold,
        "audience": {"teams": team_ids, "roles": sorted(set(roles))},
        "opens": opens,
        "closes": closes,
        "questions": parsed,
    }


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
    for key in ("options", "labels", "min", "max", "min_select", "max_select"):
        if key in raw:
            question[key] = raw[key]
    if raw.get("settings") not in (None, {}):
        question["settings"] = _parse_settings(raw["settings"], where)
    try:
        types[qtype].check_definition(question)
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc.message}") from None
    if "show_if" in raw and raw["show_if"] is not None:
        question["show_if"] = _parse_condition(raw["show_if"], where, types, earlier)
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


def _parse_condition(
    raw: Any, where: str, types: dict[str, QuestionType], earlier: list[dict[str, Any]]
) -> dict[str, Any]:
    if not isinstance(raw, dict) or "question" not in raw or not ({"equals", "in"} & set(raw)):
        raise ValidationError(
            f'{where}: show_if must be like {{"question": "q1", "equals": 4}} '
            f'or {{"question": "q1", "in": [1, 2]}}.'
        )
    target = next((q for q in earlier if q["id"] == raw["question"]), None)
    if target is None:
        raise ValidationError(
            f"{where}: show_if must refer to an earlier question, not {raw['question']!r}."
        )
    values = raw["in"] if "in" in raw else [raw["equals"]]
    if not isinstance(values, list) or not values:
        raise ValidationError(f"{where}: show_if 'in' must be a non-empty list.")
    checked = []
    for value in values:
        try:
            checked.append(types[target["type"]].validate(target, value))
        except ValidationError as exc:
            raise ValidationError(
                f"{where}: show_if value {value!r} is not a possible answer to "
                f"{target['id']} ({exc.message})"
            ) from None
    return {"question": target["id"], "in": checked}


def is_shown(question: dict[str, Any], answers: dict[str, Any]) -> bool:
    """Whether ``question`` applies given the answers so far ("show only if")."""
    condition = question.get("show_if")
    if not condition:
        return True
    value = answers.get(condition["question"])
    if value is None:
        return False
    if isinstance(value, list):
        return any(v in condition["in"] for v in value)
    return value in condition["in"]


def shown_questions(definition: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions that apply, in order; a hidden question hides its dependants too."""
    shown: list[dict[str, Any]] = []
    visible: dict[str, Any] = {}
    for question in definition["questions"]:
        if is_shown(question, visible):
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
    """Check a member's answers; return them normalised, without hidden questions.

    With ``partial`` (a draft), missing required answers are allowed. With an
    ``invalid`` dict (a draft saved from the app), a typed answer that is not
    valid yet (too long, a half-typed number) is put there as ``(text, why)``
    instead of refusing the whole draft, so nothing typed is lost.
    """
    if not isinstance(answers, dict):
        raise ValidationError('answers must be a JSON object like {"q1": 4, "q2": "text"}.')
    ids = {q["id"] for q in definition["questions"]}
    unknown = [k for k in answers if k not in ids]
    if unknown:
        raise ValidationError(f"this survey has no question {unknown[0]!r}.")
    result: dict[str, Any] = {}
    missing: list[str] = []
    for question in definition["questions"]:
        # Conditions compare normalised answers ("yes" is True, "agree" is 4).
        if not is_shown(question, result):
            continue
        value = answers.get(question["id"])
        if value is None or value == "" or value == []:
            if question["required"] and not partial:
                missing.append(question["id"])
            continue
        try:
            result[question["id"]] = types[question["type"]].validate(question, value)
        except ValidationError as exc:
            if invalid is not None and (kept := _as_typed(value)) is not None:
                invalid[question["id"]] = (kept, exc.message)
                continue
            raise ValidationError(f"{question['id']} ({question['text']}): {exc.message}") from None
    if missing:
        raise ValidationError(f"please answer the required question(s): {', '.join(missing)}.")
    return result


def export_definition(stored: dict[str, Any], team_names: dict[str, str]) -> dict[str, Any]:
    """The definition in the import format (team ids back to names)."""
    out = {
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
        "questions": [],
    }
    for question in stored["questions"]:
        q = {k: v for k, v in question.items() if v not in ("", None)}
        if "show_if" in q:
            cond = q["show_if"]
            q["show_if"] = (
                {"question": cond["question"], "equals": cond["in"][0]}
                if len(cond["in"]) == 1
                else {"question": cond["question"], "in": cond["in"]}
            )
        out["questions"].append(q)
    return out

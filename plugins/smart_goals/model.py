"""SMART goals as data: the import format, validation and export.

A goal is plain JSON, the format of ``plc goal add --file goal.json`` and of
``plc goal show ID --format json`` (which adds ``id``, ``status`` and more)::

    {
      "team": "Grade 3",
      "title": "Grade 3 reading proficiency: 62% -> 80% at benchmark by May",
      "specific": {"what": "Reading comprehension at grade level",
                   "for_whom": "All Grade 3 students, with a focus on the 14 below benchmark"},
      "measurable": {"metric": "Students at or above benchmark", "baseline": 62,
                     "target": 80, "unit": "%", "data_source": "Winter and spring benchmark"},
      "ambitious": {"why_stretch": "Our best year so far was 71%",
                    "data": "Fall benchmark: 62% at benchmark, 21% well below"},
      "reflective": {"how": "Look at running records together and adjust groups",
                     "when": "Every other PLC meeting, after each checkpoint"},
      "timely": {"start": "2026-09-08", "deadline": "2027-05-21",
                 "checkpoints": ["2026-12-11", "2027-03-05"]},
      "owners": ["tnguyen", "jgarcia"],
      "actions": [{"text": "Daily 20-minute small-group guided reading", "owner": "tnguyen",
                   "due": "2026-10-01", "done": false}],
      "evidence": [{"text": "Running records binder, shared drive"}],
      "consensus_share": 1.0
    }

``team`` is a team name or id; ``title`` is the only other required field. Every
SMART part may start empty: a team can propose a goal and complete it together,
and :mod:`.checker` says what is missing. A goal must pass the check before the
team can agree on it. ``owners`` and action ``owner`` are member logins.
``consensus_share`` (0.5 to 1, default 1) is the share of the team that must
agree before the goal is active. Dates are ISO (``2026-12-11``); numbers are
JSON numbers (or strings like ``"62.5"``).

Everything here is plain Python; the CLI, the screens and the tests share it.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from plc_tui.api import Member, Team, ValidationError, clean

TITLE_MAX = 120
TEXT_MAX = 500
SHORT_MAX = 200
UNIT_MAX = 20
ACTION_MAX = 300
MAX_ITEMS = 50
MAX_OWNERS = 20
MAX_CHECKPOINTS = 20
NUMBER_LIMIT = 1_000_000_000
DEFAULT_SHARE = 1.0
MIN_SHARE = 0.5

SECTIONS: dict[str, dict[str, tuple[str, int]]] = {
    "specific": {"what": ("What will improve", TEXT_MAX), "for_whom": ("For whom", SHORT_MAX)},
    "ambitious": {
        "why_stretch": ("Why it is a stretch", TEXT_MAX),
        "data": ("The data it came from", TEXT_MAX),
    },
    "reflective": {"how": ("How the team will reflect", TEXT_MAX), "when": ("When", SHORT_MAX)},
}
MEASURABLE_TEXT = {
    "metric": ("Metric", SHORT_MAX),
    "unit": ("Unit", UNIT_MAX),
    "data_source": ("Data source", SHORT_MAX),
}
#: The parts of a goal whose change resets the team's votes on a proposed goal.
SMART_KEYS = ("title", "specific", "measurable", "ambitious", "reflective", "timely")
#: Every field of the import format, in the order exports write them.
FIELDS = ("team", *SMART_KEYS, "owners", "actions", "evidence", "consensus_share")
TOP_KEYS = set(FIELDS)


def number(value: Any, field: str) -> int | float | None:
    """A number from JSON or a text field; ``None`` for empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(f"{field} must be a number like 62 or 62.5.")
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip().replace(",", "")
        try:
            value = float(text)
        except ValueError:
            raise ValidationError(f"{field} must be a number like 62 or 62.5.") from None
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"{field} must be a number like 62 or 62.5.")
    if abs(value) > NUMBER_LIMIT:
        raise ValidationError(f"{field} is too large.")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def parse_date(value: Any, field: str) -> str | None:
    """An ISO date string (or ``None`` for empty), with a clear message."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a date like 2026-12-11.")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValidationError(f"{field} {value!r} is not a date like 2026-12-11.") from None


def format_number(value: Any) -> str:
    """``62``, ``62.5``; ``-`` for none."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def is_percent(unit: str | None) -> bool:
    return (unit or "").strip().casefold() in ("%", "percent", "per cent", "percentage")


def with_unit(value: Any, unit: str | None) -> str:
    """``62%``, ``3.5 days``."""
    text = format_number(value)
    if value is None or not unit:
        return text
    return f"{text}%" if is_percent(unit) else f"{text} {unit}"


def resolve_team(teams: list[Team], name: str) -> Team:
    key = str(name).strip().casefold()
    for team in teams:
        if team.id == key or team.name.casefold() == key:
            return team
    known = ", ".join(t.name for t in teams) or "none yet"
    raise ValidationError(f"there is no team {name!r}; teams: {known}.")


def _section(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(f"{key} must be an object, e.g. {example(key)}.")
    return value


def example(key: str) -> str:
    return {
        "specific": '{"what": "...", "for_whom": "..."}',
        "measurable": (
            '{"metric": "...", "baseline": 62, "target": 80, "unit": "%", "data_source": "..."}'
        ),
        "ambitious": '{"why_stretch": "...", "data": "..."}',
        "reflective": '{"how": "...", "when": "..."}',
        "timely": '{"start": "2026-09-08", "deadline": "2027-05-21", "checkpoints": [...]}',
    }[key]


def _unknown(raw: dict[str, Any], allowed: set[str] | dict[str, Any], where: str) -> None:
    extra = set(raw) - set(allowed)
    if extra:
        raise ValidationError(f"unknown field(s) in {where}: {', '.join(sorted(extra))}.")


def _texts(raw: dict[str, Any], key: str, fields: dict[str, tuple[str, int]]) -> dict[str, str]:
    section = _section(raw, key)
    _unknown(section, fields, key)
    return {
        name: clean(
            section.get(name),
            field=f"{key.capitalize()}: {label}",
            max_length=limit,
            multiline=limit >= TEXT_MAX,
            required=False,
        )
        for name, (label, limit) in fields.items()
    }


def _login(value: Any, field: str, logins: set[str] | None) -> str:
    login = clean(value, field=field, max_length=64)
    if logins is not None and login not in logins:
        raise ValidationError(f"{field} {login!r} is not a member; see `plc member list`.")
    return login


def person_login(text: str, members: list[Member]) -> str | None:
    """The login of the member ``text`` names: a login, a whole name, or a first name.

    Case and extra spaces do not matter. ``None`` when no one matches; a
    :class:`ValidationError` when a first name fits several people, so that
    a step is never given to the wrong person.
    """
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for m in members:
        if m.login.casefold() == wanted:
            return m.login
    whole = {m.login for m in members if " ".join(m.name.split()).casefold() == wanted}
    if len(whole) == 1:
        return whole.pop()
    first = {m.login for m in members if m.name.split() and m.name.split()[0].casefold() == wanted}
    if len(first) == 1:
        return first.pop()
    if len(whole) + len(first) > 1:
        names = sorted(m.name for m in members if m.login in whole | first)
        raise ValidationError(f"{text!r} could be {' or '.join(names)}: type the whole name.")
    return None


def parse_goal(raw: Any, teams: list[Team], members: list[Member] | None = None) -> dict[str, Any]:
    """Validate a goal in the import format; return it normalised (team by id).

    Raises :class:`ValidationError` with a message that names the field.
    """
    if not isinstance(raw, dict):
        raise ValidationError("a goal must be a JSON object with a team and a title.")
    _unknown(raw, TOP_KEYS, "the goal")
    if raw.get("team") in (None, ""):
        raise ValidationError("a goal needs a team (its name or id).")
    team = resolve_team(teams, raw["team"])
    logins = {m.login for m in members} if members is not None else None

    measurable_raw = _section(raw, "measurable")
    _unknown(measurable_raw, {*MEASURABLE_TEXT, "baseline", "target"}, "measurable")
    measurable: dict[str, Any] = {
        name: clean(
            measurable_raw.get(name),
            field=f"Measurable: {label}",
            max_length=limit,
            required=False,
        )
        for name, (label, limit) in MEASURABLE_TEXT.items()
    }
    measurable["baseline"] = number(measurable_raw.get("baseline"), "Measurable: Baseline")
    measurable["target"] = number(measurable_raw.get("target"), "Measurable: Target")

    timely_raw = _section(raw, "timely")
    _unknown(timely_raw, {"start", "deadline", "checkpoints"}, "timely")
    checkpoints_raw = timely_raw.get("checkpoints") or []
    if not isinstance(checkpoints_raw, list):
        raise ValidationError('timely checkpoints must be a list of dates like ["2026-12-11"].')
    if len(checkpoints_raw) > MAX_CHECKPOINTS:
        raise ValidationError(f"a goal can have at most {MAX_CHECKPOINTS} review checkpoints.")
    checkpoints = sorted(
        {
            d
            for n, value in enumerate(checkpoints_raw, start=1)
            if (d := parse_date(value, f"Timely: checkpoint {n}"))
        }
    )
    timely = {
        "start": parse_date(timely_raw.get("start"), "Timely: start"),
        "deadline": parse_date(timely_raw.get("deadline"), "Timely: deadline"),
        "checkpoints": checkpoints,
    }

    owners_raw = raw.get("owners") or []
    if not isinstance(owners_raw, list):
        raise ValidationError('owners must be a list of logins like ["tnguyen"].')
    if len(owners_raw) > MAX_OWNERS:
        raise ValidationError(f"a goal can have at most {MAX_OWNERS} owners.")
    owners: list[str] = []
    for value in owners_raw:
        login = _login(value, "owner", logins)
        if login not in owners:
            owners.append(login)

    share = raw.get("consensus_share", DEFAULT_SHARE)
    share = number(share, "consensus_share")
    if share is None:
        share = DEFAULT_SHARE
    if not MIN_SHARE <= share <= 1:
        raise ValidationError(
            f"consensus_share must be between {MIN_SHARE} and 1 (the share of the team "
            f"that must agree; 1 means everyone)."
        )

    return {
        "team": team.id,
        "title": clean(raw.get("title"), field="Goal title", max_length=TITLE_MAX),
        "specific": _texts(raw, "specific", SECTIONS["specific"]),
        "measurable": measurable,
        "ambitious": _texts(raw, "ambitious", SECTIONS["ambitious"]),
        "reflective": _texts(raw, "reflective", SECTIONS["reflective"]),
        "timely": timely,
        "owners": owners,
        "actions": parse_actions(raw.get("actions"), logins),
        "evidence": parse_evidence(raw.get("evidence")),
        "consensus_share": share,
    }


def parse_actions(raw: Any, logins: set[str] | None = None) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValidationError(
            'actions must be a list like [{"text": "...", "owner": "tnguyen", "due": "..."}].'
        )
    if len(raw) > MAX_ITEMS:
        raise ValidationError(f"a goal can have at most {MAX_ITEMS} action steps.")
    actions = []
    for n, item in enumerate(raw, start=1):
        where = f"action {n}"
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            raise ValidationError(f"{where} must be an object with a text.")
        _unknown(item, {"text", "owner", "due", "done"}, where)
        done = item.get("done", False)
        if not isinstance(done, bool):
            raise ValidationError(f"{where}: done must be true or false.")
        owner = item.get("owner")
        actions.append(
            {
                "text": clean(item.get("text"), field=f"{where} text", max_length=ACTION_MAX),
                "owner": _login(owner, f"{where} owner", logins) if owner else None,
                "due": parse_date(item.get("due"), f"{where} due"),
                "done": done,
            }
        )
    return actions


def parse_evidence(raw: Any) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValidationError('evidence must be a list like [{"text": "..."}].')
    if len(raw) > MAX_ITEMS:
        raise ValidationError(f"a goal can have at most {MAX_ITEMS} pieces of evidence.")
    evidence = []
    for n, item in enumerate(raw, start=1):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            raise ValidationError(f"evidence {n} must be an object with a text.")
        _unknown(item, {"text", "date"}, f"evidence {n}")
        entry: dict[str, Any] = {
            "text": clean(
                item.get("text"), field=f"evidence {n}", max_length=TEXT_MAX, multiline=True
            )
        }
        if item.get("date"):
            entry["date"] = parse_date(item["date"], f"evidence {n} date")
        evidence.append(entry)
    return evidence


def smart_content(goal: dict[str, Any]) -> dict[str, Any]:
    """The parts whose change asks the team to agree again."""
    return {k: goal.get(k) for k in SMART_KEYS}


def export_goal(goal: dict[str, Any], team_names: dict[str, str]) -> dict[str, Any]:
    """A stored goal in the import format (team id back to its name)."""
    out = {k: goal.get(k) for k in FIELDS}
    out["team"] = team_names.get(goal["team"], goal["team"])
    return out

"""The live SMART check: is this goal Specific, Measurable, Ambitious, Reflective, Timely?

``check(goal, today)`` never raises: it takes a stored goal or a half-filled
form (strings where numbers go, missing parts) and returns one
:class:`LetterResult` per letter, with a hint that says what to add. The
screens run it on every keystroke; the CLI prints it in ``plc goal show``; a
team can agree on a goal only when every letter is met.

The rules, in the order their hints are given:

S  what will improve and for whom are both said.
M  a metric, a baseline and a target number, a unit and a data source; the
   target differs from the baseline; percentages lie between 0 and 100.
A  why it is a stretch, and the student data it came from.
R  how and when the team will reflect on progress.
T  a start and a deadline, the deadline after the start and not past (unless the
   goal is met), at least one review checkpoint between them, every checkpoint
   inside that window, and a deadline within about a school year of the start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

LETTERS = (
    ("S", "Specific"),
    ("M", "Measurable"),
    ("A", "Ambitious"),
    ("R", "Reflective"),
    ("T", "Timely"),
)
MAX_SPAN_DAYS = 400


@dataclass(frozen=True)
class LetterResult:
    """Whether a goal meets one letter of SMART, and what to add if not."""

    letter: str
    name: str
    met: bool
    hint: str  # what to add; empty when met

    def as_dict(self) -> dict[str, Any]:
        return {"letter": self.letter, "name": self.name, "met": self.met, "hint": self.hint}


def _part(goal: dict[str, Any], key: str) -> dict[str, Any]:
    value = goal.get(key)
    return value if isinstance(value, dict) else {}


def _text(section: dict[str, Any], key: str) -> bool:
    value = section.get(key)
    return isinstance(value, str) and bool(value.strip())


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.strip().rstrip("%").strip().replace(",", ""))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _specific(goal: dict[str, Any]) -> str:
    part = _part(goal, "specific")
    what, whom = _text(part, "what"), _text(part, "for_whom")
    if not what and not whom:
        return "Specific: say what will improve and for whom"
    if not what:
        return "Specific: say what will improve"
    if not whom:
        return "Specific: say for whom (which students)"
    return ""


def _measurable(goal: dict[str, Any]) -> str:
    part = _part(goal, "measurable")
    baseline, target = _num(part.get("baseline")), _num(part.get("target"))
    if not _text(part, "metric"):
        return "Measurable: name what you will measure (e.g. students at benchmark)"
    if baseline is None:
        return "Measurable: add the baseline number from your current data"
    if target is None or not _text(part, "unit"):
        return "Measurable: add a target number and a unit"
    if target == baseline:
        return "Measurable: the target must differ from the baseline"
    unit = str(part.get("unit")).strip().casefold()
    if unit in ("%", "percent", "per cent", "percentage") and not (
        0 <= baseline <= 100 and 0 <= target <= 100
    ):
        return "Measurable: a percentage must be between 0 and 100"
    if not _text(part, "data_source"):
        return "Measurable: say which assessment or data source will measure it"
    return ""


def _ambitious(goal: dict[str, Any]) -> str:
    part = _part(goal, "ambitious")
    why, data = _text(part, "why_stretch"), _text(part, "data")
    if not why and not data:
        return "Ambitious: say why this is a stretch and which data it came from"
    if not why:
        return "Ambitious: say why this is a stretch for your students"
    if not data:
        return "Ambitious: say which student data the goal came from"
    return ""


def _reflective(goal: dict[str, Any]) -> str:
    part = _part(goal, "reflective")
    how, when = _text(part, "how"), _text(part, "when")
    if not how and not when:
        return "Reflective: say how and when the team will reflect"
    if not how:
        return "Reflective: say how the team will reflect on progress"
    if not when:
        return "Reflective: say when the team will reflect (e.g. every other PLC meeting)"
    return ""


def _timely(goal: dict[str, Any], today: date) -> str:
    part = _part(goal, "timely")
    start, deadline = _date(part.get("start")), _date(part.get("deadline"))
    if start is None or deadline is None:
        return "Timely: set a start date and a deadline"
    if deadline <= start:
        return "Timely: the deadline must be after the start"
    if deadline < today and not goal.get("met_on"):
        return "Timely: the deadline is in the past"
    raw = part.get("checkpoints")
    checkpoints = [d for d in (_date(v) for v in raw) if d] if isinstance(raw, list) else []
    if not any(start < d < deadline for d in checkpoints):
        return "Timely: add at least one review checkpoint between the start and the deadline"
    if any(not start <= d <= deadline for d in checkpoints):
        return "Timely: every checkpoint must fall between the start and the deadline"
    if (deadline - start).days > MAX_SPAN_DAYS:
        return "Timely: set a deadline within a school year of the start"
    return ""


def check(goal: dict[str, Any], today: date) -> list[LetterResult]:
    """One result per SMART letter, in order."""
    hints = (
        _specific(goal),
        _measurable(goal),
        _ambitious(goal),
        _reflective(goal),
        _timely(goal, today),
    )
    return [
        LetterResult(letter, name, not hint, hint)
        for (letter, name), hint in zip(LETTERS, hints, strict=True)
    ]


def is_smart(goal: dict[str, Any], today: date) -> bool:
    return all(r.met for r in check(goal, today))


def unmet(goal: dict[str, Any], today: date) -> list[str]:
    """The hints of the letters not met yet."""
    return [r.hint for r in check(goal, today) if not r.met]

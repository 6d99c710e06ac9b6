"""School years: which one a goal belongs to, and how people name it.

A school year is named by the calendar year it starts in (2025 is "2025-26") and
starts on ``school_year_starts`` (``"MM-DD"`` in ``[plugins.smart_goals]``;
1 August unless a school says otherwise). A goal belongs to the school year of
its deadline (of its start, or of the day it was proposed, when it has none):
goals are set for a year and reviewed at its end.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from plc_tui.api import PLCError

DEFAULT_STARTS = (8, 1)
_MONTH_DAY = re.compile(r"(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"(\d{4})(?:\s*[-/–]\s*(\d{2}|\d{4}))?")


def year_starts(settings: dict[str, Any]) -> tuple[int, int]:
    """``(month, day)`` from ``school_year_starts`` in the plugin's settings, or 1 August.

    A value that is not a real day of the year is ignored rather than refused:
    settings are the server's, and a typo there must not lock teachers out.
    """
    value = settings.get("school_year_starts")
    match = _MONTH_DAY.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return DEFAULT_STARTS
    month, day = int(match[1]), int(match[2])
    try:
        date(2001, month, day)  # not a leap year: 02-29 would start no year at all
    except ValueError:
        return DEFAULT_STARTS
    return month, day


def school_year(day: date, starts: tuple[int, int] = DEFAULT_STARTS) -> int:
    """The school year ``day`` falls in, named by the year it starts in."""
    return day.year if (day.month, day.day) >= starts else day.year - 1


def label(year: int) -> str:
    """``2025`` -> ``"2025-26"``: how schools write a school year."""
    return f"{year}-{(year + 1) % 100:02d}"


def parse_year(value: Any) -> int:
    """A school year as people type it (``2024``, ``2024-25``, ``2024-2025``)."""
    text = str(value).strip()
    match = _YEAR.fullmatch(text)
    if match is not None:
        year, end = int(match[1]), match[2]
        if end is None or int(end) in ((year + 1) % 100, year + 1):
            return year
    raise PLCError(
        f"{text!r} is not a school year; write it as 2024-25 (or 2024, the year it starts)."
    )


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def goal_year(goal: dict[str, Any], starts: tuple[int, int] = DEFAULT_STARTS) -> int | None:
    """The school year a goal belongs to: its deadline's (or start's, or the day it
    was proposed); ``None`` when it has no date at all (it stays with this year)."""
    timely = goal.get("timely") or {}
    for value in (timely.get("deadline"), timely.get("start"), goal.get("created")):
        day = _day(value)
        if day is not None:
            return school_year(day, starts)
    return None

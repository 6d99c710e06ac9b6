"""School years: which one a day falls in, and how people name it.

A school year is named by the calendar year it starts in (2025 is "2025-26") and
starts on ``school_year_starts`` (``"MM-DD"`` at the top of the config file; 1
August unless a school says otherwise). Modules get it from ``ctx.school_year()``;
goals belong to the school year of their deadline, surveys to that of the day
they open, so this year's lists stay the size of one year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from .errors import PLCError

DEFAULT_STARTS = (8, 1)
_MONTH_DAY = re.compile(r"(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"(\d{4})(?:\s*[-/–]\s*(\d{2}|\d{4}))?")


def year_starts(value: Any) -> tuple[int, int]:
    """``(month, day)`` from a ``"MM-DD"`` setting, or 1 August.

    A value that is not a real day of the year is ignored rather than refused:
    the setting is the server's, and a typo there must not lock teachers out.
    """
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


def day_of(value: Any) -> date | None:
    """The date at the start of an ISO date or time text, or ``None``."""
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def school_year_of(values: Iterable[Any], starts: tuple[int, int] = DEFAULT_STARTS) -> int | None:
    """The school year of the first of ``values`` that is a date (or an ISO time):
    a record's deadline, else its start, else the day it was made. ``None`` when
    none is."""
    for value in values:
        day = day_of(value)
        if day is not None:
            return school_year(day, starts)
    return None

"""Which school year a goal belongs to (the rules of school years are plc's:
:mod:`plc_tui.school_year`, through ``ctx.school_year()``)."""

from __future__ import annotations

from typing import Any

from plc_tui.api import school_year_of


def goal_year(goal: dict[str, Any], starts: tuple[int, int]) -> int | None:
    """The school year a goal belongs to: its deadline's (or start's, or the day it
    was proposed); ``None`` when it has no date at all (it stays with this year)."""
    timely = goal.get("timely") or {}
    return school_year_of(
        (timely.get("deadline"), timely.get("start"), goal.get("created")), starts
    )

"""What the SMART goals module offers other plugins: the
``smart_goals.progress`` service.

A leader's reflection ("what have I learnt over the last two weeks?") starts
from what happened to the goals they work on: the check-ins since their last
report. The service answers for the calling member only, and only with goals
they may see.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from plc_tui.api import Context

from . import store
from .service import Goals


class GoalProgress:
    """The service another plugin gets with ``ctx.service("smart_goals.progress")``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx  # the goals plugin's own context, for the calling member

    def checkins_since(self, since: date | None = None) -> list[dict[str, Any]]:
        """Check-ins since ``since`` (all when ``None``) on the goals the member
        owns, an action step of, or whose team they are in; oldest first:
        ``{"goal", "title", "team", "date", "value", "unit", "target",
        "confidence", "note", "status"}``."""
        service = Goals(self.ctx)
        member = service.member
        names = service.team_names()
        statuses = service.statuses()
        out = []
        with self.ctx.read() as tables:
            for goal in service.goals_of(tables):
                mine = (
                    member.login in (goal.get("owners") or [])
                    or any(a.get("owner") == member.login for a in goal.get("actions") or [])
                    or member.in_team(goal["team"])
                )
                if not mine or goal.get("state") == "proposed":
                    continue
                measurable = goal.get("measurable") or {}
                for entry in store.checkins(tables, goal["id"]):
                    if since is not None and entry["date"] <= since.isoformat():
                        continue
                    status = statuses.get(goal["id"])
                    out.append(
                        {
                            "goal": goal["id"],
                            "title": goal["title"],
                            "team": names.get(goal["team"], goal["team"]),
                            "date": entry["date"],
                            "value": entry["value"],
                            "unit": measurable.get("unit") or "",
                            "target": measurable.get("target"),
                            "confidence": entry.get("confidence"),
                            "note": entry.get("note") or "",
                            "status": status.status if status else None,
                        }
                    )
        return sorted(out, key=lambda c: (c["date"], c["goal"]))

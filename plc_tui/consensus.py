"""Consensus by a team: agreed when no one objects and enough members agree.

Shared by every module that decides together (goals, norms, a school's own
protocol): ``votes`` maps a login to ``{"vote": "agree" | "object", "reason":
str, "date": iso}``. Only the team's members count towards the share (default
all of them, never fewer than one person); anyone's objection (a coach's too)
holds the decision back, with its reason shown. Plain Python; public API
(``plc_tui.api.Tally``, ``plc_tui.api.tally_votes``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

DEFAULT_SHARE = 1.0


@dataclass(frozen=True)
class Tally:
    """Where a team's consensus vote stands."""

    members: tuple[str, ...]  # the team's logins
    agreed: tuple[str, ...]  # team members who agreed
    objections: tuple[tuple[str, str], ...]  # (login, reason), anyone who objected
    waiting: tuple[str, ...]  # team members who have not voted
    needed: int
    share: float

    @property
    def reached(self) -> bool:
        return not self.objections and len(self.agreed) >= self.needed

    def summary(self, names: dict[str, str] | None = None) -> str:
        """``Objection from Sam Lee: ...`` or ``3 of 4 agreed; 4 needed``."""
        names = names or {}
        if self.objections:
            login, reason = self.objections[0]
            more = len(self.objections) - 1
            tail = f" (and {more} more objection{'s' if more > 1 else ''})" if more else ""
            return f"Objection from {names.get(login, login)}: {reason}{tail}"
        return f"{len(self.agreed)} of {len(self.members)} agreed; {self.needed} needed"

    def as_dict(self) -> dict[str, Any]:
        return {
            "members": list(self.members),
            "agreed": list(self.agreed),
            "objections": [{"member": m, "reason": r} for m, r in self.objections],
            "waiting": list(self.waiting),
            "needed": self.needed,
            "share": self.share,
            "reached": self.reached,
        }


def needed(share: float, team_size: int) -> int:
    """How many members must agree: ``share`` of the team, at least one."""
    return max(1, math.ceil(share * team_size - 1e-9))


def tally_votes(
    votes: dict[str, dict[str, Any]] | None,
    team_logins: list[str] | tuple[str, ...],
    share: float | None = None,
) -> Tally:
    """Count ``votes`` for a team of ``team_logins`` needing ``share`` of them."""
    votes = votes or {}
    members = tuple(sorted(team_logins))
    share = share or DEFAULT_SHARE
    return Tally(
        members=members,
        agreed=tuple(m for m in members if votes.get(m, {}).get("vote") == "agree"),
        objections=tuple(
            (login, str(v.get("reason", "")))
            for login, v in sorted(votes.items())
            if v.get("vote") == "object"
        ),
        waiting=tuple(m for m in members if m not in votes),
        needed=needed(share, len(members)),
        share=share,
    )

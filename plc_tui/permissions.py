"""Who may do what. Plain rules, tested on their own.

Actions (plugins use the same names through ``ctx.can`` / ``ctx.require``):

=================  ==========================================================
``community.admin``  change the community itself, add and remove members
``teams.manage``     create teams, put members in teams (coaches and admins)
``lead``             coach-level work: build surveys, see every team's results
``team.view``        see a team's records (its members, coaches, admins)
``team.edit``        change a team's records (its members, coaches, admins)
=================  ==========================================================
"""

from __future__ import annotations

from .community import Member
from .errors import PermissionDenied

ACTIONS = ("community.admin", "teams.manage", "lead", "team.view", "team.edit")
_TEAM_ACTIONS = ("team.view", "team.edit")


def can(member: Member | None, action: str, *, team: str | None = None) -> bool:
    """Whether ``member`` may do ``action`` (on ``team`` for team actions)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    if member is None:
        return False
    if action == "community.admin":
        return member.is_admin
    if action in ("teams.manage", "lead"):
        return member.is_leader
    if team is None:
        raise ValueError(f"{action} needs a team")
    return member.is_leader or member.in_team(team)


def require(member: Member | None, action: str, *, team: str | None = None) -> None:
    """Raise :class:`PermissionDenied` with a clear message unless allowed."""
    if can(member, action, team=team):
        return
    who = f"{member.name} ({member.role})" if member else "you"
    needs = {
        "community.admin": "an admin",
        "teams.manage": "a coach or an admin",
        "lead": "a coach or an admin",
        "team.view": "a member of that team, a coach or an admin",
        "team.edit": "a member of that team, a coach or an admin",
    }[action]
    raise PermissionDenied(f"{who} cannot do this: it takes {needs}.")

"""Who may do what."""

from __future__ import annotations

import pytest

from plc_tui.community import Member
from plc_tui.errors import PermissionDenied
from plc_tui.permissions import can, require

ADMIN = Member("a", "Ann", "admin")
COACH = Member("c", "Cal", "coach", ("grade-3",))
TEACHER = Member("t", "Tia", "teacher", ("grade-3",))


@pytest.mark.parametrize(
    ("member", "action", "team", "allowed"),
    [
        (ADMIN, "community.admin", None, True),
        (COACH, "community.admin", None, False),
        (TEACHER, "community.admin", None, False),
        (COACH, "teams.manage", None, True),
        (TEACHER, "lead", None, False),
        (TEACHER, "team.edit", "grade-3", True),
        (TEACHER, "team.edit", "grade-4", False),
        (COACH, "team.edit", "grade-4", True),
        (None, "team.view", "grade-3", False),
    ],
)
def test_role_rules(member, action, team, allowed) -> None:
    assert can(member, action, team=team) is allowed


def test_refusal_says_who_is_needed() -> None:
    with pytest.raises(
        PermissionDenied, match=r"Tia \(teacher\) cannot do this: it takes an admin"
    ):
        require(TEACHER, "community.admin")


def test_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        can(ADMIN, "launch.rockets")

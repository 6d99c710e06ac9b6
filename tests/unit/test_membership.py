"""Who may change the community, through the one service the CLI and the app share."""

from __future__ import annotations

import pytest

from plc_tui import community
from plc_tui.errors import PermissionDenied, ValidationError
from plc_tui.membership import Membership
from plc_tui.runtime import Runtime
from tests.conftest import ADMIN


def as_(runtime: Runtime, login: str) -> Membership:
    with runtime.storage.read() as tx:
        actor = community.get_member(tx, login)
    return Membership(runtime.storage, actor)


def member(runtime: Runtime, login: str) -> community.Member | None:
    with runtime.storage.read() as tx:
        return community.get_member(tx, login)


def test_an_admin_adds_changes_and_removes_members(runtime: Runtime) -> None:
    admin = as_(runtime, ADMIN)
    added, teams = admin.add_member("jgarcia", "Julia Garcia", "teacher", ["Grade 3"])
    assert (added.login, added.teams, teams) == ("jgarcia", ("grade-3",), ["Grade 3"])
    changed, teams = admin.edit_member(
        "jgarcia", name="Julia García", role="coach", add_teams=["grade-4"]
    )
    assert (changed.name, changed.role, teams) == ("Julia García", "coach", ["Grade 3", "Grade 4"])
    assert admin.remove_member("jgarcia").login == "jgarcia"
    assert member(runtime, "jgarcia") is None


@pytest.mark.parametrize("login", ["coach1", "t1"])
def test_only_an_admin_adds_removes_renames_or_re_roles(runtime: Runtime, login: str) -> None:
    someone = as_(runtime, login)
    with pytest.raises(PermissionDenied, match="it takes an admin"):
        someone.add_member("x1", "X")
    with pytest.raises(PermissionDenied, match="it takes an admin"):
        someone.remove_member("t3")
    with pytest.raises(PermissionDenied, match="it takes an admin"):
        someone.edit_member("t3", role="admin")
    with pytest.raises(PermissionDenied, match="it takes an admin"):
        someone.edit_member("t3", name="Renamed")
    assert member(runtime, "t3") == community.Member("t3", "Teacher t3", "teacher", ("grade-4",))


def test_a_coach_puts_people_in_teams_and_creates_teams(runtime: Runtime) -> None:
    coach = as_(runtime, "coach1")
    team = coach.add_team("Grade 5", "Grade 5 teachers")
    changed, names = coach.set_teams("t3", ["Grade 5", "grade-3"])
    assert changed.teams == ("grade-3", team.id)
    assert names == ["Grade 3", "Grade 5"]
    # A form that shows the unchanged name and role saves for a coach too.
    changed, _ = coach.edit_member("t3", add_teams=["grade-4"])
    assert "grade-4" in changed.teams


def test_a_teacher_changes_no_one(runtime: Runtime) -> None:
    teacher = as_(runtime, "t1")
    with pytest.raises(PermissionDenied, match="a coach or an admin"):
        teacher.set_teams("t1", ["Grade 4"])
    with pytest.raises(PermissionDenied, match="a coach or an admin"):
        teacher.add_team("Secret team")


def test_the_last_admin_cannot_be_removed_or_demoted(runtime: Runtime) -> None:
    admin = as_(runtime, ADMIN)
    with pytest.raises(ValidationError, match="only admin"):
        admin.remove_member(ADMIN)
    with pytest.raises(ValidationError, match="only admin"):
        admin.edit_member(ADMIN, role="coach")

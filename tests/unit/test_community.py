"""Community, teams and members."""

from __future__ import annotations

import pytest

from plc_tui import community
from plc_tui.errors import NotFound, ValidationError
from plc_tui.runtime import Runtime


def test_seeded_directory(runtime: Runtime) -> None:
    with runtime.storage.read() as tx:
        assert community.community_name(tx) == "Test School"
        assert [t.id for t in community.list_teams(tx)] == ["grade-3", "grade-4"]
        assert [m.login for m in community.list_members(tx, team="grade-3")] == ["t1", "t2"]
    assert runtime.member is not None and runtime.member.is_admin


def test_team_lookup_by_name_or_id_case_insensitive(runtime: Runtime) -> None:
    with runtime.storage.read() as tx:
        assert community.find_team(tx, "GRADE 3").id == "grade-3"
        assert community.find_team(tx, "grade-4").name == "Grade 4"
        with pytest.raises(NotFound, match="teams: Grade 3, Grade 4"):
            community.find_team(tx, "Grade 9")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"login": "t1", "name": "X", "role": "teacher"}, "already a member"),
        ({"login": "bad login", "name": "X", "role": "teacher"}, "not valid"),
        ({"login": "new", "name": "X", "role": "principal"}, "not one of"),
        ({"login": "new", "name": "", "role": "teacher"}, "Name cannot be empty"),
        ({"login": "new", "name": "X", "role": "teacher", "teams": ["Mars"]}, "no team"),
    ],
)
def test_add_member_refuses_bad_input_and_stores_nothing(
    runtime: Runtime, kwargs: dict, message: str
) -> None:
    with pytest.raises((ValidationError, NotFound), match=message):
        with runtime.storage.transaction() as tx:
            community.add_member(tx, **kwargs)
    with runtime.storage.read() as tx:
        assert len(community.list_members(tx)) == 5


def test_last_admin_cannot_be_demoted_or_removed(runtime: Runtime) -> None:
    with runtime.storage.transaction() as tx:
        with pytest.raises(ValidationError, match="only admin"):
            community.edit_member(tx, "admin1", role="teacher")
        with pytest.raises(ValidationError, match="only admin"):
            community.remove_member(tx, "admin1")


def test_duplicate_team_names_refused_and_ids_unique(runtime: Runtime) -> None:
    with runtime.storage.transaction() as tx:
        with pytest.raises(ValidationError, match="already exists"):
            community.add_team(tx, name="grade 3")
        assert community.add_team(tx, name="Grade-3!").id == "grade-3-2"

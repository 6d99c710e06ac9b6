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


def test_count_members_by_role_and_team_without_reading_the_members(
    runtime: Runtime, data_dir, host, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import make_runtime, record_parses

    with runtime.storage.read() as tx:
        everyone = community.list_members(tx)

    def expected(roles: set[str], teams: set[str]) -> int:
        return sum(
            1
            for m in everyone
            if (not roles or m.role in roles) and (not teams or teams & set(m.teams))
        )

    cases = [
        (set(), set()),
        ({"teacher"}, set()),
        (set(), {"grade-3"}),
        ({"coach", "teacher"}, {"grade-4"}),
        ({"admin"}, {"grade-3", "grade-4"}),
        ({"teacher"}, {"no-such-team"}),
    ]
    directory = runtime.context("core").community
    for roles, teams in cases:
        assert directory.count(roles=roles, teams=teams) == expected(roles, teams), (roles, teams)
    assert directory.count(teams={"grade-3"}) == 2

    # Another process counts from what is kept beside the members' file.
    parsed = record_parses(monkeypatch, "members")
    later = make_runtime(data_dir, host)
    assert later.context("core").community.count(roles={"teacher"}) == expected({"teacher"}, set())
    assert parsed == []

    # A new member is counted at once, by every process.
    with runtime.storage.transaction() as tx:
        community.add_member(tx, login="t9", name="New Teacher", role="teacher", teams=["grade-3"])
    assert later.context("core").community.count(teams={"grade-3"}) == 3


def test_names_and_rosters_follow_the_members_without_reading_them(
    runtime: Runtime, data_dir, host, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import make_runtime, record_parses

    with runtime.storage.read() as tx:
        everyone = community.list_members(tx)
    directory = runtime.context("core").community
    assert directory.names() == {m.login: m.name for m in everyone}
    assert directory.rosters()["grade-3"] == [m.login for m in everyone if "grade-3" in m.teams]

    parsed = record_parses(monkeypatch, "members")
    later = make_runtime(data_dir, host).context("core").community
    names = later.names()
    names["t1"] = "Changed by the caller"  # a copy: the next caller is not misled
    assert later.names()["t1"] != "Changed by the caller"
    assert parsed == []

    with runtime.storage.transaction() as tx:
        community.edit_member(
            tx, "t1", name="Renamed Teacher", add_teams=["grade-4"], remove_teams=["grade-3"]
        )
    assert later.names()["t1"] == "Renamed Teacher"
    assert "t1" not in later.rosters()["grade-3"]
    assert "t1" in later.rosters()["grade-4"]

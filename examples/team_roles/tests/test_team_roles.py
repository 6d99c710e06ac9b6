"""Team roles: the check, a team's balance and roles given by strength."""

from __future__ import annotations

import json

import pytest
import team_roles
from team_roles.roles import STATEMENTS, balance, check_answers, profile, suggest


def answers(**strong: int) -> dict[str, int]:
    """3 everywhere, and the given statement prefixes (r, s, i, p, d, v) at a value."""
    return {sid: strong.get(sid[0], 3) for sid, _t, _k in STATEMENTS}


def test_a_profile_names_the_strongest_roles_and_the_lean() -> None:
    mine = profile(answers(r=5, d=5, v=2))
    assert mine.strengths == ["relationships"]
    assert mine.lean == "discovery"
    assert profile(answers()).lean == "balanced"
    assert sorted(profile(answers(r=4, i=4)).strengths) == ["innovation", "relationships"]


@pytest.mark.parametrize(
    "bad", [{}, {**answers(), "r1": 6}, {**answers(), "r1": True}, {**answers(), "zz": 3}]
)
def test_answers_must_rate_every_statement_1_to_5(bad) -> None:
    with pytest.raises(ValueError):
        check_answers(bad)


def test_balance_shows_what_a_team_lacks_and_suggest_spreads_the_roles() -> None:
    profiles = {
        "ana": profile(answers(r=5)),
        "ben": profile(answers(i=5, s=4)),
        "cam": profile(answers(p=5)),
    }
    team = ["ana", "ben", "cam", "dee"]
    found = balance(profiles, team)
    assert found.missing == []
    assert found.by_role["systems"] == ["ben"] and found.not_assessed == ["dee"]
    chosen = suggest(profiles, team)
    assert chosen["relationships"] == "ana" and chosen["solving"] == "cam"
    assert set(chosen) == {"relationships", "systems", "innovation", "solving"}
    # Three people, four roles: no one leads more than two.
    assert max(list(chosen.values()).count(p) for p in chosen.values()) <= 2
    lacking = balance({"ana": profiles["ana"]}, ["ana"])
    assert "solving" in lacking.missing


def test_the_check_and_the_balance_from_the_command_line(plc_community) -> None:
    school = plc_community(team_roles)
    assert len(school.cli("roles", "statements").output.splitlines()) == len(STATEMENTS)
    for login, strong in (("t1", {"r": 5}), ("t2", {"p": 5, "v": 5})):
        done = school.cli(
            "roles", "assess", "--answers", "-", login=login, input=json.dumps(answers(**strong))
        )
        assert done.exit_code == 0, done.stderr
    shown = json.loads(school.cli("roles", "balance", "--format", "json", login="t1").output)
    assert shown["team"] == "Grade 3"
    assert shown["roles"]["relationships"] == ["t1"] and shown["roles"]["solving"] == ["t2"]
    assert shown["delivery"] == ["t2"]
    # A teacher of another team sees only their own team's balance.
    other = school.cli("roles", "balance", "--team", "Grade 3", login="t3")
    assert other.exit_code == 1 and "cannot do this" in other.stderr
    given = json.loads(school.cli("roles", "assign", "--team", "Grade 3", login="t2").output)
    assert given["relationships"] == "t1" and given["solving"] == "t2"
    bad = school.cli("roles", "assess", "--answers", "-", login="t1", input='{"r1": 9}')
    assert bad.exit_code == 1 and "rate r1" in bad.stderr


async def test_taking_the_check_in_the_app_shows_the_teams_balance(plc_community) -> None:
    school = plc_community(team_roles)
    async with school.app(login="t1") as pilot:
        await pilot.press("1")
        for _ in range(40):
            await pilot.pause(0.05)
            if pilot.app.screen.query("#roles-check"):
                break
        # A number chooses and moves on: rate every statement.
        await pilot.press(*["5" if sid[0] == "i" else "3" for sid, _t, _k in STATEMENTS])
        await pilot.press("ctrl+s")
        for _ in range(40):
            await pilot.pause(0.05)
            if pilot.app.screen.query("#roles-table"):
                break
        table = pilot.app.screen.query_one("#roles-table")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
    assert ["Innovator", "Teacher t1", "-"] in rows
    mine = json.loads(school.cli("roles", "balance", "--format", "json", login="t1").output)
    assert mine["roles"]["innovation"] == ["t1"]

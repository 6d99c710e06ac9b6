"""`plc norms ...`: a team from an empty charter to adopted norms, by script."""

from __future__ import annotations

import json


def propose_on_time(run_cli) -> str:
    """t1 proposes "We start and end on time." for Grade 3; the proposal id."""
    made = run_cli(
        "norms",
        "propose",
        "--team",
        "Grade 3",
        "--category",
        "time",
        "We start and end on time.",
        login="t1",
    )
    assert made.exit_code == 0, made.stderr
    return made.output.strip()


def test_from_an_empty_charter_to_adopted_norms(run_cli, runtime) -> None:
    del runtime  # the seeded community: Grade 3 is t1 and t2
    show = run_cli("norms", "show", "--team", "Grade 3", login="t1")
    assert "No norms adopted yet" in show.output
    started = run_cli("norms", "starters", "--team", "Grade 3", login="t1")
    assert started.exit_code == 0, started.stderr
    first = started.output.split()[0]
    for login in ("t1", "t2"):
        agreed = run_cli("norms", "agree", first, login=login)
        assert agreed.exit_code == 0, agreed.stderr
    assert "Adopted: the norms have a new version" in agreed.output
    data = json.loads(
        run_cli("norms", "show", "--team", "Grade 3", "--format", "json", login="t2").output
    )
    assert data["version"] == 1
    assert data["norms"][0]["text"] == "We start and end our meetings on time."
    assert len(data["proposals"]) == 6  # the rest of the starter set, still open
    objection = run_cli(
        "norms",
        "object",
        data["proposals"][0]["id"].__str__(),
        "--reason",
        "Let us word it our way",
        login="t2",
    )
    assert objection.exit_code == 0
    sheet = run_cli("norms", "show", "--team", "Grade 3", "--format", "md", login="t1").output
    assert "## Time\n\n- We start and end our meetings on time." in sheet
    history = run_cli("norms", "history", "--team", "Grade 3", login="t1").output
    assert "Version 1" in history and "added: We start and end our meetings" in history


def test_norms_errors_are_one_line_and_exit_non_zero(run_cli, runtime) -> None:
    del runtime
    outside = run_cli(
        "norms",
        "propose",
        "--team",
        "Grade 3",
        "--category",
        "time",
        "We start on time.",
        login="t3",
    )
    assert outside.exit_code == 1 and outside.stderr.count("\n") == 1
    short = run_cli("norms", "propose", "--team", "Grade 3", "--category", "time", "Hi", login="t1")
    assert short.exit_code == 1 and "a norm is a commitment in words" in short.stderr
    missing = run_cli("norms", "agree", "99", login="t1")
    assert missing.exit_code == 1 and "no norms proposal 99" in missing.stderr
    no_team = run_cli("norms", "show", "--team", "Grade 9", login="t1")
    assert no_team.exit_code == 1 and "no team called 'Grade 9'" in no_team.stderr


def test_a_norms_check_from_the_command_line(run_cli, runtime, tmp_path) -> None:
    from plc_tui import community

    with runtime.storage.transaction() as tx:
        community.add_member(tx, login="t8", name="Teacher t8", role="teacher", teams=["Grade 3"])
    pid = propose_on_time(run_cli)
    for login in ("t1", "t2", "t8"):
        assert run_cli("norms", "agree", pid, login=login).exit_code == 0
    for login, point in (("t1", 4), ("t2", 5), ("t8", 3)):
        ratings = tmp_path / f"{login}.json"
        ratings.write_text(json.dumps({"1": point, "comment": "" if point > 3 else "Late twice"}))
        done = run_cli(
            "norms", "check", "--team", "Grade 3", "--ratings", str(ratings), login=login
        )
        assert done.exit_code == 0, done.stderr
        assert "(anonymous)" in done.output
    again = run_cli("norms", "check", "--team", "Grade 3", "--ratings", str(ratings), login="t8")
    assert again.exit_code == 1 and "one submission per person" in again.stderr
    shown = run_cli("norms", "results", "--team", "Grade 3", login="t2").output
    assert f"{runtime.today().isoformat()}: -" in shown  # hidden while the check is open
    closed = run_cli("norms", "close", login="t2")  # t2's one team
    assert "closed with 3 ratings" in closed.output, closed.stderr
    shown = run_cli("norms", "results", login="t2").output
    today = runtime.today().isoformat()
    assert f"1. We start and end on time.\n   {today}: 4.0" in shown


def test_the_team_sets_its_consensus_rule_from_the_command_line(run_cli, runtime) -> None:
    del runtime
    done = run_cli("norms", "rule", "--team", "Grade 3", "--percent", "50", login="t1")
    assert done.exit_code == 0 and "the new rule counts once the team agrees" in done.output
    rule = done.output.split()[1].rstrip(":")
    for login in ("t1", "t2"):
        assert run_cli("norms", "agree", rule, login=login).exit_code == 0
    pid = propose_on_time(run_cli)
    assert "Adopted" in run_cli("norms", "agree", pid, login="t1").output
    bad = run_cli("norms", "rule", "--team", "Grade 3", "--percent", "20", login="t1")
    assert bad.exit_code == 2 and "20 is not in the range 50<=x<=100" in bad.output + bad.stderr
    outside = run_cli("norms", "rule", "--team", "Grade 3", "--percent", "60", login="t3")
    assert outside.exit_code == 1


def test_a_check_held_on_paper_is_recorded_from_the_command_line(
    run_cli, runtime, tmp_path
) -> None:
    from datetime import timedelta

    pid = propose_on_time(run_cli)
    for login in ("t1", "t2"):
        run_cli("norms", "agree", pid, login=login)
    sheets = tmp_path / "sheets.json"
    sheets.write_text(json.dumps([{"1": 4}, {"1": 5, "comment": "Timer helped"}, {"1": 3}]))
    held = (runtime.today() - timedelta(days=2)).isoformat()
    done = run_cli(
        "norms",
        "record",
        "--team",
        "Grade 3",
        "--sheets",
        str(sheets),
        "--date",
        held,
        login="t2",
    )
    assert done.exit_code == 0, done.stderr
    assert "Recorded 3 sheets as norms check" in done.output and held in done.output
    shown = json.loads(
        run_cli("norms", "results", "--team", "Grade 3", "--format", "json", login="t1").output
    )
    assert shown[0]["trend"][0]["mean"] == 4.0 and shown[0]["trend"][0]["date"] == held
    sheets.write_text(json.dumps({"1": 4}))
    wrong = run_cli("norms", "record", "--team", "Grade 3", "--sheets", str(sheets), login="t2")
    assert wrong.exit_code == 2 and "sheets must be a JSON list" in wrong.output + wrong.stderr
    sheets.write_text(json.dumps([{"1": 4}, {"7": 4}]))
    unknown = run_cli("norms", "record", "--team", "Grade 3", "--sheets", str(sheets), login="t2")
    assert unknown.exit_code == 1 and "sheet 2" in unknown.stderr
    assert unknown.stderr.count("\n") == 1


def test_starter_sets_are_listed_and_chosen_by_id(run_cli, runtime) -> None:
    del runtime
    listed = run_cli("norms", "starters", "--team", "Grade 3", "--list", login="t1")
    assert listed.output.startswith("starter  Starter norms:")
    unknown = run_cli("norms", "starters", "--team", "Grade 3", "--set", "nope", login="t1")
    assert unknown.exit_code == 2 and "sets: starter" in unknown.output + unknown.stderr
    shown = run_cli("norms", "show", "--team", "Grade 3", "--format", "json", login="t1")
    assert json.loads(shown.output)["proposals"] == []


def test_the_team_is_the_members_own_unless_they_are_in_several(run_cli, runtime) -> None:
    from plc_tui import community

    assert "No norms adopted yet" in run_cli("norms", "show", login="t1").output
    with runtime.storage.transaction() as tx:
        community.edit_member(tx, "t1", add_teams=["grade-4"])
    several = run_cli("norms", "show", login="t1")
    assert several.exit_code == 1
    assert "say which team (--team): you are in Grade 3, Grade 4." in several.stderr

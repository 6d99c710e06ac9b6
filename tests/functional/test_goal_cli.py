"""`plc goal ...`: the scripting contract, end to end."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from plc_tui.plugins import PluginHost

TODAY = date.today()  # the CLI runs on the real date


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


GOAL: dict[str, Any] = {
    "team": "Grade 3",
    "title": "Grade 3 reading proficiency: 60% -> 80% at benchmark by May",
    "specific": {"what": "Reading comprehension", "for_whom": "All Grade 3 students"},
    "measurable": {
        "metric": "Students at benchmark",
        "baseline": 60,
        "target": 80,
        "unit": "%",
        "data_source": "Benchmark screener",
    },
    "ambitious": {"why_stretch": "Best year was 71%", "data": "Fall: 60% at benchmark"},
    "reflective": {"how": "Running records at PLC", "when": "Every other meeting"},
    "timely": {"start": day(-90), "deadline": day(90), "checkpoints": [day(30)]},
    "owners": ["t1"],
    "actions": [
        {"text": "Guided reading groups", "owner": "t2", "due": day(5)},
        {"text": '=HYPERLINK("x") | family night', "owner": "t1"},
    ],
    "evidence": [{"text": "Running records binder"}],
}


@pytest.fixture
def school(run_cli, host: PluginHost, tmp_path: Path) -> Path:
    assert run_cli("init", "--name", "Maple Grove").exit_code == 0
    run_cli("team", "add", "Grade 3")
    run_cli("team", "add", "Grade 4")
    run_cli("member", "add", "coach", "--name", "Dana Reyes", "--role", "coach")
    for login, team in [("t1", "Grade 3"), ("t2", "Grade 3"), ("t3", "Grade 4")]:
        run_cli("member", "add", login, "--name", f"Teacher {login}", "--team", team)
    path = tmp_path / "goal.json"
    path.write_text(json.dumps(GOAL))
    return path


def add_agreed(run_cli, path: Path) -> str:
    added = run_cli("goal", "add", "--file", str(path), login="t1")
    assert added.exit_code == 0, added.stderr
    gid = added.output.strip()
    assert run_cli("goal", "agree", gid, login="t1").exit_code == 0
    assert run_cli("goal", "agree", gid, login="t2").exit_code == 0
    return gid


def test_add_agree_object_and_check_in(run_cli, school: Path) -> None:
    added = run_cli("goal", "add", "--file", str(school), login="t1")
    assert added.exit_code == 0, added.stderr
    assert added.output == "1\n"
    assert added.stderr == ""  # SMART: no notes

    rows = json.loads(run_cli("goal", "list", "--format", "json", login="t1").output)
    assert [(r["id"], r["team_name"], r["status"]) for r in rows] == [(1, "Grade 3", "proposed")]
    assert rows[0]["reason"] == "0 of 2 agreed; 2 needed"

    objected = run_cli("goal", "object", "1", "--reason", "Spring form, please", login="t2")
    assert objected.exit_code == 0 and "stays proposed" in objected.output
    agreed = run_cli("goal", "agree", "1", login="t1")
    assert agreed.output == (
        "You agreed to goal 1; it stays proposed "
        "(Objection from Teacher t2: Spring form, please).\n"
    )
    refused = run_cli("goal", "check-in", "1", "--value", "70", login="t1")
    assert refused.exit_code == 1 and "still proposed" in refused.stderr

    done = run_cli("goal", "agree", "1", login="t2")
    assert done.output.startswith("Goal 1 is agreed (2 of 2): it is active now.")

    checked = run_cli(
        "goal", "check-in", "1", "--value", "72", "--confidence", "4", "--note", "Groups help",
        login="t2",
    )  # fmt: skip
    assert checked.exit_code == 0, checked.stderr
    assert checked.output == (
        f"Checked in on goal 1: latest 72% on {day(0)}.\n"
        "Status: on track (Progress 60%, ahead of the 50% expected by now).\n"
    )
    low = run_cli("goal", "check-in", "1", "--value", "73", "--confidence", "2", login="t1")
    assert "Status: at risk (Confidence 2 of 5 at the last check-in)." in low.output
    met = run_cli("goal", "check-in", "1", "--value", "80", "--date", day(-1), login="t1")
    assert met.output.splitlines()[-1] == (
        "Status: at risk (Confidence 2 of 5 at the last check-in)."
    )  # back-dated: the latest is still today's
    met = run_cli("goal", "check-in", "1", "--value", "81", "--confidence", "5", login="t1")
    assert f"Goal met! Target reached: 81% on {day(0)} (target 80%)." in met.output

    shown = json.loads(run_cli("goal", "show", "1", "--format", "json", login="coach").output)
    assert shown["status"] == "met" and shown["state"] == "agreed"
    assert shown["team"] == "Grade 3" and shown["team_id"] == "grade-3"
    assert [c["value"] for c in shown["checkins"]] == [80, 72, 73, 81]
    assert [s["met"] for s in shown["smart"]] == [True] * 5
    assert shown["consensus"]["agreed"] == ["t1", "t2"]
    assert shown["measurable"]["target"] == 80


def test_show_text_has_the_smart_parts_check_status_and_check_ins(run_cli, school: Path) -> None:
    gid = add_agreed(run_cli, school)
    run_cli("goal", "check-in", gid, "--value", "66", "--note", "First probe", login="t1")
    run_cli("goal", "done", gid, "1", login="t2")
    text = run_cli("goal", "show", gid, login="t1").output
    lines = text.splitlines()
    assert lines[0] == f"Goal {gid}: {GOAL['title']}"
    assert "Team: Grade 3    Owners: Teacher t1" in lines
    assert "Status: at risk (Progress 30% vs 50% expected by now)" in lines
    assert "  [x] Specific" in lines and "  [x] Timely" in lines
    assert "Measurable  Students at benchmark: 60% → 80%; data source: Benchmark screener" in lines
    assert f"  1. [x] Guided reading groups (Teacher t2, due {day(5)})" in lines
    assert any("First probe" in line and "66%" in line for line in lines)


def test_export_markdown_and_csv(run_cli, school: Path, tmp_path: Path) -> None:
    gid = add_agreed(run_cli, school)
    run_cli("goal", "check-in", gid, "--value", "70", login="t1")
    sheet = run_cli("goal", "export", "--team", "Grade 3", login="t1").output
    assert sheet.startswith("# Grade 3: SMART goals\n\nMaple Grove · printed ")
    assert f"## Goal {gid}: {GOAL['title']}" in sheet
    assert "**Status:** on track (Progress 50%, as expected by now)" in sheet
    assert "| **Specific** | Reading comprehension; for: All Grade 3 students |" in sheet
    assert f"| **Timely** | {day(-90)} to {day(90)}; review checkpoints: {day(30)} |" in sheet
    # A typed pipe cannot break the table.
    assert '| =HYPERLINK("x") \\| family night | Teacher t1 | - |' in sheet
    assert f"**Latest progress:** 70% on {day(0)} (confidence 3 of 5)" in sheet

    out = tmp_path / "goals.csv"
    written = run_cli("goal", "export", "--format", "csv", "--output", str(out), login="coach")
    assert written.exit_code == 0 and f"Wrote the goals to {out}" in written.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 1
    row = rows[0]
    assert (row["id"], row["team"], row["status"], row["latest"], row["progress_pct"]) == (
        gid,
        "Grade 3",
        "on track",
        "70",
        "50",
    )
    assert row["actions_done"] == "0" and row["actions_total"] == "2"
    # Teachers of other teams get nothing; asking for another team is refused.
    assert "No goals yet." in run_cli("goal", "export", login="t3").output
    refused = run_cli("goal", "export", "--team", "Grade 3", login="t3")
    assert refused.exit_code == 1 and "your own teams" in refused.stderr


def test_bad_input_gets_one_line_errors(run_cli, school: Path, tmp_path: Path) -> None:
    gid = add_agreed(run_cli, school)
    bad = tmp_path / "bad.json"
    cases: list[tuple[tuple[str, ...], str, str | None]] = [
        (("goal", "add", "--file", "-"), "the goal is not valid JSON", "{nope"),
        (("goal", "add", "--file", "-"), "a goal needs a team (its name or id).", '{"title": "x"}'),
        (("goal", "add", "--file", "missing.json"), "no such file: missing.json", None),
        (("goal", "check-in", gid, "--value", "lots"), "Value must be a number", None),
        (("goal", "check-in", gid, "--value", "150"), "a percentage from 0 to 100", None),
        (
            ("goal", "check-in", gid, "--value", "70", "--confidence", "9"),
            "confidence must be a whole number from 1",
            None,
        ),
        (("goal", "check-in", gid, "--value", "70", "--date", day(3)), "is in the future", None),
        (("goal", "object", gid, "--reason", "late"), "the team already agreed on goal 1", None),
        (("goal", "object", gid, "--reason", " "), "Reason for objecting cannot be empty.", None),
        (("goal", "show", "42"), "there is no goal 42; see `plc goal list`.", None),
        (("goal", "show", "abc"), "'abc' is not a goal id", None),
        (("goal", "done", gid, "7"), "there is no step 7", None),
        (("goal", "template", "nope"), "no goal template 'nope'; templates: ", None),
        (("goal", "list", "--team", "Grade 9"), "no team called 'Grade 9'", None),
    ]
    for args, message, stdin in cases:
        result = run_cli(*args, login="t1", input=stdin)
        assert result.exit_code == 1, args
        assert message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, args
    bad.write_text(json.dumps({**GOAL, "team": "Grade 4"}))
    other = run_cli("goal", "add", "--file", str(bad), login="t1")
    assert other.exit_code == 1
    assert "only members of Grade 4, coaches and admins can propose its goals." in other.stderr
    checked = run_cli("goal", "check-in", gid, "--value", "70", login="t3")
    assert checked.exit_code == 1 and "only members of Grade 3" in checked.stderr
    assert run_cli("goal", "show", gid, "--format", "json", login="t3").exit_code == 1
    shown = json.loads(run_cli("goal", "show", gid, "--format", "json", login="t1").output)
    assert shown["checkins"] == []


def test_an_unfinished_goal_is_proposed_with_notes(run_cli, school: Path) -> None:
    added = run_cli("goal", "add", "--file", "-", input='{"team": "grade-3", "title": "Math"}')
    assert added.exit_code == 0
    assert "plc: warning: goal 1 is not SMART yet: Specific: say what" in added.stderr
    refused = run_cli("goal", "agree", "1", login="t1")
    assert refused.exit_code == 1 and "is not SMART yet, so it cannot be agreed" in refused.stderr
    # Update from the exported definition, then withdraw the proposal.
    body = json.loads(run_cli("goal", "export-definition", "1").output)
    assert body["team"] == "Grade 3" and body["measurable"]["baseline"] is None
    body["title"] = "Math fluency"
    updated = run_cli("goal", "update", "1", "--file", "-", input=json.dumps(body), login="t2")
    assert updated.exit_code == 0 and "Updated goal 1 (Math fluency)." in updated.output
    assert run_cli("goal", "delete", "1", login="t2").exit_code == 0
    assert json.loads(run_cli("goal", "list", "--format", "json").output) == []


def test_goals_of_an_ended_school_year_are_listed_with_year(run_cli, school: Path) -> None:
    this_year = TODAY.year if TODAY.month >= 8 else TODAY.year - 1
    last = f"{this_year - 1}-{this_year % 100:02d}"
    old = {**GOAL, "title": "Last year's fluency goal"}
    old["timely"] = {
        "start": f"{this_year - 1}-09-01",
        "deadline": f"{this_year}-05-29",
        "checkpoints": [f"{this_year}-01-15"],
    }
    assert run_cli("goal", "add", "--file", "-", input=json.dumps(old), login="t1").exit_code == 0
    gid = add_agreed(run_cli, school)

    listed = json.loads(run_cli("goal", "list", "--format", "json", login="t1").output)
    assert [r["id"] for r in listed] == [int(gid)]
    past = json.loads(run_cli("goal", "list", "--year", last, "--format", "json").output)
    assert [(r["id"], r["status"]) for r in past] == [(1, "not met")]
    assert past[0]["reason"] == f"Never agreed by the team before the {last} school year ended"
    years = run_cli("goal", "years").output.splitlines()
    assert years == [f"{this_year}-{(this_year + 1) % 100:02d}  (this school year)", last]
    sheet = run_cli("goal", "export", "--year", str(this_year - 1), login="t1").output
    assert "Last year's fluency goal" in sheet and GOAL["title"] not in sheet

    refused = run_cli("goal", "agree", "1", login="t2")
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"plc: error: goal 1 ended with the {last} school year and is kept as it was; "
        f"see it with `plc goal show 1`.\n"
    )
    for year, message in [
        ("2024-26", "'2024-26' is not a school year; write it as 2024-25"),
        (str(this_year + 1), "school year has not started; this one is"),
    ]:
        bad = run_cli("goal", "list", "--year", year)
        assert bad.exit_code == 1 and message in bad.stderr, bad.stderr
    assert (
        "No goals in the 2001-02 school year." in run_cli("goal", "list", "--year", "2001").output
    )


def test_templates_make_a_starting_goal(run_cli, school: Path) -> None:
    found = json.loads(run_cli("goal", "templates", "--format", "json").output)
    ids = [t["id"] for t in found]
    assert ids[:4] == [
        "reading-proficiency",
        "attendance",
        "formative-assessment",
        "math-fact-fluency",
    ]
    draft = run_cli("goal", "template", "attendance", "--team", "Grade 3", login="t1")
    body = json.loads(draft.output)
    assert body["team"] == "Grade 3" and body["timely"]["start"] == day(0)
    added = run_cli("goal", "add", "--file", "-", input=draft.output, login="t1")
    assert added.exit_code == 0
    assert "Measurable: add the baseline number from your current data" in added.stderr
    assert "Ambitious: say why this is a stretch and which data it came from" in added.stderr


def test_reminders_command(run_cli, school: Path) -> None:
    run_cli("goal", "add", "--file", str(school), login="t1")
    todo = json.loads(run_cli("goal", "reminders", "--format", "json", login="t2").output)
    assert [(r["kind"], r["goal"]) for r in todo] == [("agree", 1)]
    assert "Nothing needs you" in run_cli("goal", "reminders", login="t3").output


def test_demo_has_goals_in_every_status(run_cli) -> None:
    assert run_cli("demo", "--no-open").exit_code == 0
    rows = json.loads(run_cli("goal", "list", "--format", "json").output)
    statuses = {r["status"] for r in rows}
    assert statuses == {"proposed", "on track", "at risk", "off track", "met"}
    reasons = {r["reason"].split(" ")[0] for r in rows if r["status"] == "at risk"}
    assert {"Confidence", "No"} <= reasons  # low confidence and a stale check-in
    proposed = [r for r in rows if r["status"] == "proposed"]
    assert any(r["reason"].startswith("Objection from") for r in proposed)
    assert any(r["latest"] is not None and r["target"] < r["baseline"] for r in rows)

    for login in ("tnguyen", "dreyes"):
        todo = json.loads(run_cli("--as", login, "goal", "reminders", "--format", "json").output)
        assert "agree" in {r["kind"] for r in todo}, login
    history = json.loads(run_cli("goal", "show", str(rows[0]["id"]), "--format", "json").output)
    assert len(history["checkins"]) >= 4
    assert run_cli("goal", "export").exit_code == 0


def test_definition_round_trip(run_cli, school: Path, tmp_path: Path) -> None:
    run_cli("goal", "add", "--file", str(school), login="t1")
    exported = run_cli("goal", "export-definition", "1", login="t1").output
    definition = json.loads(exported)
    assert definition["team"] == "Grade 3" and definition["owners"] == ["t1"]
    assert definition["actions"][0] == {
        "text": "Guided reading groups",
        "owner": "t2",
        "due": day(5),
        "done": False,
    }
    again = run_cli("goal", "add", "--file", "-", input=exported, login="t2")
    assert again.output == "2\n"
    assert json.loads(run_cli("goal", "export-definition", "2").output) == definition


def test_update_from_an_export_made_before_a_teammates_change_is_refused(
    run_cli, school: Path, tmp_path: Path
) -> None:
    gid = add_agreed(run_cli, school)
    exported = run_cli("goal", "export-definition", gid, login="t1")
    definition = json.loads(exported.output)
    assert definition["revision"] == 1
    assert run_cli("goal", "done", gid, "1", login="t2").exit_code == 0  # a teammate's tick
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps({**definition, "title": "Grade 3 reading: 60% -> 85%"}))
    refused = run_cli("goal", "update", gid, "--file", str(edited), login="t1")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("plc: error: Teacher t2 changed goal")
    assert "nothing was saved" in refused.stderr and refused.stderr.count("\n") == 1
    shown = json.loads(run_cli("goal", "export-definition", gid, login="t1").output)
    assert shown["title"] == GOAL["title"] and shown["actions"][0]["done"] is True
    # Exported again, the edit goes through; a file without a revision replaces as before.
    edited.write_text(json.dumps({**shown, "title": "Grade 3 reading: 60% -> 85%"}))
    assert run_cli("goal", "update", gid, "--file", str(edited), login="t1").exit_code == 0
    # An exported goal can be proposed again as a new one: its revision is ignored.
    assert run_cli("goal", "add", "--file", str(edited), login="t1").exit_code == 0


def test_agreeing_from_outside_the_team_or_twice_says_so(run_cli, school: Path) -> None:
    added = run_cli("goal", "add", "--file", str(school), login="t1")
    assert added.exit_code == 0, added.output
    gid = "".join(ch for ch in added.output.split(":")[0] if ch.isdigit())
    outside = run_cli("goal", "agree", gid, login="coach")
    assert outside.exit_code != 0
    assert "only members of the goal's team agree" in outside.stderr
    assert run_cli("goal", "agree", gid, login="t1").exit_code == 0
    again = run_cli("goal", "agree", gid, login="t1")
    assert again.exit_code != 0 and "you already agreed" in again.stderr

"""`plc survey ...`: the scripting contract in the README, end to end."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from plc_tui.plugins import PluginHost

CONTRACT = {
    "title": "Needs",
    "anonymous": True,
    "threshold": 5,
    "audience": {"teams": ["Grade 3"]},
    "questions": [
        {"id": "q1", "type": "likert", "text": "I have time to collaborate"},
        {"id": "q2", "type": "long_text", "text": "What support do you need?", "required": False},
    ],
}
TEACHERS = [f"t{n}" for n in range(1, 7)]


@pytest.fixture
def school(run_cli, host: PluginHost, tmp_path: Path):
    assert run_cli("init", "--name", "Maple Grove").exit_code == 0
    run_cli("team", "add", "Grade 3")
    run_cli("member", "add", "coach", "--name", "Dana Reyes", "--role", "coach")
    for login in TEACHERS:
        run_cli("member", "add", login, "--name", f"Teacher {login}", "--team", "Grade 3")
    path = tmp_path / "needs.json"
    path.write_text(json.dumps(CONTRACT))
    return path


def test_import_open_respond_results(run_cli, school: Path, tmp_path: Path) -> None:
    imported = run_cli("survey", "import", str(school), login="coach")
    assert imported.exit_code == 0, imported.stderr
    sid = imported.output.strip()
    assert sid == "1"
    listed = json.loads(
        run_cli("survey", "list", "--all", "--format", "json", login="coach").output
    )
    assert listed[0]["state"] == "draft"

    refused = run_cli("survey", "respond", sid, "--answers", "-", input='{"q1": 4}', login="t1")
    assert refused.exit_code == 1
    assert "has not been opened yet" in refused.stderr

    assert run_cli("survey", "open", sid, login="coach").exit_code == 0
    mine = json.loads(run_cli("survey", "list", "--format", "json", login="t1").output)
    assert [(r["id"], r["my_status"]) for r in mine] == [(1, "not started")]

    for n, login in enumerate(TEACHERS[:4], start=1):
        answers = {"q1": n, "q2": f"More planning time {n}"}
        ok = run_cli(
            "survey", "respond", sid, "--answers", "-", input=json.dumps(answers), login=login
        )
        assert ok.exit_code == 0, ok.stderr

    again = run_cli("survey", "respond", sid, "--answers", "-", input='{"q1": 5}', login="t1")
    assert again.exit_code == 1
    assert "already submitted" in again.stderr

    hidden = json.loads(run_cli("survey", "results", sid, "--format", "json", login="coach").output)
    assert hidden["hidden"] is True and hidden["responses"] == 4
    assert "at least 5 people" in hidden["reason"]
    assert all(q["hidden"] for q in hidden["questions"])

    run_cli("survey", "respond", sid, "--answers", "-", input='{"q1": 4}', login="t5")
    shown = json.loads(run_cli("survey", "results", sid, "--format", "json", login="coach").output)
    q1 = shown["questions"][0]
    assert shown["hidden"] is False
    assert q1["id"] == "q1" and q1["n"] == 5
    assert [c["count"] for c in q1["counts"]] == [1, 1, 1, 2, 0]
    assert q1["mean"] == 2.8
    assert shown["questions"][1]["hidden"] is True  # only 4 wrote free text
    assert shown["teams"] == [{"team": "Grade 3", "invited": 6, "responded": 5, "rate": 83}]

    text = run_cli("survey", "results", sid, login="coach").output
    assert "Agree" in text and "█" in text


def test_bad_answers_get_one_line_errors_and_store_nothing(run_cli, school: Path, data_dir) -> None:
    run_cli("survey", "import", str(school), login="coach")
    run_cli("survey", "open", "1", login="coach")
    cases = {
        '{"q1": 9}': "q1 (I have time to collaborate): must be a point from 1",
        '{"q2": "x"}': "please answer the required question(s): q1",
        '{"q9": 1}': "this survey has no question 'q9'",
        "[1, 2]": "answers must be a JSON object",
        "{not json": "the answers is not valid JSON" if False else "is not valid JSON",
    }
    for payload, message in cases.items():
        result = run_cli("survey", "respond", "1", "--answers", "-", input=payload, login="t1")
        assert result.exit_code == 1, payload
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not list((data_dir / "surveys").glob("answers/1-*.json"))
    missing = run_cli("survey", "respond", "1", "--answers", "nope.json", login="t1")
    assert missing.exit_code == 1 and "no such file: nope.json" in missing.stderr
    unknown = run_cli("survey", "open", "42", login="coach")
    assert unknown.exit_code == 1 and "there is no survey 42" in unknown.stderr


def test_invalid_definition_is_refused_clearly(run_cli, school: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({**CONTRACT, "questions": [{"id": "q1", "type": "slider", "text": "x"}]})
    )
    result = run_cli("survey", "import", str(bad), login="coach")
    assert result.exit_code == 1
    assert "question q1: type 'slider' is not one of:" in result.stderr
    teacher = run_cli("survey", "import", str(school), login="t1")
    assert teacher.exit_code == 1
    assert "only coaches and admins can create surveys" in teacher.stderr


def test_definition_round_trip_and_templates(run_cli, school: Path, tmp_path: Path) -> None:
    run_cli("survey", "import", str(school), login="coach")
    exported = run_cli("survey", "export-definition", "1", login="coach")
    definition = json.loads(exported.output)
    assert definition["audience"] == {"teams": ["Grade 3"], "roles": []}
    again = tmp_path / "again.json"
    again.write_text(exported.output)
    assert run_cli("survey", "import", str(again), login="coach").output.strip() == "2"
    assert (
        json.loads(run_cli("survey", "export-definition", "2", login="coach").output) == definition
    )

    ids = [t["id"] for t in json.loads(run_cli("survey", "templates", "--format", "json").output)]
    assert ids == ["needs", "self-assessment", "meeting-pulse", "norms-check", "school-climate"]
    new = run_cli("survey", "new", "--template", "needs", "--title", "Spring needs", login="coach")
    assert new.exit_code == 0
    shown = json.loads(run_cli("survey", "show", new.output.strip(), "--format", "json").output)
    assert shown["title"] == "Spring needs" and len(shown["questions"]) == 12


def test_waves_trend_and_csv_export(run_cli, school: Path, tmp_path: Path) -> None:
    run_cli("survey", "import", str(school), login="coach")
    run_cli("survey", "open", "1", login="coach")
    for login in TEACHERS[:5]:
        run_cli(
            "survey",
            "respond",
            "1",
            "--answers",
            "-",
            input='{"q1": 2, "q2": "=SUM(A1)"}',
            login=login,
        )
    run_cli("survey", "close", "1", login="coach")
    wave = run_cli("survey", "repeat", "1", login="coach")
    assert wave.output.strip() == "2"
    run_cli("survey", "open", "2", login="coach")
    for login in TEACHERS[:5]:
        run_cli("survey", "respond", "2", "--answers", "-", input='{"q1": 4}', login=login)
    results = json.loads(
        run_cli("survey", "results", "2", "--format", "json", login="coach").output
    )
    assert results["wave"] == 2
    assert results["questions"][0]["trend"] == {"previous_wave": 1, "previous_mean": 2, "change": 2}

    out = tmp_path / "wave1.csv"
    exported = run_cli(
        "survey", "export", "1", "--format", "csv", "--output", str(out), login="coach"
    )
    assert exported.exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0] == ["response", "q1", "q2"]
    assert len(rows) == 6
    assert {r[2] for r in rows[1:]} == {"'=SUM(A1)"}
    teacher = run_cli("survey", "export", "1", login="t1")
    assert teacher.exit_code == 1


def test_teacher_sees_results_only_when_published(run_cli, school: Path) -> None:
    run_cli("survey", "import", str(school), login="coach")
    run_cli("survey", "open", "1", login="coach")
    for login in TEACHERS[:5]:
        run_cli("survey", "respond", "1", "--answers", "-", input='{"q1": 3}', login=login)
    before = run_cli("survey", "results", "1", login="t1")
    assert before.exit_code == 1 and "once a coach publishes them" in before.stderr
    assert run_cli("survey", "publish", "1", login="coach").exit_code == 0
    after = run_cli("survey", "results", "1", "--format", "json", login="t1")
    assert after.exit_code == 0 and json.loads(after.output)["responses"] == 5


def test_demo_has_surveys_with_realistic_responses(run_cli) -> None:
    assert run_cli("demo", "--no-open").exit_code == 0
    rows = json.loads(run_cli("survey", "list", "--all", "--format", "json").output)
    assert len(rows) >= 4
    with_answers = [r for r in rows if r["responses"] >= 5]
    assert len(with_answers) >= 2
    teacher = json.loads(run_cli("--as", "tnguyen", "survey", "list", "--format", "json").output)
    assert {r["my_status"] for r in teacher} >= {"not started", "draft"}
    results = json.loads(
        run_cli("survey", "results", str(with_answers[0]["id"]), "--format", "json").output
    )
    assert results["hidden"] is False


def test_a_limesurvey_file_imports_answers_and_goes_back_out(
    run_cli, school: Path, tmp_path: Path
) -> None:
    lss = Path(__file__).parent.parent / "fixtures" / "lss" / "every_type_ls6.lss"
    imported = run_cli("survey", "import", str(lss), login="coach")
    assert imported.exit_code == 0, imported.stderr
    sid = imported.stdout.strip()
    assert sid.isdigit()
    assert "plc: import: upload (file upload): plc has no file upload question" in (imported.stderr)
    assert "the survey is a draft: check it before opening it" in imported.stderr
    shown = json.loads(run_cli("survey", "show", sid, "--format", "json", login="coach").stdout)
    assert [s["title"] for s in shown["sections"]] == ["About you", "Work"]
    out = tmp_path / "back.lss"
    exported = run_cli(
        "survey", "export-definition", sid, "--format", "lss", "-o", str(out), login="coach"
    )
    assert exported.exit_code == 0, exported.stderr
    assert "<LimeSurveyDocType>Survey</LimeSurveyDocType>" in out.read_text("utf-8")
    again = run_cli(
        "survey", "export-definition", sid, "--format", "lss", "-o", str(out), login="coach"
    )
    assert again.exit_code == 1 and "already exists" in again.stderr
    back = run_cli("survey", "import", str(out), login="coach")
    assert back.exit_code == 0, back.stderr


def test_an_imported_limesurvey_survey_is_answered_with_its_conditions(
    run_cli, school: Path, tmp_path: Path
) -> None:
    lss = Path(__file__).parent.parent / "fixtures" / "lss" / "every_type_ls3.lss"
    sid = run_cli("survey", "import", str(lss), login="coach").stdout.strip()
    assert run_cli("survey", "open", sid, login="coach").exit_code == 0
    answers = {
        "role": "Something else",
        "role.other": "Librarian",
        "school": "School 7",
        "mentor": "no",
        "years": 12,
    }
    path = tmp_path / "a.json"
    path.write_text(json.dumps(answers))
    # Not a teacher (A1): the Work section is not asked, and its answers would be refused.
    done = run_cli("survey", "respond", sid, "--answers", str(path), login="t1")
    assert done.exit_code == 0, done.stderr
    path.write_text(json.dumps({**answers, "role": "Teacher", "collab": [4, 5]}))
    refused = run_cli("survey", "respond", sid, "--answers", str(path), login="t2")
    assert refused.exit_code == 1
    assert "role.other is given, but role does not choose" in refused.stderr


def test_list_by_school_year(run_cli, school: Path) -> None:
    from datetime import date

    today = date.today()
    this_year = today.year if today.month >= 8 else today.year - 1
    run_cli("survey", "import", str(school), login="coach")
    run_cli("survey", "open", "1", login="coach")
    run_cli("survey", "close", "1", login="coach")
    years = run_cli("survey", "years", login="coach")
    assert years.output == f"{this_year}-{(this_year + 1) % 100:02d}  (this school year)\n"
    rows = json.loads(run_cli("survey", "list", "--all", "--format", "json", login="coach").output)
    assert [(r["id"], r["state"]) for r in rows] == [(1, "closed")]  # closed this year
    empty = run_cli("survey", "list", "--all", "--year", str(this_year - 1), login="coach")
    assert empty.exit_code == 0
    assert empty.output == (
        f"No surveys closed in the {this_year - 1}-{this_year % 100:02d} school year.\n"
    )
    for year, message in [
        ("last", "'last' is not a school year; write it as 2024-25"),
        (str(this_year + 1), "school year has not started"),
    ]:
        bad = run_cli("survey", "list", "--year", year, login="coach")
        assert bad.exit_code == 1 and message in bad.stderr, bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1

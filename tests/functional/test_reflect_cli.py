"""`plc reflect ...`: write, find, share and export reflections by script."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from plc_tui.runtime import Runtime


@pytest.fixture
def keyed(runtime: Runtime) -> Runtime:
    """Every seeded member has opened plc once (so has a key)."""
    for login in ("admin1", "coach1", "t1", "t2", "t3"):
        runtime.sealing(login).ensure_key()
    return runtime


def test_write_share_comment_and_export(run_cli, keyed, tmp_path: Path) -> None:
    parts = tmp_path / "parts.json"
    parts.write_text(json.dumps({"achievement": "Listened before answering.", "plans": "Ask why"}))
    made = run_cli("reflect", "new", "--file", str(parts), login="t1")
    assert made.exit_code == 0, made.stderr
    rid = made.stdout.strip()
    listed = json.loads(run_cli("reflect", "list", "--format", "json", login="t1").output)
    assert [(r["id"], r["template"], r["shared_with"]) for r in listed] == [(int(rid), "5-15", [])]
    private = run_cli("reflect", "show", rid, login="coach1")
    assert private.exit_code == 1 and "private to its author" in private.stderr
    assert run_cli("reflect", "share", rid, "--with", "coach1", login="t1").exit_code == 0
    assert "Listened before answering." in run_cli("reflect", "show", rid, login="coach1").output
    assert run_cli("reflect", "comment", rid, "Why did that work?", login="coach1").exit_code == 0
    mine = run_cli("reflect", "list", login="t1").output
    assert "1 (1 new)" in mine
    shown = run_cli("reflect", "show", rid, "--format", "md", login="t1").output
    assert "## Achievement\n\nListened before answering." in shown
    assert "- Casey Coach" in shown and "Why did that work?" in shown
    assert "1 (1 new)" not in run_cli("reflect", "list", login="t1").output  # now read
    exported = run_cli("reflect", "export", login="t1").output
    assert exported.startswith("# 5-15 report, ")
    stopped = run_cli("reflect", "unshare", rid, "--with", "coach1", login="t1")
    assert "it is private again" in stopped.output
    assert run_cli("reflect", "show", rid, login="coach1").exit_code == 1


def test_each_part_in_the_editor_when_no_file_is_given(
    run_cli, keyed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "editor.sh"
    # Writes what the part is about after the guide lines plc puts in the file.
    editor.write_text('#!/bin/sh\nhead -1 "$1" | sed "s/^# \\([A-Za-z]*\\).*/\\1 text/" >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    made = run_cli("reflect", "new", "--template", "learning-cycle", login="t2")
    assert made.exit_code == 0, made.stderr
    row = json.loads(
        run_cli("reflect", "show", made.stdout.strip(), "--format", "json", login="t2").output
    )
    assert row["parts"] == {
        "ideal_self": "Ideal text",
        "true_self": "True text",
        "learning_agenda": "Learning text",
        "new_ways": "New text",
    }


def test_a_whole_template_is_shared_and_search_finds_a_part(run_cli, keyed, tmp_path) -> None:
    for n, challenge in enumerate(("Time for data", "Trust", "Time again")):
        parts = tmp_path / f"{n}.json"
        parts.write_text(json.dumps({"achievement": f"Week {n}", "challenges": challenge}))
        run_cli("reflect", "new", "--file", str(parts), login="coach1")
    found = run_cli("reflect", "list", "--part", "Challenges", "--search", "time", login="coach1")
    assert found.output.count("    Time") == 2 and "Trust" not in found.output
    shared = run_cli("reflect", "share", "--template", "5-15", "--with", "coach1", login="coach1")
    assert shared.exit_code == 1 and "a reflection is always yours" in shared.stderr


def test_reflect_errors_are_one_line_and_exit_non_zero(run_cli, keyed, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"wins": "x"}))
    unknown_part = run_cli("reflect", "new", "--file", str(bad), login="t1")
    assert unknown_part.exit_code == 1 and "has no part 'wins'" in unknown_part.stderr
    assert unknown_part.stderr.count("\n") == 1
    unknown = run_cli("reflect", "new", "--template", "nope", "--file", str(bad), login="t1")
    assert unknown.exit_code == 1 and "templates: 5-15" in unknown.stderr
    missing = run_cli("reflect", "show", "99", login="t1")
    assert missing.exit_code == 1 and "no reflection 99" in missing.stderr
    not_coach = run_cli("reflect", "share", "1", "--with", "t2", login="t1")
    assert not_coach.exit_code == 1
    both = run_cli("reflect", "share", "1", "--template", "5-15", "--with", "coach1", login="t1")
    assert both.exit_code == 2
    bogus = run_cli("reflect", "list", "--part", "bogus", login="t1")
    assert bogus.exit_code == 1 and "there is no part 'bogus'; parts: achievement" in bogus.stderr
    nothing = run_cli("reflect", "export", login="t3")
    assert nothing.exit_code == 1 and "no reflections to export" in nothing.stderr

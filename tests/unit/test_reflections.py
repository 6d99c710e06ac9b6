"""Reflections: private by default, shared with a coach by choice, for every role."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from plc_plugins.reflections.service import Reflections

from plc_tui import community
from plc_tui.api import RevisionConflict
from plc_tui.errors import NotFound, PermissionDenied, ValidationError
from plc_tui.runtime import Runtime

REPORT = {
    "achievement": "I noticed I rush the data talk when the meeting runs late.",
    "plans": "Open each meeting with the protocol, not the logistics.",
    "challenges": "The Grade 4 schedule leaves us twenty minutes.",
}


def as_(runtime: Runtime, login: str) -> Reflections:
    runtime.login = login
    runtime.refresh_member()
    return Reflections(runtime.context("reflections"))


@pytest.fixture
def school(runtime: Runtime) -> Runtime:
    """The seeded community, a second coach, and every member with a key."""
    runtime.today = lambda: date(2026, 11, 24)
    with runtime.storage.transaction() as tx:
        community.add_member(tx, login="coach2", name="Cory Coach", role="coach")
    for login in ("admin1", "coach1", "coach2", "t1", "t2", "t3"):
        runtime.sealing(login).ensure_key()
    return runtime


def every_file(data_dir: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in data_dir.rglob("*") if p.is_file()
    )


def test_a_reflection_is_private_to_its_author_even_from_admins(school: Runtime) -> None:
    rid = as_(school, "coach1").write("5-15", REPORT)
    assert as_(school, "coach1").get(rid)["parts"] == REPORT
    for login in ("admin1", "coach2", "t1"):
        with pytest.raises(PermissionDenied, match="private to its author"):
            as_(school, login).get(rid)
        assert as_(school, login).shared_with_me() == []
        with pytest.raises(PermissionDenied):
            as_(school, login).comment(rid, "Nice")
    with pytest.raises(PermissionDenied, match="only its author"):
        as_(school, "admin1").share(rid, "coach2")


def test_the_author_shares_with_a_coach_who_reads_and_comments(school: Runtime) -> None:
    rid = as_(school, "t1").write("5-15", REPORT)
    with pytest.raises(ValidationError, match="'t2' is not a coach"):
        as_(school, "t1").share(rid, "t2")
    with pytest.raises(ValidationError, match="'admin1' is not a coach"):
        as_(school, "t1").share(rid, "admin1")
    assert as_(school, "t1").share(rid, "coach1") == ["coach1"]
    coach = as_(school, "coach1")
    (shared,) = coach.shared_with_me()
    assert shared["parts"] == REPORT and shared["author"] == "t1"
    coach.comment(rid, "What would a 20-minute protocol look like?")
    author = as_(school, "t1")
    row = author.get(rid)
    assert [(c["by"], c["text"]) for c in row["comments"]] == [
        ("coach1", "What would a 20-minute protocol look like?")
    ]
    assert author.unseen(row) == 1
    author.mark_seen(rid, 1)
    assert author.unseen(author.get(rid)) == 0
    with pytest.raises(PermissionDenied, match="only its author"):
        as_(school, "coach1").unshare(rid, "coach1")
    with pytest.raises(PermissionDenied, match="only its author"):
        as_(school, "coach1").update(rid, {"plans": "Changed by the coach"})


def test_stopping_sharing_seals_it_again_without_the_coach(school: Runtime) -> None:
    rid = as_(school, "t1").write("5-15", REPORT)
    as_(school, "t1").share(rid, "coach1")
    as_(school, "t1").share(rid, "coach2")
    assert as_(school, "t1").unshare(rid, "coach1") == ["coach2"]
    with pytest.raises(PermissionDenied):
        as_(school, "coach1").get(rid)
    assert as_(school, "coach2").get(rid)["parts"] == REPORT
    with pytest.raises(ValidationError, match="not shared with coach1"):
        as_(school, "t1").unshare(rid, "coach1")


def test_sharing_a_template_covers_past_and_future_reports_until_stopped(school: Runtime) -> None:
    first = as_(school, "coach2").write("5-15", REPORT)
    journal = as_(school, "coach2").write("journal", {"entry": "Just for me."})
    assert as_(school, "coach2").share_template("5-15", "coach1") == 1
    later = as_(school, "coach2").write("5-15", {"achievement": "Two weeks on."})
    coach = as_(school, "coach1")
    assert sorted(r["id"] for r in coach.shared_with_me()) == sorted([first, later])
    with pytest.raises(PermissionDenied):
        coach.get(journal)
    assert as_(school, "coach2").unshare_template("5-15", "coach1") == 2
    assert as_(school, "coach1").shared_with_me() == []
    after = as_(school, "coach2").write("5-15", {"achievement": "Private again."})
    with pytest.raises(PermissionDenied):
        as_(school, "coach1").get(after)


def test_no_reflection_text_in_any_data_file(school: Runtime, data_dir: Path) -> None:
    rid = as_(school, "t1").write("5-15", REPORT)
    as_(school, "t1").share(rid, "coach1")
    as_(school, "coach1").comment(rid, "Protocol idea: the tuning protocol")
    as_(school, "t1").update(rid, {**REPORT, "opportunities": "Observe Grade 2's meeting"})
    as_(school, "t1").unshare(rid, "coach1")
    text = every_file(data_dir)
    for secret in ("rush the data talk", "twenty minutes", "tuning protocol", "Grade 2's"):
        assert secret not in text


def test_bad_input_is_refused_and_nothing_is_stored(school: Runtime) -> None:
    service = as_(school, "t1")
    with pytest.raises(ValidationError, match="at least one part"):
        service.write("5-15", {"achievement": "   "})
    with pytest.raises(ValidationError, match="has no part 'wins'"):
        service.write("5-15", {"wins": "x"})
    with pytest.raises(NotFound, match="templates: 5-15"):
        service.write("5-16", REPORT)
    with pytest.raises(ValidationError, match="10,000"):
        service.write("5-15", {"achievement": "x" * 10_001})
    with pytest.raises(ValidationError, match="future"):
        service.write("5-15", REPORT, on=date(2026, 11, 25))
    assert service.mine() == []
    rid = service.write("5-15", {"achievement": "Escape \x1b[31mred\x1b[0m [b]bold[/b]"})
    assert service.get(rid)["parts"]["achievement"] == "Escape red [b]bold[/b]"


def test_two_edits_from_one_revision_never_overwrite_each_other(school: Runtime) -> None:
    service = as_(school, "t1")
    rid = service.write("5-15", REPORT)
    revision = service.get(rid)["revision"]
    service.update(rid, {"achievement": "From the laptop"}, revision)
    with pytest.raises(RevisionConflict):
        service.update(rid, {"achievement": "From the SSH session"}, revision)
    assert service.get(rid)["parts"] == {"achievement": "From the laptop"}


def test_history_finds_words_and_parts_over_a_term(school: Runtime) -> None:
    service = as_(school, "coach1")
    for weeks, challenge in (
        (8, "Time for data talks"),
        (6, "Trust in Grade 4"),
        (2, "Time again"),
    ):
        day = date(2026, 11, 24) - timedelta(weeks=weeks)
        service.write("5-15", {"achievement": "Learnt something", "challenges": challenge}, on=day)
    service.write("journal", {"entry": "Time is the theme"})
    assert [r["parts"]["challenges"] for r in service.search(part="challenges")] == [
        "Time again",
        "Trust in Grade 4",
        "Time for data talks",
    ]
    assert len(service.search("time", part="challenges")) == 2
    assert len(service.search("time")) == 3  # the journal too
    assert len(service.search("time", template="5-15", since=date(2026, 9, 1))) == 2


def test_the_next_report_is_due_two_weeks_after_the_last(school: Runtime) -> None:
    assert [r["template"] for r in as_(school, "t1").due()] == []  # a teacher keeps none yet
    coach = as_(school, "coach1")
    assert coach.due() == [
        {
            "template": "5-15",
            "title": "5-15 report",
            "last": None,
            "due": "2026-11-24",
            "overdue": True,
        }
    ]
    coach.write("5-15", REPORT, on=date(2026, 11, 20))
    (due,) = coach.due()
    assert (due["due"], due["overdue"]) == ("2026-12-04", False)
    school.config.extra["plugins"] = {"reflections": {"every_days": 7}}
    assert as_(school, "coach1").due()[0]["due"] == "2026-11-27"


def test_start_from_my_goals_lists_check_ins_since_the_last_report(school: Runtime) -> None:
    from plc_plugins.smart_goals.service import Goals

    school.login = "t1"
    school.refresh_member()
    goals = Goals(school.context("smart_goals"))
    gid = goals.add(
        {
            "team": "Grade 3",
            "title": "Grade 3 reading: 62% to 80%",
            "specific": {"what": "Reading", "for_whom": "All"},
            "measurable": {
                "metric": "At benchmark",
                "baseline": 62,
                "target": 80,
                "unit": "%",
                "data_source": "Screener",
            },
            "ambitious": {"why_stretch": "Best was 71%", "data": "62%"},
            "reflective": {"how": "Records", "when": "Monthly"},
            "timely": {
                "start": "2026-09-01",
                "deadline": "2027-05-20",
                "checkpoints": ["2027-01-15"],
            },
            "owners": ["t1"],
            "actions": [],
        }
    )
    for login in ("t1", "t2"):
        school.login = login
        school.refresh_member()
        Goals(school.context("smart_goals")).agree(gid)
    goals.check_in(gid, 66, 4, "Small groups helped", "2026-11-10")
    goals.check_in(gid, 70, 3, "", "2026-11-20")
    text = as_(school, "t1").from_goals("2026-11-12")
    assert "2026-11-20, Grade 3 reading: 62% to 80%: 70% (target 80%), confidence 3/5" in text
    assert "2026-11-10" not in text
    assert as_(school, "coach2").from_goals(None) == ""  # no goals of theirs


def test_a_school_plugin_adds_its_own_template(school: Runtime) -> None:
    import types

    from plc_tui.api import Template, hookimpl

    @hookimpl
    def register_templates(register):
        register(
            Template(
                "reflection",
                "walkthrough",
                "After a learning walk",
                "What I saw, what I wonder",
                {"parts": [{"id": "saw", "title": "I saw", "prompt": "Evidence only"}]},
            )
        )

    school.host.register(types.SimpleNamespace(register_templates=register_templates), name="walks")
    service = as_(school, "coach1")
    assert "walkthrough" in [t.id for t in service.templates()]
    rid = service.write("walkthrough", {"saw": "Pupils explaining their reasoning"})
    assert service.get(rid)["parts"] == {"saw": "Pupils explaining their reasoning"}


def test_the_card_counts_comments_without_opening_a_reflection(
    school: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plc_plugins.reflections import dashboard_card

    from plc_tui.sealing import Sealing

    first = as_(school, "t1").write("5-15", REPORT)
    as_(school, "t1").share(first, "coach1")
    second = as_(school, "t2").write("journal", {"entry": "Small groups worked"})
    as_(school, "t2").share(second, "coach1")
    as_(school, "coach1").comment(first, "Which groups?")
    as_(school, "coach1")  # signed in as the coach for the card

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the card opened a sealed value")

    monkeypatch.setattr(Sealing, "open", refuse)
    monkeypatch.setattr(Sealing, "open_items", refuse)
    coach_card = dashboard_card(school.context("reflections"))
    assert "2 shared with you, 1 to read or answer" in coach_card.lines
    as_(school, "t1")
    author_card = dashboard_card(school.context("reflections"))
    assert "1 new comment from your coach" in author_card.lines
    assert author_card.attention >= 1

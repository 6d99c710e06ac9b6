"""Norms: consensus, charter versions, re-agreement and who may do what."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from plc_plugins.norms.service import Norms

from plc_tui import community
from plc_tui.errors import NotFound, PermissionDenied, ValidationError
from plc_tui.runtime import Runtime


def as_(runtime: Runtime, login: str) -> Norms:
    runtime.login = login
    runtime.refresh_member()
    return Norms(runtime.context("norms"))


def adopt(runtime: Runtime, text: str, category: str = "time") -> int:
    pid = as_(runtime, "t1").propose("Grade 3", text, category)
    as_(runtime, "t1").agree(pid)
    as_(runtime, "t2").agree(pid)
    return pid


def test_a_norm_is_adopted_when_every_member_agrees_and_makes_a_version(
    runtime: Runtime,
) -> None:
    pid = as_(runtime, "t1").propose("Grade 3", "We start and end on time.", "Time")
    tally = as_(runtime, "t1").agree(pid)
    assert not tally.reached and tally.summary() == "1 of 2 agreed; 2 needed"
    assert as_(runtime, "t1").charter("grade-3")["version"] == 0
    assert as_(runtime, "t2").agree(pid).reached
    charter = as_(runtime, "t1").charter("grade-3")
    assert charter["version"] == 1
    assert [(n["id"], n["text"], n["category"]) for n in charter["norms"]] == [
        (1, "We start and end on time.", "time")
    ]
    assert charter["agreed"] == {"t1": 1, "t2": 1}
    assert as_(runtime, "t1").proposal(pid)["state"] == "adopted"


def test_an_objection_holds_a_norm_back_with_its_reason(runtime: Runtime) -> None:
    pid = as_(runtime, "t1").propose("Grade 3", "We answer email within an hour.", "expectations")
    as_(runtime, "coach1").object(pid, "Not realistic during teaching time")
    as_(runtime, "t1").agree(pid)
    tally = as_(runtime, "t2").agree(pid)
    assert not tally.reached
    assert tally.summary({"coach1": "Casey Coach"}) == (
        "Objection from Casey Coach: Not realistic during teaching time"
    )
    assert as_(runtime, "t1").charter("grade-3")["version"] == 0


def test_changing_an_adopted_norm_needs_agreement_again_and_keeps_history(
    runtime: Runtime,
) -> None:
    adopt(runtime, "We start and end on time.")
    change = as_(runtime, "t2").propose_change("Grade 3", 1, "We start on time, every time.")
    charter = as_(runtime, "t1").charter("grade-3")
    assert charter["norms"][0]["text"] == "We start and end on time."  # not yet
    as_(runtime, "t1").agree(change)
    as_(runtime, "t2").agree(change)
    charter = as_(runtime, "t1").charter("grade-3")
    assert charter["version"] == 2
    assert charter["norms"][0]["text"] == "We start on time, every time."
    assert [h["change"] for h in charter["history"]] == [
        "added: We start and end on time.",
        "changed: We start on time, every time.",
    ]
    assert charter["history"][0]["norms"][0]["text"] == "We start and end on time."
    removal = as_(runtime, "t1").propose_removal("Grade 3", 1)
    as_(runtime, "t1").agree(removal)
    as_(runtime, "t2").agree(removal)
    assert as_(runtime, "t1").charter("grade-3")["norms"] == []


def test_two_changes_to_one_norm_never_overwrite_each_other(runtime: Runtime) -> None:
    adopt(runtime, "We start and end on time.")
    first = as_(runtime, "t1").propose_removal("Grade 3", 1)
    second = as_(runtime, "t2").propose_change("Grade 3", 1, "We start within five minutes.")
    for pid in (first, second):
        as_(runtime, "t1").agree(pid)
        as_(runtime, "t2").agree(pid)
    assert as_(runtime, "t1").proposal(second)["state"] == "outdated"
    assert as_(runtime, "t1").charter("grade-3")["norms"] == []


def test_a_new_member_is_asked_to_agree_to_the_current_charter(runtime: Runtime) -> None:
    adopt(runtime, "We start and end on time.")
    with runtime.storage.transaction() as tx:
        community.add_member(tx, login="t9", name="New Teacher", role="teacher", teams=["Grade 3"])
    newcomer = as_(runtime, "t9")
    assert newcomer.waiting_for("grade-3") == ["t9"]
    assert ("grade-3", "agree to the norms (version 1)", None) in newcomer.to_do()
    assert newcomer.agree_to_charter("Grade 3") == 1
    assert as_(runtime, "t9").waiting_for("grade-3") == []


def test_members_of_a_team_act_on_its_norms_only(runtime: Runtime) -> None:
    pid = as_(runtime, "t1").propose("Grade 3", "We start and end on time.", "time")
    with pytest.raises(PermissionDenied):
        as_(runtime, "t3").propose("Grade 3", "We bring snacks.", "expectations")
    with pytest.raises(PermissionDenied):
        as_(runtime, "t3").charter("grade-3")
    with pytest.raises(ValidationError, match="only members of the team agree"):
        as_(runtime, "coach1").agree(pid)
    with pytest.raises(ValidationError, match="you already agreed"):
        as_(runtime, "t1").agree(pid)
        as_(runtime, "t1").agree(pid)
    with pytest.raises(NotFound, match="no norm 7"):
        as_(runtime, "t1").propose_change("Grade 3", 7, "Anything at all here.")


def test_the_team_agrees_to_its_consensus_rule_under_the_rule_it_has(runtime: Runtime) -> None:
    waiting = as_(runtime, "t1").propose("Grade 3", "We start and end on time.", "time")
    as_(runtime, "t1").agree(waiting)
    rule = as_(runtime, "t1").set_share("Grade 3", 50)
    # One member cannot change the rule alone: the rule is itself a proposal.
    assert not as_(runtime, "t1").agree(rule).reached
    assert as_(runtime, "t1").charter("grade-3").get("share", 1.0) == 1.0
    assert as_(runtime, "t2").agree(rule).reached
    charter = as_(runtime, "t1").charter("grade-3")
    assert charter["share"] == 0.5
    # The proposal waiting under the old rule is carried by the new one.
    assert as_(runtime, "t1").proposal(waiting)["state"] == "adopted"
    assert [h["change"] for h in charter["history"]] == [
        "rule: a norm is adopted when 50% of the team agree and no one objects.",
        "added: We start and end on time.",
    ]
    pid = as_(runtime, "t1").propose("Grade 3", "We listen to understand.", "listening")
    assert as_(runtime, "t1").agree(pid).reached  # one of two is half the team
    with pytest.raises(ValidationError, match="50 to 100"):
        as_(runtime, "t1").set_share("Grade 3", 30)
    with pytest.raises(ValidationError, match="already 50%"):
        as_(runtime, "t1").set_share("Grade 3", 50)
    with pytest.raises(PermissionDenied):
        as_(runtime, "t3").set_share("Grade 3", 80)


def test_the_charter_prints_for_the_meeting_room(runtime: Runtime) -> None:
    adopt(runtime, "We start and end on time.")
    adopt(runtime, "We listen to understand.", "Listening")
    adopt(runtime, "Phones stay face down.", "Phones")  # a category of the team's own
    sheet = as_(runtime, "t1").markdown("Grade 3")
    assert sheet.startswith("# Grade 3: our norms\n\nVersion 3, agreed ")
    assert "## Time\n\n- We start and end on time.\n" in sheet
    assert "## Listening\n\n- We listen to understand.\n" in sheet
    assert "## Phones\n\n- Phones stay face down.\n" in sheet
    assert sheet.rstrip().endswith("Agreed by: Teacher t1, Teacher t2.")


def test_a_norms_check_runs_on_the_surveys_service_and_trends_per_norm(
    runtime: Runtime, data_dir
) -> None:
    from datetime import date, timedelta

    day = date(2026, 11, 2)
    runtime.today = lambda: day
    with runtime.storage.transaction() as tx:
        for login in ("t8", "t9"):
            community.add_member(
                tx, login=login, name=f"Teacher {login}", role="teacher", teams=["Grade 3"]
            )
    pid = as_(runtime, "t1").propose("Grade 3", "We start and end on time.", "time")
    for login in ("t1", "t2", "t8", "t9"):
        as_(runtime, login).agree(pid)
    pid = as_(runtime, "t1").propose("Grade 3", "We listen to understand.", "listening")
    for login in ("t1", "t2", "t8", "t9"):
        as_(runtime, login).agree(pid)
    first = as_(runtime, "t1").rate("Grade 3", {1: 5, 2: 2})
    as_(runtime, "t2").rate("Grade 3", {"1": 4, "2": 2}, "We drifted into logistics")
    assert as_(runtime, "t8").rate("Grade 3", {1: 3, 2: 1}) == first
    rows = as_(runtime, "t1").check_results("Grade 3")
    # Open: nothing shows, or the change after each rating would tell who gave what.
    assert [r["latest"] for r in rows] == [None, None]
    assert as_(runtime, "t1").latest_check("Grade 3")["reason"] == (
        "3 rated so far; results show when the check closes"
    )
    as_(runtime, "t2").close_check("Grade 3")
    rows = as_(runtime, "t1").check_results("Grade 3")
    assert [(r["norm"], r["latest"]) for r in rows] == [(2, 1.67), (1, 4.0)]  # lowest first
    # Four weeks on, a second check: a trend per norm.
    day = day + timedelta(days=28)
    for login, ratings in (("t1", {1: 5, 2: 4}), ("t2", {1: 5, 2: 3}), ("t9", {1: 4, 2: 4})):
        assert as_(runtime, login).rate("Grade 3", ratings) != first
    with pytest.raises(ValidationError, match="already"):
        as_(runtime, "t9").open_check("Grade 3")
    day = day + timedelta(days=8)  # closed by its date
    rows = as_(runtime, "t1").check_results("Grade 3")
    listening = next(r for r in rows if r["norm"] == 2)
    assert [t["mean"] for t in listening["trend"]] == [1.67, 3.67]
    # Anonymous: the stored ratings name no one.
    assert_answers_name_no_one(data_dir)


def test_a_missing_service_is_named(runtime: Runtime) -> None:
    from plc_tui.errors import PLCError

    with pytest.raises(PLCError, match=r"no plugin offers the 'nope\.thing' service"):
        runtime.context("norms").service("nope.thing")


def four_member_team(runtime: Runtime) -> None:
    with runtime.storage.transaction() as tx:
        for login in ("t8", "t9"):
            community.add_member(
                tx, login=login, name=f"Teacher {login}", role="teacher", teams=["Grade 3"]
            )


def test_a_norms_check_falls_due_every_four_weeks_and_asks_each_member_once(
    runtime: Runtime,
) -> None:
    from datetime import date, timedelta

    day = date(2026, 9, 1)
    runtime.today = lambda: day
    adopt(runtime, "We start and end on time.")
    assert [what for _, what, _ in as_(runtime, "t1").to_do()] == []
    day += timedelta(weeks=4)  # four weeks after adopting: the first check is due
    assert as_(runtime, "t1").check_schedule("grade-3")["due"] == "2026-09-29"
    assert [what for _, what, _ in as_(runtime, "t2").to_do()] == [
        "norms check due: how well did the team keep them?"
    ]
    as_(runtime, "t1").rate("Grade 3", {1: 4})
    # t1 rated: nothing more for them; t2 is asked to rate the open check.
    assert as_(runtime, "t1").to_do() == []
    assert [what for _, what, _ in as_(runtime, "t2").to_do()] == [
        "rate the norms check (until 2026-10-06)"
    ]
    day += timedelta(days=8)  # closed; the next is due four weeks after this one opened
    assert as_(runtime, "t2").to_do() == []
    assert as_(runtime, "t2").check_schedule("grade-3")["due"] == "2026-10-27"


def test_the_check_cadence_is_a_setting(runtime: Runtime) -> None:
    from plc_plugins.norms.service import check_weeks

    assert check_weeks({}) == 4
    assert check_weeks({"check_weeks": 2}) == 2
    for wrong in (0, 53, "2", True, 2.5):
        assert check_weeks({"check_weeks": wrong}) == 4  # a bad value keeps the default
    runtime.config.extra["plugins"] = {"norms": {"check_weeks": 6}}
    adopt(runtime, "We start and end on time.")
    schedule = as_(runtime, "t1").check_schedule("grade-3")
    assert schedule["weeks"] == 6


def test_a_check_held_on_paper_is_recorded_without_names(runtime: Runtime, data_dir) -> None:
    from datetime import date

    runtime.today = lambda: date(2026, 10, 6)
    four_member_team(runtime)
    pid = as_(runtime, "t1").propose("Grade 3", "We start and end on time.", "time")
    for login in ("t1", "t2", "t8", "t9"):
        as_(runtime, login).agree(pid)
    sheets = [{"1": 2, "comment": "Ran late twice"}, {"1": 3}, {"1": 3, "comment": ""}]
    with pytest.raises(ValidationError, match="future"):
        as_(runtime, "t1").record_check("Grade 3", date(2026, 10, 7), sheets)
    with pytest.raises(ValidationError, match="sheet 2"):
        as_(runtime, "t1").record_check("Grade 3", date(2026, 10, 5), [{"1": 2}, {"1": 9}])
    assert as_(runtime, "t1").check_schedule("grade-3")["checks"] == []  # nothing half-stored
    with pytest.raises(PermissionDenied):
        as_(runtime, "t3").record_check("Grade 3", date(2026, 10, 5), sheets)
    as_(runtime, "t1").record_check("Grade 3", date(2026, 10, 5), sheets)
    rows = as_(runtime, "t2").check_results("Grade 3")
    assert rows[0]["trend"] == [
        {"check": rows[0]["trend"][0]["check"], "date": "2026-10-05", "mean": 2.67, "n": 3}
    ]
    latest = as_(runtime, "t2").latest_check("Grade 3")
    assert latest["status"] == "closed" and latest["comments"] == ["Ran late twice"]
    assert_answers_name_no_one(data_dir)


def test_a_starter_set_is_proposed_whole_or_not_at_all(runtime: Runtime) -> None:
    service = as_(runtime, "t1")
    starter = next(t for t in service.starter_sets() if t.id == "starter")
    norms = starter.body["norms"]
    with pytest.raises(ValidationError, match="commitment"):
        service.propose_many("Grade 3", [*norms[:3], {"text": "no", "category": "time"}])
    assert service.proposals("grade-3") == []
    ids = service.propose_many("Grade 3", norms)
    assert [p["id"] for p in service.proposals("grade-3")] == ids
    assert len(ids) == len(norms)
    with pytest.raises(PermissionDenied):
        as_(runtime, "t3").propose_many("Grade 3", norms)


def test_the_overview_says_what_waits_for_whom(runtime: Runtime) -> None:
    adopt(runtime, "We start and end on time.")
    as_(runtime, "t2").propose("Grade 3", "We listen to understand.", "listening")
    rows = {r["name"]: r for r in as_(runtime, "t1").overview()}
    assert list(rows) == ["Grade 3"]  # a teacher sees their own team
    assert rows["Grade 3"] | {"team": None} == {
        "team": None,
        "name": "Grade 3",
        "version": 1,
        "norms": 1,
        "members": 2,
        "agreed": 2,
        "open": 1,
        "mine": 1,
    }
    coach_rows = {r["name"]: r for r in as_(runtime, "coach1").overview()}
    assert set(coach_rows) == {"Grade 3", "Grade 4"}  # a coach sees every team
    assert coach_rows["Grade 4"]["version"] == 0 and coach_rows["Grade 3"]["mine"] == 0


def test_a_team_check_is_not_listed_among_the_surveys(runtime: Runtime) -> None:
    from plc_plugins.surveys.service import Surveys

    adopt(runtime, "We start and end on time.")
    as_(runtime, "t1").rate("Grade 3", {1: 4})
    runtime.login = "coach1"
    runtime.refresh_member()
    surveys = Surveys(runtime.context("surveys"))
    assert surveys.rows(everything=True) == [] and not surveys.state_counts()


def test_a_check_with_too_few_ratings_stays_hidden_once_closed(runtime: Runtime) -> None:
    four_member_team(runtime)
    pid = as_(runtime, "t1").propose("Grade 3", "We start and end on time.", "time")
    for login in ("t1", "t2", "t8", "t9"):
        as_(runtime, login).agree(pid)
    for login, point in (("t1", 5), ("t2", 1)):
        as_(runtime, login).rate("Grade 3", {1: point})
    with pytest.raises(PermissionDenied):
        as_(runtime, "t3").close_check("Grade 3")
    as_(runtime, "t8").close_check("Grade 3")
    latest = as_(runtime, "t1").latest_check("Grade 3")
    assert latest["status"] == "closed" and latest["hidden"]
    assert latest["reason"] == "2 rated so far; results show from 3"
    with pytest.raises(ValidationError, match="no open norms check"):
        as_(runtime, "t8").close_check("Grade 3")


def assert_answers_name_no_one(data_dir: Path) -> None:
    """The stored ratings, read from the files, name no one (beside them, document 1
    lists who rated, as the survey list shows)."""
    files = list((data_dir / "surveys" / "answers").glob("*.json"))
    assert files
    for path in files:
        docs = json.loads(path.read_text("utf-8"))["_default"]
        docs.pop("1", None)
        text = json.dumps(docs, ensure_ascii=False)
        assert docs and "t1" not in text and "Teacher" not in text, path

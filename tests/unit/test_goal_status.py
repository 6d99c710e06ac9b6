"""Goal status rules, consensus and permissions (plain rules, then through the service)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from plc_plugins.smart_goals.consensus import tally
from plc_plugins.smart_goals.service import Goals
from plc_plugins.smart_goals.status import expected, goal_status, progress, stale_days

from plc_tui.api import Event, PermissionDenied, ValidationError
from plc_tui.config import Config
from plc_tui.runtime import Runtime

TODAY = date(2026, 11, 24)
# 2026-08-26 .. 2027-02-22 is 180 days; 2026-11-24 is day 90: half the time is gone.
START, DEADLINE = "2026-08-26", "2027-02-22"


def goal(
    value: float | None,
    *,
    baseline: float = 60,
    target: float = 80,
    on: str = "2026-11-20",
    confidence: int = 4,
    start: str = START,
    deadline: str = DEADLINE,
    state: str = "agreed",
) -> dict[str, Any]:
    return {
        "state": state,
        "measurable": {"baseline": baseline, "target": target, "unit": "%"},
        "timely": {"start": start, "deadline": deadline, "checkpoints": []},
        "latest": None if value is None else {"date": on, "value": value, "confidence": confidence},
    }


def status_of(g: dict[str, Any], **kwargs: Any) -> tuple[str, str]:
    result = goal_status(g, TODAY, **kwargs)
    return result.status, result.reason


# -- progress and expected ------------------------------------------------------


def test_progress_goes_from_baseline_to_target_either_way() -> None:
    assert progress(62, 80, 71) == 0.5
    assert progress(62, 80, None) == 0.0
    assert progress(62, 80, 50) == 0.0  # clamped
    assert progress(62, 80, 95) == 1.0
    # Reduce chronic absence from 18% to 10%.
    assert progress(18, 10, 14) == 0.5
    assert progress(18, 10, 20) == 0.0
    assert progress(18, 10, 9) == 1.0
    assert progress(None, 80, 70) is None
    assert progress(80, 80, 70) is None


def test_expected_is_the_elapsed_share_of_the_window() -> None:
    start, deadline = date(2026, 8, 26), date(2027, 2, 22)
    assert expected(start, deadline, TODAY) == 0.5
    assert expected(start, deadline, date(2026, 1, 1)) == 0.0
    assert expected(start, deadline, date(2027, 6, 1)) == 1.0
    assert expected(None, deadline, TODAY) is None


# -- statuses and their reasons -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status", "reason"),
    [
        (72, "on track", "Progress 60%, ahead of the 50% expected by now"),
        (70, "on track", "Progress 50%, as expected by now"),
        (
            69,
            "on track",
            "Progress 45%, a little behind the 50% expected by now (on track within 10 points)",
        ),
        (67, "at risk", "Progress 35% vs 50% expected by now"),
        (65, "at risk", "Progress 25% vs 50% expected by now"),  # exactly 25 behind
        (64, "off track", "Progress 20% vs 50% expected by now"),
        (80, "met", "Target reached: 80% on 2026-11-20 (target 80%)"),
        (84, "met", "Target reached: 84% on 2026-11-20 (target 80%)"),
    ],
)
def test_status_by_progress(value: float, status: str, reason: str) -> None:
    assert status_of(goal(value)) == (status, reason)


@pytest.mark.parametrize(
    ("value", "status", "reason"),
    [
        (14, "on track", "Progress 50%, as expected by now"),
        (15, "at risk", "Progress 38% vs 50% expected by now"),
        (17, "off track", "Progress 12% vs 50% expected by now"),
        (10, "met", "Target reached: 10% on 2026-11-20 (target 10%)"),
        (8, "met", "Target reached: 8% on 2026-11-20 (target 10%)"),
    ],
)
def test_status_for_a_decreasing_target(value: float, status: str, reason: str) -> None:
    assert status_of(goal(value, baseline=18, target=10)) == (status, reason)


def test_low_confidence_puts_a_goal_at_risk() -> None:
    assert status_of(goal(72, confidence=2)) == (
        "at risk",
        "Confidence 2 of 5 at the last check-in",
    )
    assert status_of(goal(72, confidence=3))[0] == "on track"
    behind = goal_status(goal(67, confidence=1), TODAY)
    assert behind.reasons == (
        "Progress 35% vs 50% expected by now",
        "Confidence 1 of 5 at the last check-in",
    )


def test_a_stale_check_in_puts_a_goal_at_risk() -> None:
    old = goal(72, on="2026-10-25")
    assert status_of(old) == ("at risk", "No check-in for 30 days")
    assert status_of(old, stale_after=30)[0] == "on track"
    assert status_of(goal(72, on="2026-11-03"))[0] == "on track"  # 21 days: not yet
    never = goal_status(goal(None), TODAY)
    assert never.status == "off track"
    assert never.reasons == (
        "Progress 0% vs 50% expected by now",
        "No check-in yet, 90 days into the goal",
    )


def test_stale_days_comes_from_settings_with_a_safe_default() -> None:
    assert stale_days({}) == 21
    assert stale_days({"stale_days": 30}) == 30
    assert stale_days({"stale_days": "soon"}) == 21
    assert stale_days({"stale_days": 0}) == 21


def test_deadline_passed_without_meeting_the_target_is_off_track() -> None:
    late = goal(75, start="2026-05-20", deadline="2026-11-20", on="2026-11-18")
    assert status_of(late) == (
        "off track",
        "The deadline (2026-11-20) passed at 75%; the target was 80%",
    )
    met = goal(80, start="2026-05-20", deadline="2026-11-20", on="2026-11-18")
    assert status_of(met)[0] == "met"


def test_a_goal_not_started_yet_is_on_track() -> None:
    assert status_of(goal(None, start="2026-12-01", deadline="2027-05-01")) == (
        "on track",
        "Starts on 2026-12-01",
    )


def test_proposed_until_agreed_with_the_consensus_as_reason() -> None:
    proposed = goal(None, state="proposed")
    assert status_of(proposed) == ("proposed", "Waiting for the team to agree")
    proposed["votes"] = {"t1": {"vote": "agree"}}
    votes = tally(proposed, ["t1", "t2"])
    assert status_of(proposed, consensus=votes) == ("proposed", "1 of 2 agreed; 2 needed")
    proposed["votes"]["t2"] = {"vote": "object", "reason": "Too fast for newcomers"}
    votes = tally(proposed, ["t1", "t2"])
    assert status_of(proposed, consensus=votes, names={"t2": "Teacher t2"}) == (
        "proposed",
        "Objection from Teacher t2: Too fast for newcomers",
    )


# -- consensus ----------------------------------------------------------------------


def votes(*pairs: tuple[str, str], share: float = 1.0) -> dict[str, Any]:
    return {
        "consensus_share": share,
        "votes": {login: {"vote": vote, "reason": "why"} for login, vote in pairs},
    }


def test_consensus_needs_everyone_by_default() -> None:
    team = ["a", "b", "c"]
    result = tally(votes(("a", "agree"), ("b", "agree")), team)
    assert (result.needed, result.reached, result.waiting) == (3, False, ("c",))
    assert tally(votes(("a", "agree"), ("b", "agree"), ("c", "agree")), team).reached


@pytest.mark.parametrize(
    ("share", "size", "needed"), [(0.6, 3, 2), (0.5, 4, 2), (0.75, 4, 3), (1.0, 5, 5), (1.0, 0, 1)]
)
def test_consensus_share(share: float, size: int, needed: int) -> None:
    team = [f"m{n}" for n in range(size)]
    assert tally(votes(share=share), team).needed == needed


def test_one_objection_holds_a_goal_back_even_above_the_share() -> None:
    team = ["a", "b", "c"]
    result = tally(votes(("a", "agree"), ("b", "agree"), ("c", "object"), share=0.6), team)
    assert len(result.agreed) == 2 and not result.reached
    assert result.objections == (("c", "why"),)
    # Coaches outside the team may vote: their objection counts, their agreement does not.
    outside = tally(votes(("a", "agree"), ("coach", "agree"), share=0.6), team)
    assert outside.agreed == ("a",) and not outside.reached


# -- through the service --------------------------------------------------------------


GOAL: dict[str, Any] = {
    "team": "Grade 3",
    "title": "Grade 3 reading proficiency: 62% -> 80% at benchmark by May",
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
    "timely": {"start": START, "deadline": DEADLINE, "checkpoints": ["2026-11-30"]},
    "owners": ["t1"],
    "actions": [{"text": "Guided reading groups", "owner": "t2", "due": "2026-11-28"}],
}


def as_member(runtime: Runtime, login: str) -> Goals:
    runtime.login = login
    runtime.refresh_member()
    return Goals(runtime.context("smart_goals"))


@pytest.fixture
def events(runtime: Runtime) -> list[Event]:
    seen: list[Event] = []
    original = runtime.emit

    def emit(event: Event) -> None:
        seen.append(event)
        original(event)

    runtime.emit = emit  # type: ignore[method-assign]
    runtime.today = lambda: TODAY
    return seen


def test_consensus_flow_activates_the_goal(runtime: Runtime, events: list[Event]) -> None:
    gid = as_member(runtime, "t1").add(GOAL)
    assert as_member(runtime, "t1").status(gid).status == "proposed"
    assert as_member(runtime, "t1").agree(gid).summary() == "1 of 2 agreed; 2 needed"

    with pytest.raises(ValidationError, match="Reason for objecting cannot be empty"):
        as_member(runtime, "t2").object(gid, "  ")
    held = as_member(runtime, "t2").object(gid, "Can we use the spring form?\x1b[31m")
    assert held.objections == (("t2", "Can we use the spring form?"),)
    with pytest.raises(ValidationError, match="still proposed"):
        as_member(runtime, "t1").check_in(gid, 65)

    result = as_member(runtime, "t2").agree(gid)
    assert result.reached
    stored = as_member(runtime, "t2").get(gid)
    assert (stored["state"], stored["agreed_on"], stored["status"]) == (
        "agreed",
        "2026-11-24",
        "off track",  # no check-in yet, half the time gone
    )
    names = [e.name for e in events]
    assert names == [
        "goal.created",
        "goal.objected",
        "goal.agreed",
        "goal.status_changed",
    ]
    assert events[-1].data == {
        "goal": gid,
        "team": "grade-3",
        "old": "proposed",
        "new": "off track",
    }
    with pytest.raises(ValidationError, match="already agreed"):
        as_member(runtime, "t1").object(gid, "too late")


def test_agreeing_needs_a_smart_goal(runtime: Runtime, events: list[Event]) -> None:
    raw = copy.deepcopy(GOAL)
    raw["reflective"] = {}
    gid = as_member(runtime, "t1").add(raw)
    with pytest.raises(ValidationError) as caught:
        as_member(runtime, "t1").agree(gid)
    assert caught.value.message == (
        f"goal {gid} is not SMART yet, so it cannot be agreed: "
        "Reflective: say how and when the team will reflect."
    )


def test_changing_a_proposal_resets_the_votes(runtime: Runtime, events: list[Event]) -> None:
    gid = as_member(runtime, "t1").add(GOAL)
    as_member(runtime, "t1").agree(gid)
    # Action steps are not what people agreed to: votes stay.
    raw = copy.deepcopy(GOAL)
    raw["actions"].append({"text": "Family reading night"})
    as_member(runtime, "t2").update(gid, raw)
    assert as_member(runtime, "t2").consensus(gid).agreed == ("t1",)
    raw["measurable"]["target"] = 85
    as_member(runtime, "t2").update(gid, raw)
    assert as_member(runtime, "t2").consensus(gid).agreed == ()
    raw["team"] = "Grade 4"
    with pytest.raises(ValidationError, match="cannot move to another team"):
        as_member(runtime, "t2").update(gid, raw)


def test_a_configured_share_activates_sooner(runtime: Runtime, events: list[Event]) -> None:
    gid = as_member(runtime, "t1").add({**GOAL, "consensus_share": 0.5})
    assert as_member(runtime, "t1").agree(gid).reached
    with pytest.raises(ValidationError, match=r"consensus_share must be between 0\.5 and 1"):
        as_member(runtime, "t1").add({**GOAL, "consensus_share": 0.2})


def agreed_goal(runtime: Runtime, **changes: Any) -> int:
    gid = as_member(runtime, "t1").add({**GOAL, **changes})
    as_member(runtime, "t1").agree(gid)
    as_member(runtime, "t2").agree(gid)
    return gid


def test_check_ins_move_the_status_and_celebrate(runtime: Runtime, events: list[Event]) -> None:
    gid = agreed_goal(runtime)
    t1 = as_member(runtime, "t1")
    status = t1.check_in(gid, "72", confidence=4, note="Groups are working", on="2026-11-20")
    assert status.status == "on track"
    assert status.reason == "Progress 60%, ahead of the 50% expected by now"
    # A back-dated check-in does not replace the latest one.
    assert t1.check_in(gid, 61, on="2026-10-01").latest == {
        "date": "2026-11-20",
        "value": 72,
        "confidence": 4,
    }
    low = t1.check_in(gid, 72, confidence=2)
    assert (low.status, low.reason) == ("at risk", "Confidence 2 of 5 at the last check-in")
    met = t1.check_in(gid, 81, confidence=5)
    assert met.status == "met"
    assert [e.name for e in events][-2:] == ["goal.status_changed", "goal.met"]
    assert t1.get(gid)["met_on"] == "2026-11-24"
    assert [c["value"] for c in t1.checkins(gid)] == [61, 72, 72, 81]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": "lots"}, "Value must be a number like 62 or 62.5."),
        ({"value": None}, "a check-in needs the measured value: a number, such as 68."),
        ({"value": 120}, "the value must be a percentage from 0 to 100"),
        ({"value": 70, "confidence": 6}, "confidence must be a whole number from 1"),
        ({"value": 70, "confidence": "high"}, "Confidence must be a number"),
        ({"value": 70, "on": "2026-12-01"}, "the check-in date 2026-12-01 is in the future."),
        ({"value": 70, "on": "yesterday"}, "Check-in date 'yesterday' is not a date"),
        ({"value": 70, "note": "x" * 501}, "Note is too long"),
    ],
)
def test_bad_check_ins_are_refused(
    runtime: Runtime, events: list[Event], kwargs: dict[str, Any], message: str
) -> None:
    gid = agreed_goal(runtime)
    with pytest.raises(ValidationError, match=message.replace(".", r"\.")):
        as_member(runtime, "t1").check_in(gid, **kwargs)
    assert as_member(runtime, "t1").checkins(gid) == []


def test_a_teacher_of_another_team_cannot_touch_the_goal(
    runtime: Runtime, events: list[Event]
) -> None:
    gid = agreed_goal(runtime)
    t3 = as_member(runtime, "t3")
    for attempt in (
        lambda: t3.check_in(gid, 70),
        lambda: t3.update(gid, GOAL),
        lambda: t3.object(gid, "not my team"),
        lambda: t3.set_action_done(gid, 1),
        lambda: t3.add_evidence(gid, "a photo"),
        lambda: t3.get(gid),
        lambda: t3.add(GOAL),
        lambda: t3.list(team="Grade 3"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert t3.list() == []
    # A coach outside the team may help: see and check in.
    coach = as_member(runtime, "coach1")
    assert [r.id for r in coach.list()] == [gid]
    assert coach.check_in(gid, 70).status == "on track"


def test_settings_change_when_a_goal_is_stale(runtime: Runtime, events: list[Event]) -> None:
    gid = agreed_goal(runtime)
    as_member(runtime, "t1").check_in(gid, 72, on="2026-10-25")
    assert as_member(runtime, "t1").status(gid).reason == "No check-in for 30 days"
    runtime.config = Config(extra={"plugins": {"smart_goals": {"stale_days": 45}}})
    assert as_member(runtime, "t1").status(gid).status == "on track"


def test_reminders_for_votes_check_ins_checkpoints_and_actions(
    runtime: Runtime, events: list[Event]
) -> None:
    gid = as_member(runtime, "t1").add(GOAL)
    assert [(r.kind, r.goal) for r in as_member(runtime, "t2").reminders()] == [("agree", gid)]
    assert as_member(runtime, "t3").reminders() == []
    as_member(runtime, "t1").agree(gid)
    as_member(runtime, "t2").agree(gid)
    # t1 owns the goal: check in (none yet) and the checkpoint on the 30th.
    assert [r.text for r in as_member(runtime, "t1").reminders()] == [
        "Check in (no check-in yet): " + GOAL["title"],
        "Review checkpoint on 2026-11-30: " + GOAL["title"],
    ]
    # t2 owns the action step due on the 28th, not the check-in.
    assert [r.kind for r in as_member(runtime, "t2").reminders()] == ["checkpoint", "action"]
    as_member(runtime, "t1").check_in(gid, 70)
    assert [r.kind for r in as_member(runtime, "t1").reminders()] == ["checkpoint"]
    as_member(runtime, "t2").set_action_done(gid, 1)
    assert [r.kind for r in as_member(runtime, "t2").reminders()] == ["checkpoint"]


def test_dashboard_card_counts_what_needs_me(runtime: Runtime, events: list[Event]) -> None:
    from plc_plugins.smart_goals import dashboard_card

    as_member(runtime, "t1").add(GOAL)
    card = dashboard_card(runtime.context("smart_goals"))  # signed in as t1 now
    assert card.attention == 1
    assert card.lines == (
        "Agree or object: " + GOAL["title"],
        "1 goal this year for your team: 1 proposed",
    )
    as_member(runtime, "t3")
    card = dashboard_card(runtime.context("smart_goals"))
    assert card.attention == 0
    assert card.lines == ("No goals this year: start one from a template with your team.",)


def test_invalid_goals_get_clear_messages(runtime: Runtime, events: list[Event]) -> None:
    t1 = as_member(runtime, "t1")
    cases = [
        ([], "a goal must be a JSON object with a team and a title."),
        ({"title": "x"}, "a goal needs a team (its name or id)."),
        ({"team": "Grade 9", "title": "x"}, "there is no team 'Grade 9'; teams: Grade 3, Grade 4."),
        ({"team": "Grade 3", "title": ""}, "Goal title cannot be empty."),
        ({"team": "Grade 3", "title": "x" * 121}, "Goal title is too long"),
        (
            {"team": "Grade 3", "title": "x", "colour": "red"},
            "unknown field(s) in the goal: colour",
        ),
        (
            {"team": "Grade 3", "title": "x", "measurable": {"target": "lots"}},
            "Measurable: Target must be a number like 62 or 62.5.",
        ),
        (
            {"team": "Grade 3", "title": "x", "timely": {"deadline": "May"}},
            "Timely: deadline 'May' is not a date like 2026-12-11.",
        ),
        ({"team": "Grade 3", "title": "x", "owners": ["nobody"]}, "owner 'nobody' is not a member"),
        (
            {"team": "Grade 3", "title": "x", "actions": [{"text": ""}]},
            "action 1 text cannot be empty.",
        ),
        ({"team": "Grade 3", "title": "x", "specific": "reading"}, "specific must be an object"),
    ]
    for raw, message in cases:
        with pytest.raises(ValidationError) as caught:
            t1.add(raw)
        assert message in caught.value.message, raw
    # A half-finished proposal is fine: the SMART check says what is missing.
    gid = t1.add({"team": "grade-3", "title": "Reading \x1b]0;pwned\x07goal"})
    stored = t1.get(gid)
    assert stored["title"] == "Reading goal"
    assert stored["measurable"]["baseline"] is None
    assert len([r for r in t1.check(stored) if not r.met]) == 5

"""Where a goal stands: progress, what was expected by now, and a status with its reason.

Plain rules, tested on their own:

* ``progress`` = (latest value - baseline) / (target - baseline), clamped to
  0..1; it works the same for goals that go down (reduce absences from 18% to
  10%). Before any check-in the latest value is the baseline.
* ``expected`` = the elapsed share of start..deadline, clamped to 0..1.
* ``proposed`` until the team agrees (see :mod:`.consensus`).
* ``met`` once the latest check-in reaches the target.
* ``off track`` when the deadline passed without meeting the target, or when
  progress is more than 25 points behind what was expected by now.
* ``at risk`` when progress is more than 10 points behind, when the latest
  confidence is 2 of 5 or lower, or when no one has checked in for
  ``stale_days`` (default 21; ``stale_days`` in ``[plugins.smart_goals]``).
* ``not met`` for a goal of a school year that has ended without reaching its
  target (or never agreed): its status is settled, see :func:`ended_status`.
* ``on track`` otherwise; its reason says whether the goal is ahead of,
  level with or a little behind what was expected by now.

Every status comes with a reason a team can act on ("Progress 40% vs 65%
expected by now", "No check-in for 30 days", "Confidence 2 of 5 at the last
check-in").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .consensus import Tally
from .model import with_unit

STATUSES = ("proposed", "on track", "at risk", "off track", "met", "not met")
DEFAULT_STALE_DAYS = 21
OFF_TRACK_GAP = 0.25
AT_RISK_GAP = 0.10
LOW_CONFIDENCE = 2


@dataclass(frozen=True)
class GoalStatus:
    """Where a goal stands (on track, at risk, ...) and why."""

    status: str
    reason: str
    reasons: tuple[str, ...]
    progress: float | None  # 0..1
    expected: float | None  # 0..1
    latest: dict[str, Any] | None  # {"date", "value", "confidence"}
    days_since_check_in: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reason": self.reason,
            "reasons": list(self.reasons),
            "progress": None if self.progress is None else round(self.progress, 3),
            "expected": None if self.expected is None else round(self.expected, 3),
            "latest": self.latest,
            "days_since_check_in": self.days_since_check_in,
        }


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def progress(baseline: float | None, target: float | None, value: float | None) -> float | None:
    """How far from baseline to target, 0..1 (``None`` without a baseline and target)."""
    if baseline is None or target is None or target == baseline:
        return None
    if value is None:
        value = baseline
    return min(1.0, max(0.0, (value - baseline) / (target - baseline)))


def expected(start: date | None, deadline: date | None, today: date) -> float | None:
    """The elapsed share of start..deadline, 0..1."""
    if start is None or deadline is None or deadline <= start:
        return None
    return min(1.0, max(0.0, (today - start).days / (deadline - start).days))


def percent(fraction: float | None) -> str:
    return "-" if fraction is None else f"{round(fraction * 100)}%"


def stale_days(settings: dict[str, Any]) -> int:
    """``stale_days`` from the plugin's settings, or the default."""
    value = settings.get("stale_days", DEFAULT_STALE_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
        return DEFAULT_STALE_DAYS
    return value


def goal_status(
    goal: dict[str, Any],
    today: date,
    *,
    stale_after: int = DEFAULT_STALE_DAYS,
    consensus: Tally | None = None,
    names: dict[str, str] | None = None,
) -> GoalStatus:
    """The status of a stored goal (``goal["latest"]`` holds its latest check-in)."""
    measurable = goal.get("measurable") or {}
    timely = goal.get("timely") or {}
    baseline, target = measurable.get("baseline"), measurable.get("target")
    unit = measurable.get("unit")
    start, deadline = _date(timely.get("start")), _date(timely.get("deadline"))
    latest = goal.get("latest") or None
    value = latest["value"] if latest else None
    done = progress(baseline, target, value)
    due = expected(start, deadline, today)
    last = _date(latest["date"]) if latest else None
    since = (today - last).days if last else None

    def result(status: str, reasons: list[str]) -> GoalStatus:
        return GoalStatus(status, reasons[0], tuple(reasons), done, due, latest, since)

    if goal.get("state", "proposed") == "proposed":
        if consensus is not None:
            return result("proposed", [consensus.summary(names)])
        return result("proposed", ["Waiting for the team to agree"])
    if done is None:
        return result("at risk", ["The goal has no baseline and target to measure against"])
    if done >= 1 - 1e-9:
        return result(
            "met",
            [
                f"Target reached: {with_unit(value, unit)} on {latest['date']} "
                f"(target {with_unit(target, unit)})"
            ],
        )

    off: list[str] = []
    risk: list[str] = []
    gap = f"Progress {percent(done)} vs {percent(due)} expected by now"
    if deadline is not None and today > deadline:
        now = with_unit(value if value is not None else baseline, unit)
        off.append(
            f"The deadline ({deadline.isoformat()}) passed at {now}; "
            f"the target was {with_unit(target, unit)}"
        )
    elif due is not None and done < due - OFF_TRACK_GAP:
        off.append(gap)
    elif due is not None and done < due - AT_RISK_GAP:
        risk.append(gap)
    if latest and latest.get("confidence") is not None and latest["confidence"] <= LOW_CONFIDENCE:
        risk.append(f"Confidence {latest['confidence']} of 5 at the last check-in")
    if since is not None and since > stale_after:
        risk.append(f"No check-in for {since} days")
    elif since is None:
        began = max(d for d in (start, _date(goal.get("agreed_on"))) if d) if start else None
        if began is not None and (today - began).days > stale_after:
            risk.append(f"No check-in yet, {(today - began).days} days into the goal")
    if off:
        return result("off track", off + risk)
    if risk:
        return result("at risk", risk)
    if start is not None and today < start:
        return result("on track", [f"Starts on {start.isoformat()}"])
    return result("on track", [_on_track_reason(done, due)])


def ended_status(goal: dict[str, Any], year_label: str) -> GoalStatus:
    """The settled status of a goal whose school year (``year_label``) has ended:
    ``met`` or ``not met``, with how far it got."""
    timely = goal.get("timely") or {}
    end = _date(timely.get("deadline")) or _date((goal.get("created") or "")[:10])
    latest = goal.get("latest") or None
    if goal.get("state", "proposed") == "proposed":
        reason = f"Never agreed by the team before the {year_label} school year ended"
        return GoalStatus("not met", reason, (reason,), None, None, latest, None)
    at_end = goal_status(goal, end or date.today())
    if at_end.status == "met":
        return at_end
    measurable = goal.get("measurable") or {}
    unit = measurable.get("unit")
    reached = latest["value"] if latest else measurable.get("baseline")
    reason = (
        f"The {year_label} school year ended at {with_unit(reached, unit)}, "
        f"{percent(at_end.progress)} of the way to {with_unit(measurable.get('target'), unit)}"
    )
    return GoalStatus("not met", reason, (reason,), at_end.progress, 1.0, latest, None)


def _on_track_reason(done: float, due: float | None) -> str:
    """Say plainly whether an on-track goal is ahead or a little behind.

    A goal up to 10 points behind is still on track; saying only "40% vs 45%"
    read as a contradiction next to a chart whose line sits under the
    expected one.
    """
    if due is None:
        return f"Progress {percent(done)}"
    if round(done * 100) > round(due * 100):
        return f"Progress {percent(done)}, ahead of the {percent(due)} expected by now"
    if round(done * 100) == round(due * 100):
        return f"Progress {percent(done)}, as expected by now"
    return (
        f"Progress {percent(done)}, a little behind the {percent(due)} expected by now "
        f"(on track within {round(AT_RISK_GAP * 100)} points)"
    )

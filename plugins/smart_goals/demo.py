"""The SMART goals in ``plc demo``: every status, months of check-ins, real-sounding teams.

One goal per grade-level team, each in a different state, so the dashboard and
the goal list show everything the module does: a proposal with an objection
(waiting for the demo teacher ``tnguyen`` and coach ``dreyes``), goals on track,
at risk (low confidence, falling behind, or no check-in for weeks), off track,
and one met last week. Dates are relative to ``today``; check-in values follow
a path to where each goal should stand, with a little noise from ``rng``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from plc_tui.api import Context, Member, Team

from . import store
from .model import parse_goal
from .status import expected, goal_status

NOTES = [
    "Small groups are settling in; the lowest group moved up a level.",
    "Two new students joined this month, both below benchmark.",
    "Used the winter screener window a week early to catch students in time.",
    "Shared strategies from Ms. Patel's room; everyone is trying them.",
    "Attendance dipped around the holiday, which shows in the numbers.",
    "Reteach groups are working; exit tickets look stronger.",
    "We need more time to look at student work together.",
    "Parent conferences helped; several families asked for practice ideas.",
]

# Where each goal should stand today: on track (ahead of the expected line), low
# confidence, behind, stale (no check-in for weeks), off track, met, proposed.
GOALS: list[dict[str, Any]] = [
    {
        "team": "Kindergarten",
        "plan": "on track",
        "start": -100,
        "deadline": 120,
        "title": "Reduce chronic absence in Kindergarten from 18% to 10%",
        "specific": {
            "what": "Fewer kindergartners missing 10% or more of school days",
            "for_whom": "All kindergartners, especially the 23 chronically absent in the fall",
        },
        "measurable": {
            "metric": "Kindergartners chronically absent so far this year",
            "baseline": 18,
            "target": 10,
            "unit": "%",
            "data_source": "Monthly attendance report from the student information system",
        },
        "ambitious": {
            "why_stretch": "The district average is 15%; we have never been below 12%",
            "data": "September: 18% chronically absent, most of them in two neighbourhoods",
        },
        "reflective": {
            "how": "Review each family contact and the month's attendance together",
            "when": "First PLC meeting of every month",
        },
        "actions": [
            ("Call the family after a second absence in a month", -80, True),
            ("Morning greeting and a class job for every child", -70, True),
            ("Monthly attendance celebration with the families", 14, False),
        ],
        "evidence": ["Family contact log, shared drive", "Monthly attendance charts"],
    },
    {
        "team": "Grade 1",
        "plan": "low confidence",
        "start": -90,
        "deadline": 100,
        "title": "Grade 1 phonics: 48% → 80% decoding CVC words by March",
        "specific": {
            "what": "Decoding consonant-vowel-consonant words accurately and quickly",
            "for_whom": "All Grade 1 students; 31 were not yet decoding in September",
        },
        "measurable": {
            "metric": "Students decoding 40 of 50 CVC words on the phonics screener",
            "baseline": 48,
            "target": 80,
            "unit": "%",
            "data_source": "Phonics screener, every six weeks",
        },
        "ambitious": {
            "why_stretch": "Last year's cohort reached 68% by March",
            "data": "September screener: 48% decoding, 22% not yet blending sounds",
        },
        "reflective": {
            "how": "Compare screener results by classroom and share what works",
            "when": "After each screener window",
        },
        "actions": [
            ("Daily 15-minute systematic phonics lesson", -80, True),
            ("Decodable readers sent home every Friday", -60, True),
            ("Intervention group for students not yet blending", 10, False),
        ],
        "evidence": ["Phonics screener results, fall and winter"],
    },
    {
        "team": "Grade 2",
        "plan": "stale",
        "start": -110,
        "deadline": 150,
        "owners": ["dreyes"],
        "title": "Grade 2 reading fluency: 55% → 75% at benchmark words per minute",
        "specific": {
            "what": "Oral reading fluency with accuracy and expression",
            "for_whom": "All Grade 2 students, with the 18 below benchmark in intervention",
        },
        "measurable": {
            "metric": "Students at or above benchmark words correct per minute",
            "baseline": 55,
            "target": 75,
            "unit": "%",
            "data_source": "Oral reading fluency probes (fall, winter, spring)",
        },
        "ambitious": {
            "why_stretch": "A 20-point gain in one year would be our largest ever",
            "data": "Fall probes: 55% at benchmark, 20% well below",
        },
        "reflective": {
            "how": "Listen to recordings of student reading together and adjust practice",
            "when": "Every other Tuesday PLC",
        },
        "actions": [
            ("Repeated reading with partners, four days a week", -95, True),
            ("Record each student reading once a month", -40, False),
        ],
        "evidence": ["Fluency probe spreadsheet"],
    },
    {
        "team": "Grade 3",
        "plan": "on track",
        "start": -80,
        "deadline": 170,
        "checkpoint_soon": 5,
        "owners": ["tnguyen"],
        "title": "Grade 3 reading proficiency: 62% → 80% at benchmark by May",
        "specific": {
            "what": "Reading comprehension at grade level, through daily guided reading",
            "for_whom": "All Grade 3 students, with a focus on the 14 below benchmark",
        },
        "measurable": {
            "metric": "Students at or above benchmark",
            "baseline": 62,
            "target": 80,
            "unit": "%",
            "data_source": "Universal reading screener (fall, winter and spring benchmarks)",
        },
        "ambitious": {
            "why_stretch": "Our best year so far was 71%",
            "data": "Fall benchmark: 62% at benchmark, 21% well below",
        },
        "reflective": {
            "how": "Bring running records to PLC, compare groups and adjust instruction",
            "when": "Every other PLC meeting, and a full review at each checkpoint",
        },
        "actions": [
            ("Group students by screener results and running records", -70, True),
            ("Daily 20-minute guided reading in every classroom", -60, True),
            ("Re-assess students below benchmark every three weeks", 6, False),
        ],
        "evidence": ["Running records binder, shared drive", "Fall screener report"],
    },
    {
        "team": "Grade 3",
        "plan": "proposed",
        "start": 3,
        "deadline": 120,
        "title": "Multiplication fact fluency: 45% → 75% fluent by March",
        "specific": {
            "what": "Fluency with multiplication facts to 10 x 10",
            "for_whom": "All Grade 3 students, with extra practice for those not yet fluent",
        },
        "measurable": {
            "metric": "Students fluent (90% correct, within 3 seconds a fact)",
            "baseline": 45,
            "target": 75,
            "unit": "%",
            "data_source": "Monthly timed fact check, same form in every class",
        },
        "ambitious": {
            "why_stretch": "Fluency usually comes in Grade 4; we want it a year earlier",
            "data": "November fact check: 45% fluent, 20% below half the facts",
        },
        "reflective": {
            "how": "Chart each class's fact-check results and share what worked",
            "when": "After each monthly fact check",
        },
        "actions": [
            ("Ten minutes of fact games every day", 10, False),
            ("Same fact check in every class each month", 30, False),
        ],
        "objection": (
            "Three seconds a fact is too fast for our newcomers; could we start at five "
            "seconds and tighten it in March?"
        ),
    },
    {
        "team": "Grade 4",
        "plan": "met",
        "start": -160,
        "deadline": 20,
        "title": "Grade 4 fractions: 40% → 70% proficient on the unit assessment",
        "specific": {
            "what": "Comparing and adding fractions, explained with models",
            "for_whom": "All Grade 4 students",
        },
        "measurable": {
            "metric": "Students proficient on the common fractions assessment",
            "baseline": 40,
            "target": 70,
            "unit": "%",
            "data_source": "Common fractions unit assessment and two quick checks",
        },
        "ambitious": {
            "why_stretch": "Fractions have been our lowest strand three years running",
            "data": "Pre-assessment: 40% proficient; most errors in comparing fractions",
        },
        "reflective": {
            "how": "Score the quick checks together and plan reteach groups",
            "when": "After each quick check",
        },
        "actions": [
            ("Fraction strips and number lines in every lesson", -150, True),
            ("Two common quick checks before the unit test", -60, True),
        ],
        "evidence": ["Unit assessment results", "Photos of student fraction models"],
    },
    {
        "team": "Grade 5",
        "plan": "off track",
        "start": -150,
        "deadline": 60,
        "title": "Common exit tickets every week in Grade 5: 40% → 90% of weeks",
        "specific": {
            "what": "Give the common exit ticket each week and regroup students on it",
            "for_whom": "Every Grade 5 classroom, so every student gets help the next day",
        },
        "measurable": {
            "metric": "Weeks in which every teacher gave the exit ticket and regrouped",
            "baseline": 40,
            "target": 90,
            "unit": "%",
            "data_source": "The team's exit-ticket tracker",
        },
        "ambitious": {
            "why_stretch": "We have never kept a common assessment going all term",
            "data": "Last term: exit tickets in 40% of weeks; reteach groups rarely formed",
        },
        "reflective": {
            "how": "Sort exit tickets together and plan the reteach",
            "when": "Every PLC meeting, first 15 minutes",
        },
        "actions": [
            ("Write the exit tickets for the next unit together", -140, True),
            ("Agree on what counts as 'got it', 'almost' and 'not yet'", -120, False),
        ],
        "evidence": ["Exit-ticket tracker"],
    },
    {
        "team": "Student Support",
        "plan": "on track",
        "start": -60,
        "deadline": 150,
        "title": "English learners' vocabulary: 30% → 60% gaining a level by June",
        "specific": {
            "what": "Academic vocabulary in reading and speaking",
            "for_whom": "The 46 English learners we support across Grades 1-5",
        },
        "measurable": {
            "metric": "English learners gaining a level on the vocabulary check",
            "baseline": 30,
            "target": 60,
            "unit": "%",
            "data_source": "Vocabulary check aligned to the language proficiency levels",
        },
        "ambitious": {
            "why_stretch": "Twice last year's growth",
            "data": "Spring check: 30% gained a level; newcomers gained the most",
        },
        "reflective": {
            "how": "Review student talk recordings with the classroom teachers",
            "when": "Monthly, with each grade team",
        },
        "actions": [("Word walls and sentence frames in every classroom", -50, True)],
        "evidence": ["Vocabulary check results"],
    },
    {
        "team": "Leadership",
        "plan": "behind",
        "start": -120,
        "deadline": 100,
        "title": "Every PLC meeting uses a protocol: 50% → 90% of meetings",
        "specific": {
            "what": "PLC meetings that follow an agreed protocol and end with next steps",
            "for_whom": "Every grade-level and support team",
        },
        "measurable": {
            "metric": "Team meetings that used a protocol (from meeting notes)",
            "baseline": 50,
            "target": 90,
            "unit": "%",
            "data_source": "Meeting notes and the coaches' visit log",
        },
        "ambitious": {
            "why_stretch": "Teams are new to protocols; half have never used one",
            "data": "September: 50% of meetings used a protocol; needs survey asked for them",
        },
        "reflective": {
            "how": "Visit a team meeting each week and share what we saw",
            "when": "Every leadership meeting",
        },
        "actions": [
            ("Protocol cards printed for every team", -100, True),
            ("Coach joins one meeting per team each month", 20, False),
        ],
        "evidence": ["Coaches' visit log"],
    },
]


def _match(teams: list[Team], key: str) -> list[Team]:
    key = key.casefold()
    return [t for t in teams if key in t.name.casefold()]


def _path(
    rng: random.Random,
    start: date,
    today: date,
    final: float,
    last_ago: int,
) -> list[tuple[date, float]]:
    """Check-in dates every ~3 weeks up to ``today - last_ago``, progress rising to ``final``."""
    last = today - timedelta(days=last_ago)
    dates = [last]
    while (dates[-1] - start).days > 30:
        dates.append(dates[-1] - timedelta(days=rng.randint(18, 24)))
    dates.reverse()
    span = max(1, (last - start).days)
    points = []
    for n, day in enumerate(dates):
        share = (day - start).days / span
        noise = 0 if n == len(dates) - 1 else rng.uniform(-0.04, 0.04)
        points.append((day, max(0.0, final * share + noise)))
    return points


def _value(baseline: float, target: float, fraction: float) -> int:
    value = round(baseline + fraction * (target - baseline))
    return max(0, min(100, value))


def _owners(spec: dict[str, Any], team_members: list[Member], rng: random.Random) -> list[str]:
    owners = [o for o in spec.get("owners", []) if any(m.login == o for m in team_members)]
    others = [m.login for m in team_members if m.login not in owners]
    rng.shuffle(others)
    return owners + others[: max(0, 2 - len(owners))]


def _make(
    ctx: Context,
    tables: Any,
    spec: dict[str, Any],
    team: Team,
    team_members: list[Member],
    rng: random.Random,
    today: date,
) -> int:
    plan = spec["plan"]
    start = today + timedelta(days=spec["start"])
    deadline = today + timedelta(days=spec["deadline"])
    third = (deadline - start) / 3
    checkpoints = [start + third, start + 2 * third]
    if spec.get("checkpoint_soon") is not None:
        checkpoints[0] = today + timedelta(days=spec["checkpoint_soon"])
    owners = _owners(spec, team_members, rng)
    actions = [
        {
            "text": text,
            "owner": owners[n % len(owners)] if owners else None,
            "due": (today + timedelta(days=due)).isoformat(),
            "done": done,
        }
        for n, (text, due, done) in enumerate(spec["actions"])
    ]
    raw = {
        "team": team.id,
        "title": spec["title"],
        "specific": spec["specific"],
        "measurable": spec["measurable"],
        "ambitious": spec["ambitious"],
        "reflective": spec["reflective"],
        "timely": {
            "start": start.isoformat(),
            "deadline": deadline.isoformat(),
            "checkpoints": [d.isoformat() for d in sorted(checkpoints)],
        },
        "owners": owners,
        "actions": actions,
        "evidence": [{"text": e} for e in spec.get("evidence", [])],
    }
    goal = parse_goal(raw, ctx.community.teams(), ctx.community.members())
    author = owners[0] if owners else (ctx.member.login if ctx.member else "admin")
    gid = store.create_goal(tables, goal, author=author)
    logins = sorted(m.login for m in team_members)
    voted = (start - timedelta(days=10)).isoformat()

    if plan == "proposed":
        # Everyone but the demo teacher and coach has voted; one has an objection.
        voters = [login for login in logins if login not in ("tnguyen", "dreyes")]
        votes: dict[str, Any] = {
            login: {"vote": "agree", "reason": "", "date": today.isoformat()} for login in voters
        }
        if voters:
            objector = rng.choice(voters)
            votes[objector] = {
                "vote": "object",
                "reason": spec["objection"],
                "date": today.isoformat(),
            }
        store.update_goal(tables, gid, {"votes": votes})
        return gid

    votes = {login: {"vote": "agree", "reason": "", "date": voted} for login in logins}
    store.update_goal(tables, gid, {"votes": votes, "state": "agreed", "agreed_on": voted})
    due = expected(start, deadline, today) or 0.0
    final, last_ago = {
        "on track": (min(0.95, due + 0.08), rng.randint(2, 9)),
        "low confidence": (due - 0.02, rng.randint(3, 8)),
        "behind": (max(0.0, due - 0.17), rng.randint(3, 8)),
        "stale": (due - 0.02, 34),
        "off track": (max(0.0, due - 0.4), rng.randint(4, 10)),
        "met": (1.08, 6),
    }[plan]
    m = goal["measurable"]
    points = _path(rng, start, today, final, last_ago)
    for n, (day, fraction) in enumerate(points):
        last = n == len(points) - 1
        if plan == "low confidence" and last:
            confidence = 2
        elif plan == "off track":
            confidence = 3 if n < len(points) - 2 else 2
        else:
            confidence = rng.choice([3, 4, 4, 5]) if plan != "met" else 4 + last
        store.add_checkin(
            tables,
            gid,
            {
                "date": day.isoformat(),
                "value": _value(m["baseline"], m["target"], fraction),
                "confidence": confidence,
                "note": rng.choice(NOTES) if rng.random() < 0.7 else "",
                "by": rng.choice(owners) if owners else author,
                "recorded": store.now(),
            },
        )
    latest = store.latest_of(store.checkins(tables, gid))
    saved = store.update_goal(tables, gid, {"latest": latest})
    current = goal_status(saved, today)
    fields: dict[str, Any] = {"status": current.status}
    if current.status == "met":
        fields["met_on"] = latest["date"] if latest else today.isoformat()
    store.update_goal(tables, gid, fields)
    return gid


def populate(ctx: Context, size: str, rng: random.Random, today: date) -> None:
    if size == "district":
        from .district_demo import populate_district

        populate_district(ctx, rng, today)
        return
    teams = ctx.community.teams()
    members = ctx.community.members()
    by_team = {t.id: [m for m in members if m.in_team(t.id)] for t in teams}
    with ctx.transaction() as tables:
        for spec in GOALS:
            for team in _match(teams, spec["team"])[:1]:
                _make(ctx, tables, spec, team, by_team[team.id], rng, today)
        # The demo teacher always has a proposal to agree on in their own team.
        teacher = next((m for m in members if m.login == "tnguyen"), None)
        if teacher is not None and teacher.teams:
            home = teacher.teams[0]
            waiting = [
                g
                for g in store.list_goals(tables)
                if g["team"] == home and g["state"] == "proposed"
            ]
            if not waiting:
                spec = next(s for s in GOALS if s["plan"] == "proposed")
                team = next(t for t in teams if t.id == home)
                _make(ctx, tables, spec, team, by_team[home], rng, today)

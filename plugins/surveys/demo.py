"""The surveys in ``plc demo``: realistic waves, answers and drafts.

Answers are drawn with per-question leanings (teams feel short of time, trust
is fairly high) so the charts look like a real school's, not uniform noise.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from plc_tui.api import Context, Member

from . import scales, store
from .definition import is_shown, parse_definition
from .question_types import OTHER, option_codes
from .templates import MEETING_PULSE, NEEDS, NORMS_CHECK, SCHOOL_CLIMATE, SELF_ASSESSMENT

# Mean leaning (1..5) for Likert questions by id; others default to 3.6.
LEANINGS = {
    "time_collab": 2.4,
    "resources": 3.1,
    "leader_time": 3.4,
    "leader_listen": 2.9,
    "collab_trouble": 3.9,
    "norms": 4.1,
    "collective": 3.2,
    "protocols": 2.7,
    "storytelling": 2.5,
    "impact": 3.0,
    "trust": 4.0,
    # School climate: teams collaborate more than leaders support them.
    "work": 3.6,
    "plan": 3.9,
    "data": 3.1,
    "observe": 1.9,
    "alone": 2.6,
    "time": 2.5,
    "act": 2.9,
    "share": 2.8,
    "visit": 2.2,
    "clear": 3.8,
    "respond": 3.3,
    "extend": 2.7,
    "blame": 2.4,
    "valued": 2.9,
    "stay": 3.1,
    "on_time": 3.3,
    "listen": 3.8,
}

SUPPORT_ANSWERS = [
    "Protected planning time that does not get taken for cover.",
    "A shared place for our assessment data so we stop rebuilding spreadsheets.",
    "Coaching on running data conversations without it feeling like evaluation.",
    "Release time to observe each other's lessons.",
    "Clearer decisions about which initiatives we can stop doing.",
    "Help with differentiation for the three newcomers in my class.",
    "More time to look at student work together, not just scores.",
    "Leaders joining our meetings now and then, to hear what we are seeing.",
    "Resources for small-group reading that match our new curriculum.",
    "Honestly, fewer meetings that could have been an email.",
]
COACH_NOTES = [
    "We have started using exit tickets and want help grouping students from them.",
    "Our team is new this year; norms and protocols would help most.",
    "We would like someone to facilitate a data meeting so we can all take part.",
]
KEEP = [
    "Starting with a student success story",
    "The timer on each agenda item",
    "Looking at real student work",
    "Leaving with one clear next step",
]
CHANGE = [
    "Less time on announcements",
    "Send the data before the meeting",
    "Rotate the facilitator",
    "Finish on time",
]
ROLES_OTHER = ["Librarian", "Counsellor", "Instructional coach", "Music teacher"]
IMPROVE = [
    "A shared planning block that is never used for cover.",
    "Leaders asking what we need before deciding for us.",
    "Looking at student work every meeting, not only at data days.",
    "Time to watch each other teach.",
]
WHY = [
    "We say we share responsibility, but we still talk about 'my kids' and 'your kids'.",
    "We rarely close the loop on whether a strategy actually worked.",
    "Protocols would keep us from drifting into logistics.",
]


def _likert(rng: random.Random, lean: float, points: int = 5) -> int:
    # Leanings are on a 1..5 scale; other scales are stretched to match.
    scaled = 1 + (lean - 1) * (points - 1) / 4
    return max(1, min(points, round(rng.gauss(scaled, 0.9 * points / 5))))


def _answer(
    rng: random.Random, question: dict[str, Any], mood: float, texts: dict[str, list[str]] | None
) -> Any:
    kind = question["type"]
    if kind == "likert":
        return _likert(rng, LEANINGS.get(question["id"], 3.6) + mood, scales.points(question))
    if kind == "grid":
        grid: dict[str, Any] = {}
        for row in question["rows"]:
            if question.get("not_applicable") and rng.random() < 0.04:
                grid[row["id"]] = scales.NA
            else:
                lean = LEANINGS.get(row["id"], 3.3) + mood
                grid[row["id"]] = _likert(rng, lean, scales.points(question))
        return grid
    if kind == "rating":
        low, high = question["min"], question["max"]
        mid = low + (high - low) * (0.62 + mood / 8)
        return max(low, min(high, round(rng.gauss(mid, (high - low) / 6))))
    if kind == "number":
        return max(0, round(rng.gauss(4, 1.5)))
    if kind == "single":
        if question.get("other") and rng.random() < 0.08:
            return OTHER
        codes = option_codes(question)
        weights = [len(codes) - i for i in range(len(codes))]
        return rng.choices(codes, weights=weights)[0]
    if kind == "multi":
        k = rng.randint(max(1, question.get("min_select", 1)), question.get("max_select", 3))
        weights = [1 + (i % 3 == 0) * 2 for i in range(len(question["options"]))]
        chosen: list[str] = []
        while len(chosen) < k:
            pick = rng.choices(question["options"], weights=weights)[0]
            if pick not in chosen:
                chosen.append(pick)
        return chosen
    if kind == "ranking":
        options = list(question["options"])
        rng.shuffle(options)
        if "More planning time" in options and rng.random() < 0.6:
            options.remove("More planning time")
            options.insert(0, "More planning time")
        return options
    if kind == "yes_no":
        return rng.random() < 0.4
    if kind == "long_text":
        pool = {"coach_notes": COACH_NOTES, "why": WHY, "improve": IMPROVE}.get(
            question["id"], SUPPORT_ANSWERS
        )
        if texts is not None:
            pool = texts.get(question["id"], pool)
        return rng.choice(pool) if rng.random() < 0.55 else None
    if kind == "short_text":
        pool = KEEP if question["id"] == "keep" else CHANGE
        if texts is not None:
            pool = texts.get(question["id"], pool)
        return rng.choice(pool) if rng.random() < 0.6 else None
    return None


def _answers(
    rng: random.Random,
    definition: dict[str, Any],
    mood: float,
    texts: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """One person's answers; ``texts``: pools of free-text answers by question id
    (the district's, longer than the small demo's)."""
    answers: dict[str, Any] = {}
    for question in definition["questions"]:
        # Only questions already answered are in ``answers``: what shows now is
        # what ``shown_questions`` would list.
        if not is_shown(question, answers, definition):
            continue
        value = _answer(rng, question, mood, texts)
        if value is not None:
            answers[question["id"]] = value
        if value == OTHER:
            answers[f"{question['id']}.other"] = rng.choice(ROLES_OTHER)
    return answers


def _fill(
    ctx: Context,
    tables: Any,
    sid: int,
    members: list[Member],
    rng: random.Random,
    share: float,
    today: date,
    mood: float = 0.0,
    skip: set[str] = frozenset(),  # type: ignore[assignment]
) -> None:
    survey = store.get_survey(tables, sid)
    types = ctx.question_types()
    entries = []
    for member in store.audience_of(survey, members):
        if member.login in skip or rng.random() > share:
            continue
        entries.append((member, _answers(rng, survey, mood + rng.gauss(0, 0.3))))
    store.submit_many(tables, survey, entries, types, today)


def populate(ctx: Context, size: str, rng: random.Random, today: date) -> None:
    if size == "district":
        from .district_demo import populate_district

        populate_district(ctx, rng, today)
        return
    members = ctx.community.members()
    teams = ctx.community.teams()
    types = ctx.question_types()
    admin = ctx.member.login if ctx.member else "admin"
    # The demo's teacher and coach have things to do when they first look.
    waiting = {"tnguyen", "dreyes", admin}

    def make(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
        return parse_definition({**body, **changes}, types, teams)

    with ctx.transaction() as tables:
        # A self-assessment in two waves: the first closed last term, the second open.
        wave1 = store.create_survey(
            tables,
            make(
                SELF_ASSESSMENT,
                opens=(today - timedelta(days=120)).isoformat(),
                closes=(today - timedelta(days=100)).isoformat(),
            ),
            author=admin,
        )
        tables.table("surveys").update({"status": "open"}, doc_ids=[wave1])
        past = today - timedelta(days=110)
        _fill(ctx, tables, wave1, members, rng, 0.85, past, mood=-0.35)
        tables.table("surveys").update({"status": "closed", "published": True}, doc_ids=[wave1])

        wave2 = store.repeat_survey(tables, wave1, author=admin)
        tables.table("surveys").update(
            {
                "status": "open",
                "opens": (today - timedelta(days=6)).isoformat(),
                "closes": (today + timedelta(days=8)).isoformat(),
            },
            doc_ids=[wave2],
        )
        _fill(ctx, tables, wave2, members, rng, 0.6, today, mood=0.15, skip=waiting)

        needs = store.create_survey(
            tables,
            make(
                NEEDS,
                title="Autumn PLC needs survey",
                opens=(today - timedelta(days=3)).isoformat(),
                closes=(today + timedelta(days=11)).isoformat(),
            ),
            author=admin,
        )
        tables.table("surveys").update({"status": "open"}, doc_ids=[needs])
        _fill(ctx, tables, needs, members, rng, 0.7, today, skip=waiting)

        grade3 = next((t for t in teams if t.name.startswith("Grade 3")), teams[0])
        pulse = store.create_survey(
            tables,
            make(
                MEETING_PULSE,
                title=f"{grade3.name} meeting pulse",
                anonymous=False,
                threshold=3,
                audience={"teams": [grade3.name]},
                closes=(today + timedelta(days=2)).isoformat(),
            ),
            author=admin,
        )
        tables.table("surveys").update(
            {"status": "open", "opens": today.isoformat()}, doc_ids=[pulse]
        )
        _fill(ctx, tables, pulse, members, rng, 0.9, today, skip=waiting)

        # A started draft for the demo teacher, to resume in the app.
        teacher = next((m for m in members if m.login == "tnguyen"), None)
        if teacher is not None:
            survey = store.get_survey(tables, needs)
            store.save_draft(
                tables,
                survey,
                teacher,
                {"time_collab": 2, "time_hours": 3},
                types,
                today,
                ctx.private_for(teacher.login),
            )

        # A school climate survey: grids, section scores, a 4-point scale, "other".
        climate = store.create_survey(
            tables,
            make(
                SCHOOL_CLIMATE,
                opens=(today - timedelta(days=5)).isoformat(),
                closes=(today + timedelta(days=9)).isoformat(),
            ),
            author=admin,
        )
        tables.table("surveys").update({"status": "open"}, doc_ids=[climate])
        _fill(ctx, tables, climate, members, rng, 0.75, today, skip=waiting)

        store.create_survey(tables, make(NORMS_CHECK), author=admin)

"""The reflections in ``plc demo``: months of 5-15 reports by the demo's leaders.

The admin (the person running the demo) has written a 5-15 report every two
weeks since the start of the year and shares them all with the coach
``dreyes``, who answered several; her latest comment is unread and the next
report is due. ``dreyes`` keeps her own reports private, plus a learning-cycle
reflection and a journal entry. A few other coaches shared a report or two with
her, one still waiting for her reply. Every reflection is sealed to its readers
as the app would seal it (each demo member has a key in the demo's folder).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from plc_tui.api import Context

COACH = "dreyes"

ACHIEVEMENT = [
    (
        "I learnt that I talk first in data meetings; when I waited, two teachers named the "
        "pattern themselves."
    ),
    "Our norms check showed we keep time badly. I saw that I let the agenda drift when I am tired.",
    "Naming the protocol at the start of the meeting made people trust the process more than me.",
    (
        "I noticed I give more feedback to the teams I like working with. The quieter teams need "
        "it most."
    ),
    "Sharing my own class's weak results first made it safe for others to share theirs.",
    (
        "I learnt that 'collective responsibility' means nothing until a team plans for one real "
        "pupil."
    ),
    "A hard conversation went better when I asked what the teacher saw before saying what I saw.",
    "Celebrating one small win at the start changed the energy of the whole meeting.",
]
PLANS = [
    "Learn to facilitate the tuning protocol without stepping in.",
    "Ask one open question before offering any advice.",
    "Visit each team's meeting once this half term, to listen only.",
    "Practise giving feedback within 48 hours, specific and kind.",
    "Learn how other schools run learning walks that teachers ask for.",
    "Hand the timekeeper and note-taker roles to team members.",
    "Read up on psychological safety and try one idea at the next meeting.",
    "Plan the next goal review with the team, not for it.",
]
CHALLENGES = [
    "Time: meetings are 40 minutes and start late most weeks.",
    "Two teams still see the PLC as a compliance exercise.",
    "My own teaching load leaves little time to prepare protocols.",
    "Assessment data arrives late, so we discuss old numbers.",
    "I avoid conflict; some disagreements stay unspoken.",
    "Cover for classroom visits keeps falling through.",
]
OPPORTUNITIES = [
    "The Grade 2 team's reading routines could work in Grade 3.",
    "Parents asked how they can help with fluency at home.",
    "The district offers protocol training in the spring.",
    "New staff want a mentor; pairing them could grow leaders.",
    "Student voice: pupils could tell us which strategies help.",
    "",
]
COMMENTS = [
    "What did you do differently the week it worked? That is worth repeating.",
    "Try naming the pattern and then staying silent for ten seconds. It feels long; it works.",
    "I can cover your class on Thursday so you can visit Grade 2's meeting.",
    "Which of these plans matters most for the next two weeks? Pick one.",
    "You noticed this yourself, which is the hard part. How can I help?",
]
CYCLE = {
    "ideal_self": "A coach teams ask for, who helps them find their own answers and never rescues.",
    "true_self": (
        "I rescue. When a meeting stalls I offer a solution, and the team waits for me next time."
    ),
    "learning_agenda": (
        "Learn coaching questions; practise wait time; ask a colleague to observe me."
    ),
    "new_ways": "One question, then silence. Keep a tally of how often I give the answer.",
}
JOURNAL = (
    "Long day. The Grade 4 meeting went over by twenty minutes and no one wrote down actions. "
    "Next time I will ask the note-taker to read them back before we leave."
)


def _report(rng: random.Random) -> dict[str, str]:
    parts = {
        "achievement": " ".join(rng.sample(ACHIEVEMENT, 2)),
        "plans": " ".join(rng.sample(PLANS, 2)),
        "challenges": rng.choice(CHALLENGES),
        "opportunities": rng.choice(OPPORTUNITIES),
    }
    return {k: v for k, v in parts.items() if v}


def _doc(
    ctx: Context, author: str, template: str, day: date, parts: dict[str, str], readers: list[str]
) -> dict[str, Any]:
    stamp = datetime.combine(day, datetime.min.time(), UTC).replace(hour=16).isoformat()
    return {
        "author": author,
        "template": template,
        "date": day.isoformat(),
        "created": stamp,
        "updated": stamp,
        "revision": 1,
        "envelope": ctx.sealing_for(author).seal({"parts": parts}, sorted({author, *readers})),
    }


def populate(ctx: Context, size: str, rng: random.Random, today: date) -> None:
    if size == "district":
        from .district_demo import populate_district

        populate_district(ctx, rng, today)
        return
    members = ctx.community.members()
    logins = {m.login for m in members}
    admin = ctx.member.login if ctx.member else None
    if admin is None or COACH not in logins:
        return
    others = [m.login for m in members if m.role == "coach" and m.login != COACH][:4]
    for login in {admin, COACH, *others}:
        ctx.sealing_for(login).ensure_key()
    with ctx.transaction() as tables:
        seen = admin_and_coach(ctx, tables, rng, today, admin)
        # Other coaches: a few reports, the latest shared with the demo coach.
        for login in others:
            for n in range(rng.randint(2, 4)):
                day = today - timedelta(days=5 + 14 * n + rng.randint(0, 3))
                readers = [COACH] if n == 0 else []
                tables.table("reflections").insert(
                    _doc(ctx, login, "5-15", day, _report(rng), readers)
                )
    ctx.private_for(admin).put("seen", seen)


def admin_and_coach(
    ctx: Context, tables: Any, rng: random.Random, today: date, admin: str
) -> dict[str, int]:
    """The admin's reports shared with the demo coach, and hers; returns which of
    the admin's comments they have read (``seen``)."""
    coach = ctx.sealing_for(COACH)
    seen: dict[str, int] = {}
    table = tables.table("reflections")
    tables.table("shares").insert({"author": admin, "template": "5-15", "coach": COACH})
    # The admin's reports, every two weeks; the latest 16 days ago, so one is due.
    days = [today - timedelta(days=16 + 14 * n) for n in range(10)]
    for n, day in enumerate(sorted(days)):
        doc = _doc(ctx, admin, "5-15", day, _report(rng), [COACH])
        if n % 3 == 1 or n == len(days) - 1:
            comment = {
                "text": rng.choice(COMMENTS),
                "date": (day + timedelta(days=2)).isoformat(),
            }
            doc["envelope"] = coach.add_item(doc["envelope"], comment)
        rid = table.insert(doc)
        items = len(doc["envelope"].get("items", []))
        # Read every comment but the newest.
        seen[str(rid)] = items - (1 if n == len(days) - 1 else 0)
    # The coach's own, private: reports, a learning cycle, a journal entry.
    for n in range(8):
        day = today - timedelta(days=9 + 14 * n)
        table.insert(_doc(ctx, COACH, "5-15", day, _report(rng), []))
    table.insert(_doc(ctx, COACH, "learning-cycle", today - timedelta(days=60), CYCLE, []))
    table.insert(_doc(ctx, COACH, "journal", today - timedelta(days=4), {"entry": JOURNAL}, []))
    return seen

"""The reflections of the district demo: every coach's journal, this school year and last.

The admin and the demo coach ``dreyes`` have what they have in the small demo
(the admin's reports shared with her, her own private ones). Each of the
district's other coaches writes a 5-15 report most fortnights, some more
faithfully than others, with a learning cycle or two, a few journal entries
and a yearly look at the PLC's essential characteristics. Most share their
5-15 reports with a coach of their school (the first school's with
``dreyes``), who answers some of them; the newest comment on a few is unread.
Every reflection is sealed to its readers as the app would seal it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from plc_tui.api import Context, Member

from . import demo
from .demo import ACHIEVEMENT, CHALLENGES, COMMENTS, CYCLE, OPPORTUNITIES, PLANS

DAY = timedelta(days=1)
FIRST_SCHOOL = "Maple Grove Elementary"

MORE_ACHIEVEMENT = [
    "Teams that chose their own protocol used it; the ones I chose for did not.",
    "I learnt to ask 'what would it take?' instead of explaining why something cannot work.",
    "When I shared the survey results honestly, the staff trusted the next survey more.",
    "I saw that our best meetings start with one piece of student work, not a spreadsheet.",
    "Giving the department heads the agenda made them own the meeting.",
    "I noticed I interrupt when I am anxious about time. The timer helps me more than them.",
    "The new teachers spoke up once I stopped asking for volunteers and asked them by name.",
    "Our data meeting went better when we looked at one class at a time.",
    "I learnt that a late start is usually a sign the meeting is not worth arriving for.",
    "Following up in writing within a day doubled how many next steps got done.",
]
MORE_PLANS = [
    "Co-plan one meeting with each team lead before the end of term.",
    "Learn to run a data dialogue where the team reaches its own conclusions.",
    "Observe another coach facilitate and ask for her notes on me.",
    "Read the staff survey comments with the leadership team, not alone.",
    "Practise saying no to a new initiative, kindly and with reasons.",
    "Keep a log of which teams I visit, so none is left out.",
    "Try the tuning protocol with my own lesson first.",
    "Ask each team what it wants from me, instead of assuming.",
]
MORE_CHALLENGES = [
    "Testing season takes every PLC meeting from March to May.",
    "Half my teams meet at the same time, so I can only visit one.",
    "Substitute shortages cancel the release days we planned around.",
    "Some teachers hear 'PLC' as 'extra meeting'.",
    "I am still learning the high school's schedule and culture.",
    "Too many initiatives at once: teams cannot tell what matters most.",
]
MORE_OPPORTUNITIES = [
    "The middle school's advisory lessons could help our Grade 5 transition.",
    "Two teams want to try lesson study in the spring.",
    "The climate survey shows teams want to observe each other; let's fund cover.",
    "A retired principal offered to mentor new team leads.",
    "Families asked for a reading night; the Grade 2 team volunteered.",
    "",
]
MORE_COMMENTS = [
    "This is a real shift from September. What made the difference?",
    "Let's talk about this at Thursday's check-in; I have an idea.",
    "I saw the same thing in the science department. Want to compare notes?",
    "Pick the smallest next step you can take this week.",
    "That sounds hard. What support would make it easier?",
    "Your teams are lucky to have someone who notices this.",
]
REPLIES = [
    "Thank you, that helps. I'll try it on Tuesday.",
    "Yes, let's. I'll bring the notes from the last two meetings.",
    "Good question; I think it was the agenda going out the day before.",
]
JOURNALS = [
    "Hard conversation today about grading. We did not agree, but we listened.",
    "The Grade 1 team celebrated their phonics results; three teachers cried. Good day.",
    "Visited four meetings this week. Two used the protocol without me. Progress.",
    "A teacher told me the PLC is the first time she has felt part of a team here.",
    "Budget meeting ate the afternoon; I missed two team meetings I had promised to attend.",
    "The department argued about common assessments for an hour. The real issue is trust.",
    "Tried staying silent for a full minute after a question. Someone finally answered.",
    "Snow day. Used it to read every comment from the needs survey. Time is still the theme.",
]
CYCLES = [
    CYCLE,
    {
        "ideal_self": "A leader who makes time for learning and protects it for others.",
        "true_self": "I protect everyone's time but mine; my visits to teams are the first to go.",
        "learning_agenda": "Plan my week around team meetings first; delegate the timetable.",
        "new_ways": "Two team visits a week in the calendar, treated like a class.",
    },
    {
        "ideal_self": "Someone whose feedback teachers ask for, because it is useful and kind.",
        "true_self": "My feedback is vague and late; teachers nod and change nothing.",
        "learning_agenda": "Learn a feedback model; practise it with two willing teachers.",
        "new_ways": "Feedback within 48 hours, one strength and one next step, in writing.",
    },
]
EVIDENCE = [
    "Every team has norms; most review them at each norms check.",
    "Teams set goals from their own data, but few revisit them monthly.",
    "Protocols are used in about half of the meetings we visited.",
    "Teachers share results openly in some teams, and only in private in others.",
    "New staff are welcomed into teams, though not always into decisions.",
    "",
]


def _report(rng: random.Random) -> dict[str, str]:
    parts = {
        "achievement": " ".join(rng.sample(ACHIEVEMENT + MORE_ACHIEVEMENT, 2)),
        "plans": " ".join(rng.sample(PLANS + MORE_PLANS, 2)),
        "challenges": rng.choice(CHALLENGES + MORE_CHALLENGES),
        "opportunities": rng.choice(OPPORTUNITIES + MORE_OPPORTUNITIES),
    }
    return {k: v for k, v in parts.items() if v}


def _school(member: Member, schools: dict[str, str]) -> str:
    return schools.get(member.teams[0], "") if member.teams else ""


def populate_district(ctx: Context, rng: random.Random, today: date) -> None:
    members = ctx.community.members()
    admin = ctx.member.login if ctx.member else None
    coach = demo.COACH
    if admin is None or all(m.login != coach for m in members):
        return
    teams = ctx.community.teams()
    schools = {t.id: next((s for s in _schools(teams) if t.name.startswith(s)), "") for t in teams}
    leaders = [m for m in members if m.role == "coach" and m.login != coach]
    start = date(today.year if (today.month, today.day) >= (8, 20) else today.year - 1, 8, 25)
    since = start.replace(year=start.year - 1) + 14 * DAY
    seen: dict[str, dict[str, int]] = {}
    with ctx.transaction() as tables:
        for login in (admin, coach, *(m.login for m in leaders)):
            ctx.sealing_for(login).ensure_key()
        # First what the small demo has: the admin's reports to the demo coach, hers.
        seen[admin] = demo.admin_and_coach(ctx, tables, rng, today, admin)
        # Who each coach shares with: a coach of their own school, the demo coach
        # for the first school.
        readers: dict[str, str | None] = {}
        for member in leaders:
            school = _school(member, schools)
            peers = [x.login for x in leaders if _school(x, schools) == school and x != member]
            if school == FIRST_SCHOOL or not peers:
                readers[member.login] = coach
            else:
                readers[member.login] = rng.choice(peers) if rng.random() < 0.8 else None
        for author, reader in readers.items():
            if reader is not None:
                tables.table("shares").insert(
                    {"author": author, "template": "5-15", "coach": reader}
                )
        docs: list[dict[str, Any]] = []
        for member in leaders:
            login = member.login
            reader = readers[login]
            faithful = rng.uniform(0.35, 0.95)
            day = since + rng.randint(0, 13) * DAY
            while day < today - 2 * DAY:
                if _in_term(day) and rng.random() < faithful:
                    doc = demo._doc(
                        ctx, login, "5-15", day, _report(rng), [reader] if reader else []
                    )
                    if reader is not None and rng.random() < 0.3:
                        comment = {
                            "text": rng.choice(COMMENTS + MORE_COMMENTS),
                            "date": (day + rng.randint(1, 4) * DAY).isoformat(),
                        }
                        doc["envelope"] = ctx.sealing_for(reader).add_item(doc["envelope"], comment)
                        if rng.random() < 0.3:
                            reply = {
                                "text": rng.choice(REPLIES),
                                "date": (day + rng.randint(4, 7) * DAY).isoformat(),
                            }
                            doc["envelope"] = ctx.sealing_for(login).add_item(
                                doc["envelope"], reply
                            )
                    docs.append(doc)
                day += 14 * DAY
            for n in range(rng.choice([0, 1, 1, 2])):
                day = today - rng.randint(20, 400) * DAY
                docs.append(demo._doc(ctx, login, "learning-cycle", day, CYCLES[n], []))
            for _ in range(rng.randint(0, 5)):
                day = today - rng.randint(1, 420) * DAY
                docs.append(
                    demo._doc(ctx, login, "journal", day, {"entry": rng.choice(JOURNALS)}, [])
                )
            if rng.random() < 0.5:
                day = date(start.year, 6, 1) - rng.randint(0, 10) * DAY
                parts = {
                    key: text
                    for key in ("norms", "collective", "protocols", "impact", "trust")
                    if (text := rng.choice(EVIDENCE))
                }
                docs.append(demo._doc(ctx, login, "plc-essentials", day, parts, []))
        docs.sort(key=lambda d: (d["date"], d["author"]))
        ids = tables.table("reflections").insert_multiple(docs)
        # Each author has read every comment, bar the newest on a few reports.
        for rid, doc in zip(ids, docs, strict=True):
            items = doc["envelope"].get("items", [])
            if not items:
                continue
            author = doc["author"]
            count = len(items)
            if items[-1]["by"] != author and rng.random() < 0.2:
                count -= 1
            seen.setdefault(author, {})[str(rid)] = count
    for login, marks in seen.items():
        ctx.private_for(login).put("seen", marks)


def _schools(teams: list[Any]) -> list[str]:
    """The schools, from team names ("Riverside High Math" -> "Riverside High")."""
    out = []
    for team in teams:
        words = team.name.split()
        for n, word in enumerate(words):
            if word in ("Elementary", "Middle", "High"):
                school = " ".join(words[: n + 1])
                if school not in out:
                    out.append(school)
                break
    return out


def _in_term(day: date) -> bool:
    summer = (6, 15) <= (day.month, day.day) < (8, 25)
    winter = (day.month, day.day) >= (12, 20) or (day.month, day.day) < (1, 5)
    return not (summer or winter)

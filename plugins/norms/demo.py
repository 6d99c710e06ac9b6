"""The norms in ``plc demo``: charters built up over the year, one kept alive by checks.

Most teams adopted their norms norm by norm in the first weeks of the year, and
one changed a norm's words later (a second look at confidentiality). They held
a norms check every four weeks; "time" is the norm teams keep least, and it
improves. The demo teacher's team (``tnguyen``) has a proposal with a comment
waiting for their vote and a norms check that is due. One team has no norms yet,
and one member who joined late has yet to agree. Dates are relative to
``today``; ratings are drawn from ``rng``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from plc_tui.api import Context, Member, Team

from .service import Norms, check_weeks

# (text, category, how well teams keep it: a mean on 1..5)
NORMS = [
    ("We start and end our meetings on time.", "time", 2.9),
    ("We listen to understand, not to reply.", "listening", 3.8),
    (
        "What is said in the room stays in the room; what is learned leaves it.",
        "confidentiality",
        4.4,
    ),
    ("We reach decisions by consensus and support them once made.", "decisions", 3.6),
    ("Everyone takes part; we make room for every voice.", "participation", 3.4),
    ("We come prepared, with the student data we agreed to bring.", "expectations", 3.1),
    ("Phones stay face down unless a family needs us.", "Devices", 3.7),
]
CHANGED = "We keep what colleagues share about students and families in the room."
PENDING = ("We end every meeting with who does what by when.", "expectations")
PENDING_COMMENT = "Yes, and could the note-taker read it back in the last five minutes?"
CHECK_COMMENTS = [
    "We ran over twice this month; the timekeeper role would help.",
    "Much better at hearing everyone out.",
    "Data came late again for the second meeting.",
    "The protocol kept us on track.",
    "",
    "",
    "",
]


def _team_norms(rng: random.Random) -> list[tuple[str, str, float]]:
    """Five or six of the usual norms, in a team's own order."""
    chosen = NORMS[:6] if rng.random() < 0.6 else [*NORMS[:5], NORMS[6]]
    return chosen if rng.random() < 0.5 else chosen[:5]


def _charter(
    rng: random.Random,
    team: Team,
    logins: list[str],
    start: date,
    changed: bool,
    late: str | None,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[tuple[int, float]]]:
    """The team's charter, its adopted proposals and each norm's leaning."""
    norms: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    proposals: list[dict[str, Any]] = []
    leaning: list[tuple[int, float]] = []
    day = start
    for number, (text, category, lean) in enumerate(_team_norms(rng), 1):
        day += timedelta(days=rng.choice([0, 0, 7]))
        norms.append({"id": number, "text": text, "category": category, "since": day.isoformat()})
        leaning.append((number, lean))
        history.append(
            {
                "version": len(history) + 1,
                "date": day.isoformat(),
                "change": f"added: {text}",
                "norms": [dict(n) for n in norms],
            }
        )
        proposals.append(_adopted(logins, "add", None, text, category, day, rng))
    if changed:
        day = start + timedelta(days=70)
        target = next(n for n in norms if n["category"] == "confidentiality")
        target.update(text=CHANGED, since=day.isoformat())
        history.append(
            {
                "version": len(history) + 1,
                "date": day.isoformat(),
                "change": f"changed: {CHANGED}",
                "norms": [dict(n) for n in norms],
            }
        )
        proposals.append(
            _adopted(logins, "edit", target["id"], CHANGED, "confidentiality", day, rng)
        )
    version = len(history)
    doc = {
        "team": team.id,
        "version": version,
        "norms": norms,
        "share": 1.0,
        "agreed": {login: version for login in logins if login != late},
        "history": history,
        "revision": version,
    }
    return doc, proposals, leaning


def _adopted(
    logins: list[str],
    kind: str,
    norm: int | None,
    text: str,
    category: str,
    day: date,
    rng: random.Random,
) -> dict[str, Any]:
    voted = day.isoformat()
    return {
        "kind": kind,
        "norm": norm,
        "text": text,
        "category": category,
        "votes": {login: {"vote": "agree", "reason": "", "date": voted} for login in logins},
        "comments": [],
        "state": "adopted",
        "decided_on": voted,
        "author": rng.choice(logins),
        "created": f"{(day - timedelta(days=7)).isoformat()}T15:30:00+00:00",
    }


def _sheets(
    rng: random.Random, leaning: list[tuple[int, float]], people: int, lift: float
) -> list[dict[str, Any]]:
    sheets = []
    for _ in range(people):
        mood = rng.gauss(0, 0.4)
        sheet: dict[str, Any] = {
            str(norm): max(1, min(5, round(lean + lift + mood + rng.gauss(0, 0.6))))
            for norm, lean in leaning
        }
        sheet["comment"] = rng.choice(CHECK_COMMENTS)
        sheets.append(sheet)
    return sheets


def populate(ctx: Context, size: str, rng: random.Random, today: date) -> None:
    if size == "district":
        from .district_demo import populate_district

        populate_district(ctx, rng, today)
        return
    teams = ctx.community.teams()
    members = ctx.community.members()
    by_team: dict[str, list[Member]] = {
        t.id: [m for m in members if m.in_team(t.id)] for t in teams
    }
    teacher = next((m for m in members if m.login == "tnguyen"), None)
    home = teacher.teams[0] if teacher and teacher.teams else None
    # One team still to begin, so the empty charter shows too.
    empty = next((t.id for t in teams if "Support" in t.name), None)
    start = today - timedelta(days=100)
    weeks = check_weeks(ctx.settings)
    checked = {t.id for t in teams[:10]} | {home}
    service = Norms(ctx)
    plans = []
    with ctx.transaction() as tables:
        for n, team in enumerate(teams):
            if team.id == empty:
                continue
            logins = sorted(m.login for m in by_team[team.id])
            if len(logins) < 2:
                continue
            late = logins[-1] if n % 4 == 1 and team.id != home else None
            doc, adopted, leaning = _charter(
                rng, team, logins, start + timedelta(days=rng.randint(0, 10)), n % 3 == 0, late
            )
            tables.table("charters").insert(doc)
            for proposal in adopted:
                tables.table("proposals").insert({"team": team.id, **proposal})
            if team.id == home:
                tables.table("proposals").insert({"team": team.id, **_pending(logins, rng, today)})
            if team.id in checked:
                plans.append((team, logins, leaning))
    for team, logins, leaning in plans:
        # The demo teacher's team last met for a check five weeks ago: one is due.
        last = 5 * 7 if team.id == home else rng.randint(1, weeks * 7 - 3)
        for back in range(3, -1, -1):
            held = today - timedelta(days=last + back * weeks * 7)
            if held < start:
                continue
            people = max(2, len(logins) - rng.randint(0, 2))
            service.record_check(team.id, held, _sheets(rng, leaning, people, 0.15 * (3 - back)))


def _pending(logins: list[str], rng: random.Random, today: date) -> dict[str, Any]:
    """A proposal everyone but the demo teacher and coach has agreed to, with a comment."""
    voters = [login for login in logins if login not in ("tnguyen", "dreyes")]
    day = (today - timedelta(days=3)).isoformat()
    commenter = rng.choice(voters) if voters else "tnguyen"
    return {
        "kind": "add",
        "norm": None,
        "text": PENDING[0],
        "category": PENDING[1],
        "votes": {login: {"vote": "agree", "reason": "", "date": day} for login in voters},
        "comments": [{"by": commenter, "text": PENDING_COMMENT, "date": day}],
        "state": "open",
        "author": voters[0] if voters else "tnguyen",
        "created": f"{day}T16:05:00+00:00",
    }

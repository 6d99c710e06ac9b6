"""The norms of the district demo: every team's agreement, in every state a team goes through.

Most teams adopted their charter years ago, norm by norm, and changed a word
or a norm since; big departments moved to an 80% consensus rule. Some teams
have new members who have yet to agree, a change adopted this term that a few
have not agreed to again, or proposals being voted on now (with comments and
an objection); a few teams formed this year are still agreeing on their first
norms. Every team with norms has held a norms check about every four weeks
this school year (the latest five are kept), recorded through the surveys
module's team checks. The
demo teacher's team (``tnguyen``) has a proposal waiting for their vote and a
check that is due, as in the small demo.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from plc_tui.api import Context, Member, Team

from .demo import CHECK_COMMENTS, NORMS, _pending, _sheets
from .service import Norms, check_weeks, rule_words

DAY = timedelta(days=1)
YEARS = 5  # full school years before this one
CHECKS = 5  # a team's norms checks this school year, at most (the latest)
# More norms teams write, beyond the usual six or seven: (text, category, how well kept).
MORE_NORMS = [
    ("We assume good intentions.", "listening", 3.9),
    ("We keep student learning at the centre of every discussion.", "expectations", 3.5),
    ("We disagree with ideas, not with people.", "participation", 3.7),
    ("Roles rotate: facilitator, timekeeper and note-taker change every month.", "time", 3.2),
    ("We bring a possible next step, not only the problem.", "expectations", 3.3),
    ("We celebrate one success at every meeting.", "participation", 4.0),
    ("We follow the protocol we chose for the meeting.", "decisions", 3.0),
]
EDITS = [
    (
        "What is said in the room stays in the room; what is learned leaves it.",
        "We keep what colleagues share about students and families in the room.",
    ),
    (
        "We start and end our meetings on time.",
        "We start on time, end on time, and finish with who does what by when.",
    ),
    (
        "Phones stay face down unless a family needs us.",
        "Laptops and phones stay closed unless we are looking at data together.",
    ),
    (
        "Everyone takes part; we make room for every voice.",
        "Everyone speaks once before anyone speaks twice.",
    ),
]
OPEN_PROPOSALS = [
    ("We send the agenda and the data two days before we meet.", "expectations"),
    ("We end every meeting with who does what by when.", "expectations"),
    ("We visit one colleague's class each term and bring back what we saw.", "expectations"),
    ("We use the team's shared drive, not email attachments.", "Tools"),
    ("We say so in the meeting when we disagree, not in the car park afterwards.", "listening"),
]
COMMENTS = [
    "Yes, and could the note-taker read it back in the last five minutes?",
    "Agreed, as long as the data comes from the office in time.",
    "Could we try it for a month and then check?",
    "Good idea; the new colleagues asked about this.",
    "I like it, but two days is hard in testing weeks.",
    "Can we word it as a commitment, like our other norms?",
]
OBJECTIONS = [
    "Two days ahead is not possible when the assessment window closes on Friday.",
    "We already have too many norms to remember; can this replace one?",
    "I'd rather we fix the timekeeping first.",
]
MORE_CHECK_COMMENTS = [
    "Better this month; the agenda helped.",
    "We spent half the meeting on the field trip.",
    "New colleagues are settling in well.",
    "Too much talk about students' behaviour, not enough about learning.",
    "The timer works; please keep it.",
    "",
    "",
]


def _school_year(day: date) -> int:
    return day.year if (day.month, day.day) >= (8, 20) else day.year - 1


class _District:
    def __init__(self, ctx: Context, tables: Any, rng: random.Random, today: date) -> None:
        self.ctx, self.tables, self.rng, self.today = ctx, tables, rng, today
        self.admin = ctx.member.login if ctx.member else "admin"
        self.this_year = date(_school_year(today), 8, 25)
        self.first_year = date(_school_year(today) - YEARS, 8, 25)

    def adopted(
        self,
        team: Team,
        logins: list[str],
        kind: str,
        norm: int | None,
        text: str,
        category: str,
        day: date,
        share: float = 1.0,
        rule: float | None = None,
    ) -> None:
        """An adopted proposal: the share of the team the rule asks for agreed
        (``rule``: the share a consensus-rule proposal set)."""
        rng = self.rng
        extra = {} if rule is None else {"share": rule}
        voters = logins if share >= 1 else rng.sample(logins, k=max(1, round(len(logins) * 0.9)))
        voted = day.isoformat()
        self.tables.table("proposals").insert(
            {
                **extra,
                "team": team.id,
                "kind": kind,
                "norm": norm,
                "text": text,
                "category": category,
                "votes": {x: {"vote": "agree", "reason": "", "date": voted} for x in voters},
                "comments": [],
                "state": "adopted",
                "decided_on": voted,
                "author": rng.choice(logins),
                "created": f"{(day - rng.randint(3, 9) * DAY).isoformat()}T15:30:00+00:00",
            }
        )

    def charter(self, team: Team, logins: list[str], state: str, home: bool) -> list[Any]:
        """Write the team's charter and its adopted proposals; return each norm's
        leaning (how well the team keeps it) for the checks, or [] with no norms."""
        rng = self.rng
        if state == "starting":
            self.starting(team, logins)
            return []
        # Adopted in the team's first weeks: this year for a team formed last spring,
        # years ago for most.
        year = rng.randint(self.first_year.year, self.this_year.year - 1)
        start = date(year, 9, rng.randint(2, 20))
        pool = [*NORMS[:6], *rng.sample([NORMS[6], *MORE_NORMS], k=rng.randint(0, 2))]
        chosen = pool[:5] if rng.random() < 0.3 else pool
        norms: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        leaning: list[tuple[int, float]] = []
        share = 1.0
        day = start
        for number, (text, category, lean) in enumerate(chosen, 1):
            day += rng.choice([0, 0, 7]) * DAY
            norms.append(
                {"id": number, "text": text, "category": category, "since": day.isoformat()}
            )
            leaning.append((number, lean))
            history.append(
                {
                    "version": len(history) + 1,
                    "date": day.isoformat(),
                    "change": f"added: {text}",
                    "norms": [dict(n) for n in norms],
                }
            )
            self.adopted(team, logins, "add", None, text, category, day)
        # Later: big departments moved to deciding with 80% of the team after their
        # first year; now and then a norm was reworded or added (one this term, for
        # a team that revised its charter). In date order, each a new version.
        events: list[tuple[date, str]] = []
        if len(logins) >= 20:
            events.append((date(year + 1, 9, rng.randint(5, 25)), "rule"))
        years = list(range(year + 1, self.this_year.year + 1)) or [year]
        for _ in range(rng.choice([0, 1, 1, 2])):
            events.append((date(rng.choice(years), 1, 1) + rng.randint(20, 120) * DAY, "change"))
        if state == "revised":
            events.append((self.today - rng.randint(10, 30) * DAY, "change"))
        for when, event in sorted(events):
            if when >= self.today:
                continue
            if event == "rule":
                words = rule_words(0.8)
                self.adopted(
                    team,
                    logins,
                    "rule",
                    None,
                    f"Our consensus rule: {words}",
                    "decisions",
                    when,
                    share=share,
                    rule=0.8,
                )
                share = 0.8
                history.append(
                    {
                        "version": len(history) + 1,
                        "date": when.isoformat(),
                        "change": f"rule: {words}",
                        "norms": [dict(x) for x in norms],
                    }
                )
                continue
            else:
                old, new = rng.choice(EDITS)
                target = next((x for x in norms if x["text"] == old), None)
                if target is not None:
                    target.update(text=new, since=when.isoformat())
                    kind, norm, text, category = "edit", target["id"], new, target["category"]
                    change = f"changed: {new}"
                else:
                    text, category, lean = rng.choice(MORE_NORMS)
                    if any(x["text"] == text for x in norms):
                        continue
                    number = max(x["id"] for x in norms) + 1
                    norms.append(
                        {
                            "id": number,
                            "text": text,
                            "category": category,
                            "since": when.isoformat(),
                        }
                    )
                    leaning.append((number, lean))
                    kind, norm, change = "add", None, f"added: {text}"
            history.append(
                {
                    "version": len(history) + 1,
                    "date": when.isoformat(),
                    "change": change,
                    "norms": [dict(x) for x in norms],
                }
            )
            self.adopted(team, logins, kind, norm, text, category, when, share=share)
        version = len(history)
        agreed = {login: version for login in logins}
        if state == "new members" and not home:
            for login in rng.sample(logins, k=min(len(logins) - 1, rng.randint(1, 3))):
                del agreed[login]
        if state == "revised" or share < 1:
            # Those who were not among the share that adopted the last change.
            for login in rng.sample(logins, k=max(1, len(logins) // 10)):
                if login != "tnguyen":
                    agreed[login] = version - 1
        self.tables.table("charters").insert(
            {
                "team": team.id,
                "version": version,
                "norms": norms,
                "share": share,
                "agreed": agreed,
                "history": history,
                "revision": version,
            }
        )
        if home:
            self.tables.table("proposals").insert(
                {"team": team.id, **_pending(logins, rng, self.today)}
            )
        elif state == "voting":
            self.voting(team, logins, norms)
        return leaning

    def starting(self, team: Team, logins: list[str]) -> None:
        """A team formed this year, agreeing on its first norms from the starter set."""
        rng = self.rng
        starters = next(t.body["norms"] for t in self.ctx.templates("norms") if t.id == "starter")
        day = self.this_year + rng.randint(60, 80) * DAY
        for n, norm in enumerate(starters[: rng.randint(4, len(starters))]):
            voters = rng.sample(logins, k=rng.randint(len(logins) // 3, len(logins) - 1))
            votes = {x: {"vote": "agree", "reason": "", "date": day.isoformat()} for x in voters}
            comments = []
            if n == 0 and voters:
                objector = rng.choice(voters)
                votes[objector] = {
                    "vote": "object",
                    "reason": "We need a rule for late starts too, not only ending on time.",
                    "date": day.isoformat(),
                }
            if rng.random() < 0.3:
                comments.append(
                    {
                        "by": rng.choice(logins),
                        "text": rng.choice(COMMENTS),
                        "date": day.isoformat(),
                    }
                )
            self.tables.table("proposals").insert(
                {
                    "team": team.id,
                    "kind": "add",
                    "norm": None,
                    "text": norm["text"],
                    "category": norm["category"],
                    "votes": votes,
                    "comments": comments,
                    "state": "open",
                    "author": rng.choice(logins),
                    "created": f"{day.isoformat()}T15:45:00+00:00",
                }
            )

    def voting(self, team: Team, logins: list[str], norms: list[dict[str, Any]]) -> None:
        """One or two proposals the team is voting on now, and an older one withdrawn."""
        rng = self.rng
        for _ in range(rng.randint(1, 2)):
            day = self.today - rng.randint(1, 12) * DAY
            if rng.random() < 0.7:
                text, category = rng.choice(OPEN_PROPOSALS)
                kind, norm = "add", None
            else:
                target = rng.choice(norms)
                kind, norm, text, category = (
                    "remove",
                    target["id"],
                    target["text"],
                    target["category"],
                )
            if any(kind == "add" and n["text"] == text for n in norms):
                continue
            voters = rng.sample(logins, k=rng.randint(1, max(1, len(logins) - 2)))
            votes = {x: {"vote": "agree", "reason": "", "date": day.isoformat()} for x in voters}
            if rng.random() < 0.3:
                votes[rng.choice(voters)] = {
                    "vote": "object",
                    "reason": rng.choice(OBJECTIONS),
                    "date": day.isoformat(),
                }
            comments = [
                {"by": rng.choice(logins), "text": rng.choice(COMMENTS), "date": day.isoformat()}
                for _ in range(rng.randint(0, 2))
            ]
            self.tables.table("proposals").insert(
                {
                    "team": team.id,
                    "kind": kind,
                    "norm": norm,
                    "text": text,
                    "category": category,
                    "votes": votes,
                    "comments": comments,
                    "state": "open",
                    "author": rng.choice(logins),
                    "created": f"{day.isoformat()}T16:10:00+00:00",
                }
            )
        if rng.random() < 0.5:
            day = self.today - rng.randint(40, 90) * DAY
            self.tables.table("proposals").insert(
                {
                    "team": team.id,
                    "kind": "add",
                    "norm": None,
                    "text": "We meet in a different classroom each month.",
                    "category": "participation",
                    "votes": {},
                    "comments": [
                        {
                            "by": rng.choice(logins),
                            "text": "The library is the only room with a screen; let's drop this.",
                            "date": day.isoformat(),
                        }
                    ],
                    "state": "withdrawn",
                    "author": rng.choice(logins),
                    "created": f"{day.isoformat()}T15:20:00+00:00",
                }
            )


def _in_term(day: date) -> bool:
    """Not in the summer holiday or the winter break."""
    summer = (6, 10) <= (day.month, day.day) < (8, 25)
    winter = (day.month, day.day) >= (12, 20) or (day.month, day.day) < (1, 5)
    return not (summer or winter)


def _state(rng: random.Random) -> str:
    return rng.choices(
        ["settled", "new members", "revised", "voting", "starting"], weights=[46, 16, 14, 16, 8]
    )[0]


def populate_district(ctx: Context, rng: random.Random, today: date) -> None:
    teams = ctx.community.teams()
    members = ctx.community.members()
    by_team: dict[str, list[Member]] = {
        t.id: [m for m in members if m.in_team(t.id)] for t in teams
    }
    teacher = next((m for m in members if m.login == "tnguyen"), None)
    home = teacher.teams[0] if teacher and teacher.teams else None
    weeks = check_weeks(ctx.settings)
    service = Norms(ctx)
    plans = []
    # One transaction for everything, the team checks the surveys module records
    # included (its transactions join this one): one write of each file.
    with ctx.transaction() as tables:
        district = _District(ctx, tables, rng, today)
        for team in teams:
            logins = sorted(m.login for m in by_team[team.id])
            if len(logins) < 2:
                continue
            state = "settled" if team.id == home else _state(rng)
            leaning = district.charter(team, logins, state, team.id == home)
            if leaning:
                plans.append((team, logins, leaning))
        comments = CHECK_COMMENTS + MORE_CHECK_COMMENTS
        for team, logins, leaning in plans:
            # A check every few weeks in term this school year, the latest five (each
            # is a small survey of the surveys module); the demo teacher's team last
            # held one five weeks ago, so one is due.
            last = 5 * 7 if team.id == home else rng.randint(1, weeks * 7 - 3)
            held = today - last * DAY
            days = []
            while held > district.this_year + 14 * DAY and len(days) < CHECKS:
                if _in_term(held):
                    days.append(held)
                held -= (weeks * 7 + rng.choice([-7, 0, 0, 7])) * DAY
            for n, held in enumerate(reversed(days)):
                lift = min(0.5, 0.12 * n)  # teams keep their norms better with practice
                people = max(2, len(logins) - rng.randint(0, max(2, len(logins) // 5)))
                sheets = _sheets(rng, leaning, people, lift)
                for sheet in sheets:
                    sheet["comment"] = rng.choice(comments)
                service.record_check(team.id, held, sheets)

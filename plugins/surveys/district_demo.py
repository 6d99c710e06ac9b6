"""The surveys of the district demo: some 200 over five school years, about 100,000 responses.

Most are addressed to the whole district: a pulse after PLC meetings every two
weeks (one series a school year), the self-assessment, school climate and a
norms check twice a year, the needs survey each term. Each school has its own
needs survey, twelve teams ran meeting pulses of their own this year; a handful
are open now and a few are drafts. Participation varies by person and season,
answers by school and year (better each year, lower in late winter), so trends
and breakdowns look like a real district's. Responses are stored with
``store.submit_many``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from plc_tui.api import Context

from . import store
from .definition import parse_definition
from .demo import CHANGE, COACH_NOTES, IMPROVE, KEEP, SUPPORT_ANSWERS, WHY, _answers
from .templates import MEETING_PULSE, NEEDS, NORMS_CHECK, SCHOOL_CLIMATE, SELF_ASSESSMENT

PULSES = 100  # district meeting pulses, every two weeks in term time
# (key, template, title or None for the template's, waves, when in the school
# year they open (month, day), the latest wave opened this many days ago (None:
# the latest is a past one), the share of people who answer)
DISTRICT_SERIES = [
    ("self", SELF_ASSESSMENT, None, 11, [(10, 1), (4, 26)], 6, 0.84),
    ("needs", NEEDS, "PLC needs survey", 15, [(9, 15), (1, 20), (4, 12)], 3, 0.80),
    ("climate", SCHOOL_CLIMATE, None, 11, [(11, 3), (3, 16)], 5, 0.88),
    ("norms", NORMS_CHECK, "Norms check across the district", 10, [(10, 13), (2, 23)], None, 0.74),
]
# How each school tends to answer (on the 1..5 leaning scale).
SCHOOL_MOOD = {
    "Maple Grove Elementary": 0.15,
    "Cedar Park Elementary": 0.0,
    "Lakeview Elementary": 0.25,
    "Riverside Middle": -0.1,
    "Hillcrest Middle": 0.05,
    "Riverside High": -0.25,
}
# Free-text answers at a district's scale: many more people, so more to say.
DISTRICT_TEXTS = {
    "keep": [
        *KEEP,
        "Bringing one piece of student work each",
        "The norms read aloud at the start",
        "Ten quiet minutes to look at the data first",
        "Sharing one strategy that worked this week",
        "Meeting in a classroom, not the office",
        "The agenda sent the day before",
        "Ending with who does what by when",
        "Celebrating the kids who moved up a level",
        "The coach asking questions instead of giving answers",
        "Rotating who brings the problem of practice",
        "Protected time: no one pulled for cover",
        "Snacks, honestly",
    ],
    "change": [
        *CHANGE,
        "Start on time even if people are missing",
        "Fewer agenda items, deeper talk",
        "Decide what we will try before we leave",
        "Less admin business, more teaching",
        "Bring the actual assessments, not just scores",
        "Let the quieter people speak first",
        "Stop re-planning what we already agreed",
        "Make the next steps visible to everyone",
        "Meet somewhere with fewer interruptions",
        "Keep phones away",
        "Look at fewer data points at a time",
        "Check back on last meeting's next steps",
    ],
    "support": [
        *SUPPORT_ANSWERS,
        "Substitutes on time so we can actually meet during release days.",
        "A data coach for the first two weeks after each benchmark.",
        "Training on co-teaching with our special education colleagues.",
        "Translated materials for families, especially in Spanish and Vietnamese.",
        "One initiative at a time. We are trying to do five things at once.",
        "Time to plan common assessments before the unit starts, not after.",
        "Someone to cover lunch duty on PLC days.",
        "Access to the item analysis, not just the overall scores.",
        "A clear answer on whether PLC time can be used for grading.",
        "Coaching for team leads on handling disagreement.",
        "Help with students whose behaviour takes over the lesson.",
        "Curriculum maps that match the assessments we are given.",
        "Visits to another school's PLC that works well.",
        "Nothing new, just keep protecting the time we have.",
    ],
    "coach_notes": [
        *COACH_NOTES,
        "Half our team is new to the grade; we need help with pacing.",
        "We keep arguing about grading; a protocol might help.",
        "We would like to try lesson study this spring.",
        "Our data is fine, our meetings are not: can you observe one?",
        "We want to plan a common assessment for the next unit with you.",
        "Two of us co-teach and would like feedback on it.",
    ],
    "why": [
        *WHY,
        "Our agendas are full of logistics; student learning gets the last five minutes.",
        "We set goals in September and only look at them again in May.",
        "New colleagues do not know our norms and nobody has told them.",
        "We share results but never the teaching behind them.",
        "We rarely hear from our special education and ELL colleagues in meetings.",
        "When results are bad we talk about the students, not about what we will change.",
        "We trust each other, but we do not watch each other teach.",
    ],
    "improve": [
        *IMPROVE,
        "Common planning periods for teachers of the same course.",
        "Fewer meetings about compliance, more about kids.",
        "A shared drive that is organised the same way in every team.",
        "Leaders who follow up on what we tell them in these surveys.",
        "Being trusted to choose our own professional learning.",
        "Time at the start of the year to set norms properly.",
        "Coverage so we can visit each other's classes once a term.",
        "Consistency: the same expectations in every team.",
    ],
    "which": [
        "Start and end on time: we drift past the hour most weeks.",
        "Listening: a few voices fill most of the meeting.",
        "Decisions by consensus: we agree in the room and do our own thing after.",
        "Keeping students at the centre: we slide into logistics.",
        "Assuming good intentions when we disagree about grading.",
        "Confidentiality: things said in the meeting have been repeated outside it.",
        "Coming prepared with the data we agreed to bring.",
        "Phones: half of us are on email during the meeting.",
    ],
}
TEAM_PULSES = 12  # teams that ran their own meeting pulse this year, three waves each
DAY = timedelta(days=1)


def _school_year(day: date) -> int:
    return day.year if (day.month, day.day) >= (8, 20) else day.year - 1


def _in_term(day: date) -> bool:
    """Whether a survey opening on ``day`` closes before a holiday (the summer,
    the winter break)."""
    summer = (6, 6) <= (day.month, day.day) < (8, 25)
    winter = (day.month, day.day) >= (12, 10) or (day.month, day.day) < (1, 5)
    return not (summer or winter)


def _calendar_waves(
    latest: date | None, today: date, count: int, slots: list[tuple[int, int]]
) -> list[date]:
    """``count`` opening days, oldest first: the series' days in the school year
    (``slots``) going back from ``today``, then ``latest`` (a wave open now) if any."""
    before = (latest or today) - 45 * DAY
    days = [latest] if latest else []
    year = before.year
    while len(days) < count:
        for month, day in sorted(slots, reverse=True):
            when = date(year, month, day)
            if when <= before and len(days) < count:
                days.append(when)
        year -= 1
    return sorted(days)


def _pulse_days(today: date) -> list[date]:
    """The district pulse's opening days: every two weeks in term, back from 3 days ago."""
    days = [today - 3 * DAY]
    while len(days) < PULSES:
        day = days[-1] - 14 * DAY
        while not _in_term(day):
            day -= 7 * DAY
        days.append(day)
    return days[::-1]


class _District:
    """The district's surveys, written in one transaction."""

    def __init__(self, ctx: Context, tables: Any, rng: random.Random, today: date) -> None:
        self.ctx, self.tables, self.rng, self.today = ctx, tables, rng, today
        self.members = ctx.community.members()
        self.teams = ctx.community.teams()
        self.types = ctx.question_types()
        self.admin = ctx.member.login if ctx.member else "admin"
        # The demo's teacher and coach have things to do when they first look.
        self.waiting = {"tnguyen", "dreyes", self.admin}
        team_school = {
            t.id: next((s for s in SCHOOL_MOOD if t.name.startswith(s)), "") for t in self.teams
        }
        self.school_of = {
            m.login: team_school.get(m.teams[0], "") if m.teams else "" for m in self.members
        }
        # Some people answer nearly everything, some rarely.
        self.keen = {m.login: rng.gauss(0, 0.12) for m in self.members}
        self.first_year = _school_year(today) - 5
        self.coaches = [m.login for m in self.members if m.role == "coach"]
        self.surveys = 0
        self.responses = 0

    def mood(self, day: date) -> float:
        """The district's mood on a day: better each year, low in late winter."""
        years = (day - date(self.first_year, 8, 25)).days / 365
        winter = -0.12 if day.month in (1, 2, 3) else 0.0
        return -0.35 + 0.09 * years + winter

    def make(self, body: dict[str, Any], **changes: Any) -> dict[str, Any]:
        return parse_definition({**body, **changes}, self.types, self.teams)

    def create(
        self,
        body: dict[str, Any],
        *,
        author: str | None = None,
        series: int | None = None,
        wave: int = 1,
        **changes: Any,
    ) -> int:
        self.surveys += 1
        definition = self.make(body, **changes)
        return store.create_survey(
            self.tables, definition, author=author or self.admin, series=series, wave=wave
        )

    def run(
        self,
        sid: int,
        opens: date,
        closes: date,
        share: float,
        *,
        published: bool = True,
        skip: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        """Open a survey from ``opens`` to ``closes`` and fill it; close it if past."""
        table = self.tables.table("surveys")
        table.update(
            {"status": "open", "opens": opens.isoformat(), "closes": closes.isoformat()},
            doc_ids=[sid],
        )
        answered = min(closes, self.today)
        when = opens + (answered - opens) / 2
        if answered < self.today:
            when = answered  # a closed wave: everyone who answered had by its last day
        else:
            share *= 0.6  # still open: not everyone has answered yet
        self.fill(sid, when, share, skip)
        if closes < self.today:
            table.update({"status": "closed", "published": published}, doc_ids=[sid])

    def fill(self, sid: int, day: date, share: float, skip: frozenset[str] | set[str]) -> None:
        survey = store.get_survey(self.tables, sid)
        rng = self.rng
        mood = self.mood(day)
        entries = []
        for member in store.audience_of(survey, self.members):
            login = member.login
            if login in skip or rng.random() > share + self.keen[login]:
                continue
            lean = mood + SCHOOL_MOOD.get(self.school_of[login], 0.0) + rng.gauss(0, 0.3)
            entries.append((member, _answers(rng, survey, lean, DISTRICT_TEXTS)))
        self.responses += store.submit_many(self.tables, survey, entries, self.types, day)

    # -- the surveys ---------------------------------------------------------------

    def pulses(self) -> None:
        """Every two weeks in term, everyone rates their last PLC meeting; one
        series a school year, so each year's waves trend against each other."""
        by_year: dict[int, list[date]] = {}
        for day in _pulse_days(self.today):
            by_year.setdefault(_school_year(day), []).append(day)
        for year, days in sorted(by_year.items()):
            title = f"PLC meeting pulse, {year}-{(year + 1) % 100:02d}"
            series = None
            for wave, day in enumerate(days, 1):
                sid = self.create(MEETING_PULSE, title=title, series=series, wave=wave)
                series = series or sid
                # Fewer answer before holidays and at the end of the year.
                share = 0.8 - (0.08 if day.month in (12, 5, 6) else 0.0)
                current = day + 7 * DAY >= self.today
                self.run(
                    sid,
                    day,
                    day + 7 * DAY,
                    share,
                    published=self.rng.random() < 0.7,
                    skip=self.waiting if current else frozenset(),
                )

    def series(self) -> None:
        for key, body, title, waves, slots, ago, share in DISTRICT_SERIES:
            latest = self.today - ago * DAY if ago is not None else None
            days = _calendar_waves(latest, self.today, waves, slots)
            series = None
            for wave, day in enumerate(days, 1):
                changes = {"title": title} if title else {}
                sid = self.create(body, series=series, wave=wave, **changes)
                series = series or sid
                current = day == latest
                self.run(
                    sid,
                    day,
                    day + 14 * DAY,
                    share,
                    skip=self.waiting if current else frozenset(),
                )
                if key == "needs" and current:
                    self.needs_now = sid

    def schools(self) -> None:
        """Each principal's own needs survey, last year and this year; Riverside
        High's is open now."""
        for school in SCHOOL_MOOD:
            names = [t.name for t in self.teams if t.name.startswith(school)]
            leads = [
                m.login
                for m in self.members
                if m.role == "coach" and self.school_of[m.login] == school
            ]
            author = self.rng.choice(leads) if leads else self.admin
            series = None
            last = 4 if school == "Riverside High" else self.rng.randint(50, 70)
            for wave, ago in enumerate((last + 364 + self.rng.randint(-5, 5), last), 1):
                sid = self.create(
                    NEEDS,
                    author=author,
                    series=series,
                    wave=wave,
                    title=f"{school}: PLC time and support",
                    audience={"teams": names},
                )
                series = series or sid
                day = self.today - ago * DAY
                self.run(
                    sid, day, day + 14 * DAY, 0.82, skip=self.waiting if ago < 14 else frozenset()
                )

    def team_pulses(self) -> None:
        """Teams that ran a pulse of their own after their meetings this year. The
        demo teacher's team's latest is named, so the team sees who is missing."""
        teacher = next((m for m in self.members if m.login == "tnguyen"), None)
        home = next((t for t in self.teams if teacher and t.id in teacher.teams), None)
        others = [t for t in self.teams if t is not home and "Leadership" not in t.name]
        chosen = [home] if home else []
        chosen += self.rng.sample(others, TEAM_PULSES - len(chosen))
        for team in chosen:
            series = None
            # The demo teacher's team met two days ago; the others' last pulses closed.
            latest = 2 if team is home else self.rng.randint(8, 16)
            for wave, ago in enumerate((latest + 42, latest + 21, latest), 1):
                named = team is home and wave == 3
                sid = self.create(
                    MEETING_PULSE,
                    series=series,
                    wave=wave,
                    title=f"{team.name} meeting pulse",
                    anonymous=not named,
                    threshold=3,
                    audience={"teams": [team.name]},
                )
                series = series or sid
                day = self.today - ago * DAY
                self.run(
                    sid, day, day + 4 * DAY, 0.9, skip=self.waiting if ago < 4 else frozenset()
                )

    def drafts(self) -> None:
        """Surveys being prepared: the next self-assessment wave, a norms check, a
        school's climate survey, a team's pulse, one for new teachers."""
        self.create(NORMS_CHECK)
        self_assessment = [
            s for s in store.list_surveys(self.tables) if s["title"] == SELF_ASSESSMENT["title"]
        ]
        last = max(self_assessment, key=lambda s: s["wave"])
        self.surveys += 1
        store.repeat_survey(self.tables, last["id"], author=self.admin)
        high = [t.name for t in self.teams if t.name.startswith("Riverside High")]
        self.create(
            SCHOOL_CLIMATE,
            title="Riverside High climate for teachers",
            audience={"teams": high},
            author=self.rng.choice(self.coaches) if self.coaches else None,
        )
        team = next(t for t in self.teams if t.name == "Hillcrest Middle Math")
        self.create(
            MEETING_PULSE,
            title=f"{team.name} meeting pulse",
            threshold=3,
            audience={"teams": [team.name]},
        )
        self.create(
            NEEDS,
            title="Support for teachers in their first two years",
            description="For teachers new to the district: what would help most this year?",
        )

    def teacher_draft(self) -> None:
        """A started draft for the demo teacher, to resume in the app."""
        teacher = next((m for m in self.members if m.login == "tnguyen"), None)
        if teacher is None:
            return
        survey = store.get_survey(self.tables, self.needs_now)
        store.save_draft(
            self.tables,
            survey,
            teacher,
            {"time_collab": 2, "time_hours": 3},
            self.types,
            self.today,
            self.ctx.private_for(teacher.login),
        )


def populate_district(ctx: Context, rng: random.Random, today: date) -> None:
    with ctx.transaction() as tables:
        district = _District(ctx, tables, rng, today)
        district.pulses()
        district.series()
        district.schools()
        district.team_pulses()
        district.drafts()
        district.teacher_draft()
        # Five ended school years go where a year's first change would move them.
        store.roll_over(tables, today, ctx.school_year_starts)

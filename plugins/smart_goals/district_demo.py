"""The SMART goals of the district demo: five school years and this one, about 2,000 goals.

Every team sets two goals for the year and several short-cycle goals, one per
unit or intervention cycle, built on the module's goal templates (reading,
chronic absence, formative assessment, fact fluency, writing) and on what each
kind of team works on (a high school's Algebra 1 pass rate, a language
department's speaking levels, a support team's IEP progress). Past goals were
met or ended short of their target; this year's are in every state, with
check-ins every three weeks (every week or two for a unit goal). The first
school's teams also get the small demo's goals for this year, so the demo
teacher ``tnguyen`` and coach ``dreyes`` find the same things to do.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from plc_tui.api import Context, Member, Team

from . import store
from .demo import GOALS, NOTES, _make, _match
from .model import parse_goal
from .status import expected, goal_status

DAY = timedelta(days=1)
YEARS = 5  # full school years before this one
FIRST_SCHOOL = "Maple Grove Elementary"
MONTHS = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

MORE_NOTES = [
    "Moved two students into the Tuesday reteach group.",
    "The common assessment was a week late; numbers are from the quick check.",
    "Scored student work together for the first time; we disagreed on three papers.",
    "Subs covered two of us this cycle, so fewer lessons went as planned.",
    "Families responded well to the texts home; attendance picked up.",
    "Used the district item analysis to choose the reteach skills.",
    "Our newest colleague brought a great routine from her last school.",
    "Testing week took our meeting; this check-in is from email.",
    "Most growth is in the middle group; the lowest group has not moved yet.",
    "Coach modelled the lesson; we are all trying it next week.",
    "Changed the exit ticket: the old one was too easy to show anything.",
    "Flu season: a quarter of the class was out for the assessment.",
    "",
    "",
]
ALL_NOTES = NOTES + MORE_NOTES
STRETCH = [
    "Our best year so far was {best}%",
    "A gain this size would be twice last year's",
    "The district average is {best}%; we have never reached it",
    "We have been flat at about {baseline}% for three years",
    "Half the team is new to the grade or course this year",
]
EVIDENCE = [
    "Assessment results, shared drive",
    "Scored student work samples",
    "Meeting notes with each cycle's next steps",
    "Item analysis from the district assessment",
    "Photos of anchor charts and student models",
    "Family contact log",
]

# Unit and cycle topics for short-cycle goals, by team (the part of the name after the school).
TOPICS = {
    "Kindergarten": ["letter sounds", "counting to 20", "numbers to 100", "rhyming and blending"],
    "Grade 1": ["addition within 20", "short vowels", "place value to 100", "retelling stories"],
    "Grade 2": ["two-digit addition", "money and time", "main idea", "arrays"],
    "Grade 3": ["multiplication", "fractions on a number line", "area", "character traits"],
    "Grade 4": ["multi-digit multiplication", "equivalent fractions", "angles", "text structure"],
    "Grade 5": ["decimals", "adding fractions", "volume", "theme in literature"],
    "Grade 6": ["ratios and rates", "expressions", "summarising nonfiction", "study habits"],
    "Grade 7": ["proportional reasoning", "argument claims", "integers", "lab vocabulary"],
    "Grade 8": ["linear equations", "research citations", "functions", "primary sources"],
    "Math": ["linear functions", "quadratics", "systems of equations", "statistics", "geometry"],
    "English": ["argument essays", "literary analysis", "research writing", "rhetorical analysis"],
    "Science": ["lab reports", "cells and genetics", "energy", "chemical reactions", "forces"],
    "Social Studies": ["document-based questions", "the Constitution", "economics", "maps"],
    "World Languages": ["presentational speaking", "interpretive reading", "conversation"],
    "Career and Technical": ["workplace safety", "certification practice exam", "portfolios"],
    "Arts": ["portfolio critique", "sight-reading", "performance rubric", "art history"],
    "Electives": ["coding projects", "sight-reading", "portfolio critique", "presentations"],
    "Specials": ["library research skills", "fitness benchmarks", "rhythm and notation"],
    "English Learners": ["academic talk", "vocabulary", "writing sentences with because"],
    "Student Support": ["reading intervention", "math intervention", "behaviour plans"],
    "Grade 9 Success": ["assignments turned in", "study hall attendance", "passing every class"],
    "Leadership": ["learning targets posted", "feedback after walkthroughs", "meeting agendas"],
}


def _kinds(label: str, level: str) -> list[str]:
    """The year-long goals a team of this kind chooses from."""
    if label == "Kindergarten":
        return ["phonics", "attendance", "formative"]
    if label in ("Grade 1", "Grade 2"):
        return ["phonics" if label == "Grade 1" else "reading", "attendance", "formative", "math"]
    if label.startswith("Grade ") and level == "elementary":
        return ["reading", "fluency", "writing", "formative", "attendance"]
    if label.startswith("Grade "):
        return ["attendance", "failures", "formative", "writing"]
    return {
        "Grade 9 Success": ["on track", "attendance", "failures"],
        "Math": ["algebra" if level == "high" else "fluency", "formative", "failures"],
        "English": ["writing", "reading", "formative"],
        "Science": ["lab", "writing", "formative"],
        "Social Studies": ["dbq", "writing", "formative"],
        "World Languages": ["speaking", "formative"],
        "Career and Technical": ["certification", "formative", "attendance"],
        "Arts": ["portfolio", "formative"],
        "Electives": ["portfolio", "formative", "attendance"],
        "Specials": ["portfolio", "library", "formative"],
        "English Learners": ["el levels", "reading", "writing"],
        "Student Support": ["iep", "attendance", "reading"],
        "Leadership": ["protocol", "walks", "attendance"],
    }.get(label, ["formative", "attendance"])


# Year-long goals: (title, template id or None, specific, measurable, baseline range,
# change (negative for goals that go down), actions when no template gives them)
KIND: dict[str, dict[str, Any]] = {
    "reading": {
        "template": "reading-proficiency",
        "title": "{label} reading: {b}% → {t}% at benchmark by {month}",
        "baseline": (45, 68),
        "gain": (12, 20),
    },
    "phonics": {
        "title": "{label} phonics: {b}% → {t}% decoding on the screener by {month}",
        "what": "Decoding words accurately and quickly, through daily systematic phonics",
        "for_whom": "Every {label} student, with small groups for those not yet blending",
        "metric": "Students decoding 40 of 50 words on the phonics screener",
        "source": "Phonics screener, every six weeks",
        "baseline": (35, 55),
        "gain": (20, 30),
        "actions": [
            "Daily 15-minute systematic phonics lesson",
            "Decodable readers sent home every Friday",
            "Intervention group for students not yet blending",
        ],
    },
    "math": {
        "title": "{label} number sense: {b}% → {t}% proficient on the math benchmark",
        "what": "Place value and adding and subtracting with strategies",
        "for_whom": "Every {label} student",
        "metric": "Students proficient on the district math benchmark",
        "source": "District math benchmark (fall, winter, spring)",
        "baseline": (45, 62),
        "gain": (12, 18),
        "actions": [
            "Number talks four days a week",
            "Common unit quick checks, scored together",
        ],
    },
    "attendance": {
        "template": "attendance",
        "title": "Chronic absence in {label}: {b}% → {t}% by {month}",
        "baseline": (14, 24),
        "gain": (-9, -5),
    },
    "formative": {
        "template": "formative-assessment",
        "title": "Common exit tickets every week in {label}: {b}% → {t}% of weeks",
        "baseline": (30, 55),
        "gain": (30, 45),
    },
    "fluency": {
        "template": "math-fact-fluency",
        "title": "Multiplication fact fluency in {label}: {b}% → {t}% by {month}",
        "baseline": (35, 55),
        "gain": (20, 30),
    },
    "writing": {
        "template": "writing-rubric",
        "title": "{label} argument writing: {b}% → {t}% at 3 or more on the rubric",
        "baseline": (30, 50),
        "gain": (15, 25),
    },
    "failures": {
        "title": "{label} course failures: {b}% → {t}% of students failing a semester",
        "what": "Fewer students failing a course, through grade checks and reassessment",
        "for_whom": "Every student in our courses, especially those with two or more Fs",
        "metric": "Students failing at least one of our courses at the semester",
        "source": "Gradebook report at each grading period",
        "baseline": (12, 22),
        "gain": (-8, -4),
        "actions": [
            "Review the failing list together every two weeks",
            "Reassessment window for every unit test",
            "Call home before a student's grade drops to an F",
        ],
    },
    "on track": {
        "title": "Ninth graders on track to graduate: {b}% → {t}% by {month}",
        "what": "Ninth graders earning every credit they attempt",
        "for_whom": "Every ninth grader, with mentors for those off track at the first report",
        "metric": "Ninth graders with no failing grade and 90% attendance",
        "source": "On-track report from the student information system, each grading period",
        "baseline": (62, 75),
        "gain": (8, 14),
        "actions": [
            "Mentor for every student off track at the first report card",
            "Weekly grade checks in advisory",
            "Family meeting for students with two or more failing grades",
        ],
    },
    "algebra": {
        "title": "Algebra 1 pass rate: {b}% → {t}% by {month}",
        "what": "Passing Algebra 1 with a C or better",
        "for_whom": "Every Algebra 1 student, with the support class for those below grade level",
        "metric": "Algebra 1 students passing the course",
        "source": "Semester grades and the common final exam",
        "baseline": (58, 72),
        "gain": (8, 15),
        "actions": [
            "Common unit assessments in every Algebra 1 section",
            "Reteach and reassess days after each unit",
            "Tutoring at lunch three days a week",
        ],
    },
    "lab": {
        "title": "Lab reports: {b}% → {t}% proficient on the common rubric",
        "what": "Lab reports with a claim, evidence and reasoning",
        "for_whom": "Every student in our science courses",
        "metric": "Students scoring proficient on the common lab report rubric",
        "source": "Common lab report, scored together each quarter",
        "baseline": (35, 50),
        "gain": (15, 25),
        "actions": [
            "Teach claim, evidence, reasoning in the first unit",
            "Score one lab report together each quarter to calibrate",
        ],
    },
    "dbq": {
        "title": "Document-based writing: {b}% → {t}% proficient on the common rubric",
        "what": "Arguments from historical documents, with sourcing and evidence",
        "for_whom": "Every student in our courses",
        "metric": "Students proficient on the common document-based question",
        "source": "Common DBQ each semester, scored together",
        "baseline": (30, 45),
        "gain": (15, 22),
        "actions": [
            "Sourcing routine with every document we use",
            "Score the common DBQ together and pick the next mini-lessons",
        ],
    },
    "speaking": {
        "title": "Speaking proficiency: {b}% → {t}% at Intermediate Low by year two",
        "what": "Spontaneous conversation in the target language",
        "for_whom": "Every second-year language student",
        "metric": "Second-year students at Intermediate Low or above",
        "source": "Common oral proficiency interview, end of each semester",
        "baseline": (40, 55),
        "gain": (12, 20),
        "actions": [
            "Ninety percent target language in every class",
            "Weekly recorded conversations, scored with the common rubric",
        ],
    },
    "certification": {
        "title": "Industry certifications: {b}% → {t}% of completers certified",
        "what": "Pathway completers earning an industry certification",
        "for_whom": "Every senior completing a career pathway",
        "metric": "Pathway completers who pass a certification exam",
        "source": "Certification exam results",
        "baseline": (40, 60),
        "gain": (10, 18),
        "actions": [
            "Practice exams each quarter, reviewed together",
            "Certification prep block in the spring",
        ],
    },
    "portfolio": {
        "title": "{label} portfolios: {b}% → {t}% meeting the rubric at review",
        "what": "Portfolios that show growth, with reflection on each piece",
        "for_whom": "Every student in our classes",
        "metric": "Students whose portfolio meets the common rubric at review",
        "source": "Portfolio reviews each semester",
        "baseline": (45, 60),
        "gain": (12, 20),
        "actions": [
            "Portfolio check-ins every four weeks",
            "Calibrate the rubric together on six portfolios",
        ],
    },
    "library": {
        "title": "Reading challenge: {b}% → {t}% of students finishing by {month}",
        "what": "Independent reading: every student finishing the library reading challenge",
        "for_whom": "Every student, with a book club for reluctant readers",
        "metric": "Students who finished the reading challenge",
        "source": "Library circulation and challenge logs",
        "baseline": (35, 50),
        "gain": (15, 25),
        "actions": [
            "Book talks in every library visit",
            "Lunch book club for reluctant readers",
        ],
    },
    "el levels": {
        "title": "English learners gaining a level: {b}% → {t}% by {month}",
        "what": "Academic language in reading, writing and speaking",
        "for_whom": "The English learners we support across the school",
        "metric": "English learners gaining a level on the language proficiency test",
        "source": "Annual language proficiency test and the winter check",
        "baseline": (28, 40),
        "gain": (15, 25),
        "actions": [
            "Sentence frames and word walls in every classroom",
            "Co-plan one lesson a week with each grade team",
        ],
    },
    "iep": {
        "title": "IEP goals: {b}% → {t}% of students making expected progress",
        "what": "Progress on each student's IEP goals, measured the same way",
        "for_whom": "Every student with an IEP in our caseloads",
        "metric": "Students making expected progress on their IEP goals",
        "source": "Progress monitoring every two weeks",
        "baseline": (50, 62),
        "gain": (12, 20),
        "actions": [
            "Progress monitoring every two weeks, charted together",
            "Share each student's goals with their classroom teachers",
        ],
    },
    "protocol": {
        "title": "PLC meetings using a protocol: {b}% → {t}% of meetings",
        "what": "Team meetings that follow an agreed protocol and end with next steps",
        "for_whom": "Every team in the school",
        "metric": "Team meetings that used a protocol (from meeting notes)",
        "source": "Meeting notes and the coaches' visit log",
        "baseline": (35, 55),
        "gain": (30, 40),
        "actions": [
            "Protocol cards printed for every team",
            "Coach joins one meeting per team each month",
        ],
    },
    "walks": {
        "title": "Peer visits: {b}% → {t}% of teachers visiting a colleague each term",
        "what": "Teachers watching each other teach, with a focus the team chose",
        "for_whom": "Every teacher in the school",
        "metric": "Teachers who visited a colleague's class this term",
        "source": "Visit sign-up sheet and cover log",
        "baseline": (15, 30),
        "gain": (30, 45),
        "actions": [
            "Cover schedule so every teacher can visit once a term",
            "Two-question debrief form after each visit",
        ],
    },
}


class _Goals:
    """Writes the district's goals in one transaction."""

    def __init__(self, ctx: Context, tables: Any, rng: random.Random, today: date) -> None:
        self.ctx, self.tables, self.rng, self.today = ctx, tables, rng, today
        self.teams = ctx.community.teams()
        self.members = ctx.community.members()
        self.by_team = {t.id: [m for m in self.members if m.in_team(t.id)] for t in self.teams}
        self.templates = {t.id: t.body for t in ctx.templates("goal")}
        self.goals: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []

    # -- one goal -------------------------------------------------------------------

    def raw(
        self,
        team: Team,
        label: str,
        kind: str,
        start: date,
        deadline: date,
        owners: list[str],
        *,
        unit: tuple[int, str] | None = None,
    ) -> dict[str, Any]:
        """A goal in the import format, filled in as a team would."""
        rng = self.rng
        spec = KIND[kind]
        body = self.templates.get(spec.get("template", ""), {})
        low, high = spec["baseline"]
        baseline = rng.randint(low, high)
        if unit is not None:
            baseline = rng.randint(35, 65)
            target = min(95, baseline + rng.randint(15, 30))
        else:
            target = max(2, min(98, baseline + rng.randint(*sorted(spec["gain"]))))
        words = {"label": label, "b": baseline, "t": target, "month": MONTHS[deadline.month]}
        specific = dict(body.get("specific") or {})
        measurable = dict(body.get("measurable") or {})
        if "what" in spec:
            specific = {"what": spec["what"], "for_whom": spec["for_whom"].format(**words)}
            measurable = {"metric": spec["metric"], "unit": "%", "data_source": spec["source"]}
        title = spec["title"].format(**words)
        if unit is not None:
            number, topic = unit
            title = f"Unit {number}, {topic}: {baseline}% → {target}% proficient"
            if label in ("Leadership", "Student Support", "English Learners", "Grade 9 Success"):
                title = f"Cycle {number}, {topic}: {baseline}% → {target}% of students"
                if label == "Leadership":
                    title = f"Cycle {number}, {topic}: {baseline}% → {target}% of classrooms"
            specific = {
                "what": f"{topic[0].upper()}{topic[1:]}, taught and checked in a short cycle",
                "for_whom": f"Every student in {label}, regrouped after each check",
            }
            measurable = {
                "metric": "Students proficient on the common assessment",
                "unit": "%",
                "data_source": "Common assessment at the end of the cycle, and quick checks",
            }
        measurable.update(baseline=baseline, target=target)
        best = max(baseline, target) - rng.randint(2, 8)
        actions_text = [a["text"] for a in body.get("actions", [])] or spec.get("actions", [])
        if unit is not None:
            actions_text = [
                "Write the common assessment before the unit starts",
                "Plan reteach groups from the quick checks",
            ]
        span = (deadline - start).days
        actions = []
        for n, text in enumerate(actions_text):
            due = start + timedelta(days=round(span * (n + 1) / (len(actions_text) + 1)))
            actions.append(
                {
                    "text": text,
                    "owner": owners[n % len(owners)] if owners else None,
                    "due": due.isoformat(),
                    # A goal that has ended had its steps ticked off; this year's
                    # are mostly done once due.
                    "done": deadline < self.today or (due < self.today and rng.random() < 0.85),
                }
            )
        third = span / 3
        return {
            "team": team.id,
            "title": title,
            "specific": specific,
            "measurable": measurable,
            "ambitious": {
                "why_stretch": rng.choice(STRETCH).format(best=best, baseline=baseline),
                "data": f"{MONTHS[start.month]} {start.year}: {baseline}% "
                f"({measurable.get('metric', 'our baseline').lower()})",
            },
            "reflective": dict(body.get("reflective") or {})
            or {
                "how": "Look at the results and student work together; adjust the plan",
                "when": "Every other PLC meeting",
            },
            "timely": {
                "start": start.isoformat(),
                "deadline": deadline.isoformat(),
                "checkpoints": [
                    (start + timedelta(days=round(third))).isoformat(),
                    (start + timedelta(days=round(2 * third))).isoformat(),
                ]
                if unit is None
                else [],
            },
            "owners": owners,
            "actions": actions,
            "evidence": [{"text": e} for e in rng.sample(EVIDENCE, rng.randint(0, 2))],
        }

    def add(
        self,
        raw: dict[str, Any],
        team_members: list[Member],
        plan: str,
        every: tuple[int, int],
    ) -> None:
        """A goal, agreed (or still proposed) with check-ins following ``plan``;
        kept to be stored with the others (see :meth:`store`)."""
        rng, today = self.rng, self.today
        goal = parse_goal(raw, self.teams, self.members)
        owners = goal["owners"]
        author = owners[0] if owners else (self.ctx.member.login if self.ctx.member else "admin")
        doc = store.new_goal(goal, author=author)
        logins = sorted(m.login for m in team_members)
        start = date.fromisoformat(goal["timely"]["start"])
        deadline = date.fromisoformat(goal["timely"]["deadline"])
        if plan == "proposed":
            voters = [x for x in logins if x not in ("tnguyen", "dreyes")]
            voted = rng.sample(voters, k=rng.randint(0, len(voters) * 2 // 3))
            day = min(today, start - 3 * DAY).isoformat()
            doc["votes"] = {x: {"vote": "agree", "reason": "", "date": day} for x in voted}
            self.goals.append((doc, []))
            return
        agreed = (start - rng.randint(3, 12) * DAY).isoformat()
        m = goal["measurable"]
        points = self.path(start, deadline, plan, every, m["baseline"], m["target"])
        by = owners or logins
        entries = []
        for n, (day, value) in enumerate(points):
            confidence = rng.choice([3, 4, 4, 5])
            if plan == "low confidence" and n == len(points) - 1:
                confidence = 2
            elif plan in ("off track", "missed") and n >= len(points) - 2:
                confidence = rng.choice([2, 3])
            entries.append(
                {
                    "date": day.isoformat(),
                    "value": value,
                    "confidence": confidence,
                    "note": rng.choice(ALL_NOTES) if rng.random() < 0.6 else "",
                    "by": rng.choice(by),
                    "recorded": store.now(),
                }
            )
        doc.update(
            votes={x: {"vote": "agree", "reason": "", "date": agreed} for x in logins},
            state="agreed",
            agreed_on=agreed,
            latest=store.latest_of(entries),
        )
        current = goal_status(doc, today)
        doc["status"] = current.status
        if current.status == "met" and doc["latest"]:
            doc["met_on"] = doc["latest"]["date"]
        self.goals.append((doc, entries))

    def store(self) -> int:
        """Store every goal kept by :meth:`add` at once, then each one's check-ins
        (one file per goal, as ``store.add_checkin`` keeps them). One insert per
        goal would rewrite the growing goals table 2,000 times."""
        ids = self.tables.table("goals").insert_multiple(doc for doc, _ in self.goals)
        for gid, (_, entries) in zip(ids, self.goals, strict=True):
            if entries:
                self.tables.table("checkins", partition=gid).insert_multiple(entries)
        return len(ids)

    def path(
        self,
        start: date,
        deadline: date,
        plan: str,
        every: tuple[int, int],
        baseline: float,
        target: float,
    ) -> list[tuple[date, int]]:
        """Check-in dates and values: from the start every ``every`` days, to the
        deadline for a past goal or to a few days ago for a current one."""
        rng, today = self.rng, self.today
        end = min(deadline, today)
        ago = {"stale": rng.randint(25, 40), "missed": 0, "met": 0}.get(plan, rng.randint(1, 9))
        last = end - ago * DAY if deadline >= today else deadline - rng.randint(0, 6) * DAY
        due = expected(start, deadline, last) or 0.0
        final = {
            "on track": min(0.97, due + rng.uniform(0.0, 0.12)),
            "low confidence": due - rng.uniform(0.0, 0.05),
            "behind": max(0.0, due - rng.uniform(0.13, 0.22)),
            "stale": due - rng.uniform(0.0, 0.06),
            "off track": max(0.0, due - rng.uniform(0.3, 0.5)),
            "met": rng.uniform(1.0, 1.15),
            "missed": rng.uniform(0.4, 0.93),
        }[plan]
        dates = []
        day = start + rng.randint(*every) * DAY
        while day < last:
            dates.append(day)
            day += rng.randint(*every) * DAY
        dates.append(last)
        if plan == "met":
            # A met goal stops checking in once the target is reached.
            reach = rng.randint(max(1, len(dates) * 2 // 3), len(dates))
            dates = dates[:reach]
        span = max(1, (dates[-1] - start).days)
        points = []
        for n, day in enumerate(dates):
            share = (day - start).days / span
            noise = 0 if n == len(dates) - 1 else rng.uniform(-0.05, 0.05)
            fraction = max(0.0, final * share + noise)
            value = round(baseline + fraction * (target - baseline))
            points.append((day, max(0, min(100, value))))
        return points

    # -- a team's years ---------------------------------------------------------------

    def owners(self, team_members: list[Member]) -> list[str]:
        logins = [m.login for m in team_members]
        return self.rng.sample(logins, k=min(len(logins), self.rng.choice([1, 2, 2])))

    def team(self, team: Team, school: str, level: str, first_year: int) -> None:
        rng, today = self.rng, self.today
        label = team.name.removeprefix(school).strip()
        people = self.by_team[team.id]
        if not people:
            return
        kinds = _kinds(label, level)
        topics = TOPICS.get(label) or TOPICS.get(label.split()[-1], ["common assessment"])
        # The first school's goals this year are the small demo's (below).
        this_year = first_year + YEARS
        for year in range(first_year, this_year + 1):
            begin = date(year, 8, 25)
            current = year == this_year
            if not (current and school == FIRST_SCHOOL and _match_spec(label)):
                for kind in rng.sample(kinds, k=min(2, len(kinds))):
                    start = begin + rng.randint(10, 30) * DAY
                    deadline = date(year + 1, 5, rng.randint(10, 30))
                    raw = self.raw(team, label, kind, start, deadline, self.owners(people))
                    self.add(raw, people, self.plan(start, deadline, 0.55), (16, 26))
            # Short cycles: one unit after another through the year.
            cycles = 4 if label in ("Leadership", "Specials", "English Learners") else 5
            day = begin + rng.randint(14, 24) * DAY
            for number in range(1, cycles + 1):
                weeks = rng.randint(5, 7)
                start, deadline = day, day + weeks * 7 * DAY
                day = deadline + rng.randint(5, 12) * DAY
                if start > today + 30 * DAY or deadline > date(year + 1, 6, 10):
                    break
                topic = topics[(number - 1 + year) % len(topics)]
                raw = self.raw(
                    team,
                    label,
                    rng.choice(kinds),
                    start,
                    deadline,
                    self.owners(people),
                    unit=(number, topic),
                )
                plan = "proposed" if start > today else self.plan(start, deadline, 0.7)
                self.add(raw, people, plan, (7, 14))

    def plan(self, start: date, deadline: date, met: float) -> str:
        """How a goal goes: met or missed once past; this year's in every state."""
        rng, today = self.rng, self.today
        if deadline < today:
            return "met" if rng.random() < met else "missed"
        if (today - start).days < 10:
            return "proposed" if rng.random() < 0.6 else "on track"
        return rng.choices(
            ["on track", "low confidence", "behind", "stale", "off track", "met"],
            weights=[50, 8, 14, 9, 9, 10],
        )[0]


def _match_spec(label: str) -> bool:
    return any(spec["team"] == label for spec in GOALS)


def populate_district(ctx: Context, rng: random.Random, today: date) -> None:
    teams = ctx.community.teams()
    schools: dict[str, str] = {}
    for team in teams:
        words = team.name.split()
        kind = next((w for w in words if w in ("Elementary", "Middle", "High")), "")
        school = " ".join(words[: words.index(kind) + 1]) if kind else ""
        schools[team.id] = school
    first_year = (today.year if (today.month, today.day) >= (8, 20) else today.year - 1) - YEARS
    with ctx.transaction() as tables:
        goals = _Goals(ctx, tables, rng, today)
        for team in teams:
            school = schools[team.id]
            level = school.split()[-1].lower() if school else "elementary"
            goals.team(team, school, level, first_year)
        goals.store()
        # This year's goals of the first school are the small demo's: the demo
        # teacher's proposal with an objection, the coach's stale goal, and the rest.
        first = [t for t in teams if schools[t.id] == FIRST_SCHOOL]
        for spec in GOALS:
            for team in _match(first, spec["team"])[:1]:
                _make(ctx, tables, spec, team, goals.by_team[team.id], rng, today)
        # Five ended school years go where a year's first change would move them.
        store.roll_over(tables, ctx.school_year(today), ctx.school_year_starts)

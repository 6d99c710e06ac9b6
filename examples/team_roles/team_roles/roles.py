"""The team roles: who on a team builds relationships, thinks in systems, brings
new ideas and solves problems, and whether they lean to discovery (imagining what
could be) or delivery (making it happen). Plain Python: no plc, no Textual.

A team moves forward on strong relationships, a clear vision of what forward looks
like, and practical steps towards it; few people fill every role, so a team looks
for a balance and gives each job to the person whose strength it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean
from typing import Any

ROLES: dict[str, str] = {
    "relationships": "Relationship Builder",
    "systems": "Systems Thinker",
    "innovation": "Innovator",
    "solving": "Problem Solver",
}
SKILLS = {"discovery": "Discovery", "delivery": "Delivery"}

# (id, statement, what it measures): two statements per role, three per skill set.
STATEMENTS: tuple[tuple[str, str, str], ...] = (
    ("r1", "I notice when a colleague is struggling and check in with them.", "relationships"),
    ("r2", "I make sure every voice is heard before the team decides.", "relationships"),
    ("s1", "I see how our team's work fits the school's priorities.", "systems"),
    ("s2", "I like turning a plan into steps, roles and dates.", "systems"),
    ("i1", "I often suggest a new way to teach or to look at the data.", "innovation"),
    ("i2", "I am comfortable trying something untested in my classroom.", "innovation"),
    ("p1", "When we hit a snag, I am the one who proposes a fix.", "solving"),
    ("p2", "I get tasks finished, even the unglamorous ones.", "solving"),
    ("d1", "I ask 'what if...?' questions in meetings.", "discovery"),
    ("d2", "I look at how other schools or teams do things.", "discovery"),
    ("d3", "I enjoy imagining what our team could become.", "discovery"),
    ("v1", "I like to check that we did what we said we would.", "delivery"),
    ("v2", "I keep track of details others might miss.", "delivery"),
    ("v3", "I would rather finish one thing than start three.", "delivery"),
)
SCALE = (
    ("Not like me", 1),
    ("A little", 2),
    ("Somewhat", 3),
    ("Mostly", 4),
    ("Very like me", 5),
)
STRONG = 4.0  # a role scored this high is a strength


def check_answers(answers: dict[str, Any]) -> dict[str, int]:
    """Every statement rated 1 to 5; raises ValueError naming what is wrong."""
    clean: dict[str, int] = {}
    for sid, text, _kind in STATEMENTS:
        value = answers.get(sid)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValueError(f"rate {sid} ({text!r}) from 1 (not like me) to 5 (very like me)")
        clean[sid] = value
    unknown = sorted(set(answers) - set(clean))
    if unknown:
        raise ValueError(f"no such statements: {', '.join(unknown)}")
    return clean


@dataclass(frozen=True)
class Profile:
    """One person's scores: each role and skill set from 1 to 5."""

    scores: dict[str, float]

    @property
    def strengths(self) -> list[str]:
        """Their strongest roles: the top score, and any other scored as a strength."""
        roles = {r: self.scores[r] for r in ROLES}
        top = max(roles.values())
        return [r for r, s in roles.items() if s == top or s >= STRONG]

    @property
    def lean(self) -> str:
        """``discovery``, ``delivery`` or ``balanced``."""
        gap = self.scores["discovery"] - self.scores["delivery"]
        return "balanced" if abs(gap) < 0.5 else ("discovery" if gap > 0 else "delivery")


def profile(answers: dict[str, int]) -> Profile:
    kinds = {*ROLES, *SKILLS}
    scores = {
        kind: round(mean(answers[sid] for sid, _t, k in STATEMENTS if k == kind), 1)
        for kind in kinds
    }
    return Profile(scores)


@dataclass(frozen=True)
class Balance:
    """Which roles a team has as strengths and which it lacks."""

    by_role: dict[str, list[str]]  # role -> logins for whom it is a strength
    discovery: list[str]
    delivery: list[str]
    not_assessed: list[str]

    @property
    def missing(self) -> list[str]:
        return [r for r, people in self.by_role.items() if not people]


def balance(profiles: dict[str, Profile], team: list[str]) -> Balance:
    by_role: dict[str, list[str]] = {r: [] for r in ROLES}
    discovery, delivery = [], []
    for login in team:
        found = profiles.get(login)
        if found is None:
            continue
        for role in found.strengths:
            by_role[role].append(login)
        if found.lean == "discovery":
            discovery.append(login)
        elif found.lean == "delivery":
            delivery.append(login)
    return Balance(by_role, discovery, delivery, [m for m in team if m not in profiles])


def suggest(profiles: dict[str, Profile], team: list[str]) -> dict[str, str]:
    """One person per role, strongest first; each person leads one role until every
    assessed person has one. Roles no one is strong in still get the best fit."""
    assessed = [m for m in team if m in profiles]
    chosen: dict[str, str] = {}
    load: dict[str, int] = dict.fromkeys(assessed, 0)
    # The rarest strength is placed first, so a plentiful one does not take its person.
    order = sorted(ROLES, key=lambda r: sum(r in profiles[m].strengths for m in assessed))
    for role in order:
        if not assessed:
            break
        best = max(assessed, key=lambda m: (-load[m], profiles[m].scores[role], m))
        chosen[role] = best
        load[best] += 1
    return chosen

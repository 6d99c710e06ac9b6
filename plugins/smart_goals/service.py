"""What people do with SMART goals, with permissions: shared by the CLI and the screens.

Every method takes its own transaction, checks who may do it, and emits events
once the change is saved: ``goal.created``, ``goal.updated``, ``goal.agreed``,
``goal.objected``, ``goal.checked_in``, ``goal.status_changed`` (with ``old``
and ``new``) and ``goal.met``. Event data holds ids and statuses only.

Who may do what: a team's members, coaches and admins see its goals and change
them (propose, edit, agree or object, check in); other members see only their
own teams' goals. Nothing here knows about Textual or click.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from plc_tui.api import (
    Context,
    Member,
    PermissionDenied,
    PLCError,
    RevisionConflict,
    Template,
    ValidationError,
    check_revision,
    has_words,
    merge_fields,
    school_year_label,
)
from plc_tui.api import clean as clean_text

from . import checker, export, store
from .consensus import Tally, tally
from .model import TEXT_MAX, export_goal, is_percent, number, parse_date, parse_goal, smart_content
from .status import GoalStatus, ended_status, goal_status, stale_days
from .years import goal_year

NOTE_MAX = 500
REASON_MAX = 500
REMINDER_DAYS = 7


@dataclass(frozen=True)
class GoalRow:
    """One line of a goal list, with its status for today."""

    id: int
    team: str
    team_name: str
    title: str
    state: str
    status: str
    reason: str
    progress: float | None
    expected: float | None
    baseline: float | None
    target: float | None
    unit: str
    latest: float | None
    last_check_in: str | None
    deadline: str | None
    owners: list[str] = field(default_factory=list)
    my_vote: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "owners": list(self.owners)}

    def matches(self, query: str) -> bool:
        """Whether every word of ``query`` is in the goal's title, team or status."""
        return has_words(f"{self.title} {self.team_name} {self.status}", query)


@dataclass(frozen=True)
class Reminder:
    """Something a member should do about a goal: ``agree``, ``check-in``,
    ``checkpoint`` or ``action``."""

    kind: str
    goal: int
    title: str
    team: str
    text: str
    due: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


class Goals:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- helpers ----------------------------------------------------------------

    @property
    def member(self) -> Member:
        return self.ctx.require_member()

    @property
    def stale_days(self) -> int:
        return stale_days(self.ctx.settings)

    def today(self) -> date:
        return self.ctx.today()

    @property
    def year_starts(self) -> tuple[int, int]:
        return self.ctx.school_year_starts

    def this_year(self) -> int:
        """This school year (``2026`` for 2026-27)."""
        return self.ctx.school_year()

    def years(self) -> list[int]:
        """This school year and every ended one with goals, latest first."""
        this_year, starts = self.this_year(), self.year_starts
        with self.ctx.read() as tables:
            past = set(store.past_years(tables))
            # Goals of an ended year still wait in `goals` until the first change
            # of the new year moves them (see _transaction).
            for goal in store.list_goals(tables):
                year = goal_year(goal, starts)
                if year is not None and year < this_year:
                    past.add(year)
        return [this_year, *sorted(past, reverse=True)]

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """A transaction in which the goals of ended school years have moved to
        ``past_goals`` first, so a change never lands on a settled goal."""
        with self.ctx.transaction() as tables:
            store.roll_over(tables, self.this_year(), self.year_starts)
            yield tables

    def goals_of(
        self, tables: Any, year: int | None = None, *, outlines: bool = False
    ) -> list[dict[str, Any]]:
        """This year's goals (and later ones), or those of ``year``; with
        ``outlines`` this year's in outline (``store.list_outlines``: enough for
        statuses and reminders).

        An ended year's goals that no change has moved yet are read where they
        are, marked ``ended_year`` as if they had moved.
        """
        this_year, starts = self.this_year(), self.year_starts
        wanted = None if year is None or year >= this_year else year
        out: list[dict[str, Any]] = []
        current = store.list_outlines(tables) if outlines else store.list_goals(tables)
        for goal in current:
            at = goal_year(goal, starts)
            ended = at is not None and at < this_year
            if wanted is None and not ended:
                out.append(goal)
            elif wanted is not None and at == wanted:
                out.append({**goal, "ended_year": at})
        if wanted is not None:
            out += store.list_past(tables, wanted)
        return out

    def team_names(self) -> dict[str, str]:
        return {t.id: t.name for t in self.ctx.community.teams()}

    def names(self) -> dict[str, str]:
        return self.ctx.community.names()

    def team_logins(self, team: str) -> list[str]:
        return self.ctx.community.rosters().get(team, [])

    def _require_view(self, goal: dict[str, Any]) -> None:
        if not self.ctx.can("team.view", team=goal["team"]):
            raise PermissionDenied(
                f"goal {goal['id']} belongs to another team; its members, coaches and "
                f"admins can see it."
            )

    def _require_edit(self, team: str, what: str) -> None:
        if not self.ctx.can("team.edit", team=team):
            name = self.team_names().get(team, team)
            raise PermissionDenied(
                f"only members of {name}, coaches and admins can {what} its goals."
            )

    def _visible(self, goals: list[dict[str, Any]], team: str | None) -> list[dict[str, Any]]:
        if team is not None:
            team_id = self.ctx.community.team(team).id
            if not self.ctx.can("team.view", team=team_id):
                raise PermissionDenied(
                    "you can see the goals of your own teams; coaches and admins see every team's."
                )
            return [g for g in goals if g["team"] == team_id]
        member = self.member
        if member.is_leader:
            return goals
        return [g for g in goals if member.in_team(g["team"])]

    def _people(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        """Logins by team and names by login, read once for a whole list."""
        return self.ctx.community.rosters(), self.ctx.community.names()

    def _status(
        self,
        goal: dict[str, Any],
        today: date | None = None,
        people: tuple[dict[str, list[str]], dict[str, str]] | None = None,
    ) -> GoalStatus:
        if "ended_year" in goal:
            return ended_status(goal, school_year_label(goal["ended_year"]))
        by_team, names = people or self._people()
        consensus = (
            tally(goal, by_team.get(goal["team"], [])) if goal["state"] == "proposed" else None
        )
        return goal_status(
            goal,
            today or self.today(),
            stale_after=self.stale_days,
            consensus=consensus,
            names=names,
        )

    def _settle(self, tables: Any, goal: dict[str, Any]) -> GoalStatus:
        """Save the goal's new status; emit status_changed and met when they change."""
        today = self.today()
        current = self._status(goal, today)
        old = goal.get("status")
        if current.status != old:
            fields: dict[str, Any] = {"status": current.status}
            if current.status == "met" and not goal.get("met_on"):
                fields["met_on"] = today.isoformat()
            store.update_goal(tables, goal["id"], fields)
            self.ctx.emit(
                "goal.status_changed",
                goal=goal["id"],
                team=goal["team"],
                old=old,
                new=current.status,
            )
            if current.status == "met":
                self.ctx.emit("goal.met", goal=goal["id"], team=goal["team"])
        return current

    # -- reading ----------------------------------------------------------------

    def list(self, team: str | None = None, year: int | None = None) -> list[GoalRow]:
        """This school year's goals I may see (my teams', or every team's for
        leaders), or one team's; those of an ended school year with ``year``."""
        with self.ctx.read() as tables:
            goals = self._visible(self.goals_of(tables, year), team)
        names = self.team_names()
        people = self._people()
        today = self.today()
        me = self.member.login
        rows = []
        for goal in goals:
            current = self._status(goal, today, people)
            m = goal.get("measurable") or {}
            latest = goal.get("latest")
            rows.append(
                GoalRow(
                    id=goal["id"],
                    team=goal["team"],
                    team_name=names.get(goal["team"], goal["team"]),
                    title=goal["title"],
                    state=goal["state"],
                    status=current.status,
                    reason=current.reason,
                    progress=current.progress,
                    expected=current.expected,
                    baseline=m.get("baseline"),
                    target=m.get("target"),
                    unit=m.get("unit") or "",
                    latest=latest["value"] if latest else None,
                    last_check_in=latest["date"] if latest else None,
                    deadline=(goal.get("timely") or {}).get("deadline"),
                    owners=list(goal.get("owners") or []),
                    my_vote=(goal.get("votes") or {}).get(me, {}).get("vote"),
                )
            )
        return sorted(rows, key=lambda r: (r.team_name.casefold(), r.id))

    def get(self, gid: Any) -> dict[str, Any]:
        """The stored goal (with ``id``, and ``ended_year`` once its school year has
        ended); its team's members, coaches and admins only."""
        with self.ctx.read() as tables:
            goal = store.get_goal(tables, store.goal_id(gid))
        self._require_view(goal)
        year = goal_year(goal, self.year_starts)
        if "ended_year" not in goal and year is not None and year < self.this_year():
            goal["ended_year"] = year
        return goal

    def status(self, gid: Any) -> GoalStatus:
        return self._status(self.get(gid))

    def statuses(self, team: str | None = None, year: int | None = None) -> dict[int, GoalStatus]:
        """Today's status of every goal of this school year I may see (or one
        team's), by goal id; the settled ones of an ended ``year``."""
        with self.ctx.read() as tables:
            goals = self._visible(self.goals_of(tables, year, outlines=True), team)
        today, people = self.today(), self._people()
        return {g["id"]: self._status(g, today, people) for g in goals}

    def check(self, goal: dict[str, Any]) -> list[checker.LetterResult]:
        """The live SMART check of a goal or a half-filled form (never raises)."""
        return checker.check(goal, self.today())

    def consensus(self, gid: Any) -> Tally:
        goal = self.get(gid)
        return tally(goal, self.team_logins(goal["team"]))

    def checkins(self, gid: Any) -> list[dict[str, Any]]:
        goal = self.get(gid)
        with self.ctx.read() as tables:
            return store.checkins(tables, goal["id"])

    def detail(self, gid: Any) -> dict[str, Any]:
        """Everything about one goal, JSON-ready: what ``plc goal show`` prints."""
        goal = self.get(gid)
        names = self.team_names()
        with self.ctx.read() as tables:
            entries = store.checkins(tables, goal["id"])
        return {
            "id": goal["id"],
            **export_goal(goal, names),
            "team_id": goal["team"],
            "state": goal["state"],
            "ended_year": goal.get("ended_year"),
            "author": goal.get("author"),
            "created": goal.get("created"),
            "agreed_on": goal.get("agreed_on"),
            "met_on": goal.get("met_on"),
            **self._status(goal).as_dict(),
            "smart": [r.as_dict() for r in self.check(goal)],
            "consensus": tally(goal, self.team_logins(goal["team"])).as_dict(),
            "votes": goal.get("votes") or {},
            "checkins": entries,
        }

    def export_goal(self, gid: Any) -> dict[str, Any]:
        """The goal in the import format (for editing and ``update``), with the
        ``revision`` it is at, so a save made from it is checked against later changes."""
        goal = self.get(gid)
        return {**export_goal(goal, self.team_names()), "revision": int(goal.get("revision") or 0)}

    def templates(self) -> list[Template]:
        return self.ctx.templates("goal")

    def template_draft(self, template_id: str, team: str | None = None) -> dict[str, Any]:
        """A template as a goal in the import format, with dates from today.

        The numbers and the data behind them are left empty for the team to fill
        from its own students' data; the SMART check says what is missing.
        """
        template = next((t for t in self.templates() if t.id == template_id), None)
        if template is None:
            known = ", ".join(t.id for t in self.templates())
            raise PLCError(f"no goal template {template_id!r}; templates: {known}.")
        today = self.today()
        if team is not None:
            team = self.ctx.community.team(team).name
        draft: dict[str, Any] = {"team": team or "", **copy.deepcopy(template.body)}
        if team is None and len(self.member.teams) == 1:
            draft["team"] = self.team_names().get(self.member.teams[0], "")
        weeks = int(draft.pop("weeks", 26))
        draft["timely"] = {
            "start": today.isoformat(),
            "deadline": (today + timedelta(weeks=weeks)).isoformat(),
            "checkpoints": [(today + timedelta(weeks=weeks * n // 3)).isoformat() for n in (1, 2)],
        }
        return draft

    # -- changing ---------------------------------------------------------------

    def parse(self, raw: Any) -> dict[str, Any]:
        if isinstance(raw, dict):  # an exported goal says its revision; adding ignores it
            raw = {k: v for k, v in raw.items() if k != "revision"}
        return parse_goal(raw, self.ctx.community.teams(), self.ctx.community.members())

    def add(self, raw: Any) -> int:
        """Propose a goal for a team; returns its id."""
        goal = self.parse(raw)
        self._require_edit(goal["team"], "propose")
        with self._transaction() as tables:
            gid = store.create_goal(tables, goal, author=self.member.login)
            self.ctx.emit("goal.created", goal=gid, team=goal["team"])
        return gid

    def update(self, gid: Any, raw: Any, *, base: dict[str, Any] | None = None) -> dict[str, Any]:
        """Replace a goal with ``raw`` (the import format); a changed proposal is voted again.

        If ``raw`` carries the ``revision`` it was exported at and the goal has
        changed since, the save merges field by field from ``base`` (the goal as
        the editor loaded it, also in the import format), or is refused, naming
        who changed it, when there is no base or both changed the same field.
        """
        loaded = raw.get("revision") if isinstance(raw, dict) else None
        if loaded is not None and (isinstance(loaded, bool) or not isinstance(loaded, int)):
            raise ValidationError(f"revision must be a whole number, not {loaded!r}.")
        new = self.parse(raw)
        with self._transaction() as tables:
            goal = store.current_goal(tables, store.goal_id(gid))
            self._require_edit(goal["team"], "edit")
            if loaded is not None and loaded != int(goal.get("revision") or 0):
                new = self._merge(goal, new, base, loaded)
            if new["team"] != goal["team"]:
                raise ValidationError(
                    f"goal {goal['id']} belongs to {self.team_names().get(goal['team'])}; "
                    f"a goal cannot move to another team (propose a new one there)."
                )
            fields = dict(new)
            if goal["state"] == "proposed" and smart_content(new) != smart_content(goal):
                fields["votes"] = {}
            goal = store.update_goal(tables, goal["id"], fields, by=self.member.login)
            self.ctx.emit("goal.updated", goal=goal["id"], team=goal["team"])
            self._settle(tables, goal)
        return goal

    def _merge(
        self, goal: dict[str, Any], new: dict[str, Any], base: Any, loaded: int
    ) -> dict[str, Any]:
        what = f"goal {goal['id']}"
        if base is None:
            check_revision(what, goal, loaded, names=self.names())
        base_fields = self.parse({k: v for k, v in dict(base).items() if k != "revision"})
        theirs = {k: goal.get(k) for k in new}
        merged, conflicts = merge_fields(base_fields, new, theirs)
        if conflicts:
            who = self.names().get(goal.get("changed_by") or "", "someone")
            raise RevisionConflict(
                f"{who} changed {what} while you were editing it, and you both changed "
                f"{', '.join(conflicts)}; nothing was saved. Note your changes, load the "
                f"goal again and make them there."
            )
        return merged

    def delete(self, gid: Any) -> dict[str, Any]:
        """Withdraw a proposed goal (agreed goals are kept as the team's record)."""
        with self._transaction() as tables:
            goal = store.current_goal(tables, store.goal_id(gid))
            self._require_edit(goal["team"], "withdraw")
            if goal["state"] != "proposed":
                raise ValidationError(
                    f"goal {goal['id']} was agreed by the team; only proposed goals can be "
                    f"withdrawn."
                )
            store.delete_goal(tables, goal["id"])
            self.ctx.emit("goal.deleted", goal=goal["id"], team=goal["team"])
        return goal

    def _vote(self, gid: Any, vote: dict[str, Any]) -> tuple[dict[str, Any], Tally]:
        with self._transaction() as tables:
            goal = store.current_goal(tables, store.goal_id(gid))
            self._require_edit(goal["team"], "agree on")
            if goal["state"] != "proposed":
                raise ValidationError(
                    f"the team already agreed on goal {goal['id']} on {goal.get('agreed_on')}; "
                    f"bring changes to your next review."
                )
            if vote["vote"] == "agree" and not self.member.in_team(goal["team"]):
                # Only the team's members count towards agreement; an agreement from
                # outside would be thanked for and then ignored. A coach or admin
                # outside the team may still object, and the team sees why.
                raise ValidationError(
                    f"only members of the goal's team agree to goal {goal['id']}; you are "
                    f"not in that team (you can still object, with a reason)."
                )
            earlier = (goal.get("votes") or {}).get(self.member.login, {}).get("vote")
            if earlier == "agree" and vote["vote"] == "agree":
                raise ValidationError(f"you already agreed to goal {goal['id']}.")
            if vote["vote"] == "agree":
                gaps = checker.unmet(goal, self.today())
                if gaps:
                    raise ValidationError(
                        f"goal {goal['id']} is not SMART yet, so it cannot be agreed: "
                        f"{'; '.join(gaps)}."
                    )
            votes = {**(goal.get("votes") or {}), self.member.login: vote}
            goal = store.update_goal(tables, goal["id"], {"votes": votes})
            result = tally(goal, self.team_logins(goal["team"]))
            if vote["vote"] == "object":
                self.ctx.emit("goal.objected", goal=goal["id"], team=goal["team"])
            elif result.reached:
                goal = store.update_goal(
                    tables, goal["id"], {"state": "agreed", "agreed_on": self.today().isoformat()}
                )
                self.ctx.emit("goal.agreed", goal=goal["id"], team=goal["team"])
                self._settle(tables, goal)
        return goal, result

    def agree(self, gid: Any) -> Tally:
        """Agree to a proposed goal; it becomes active once enough of the team agree."""
        return self._vote(gid, {"vote": "agree", "reason": "", "date": self.today().isoformat()})[1]

    def object(self, gid: Any, reason: str) -> Tally:
        """Object to a proposed goal, saying why; it stays proposed."""
        reason = clean_text(reason, field="Reason for objecting", max_length=REASON_MAX)
        return self._vote(
            gid, {"vote": "object", "reason": reason, "date": self.today().isoformat()}
        )[1]

    def check_in(
        self,
        gid: Any,
        value: Any,
        confidence: Any = 3,
        note: str = "",
        on: date | str | None = None,
    ) -> GoalStatus:
        """Record a measured value (and the team's confidence, 1-5) for an agreed goal."""
        measured = number(value, "Value")
        if measured is None:
            raise ValidationError("a check-in needs the measured value: a number, such as 68.")
        level = number(confidence, "Confidence") if confidence not in (None, "") else 3
        if not isinstance(level, int) or not 1 <= level <= 5:
            raise ValidationError(
                "confidence must be a whole number from 1 (not confident) to 5 (very confident)."
            )
        text = clean_text(
            note or "", field="Note", max_length=NOTE_MAX, multiline=True, required=False
        )
        today = self.today()
        when = parse_date(on, "Check-in date") or today.isoformat()
        if when > today.isoformat():
            raise ValidationError(f"the check-in date {when} is in the future.")
        with self._transaction() as tables:
            goal = store.current_goal(tables, store.goal_id(gid))
            self._require_edit(goal["team"], "check in on")
            if goal["state"] == "proposed":
                raise ValidationError(
                    f"goal {goal['id']} is still proposed: check-ins start once the team "
                    f"agrees on it (`plc goal agree {goal['id']}`)."
                )
            unit = (goal.get("measurable") or {}).get("unit")
            if is_percent(unit) and not 0 <= measured <= 100:
                raise ValidationError(
                    f"the value must be a percentage from 0 to 100 (goal {goal['id']} is "
                    f"measured in %)."
                )
            latest = store.add_checkin(
                tables,
                goal["id"],
                {
                    "date": when,
                    "value": measured,
                    "confidence": level,
                    "note": text,
                    "by": self.member.login,
                    "recorded": store.now(),
                },
            )
            goal = store.update_goal(tables, goal["id"], {"latest": latest})
            self.ctx.emit("goal.checked_in", goal=goal["id"], team=goal["team"])
            return self._settle(tables, goal)

    def set_action_done(self, gid: Any, number_: int, done: bool = True) -> dict[str, Any]:
        """Tick (or untick) action step ``number_`` (1-based, as listed)."""
        with self._transaction() as tables:
            goal = store.current_goal(tables, store.goal_id(gid))
            self._require_edit(goal["team"], "update")
            actions = [dict(a) for a in goal.get("actions") or []]
            if not isinstance(number_, int) or not 1 <= number_ <= len(actions):
                raise ValidationError(
                    f"goal {goal['id']} has {len(actions)} action step(s); "
                    f"there is no step {number_}."
                )
            actions[number_ - 1]["done"] = done
            store.update_goal(tables, goal["id"], {"actions": actions}, by=self.member.login)
            self.ctx.emit("goal.updated", goal=goal["id"], team=goal["team"])
        return actions[number_ - 1]

    def add_evidence(self, gid: Any, text: str) -> dict[str, Any]:
        """Note a piece of evidence (student work, a data file, an observation)."""
        entry = {
            "text": clean_text(text, field="Evidence", max_length=TEXT_MAX, multiline=True),
            "date": self.today().isoformat(),
        }
        with self._transaction() as tables:
            goal = store.current_goal(tables, store.goal_id(gid))
            self._require_edit(goal["team"], "update")
            evidence = [*(goal.get("evidence") or []), entry]
            store.update_goal(tables, goal["id"], {"evidence": evidence}, by=self.member.login)
            self.ctx.emit("goal.updated", goal=goal["id"], team=goal["team"])
        return entry

    # -- reminders ----------------------------------------------------------------

    def reminders(self, member: Member | None = None) -> list[Reminder]:
        """What ``member`` (default: me) should do now about their teams' goals.

        Agree or object to a proposal they have not voted on; check in when no one
        has for ``stale_days`` (owners only, when the goal has owners); a review
        checkpoint or deadline within a week; their own action steps due within a
        week or overdue.
        """
        member = member or self.member
        if member.login != self.member.login and not self.ctx.can("lead"):
            raise PermissionDenied("only coaches and admins can see another member's reminders.")
        today = self.today()
        soon = (today + timedelta(days=REMINDER_DAYS)).isoformat()
        names = self.team_names()
        with self.ctx.read() as tables:
            goals = [g for g in self.goals_of(tables, outlines=True) if member.in_team(g["team"])]
        people = self._people()
        out: list[Reminder] = []
        for goal in sorted(goals, key=lambda g: g["id"]):
            gid, title = goal["id"], goal["title"]
            team = names.get(goal["team"], goal["team"])
            if goal["state"] == "proposed":
                if member.login not in (goal.get("votes") or {}):
                    out.append(Reminder("agree", gid, title, team, f"Agree or object: {title}"))
                continue
            current = self._status(goal, today, people)
            if current.status == "met":
                continue
            timely = goal.get("timely") or {}
            owners = goal.get("owners") or []
            started = (timely.get("start") or "") <= today.isoformat()
            if started and (not owners or member.login in owners):
                since = current.days_since_check_in
                if since is None or since >= self.stale_days:
                    when = "no check-in yet" if since is None else f"last one {since} days ago"
                    out.append(
                        Reminder("check-in", gid, title, team, f"Check in ({when}): {title}")
                    )
            for checkpoint in timely.get("checkpoints") or []:
                if today.isoformat() <= checkpoint <= soon:
                    out.append(
                        Reminder(
                            "checkpoint",
                            gid,
                            title,
                            team,
                            f"Review checkpoint on {checkpoint}: {title}",
                            checkpoint,
                        )
                    )
            deadline = timely.get("deadline")
            if deadline and today.isoformat() <= deadline <= soon:
                out.append(
                    Reminder(
                        "checkpoint", gid, title, team, f"Deadline on {deadline}: {title}", deadline
                    )
                )
            for action in goal.get("actions") or []:
                if action.get("owner") == member.login and not action.get("done"):
                    due = action.get("due")
                    if due and due <= soon:
                        late = "overdue since" if due < today.isoformat() else "due"
                        out.append(
                            Reminder(
                                "action",
                                gid,
                                title,
                                team,
                                f"Action {late} {due}: {action['text']}",
                                due,
                            )
                        )
        order = {"agree": 0, "check-in": 1, "checkpoint": 2, "action": 3}
        return sorted(out, key=lambda r: (order[r.kind], r.due or "", r.goal))

    # -- exports ------------------------------------------------------------------

    def _export_data(
        self, team: str | None, year: int | None = None
    ) -> list[tuple[dict[str, Any], GoalStatus, Tally]]:
        with self.ctx.read() as tables:
            goals = self._visible(self.goals_of(tables, year), team)
        today, people = self.today(), self._people()
        return [
            (
                goal,
                self._status(goal, today, people),
                tally(goal, people[0].get(goal["team"], [])),
            )
            for goal in sorted(goals, key=lambda g: g["id"])
        ]

    def export_markdown(self, team: str | None = None, year: int | None = None) -> str:
        """A team's goal sheet (or every team's I may see) in Markdown, ready to print:
        this school year's, or an ended ``year``'s."""
        return export.markdown(
            self._export_data(team, year),
            team_names=self.team_names(),
            names=self.names(),
            community=self.ctx.community.name,
            today=self.today(),
        )

    def export_csv(self, team: str | None = None, year: int | None = None) -> str:
        """One row per goal: the numbers, status and reason (for spreadsheets)."""
        return export.csv_text(self._export_data(team, year), team_names=self.team_names())

    def summary(self, team: str | None = None, year: int | None = None) -> Counter[str]:
        """How many goals of this school year (or ``year``) I may see are in each status."""
        return Counter(s.status for s in self.statuses(team, year).values())

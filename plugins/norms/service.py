"""A team's norms agreement: proposals, consensus, charter versions, re-agreement.

Tables (declared in ``register_tables``):

``charters``
    one document per team: ``version`` (0 before any norm is adopted), ``norms``
    (``[{"id", "text", "category", "since"}]``, the adopted charter), ``share``
    (the consensus rule: the share of members who must agree, default all),
    ``agreed`` (``{login: version}``: the charter version each member agreed
    to), ``history`` (every version: ``{"version", "date", "change", "norms"}``)
    and ``revision``.
``proposals``
    one document per proposal: ``kind`` (``add``, ``edit`` or ``remove``),
    ``norm`` (the adopted norm an edit or removal is about), ``text``,
    ``category``, ``votes`` (see :func:`plc_tui.api.tally_votes`), ``comments``,
    ``state`` (``open``, ``adopted``, ``withdrawn`` or ``outdated``), ``author``
    and ``created``.

A proposal is adopted when no one objects and the team's share of members
agree; adopting it makes a new charter version, which every member who agreed
to the proposal has agreed to. A member who joins later, or who did not vote,
is asked to agree to the current charter. An edit or removal is itself a
proposal, so a changed norm needs agreement again. Plain Python over the
public plugin API.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from plc_tui.api import (
    Context,
    NotFound,
    PermissionDenied,
    Tally,
    ValidationError,
    clean,
    parse_id,
    tally_votes,
)

from .model import COMMENT_MAX, REASON_MAX, category_name, parse_category, parse_text

KINDS = ("add", "edit", "remove", "rule")
CHECK_LABELS = ["Not at all", "A little", "Partly", "Mostly", "Fully"]
CHECK_WEEKS = 4


def rule_words(share: float) -> str:
    if share >= 1:
        return "a norm is adopted when everyone agrees."
    return f"a norm is adopted when {round(share * 100)}% of the team agree and no one objects."


def not_agreed(charter: dict[str, Any], logins: list[str]) -> list[str]:
    """Of ``logins``, those who have not agreed to the charter's current version
    (no one, before the first norm is adopted)."""
    version = charter["version"]
    return [login for login in logins if version and charter["agreed"].get(login, 0) < version]


def _first_adopted(charter: dict[str, Any]) -> str | None:
    """When a charter's first norms were adopted (a charter or its outline)."""
    if "first" in charter:
        return charter["first"]
    history = charter.get("history") or []
    return history[0]["date"] if history else None


def _charter_outlines(docs: Any) -> dict[str, dict[str, Any]]:
    return {
        doc["team"]: {
            "version": doc["version"],
            "norms": len(doc["norms"]),
            "agreed": doc["agreed"],
            "first": _first_adopted(doc),
        }
        for doc in docs.values()
    }


def _open_proposals(docs: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for key, doc in sorted(docs.items(), key=lambda item: int(item[0])):
        if doc["state"] == "open":
            out.setdefault(doc["team"], []).append(
                {"id": int(key), "text": doc["text"], "voters": sorted(doc.get("votes") or {})}
            )
    return out


def check_weeks(settings: dict[str, Any]) -> int:
    """``[plugins.norms] check_weeks``: weeks between norms checks (default 4)."""
    value = settings.get("check_weeks", CHECK_WEEKS)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 52:
        return CHECK_WEEKS
    return value


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _id(value: Any, what: str = "proposal") -> int:
    return parse_id(value, what, "plc norms show --team T")


class Norms:
    """The norms of the teams ``ctx``'s member may see, as that member."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def member(self) -> Any:
        return self.ctx.require_member()

    # -- reading ---------------------------------------------------------------------

    def team(self, name_or_id: str | None) -> Any:
        """A team by name or id (``NotFound`` lists the teams), or with ``None``
        the member's own team when they are in exactly one."""
        if name_or_id is None:
            member = self.member
            if len(member.teams) == 1:
                return self.ctx.community.team(member.teams[0])
            teams = self.ctx.community.teams()
            mine = [t.name for t in teams if member.in_team(t.id)]
            where = f"you are in {', '.join(mine)}" if mine else "you are in no team"
            raise ValidationError(f"say which team (--team): {where}.")
        return self.ctx.community.team(name_or_id)

    def team_logins(self, team_id: str) -> list[str]:
        return self.ctx.community.rosters().get(team_id, [])

    def charter(self, team_id: str) -> dict[str, Any]:
        self.ctx.require("team.view", team=team_id)
        with self.ctx.read() as tables:
            return self._charter(tables, team_id)

    @staticmethod
    def _charter(tables: Any, team_id: str) -> dict[str, Any]:
        doc = next((d for d in tables.documents("charters") if d["team"] == team_id), None)
        if doc is None:
            return {
                "team": team_id,
                "version": 0,
                "norms": [],
                "share": 1.0,
                "agreed": {},
                "history": [],
                "revision": 0,
            }
        return dict(doc)

    def proposals(self, team_id: str, *, open_only: bool = True) -> list[dict[str, Any]]:
        self.ctx.require("team.view", team=team_id)
        with self.ctx.read() as tables:
            docs = [
                dict(d)
                for d in tables.documents("proposals")
                if d["team"] == team_id and (d["state"] == "open" or not open_only)
            ]
        return sorted(docs, key=lambda d: d["id"])

    def proposal(self, pid: Any) -> dict[str, Any]:
        number = _id(pid)
        with self.ctx.read() as tables:
            doc = tables.table("proposals").get(doc_id=number)
        if doc is None:
            raise NotFound(f"there is no norms proposal {number}.")
        self.ctx.require("team.view", team=doc["team"])
        return {**doc, "id": number}

    def tally(self, proposal: dict[str, Any], charter: dict[str, Any] | None = None) -> Tally:
        share = (charter or self.charter(proposal["team"])).get("share", 1.0)
        return tally_votes(proposal.get("votes"), self.team_logins(proposal["team"]), share)

    def waiting_for(self, team_id: str) -> list[str]:
        """Members who have not agreed to the current charter version."""
        return not_agreed(self.charter(team_id), self.team_logins(team_id))

    def to_do(self) -> list[tuple[str, str, Any]]:
        """What this member is asked to do: ``(team id, what, proposal id or None)``:
        agree to the charter, vote on proposals, rate an open norms check, or
        start one when it is due."""
        member = self.member
        charters, proposals = self._outlines()
        out: list[tuple[str, str, Any]] = []
        for team_id in member.teams:
            self.ctx.require("team.view", team=team_id)
            charter = charters.get(team_id) or {"version": 0, "norms": 0, "agreed": {}}
            if not_agreed(charter, [member.login]):
                out.append((team_id, f"agree to the norms (version {charter['version']})", None))
            for proposal in proposals.get(team_id, []):
                if member.login not in proposal["voters"]:
                    out.append((team_id, f"vote on: {proposal['text']}", proposal["id"]))
            if charter["norms"]:
                schedule = self.check_schedule(team_id, charter)
                current = schedule["open"]
                if current is not None and not current["answered"]:
                    out.append((team_id, f"rate the norms check (until {current['closes']})", None))
                elif current is None and schedule["due"] <= self.ctx.today().isoformat():
                    out.append((team_id, "norms check due: how well did the team keep them?", None))
        return out

    def _outlines(self) -> tuple[dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]]]:
        """Every team's charter in outline (``version``, how many ``norms``,
        ``agreed``, ``first`` adopted on) and open proposals (``id``, ``text``,
        ``voters``), by team: what the card and the overview need, kept as
        summaries beside the two files rather than read from them."""
        with self.ctx.read() as tables:
            charters = tables.summary("charters", "outlines", _charter_outlines)
            proposals = tables.summary("proposals", "open", _open_proposals)
        return charters, proposals

    def check_schedule(self, team_id: str, charter: dict[str, Any] | None = None) -> dict[str, Any]:
        """``{"open": the open check or None, "last": date of the latest check or
        None, "due": when the next check is due, "weeks": the cadence, "checks": the
        checks, without their statements}``. The first
        check is due ``check_weeks`` after the first norms were adopted."""
        charter = charter or self.charter(team_id)
        weeks = check_weeks(self.ctx.settings)
        checks = self._checks().checks(team_id, "norms", statements=False)
        current = next((c for c in reversed(checks) if c["status"] == "open"), None)
        last = max((c["opens"] for c in checks if c["opens"]), default=None)
        since = last or _first_adopted(charter)
        start = date.fromisoformat(since) if since else self.ctx.today()
        return {
            "open": current,
            "last": last,
            "due": (start + timedelta(weeks=weeks)).isoformat(),
            "weeks": weeks,
            "checks": checks,
        }

    def my_teams(self) -> list[Any]:
        """The teams whose norms this member sees: their own, or every team for a
        coach or an admin."""
        member = self.member
        teams = self.ctx.community.teams()
        return teams if member.is_leader else [t for t in teams if member.in_team(t.id)]

    def overview(self) -> list[dict[str, Any]]:
        """One row per team this member sees: ``{"team", "name", "version",
        "norms", "members", "agreed", "open", "mine"}`` (``mine``: proposals and
        charter agreements waiting for this member). One read for every team."""
        member = self.member
        teams = self.my_teams()
        charters, open_by_team = self._outlines()
        by_team = self.ctx.community.rosters()
        rows = []
        for team in teams:
            logins = by_team.get(team.id, [])
            charter = charters.get(team.id) or {"version": 0, "norms": 0, "agreed": {}}
            version = charter["version"]
            proposals = open_by_team.get(team.id, [])
            waiting = not_agreed(charter, logins)
            mine = 0
            if member.in_team(team.id):
                mine += sum(1 for p in proposals if member.login not in p["voters"])
                mine += int(member.login in waiting)
            rows.append(
                {
                    "team": team.id,
                    "name": team.name,
                    "version": version,
                    "norms": charter["norms"],
                    "members": len(logins),
                    "agreed": len(logins) - len(waiting) if version else 0,
                    "open": len(proposals),
                    "mine": mine,
                }
            )
        return rows

    def view(self, team: str | None) -> dict[str, Any]:
        """Everything the charter screen shows for one team, read at once:
        ``team`` (id, name), ``charter``, ``proposals`` (open, each with its
        ``tally``), ``names`` (login to name), ``members`` (the team's logins),
        ``waiting`` (yet to agree to the charter), ``kept`` (norm id to its latest
        check mean, or None), ``schedule`` (see :meth:`check_schedule`), ``me``
        (the member's login) and ``in_team``."""
        team_obj = self.team(team)
        charter = self.charter(team_obj.id)
        logins = self.team_logins(team_obj.id)
        proposals = [
            {**p, "tally": tally_votes(p.get("votes"), logins, charter.get("share", 1.0))}
            for p in self.proposals(team_obj.id)
        ]
        kept: dict[int, float | None] = {}
        schedule = None
        if charter["norms"]:
            kept = {r["norm"]: r["latest"] for r in self.check_results(team_obj.id)}
            schedule = self.check_schedule(team_obj.id, charter)
        member = self.member
        return {
            "team": {"id": team_obj.id, "name": team_obj.name},
            "charter": charter,
            "proposals": proposals,
            "names": self.ctx.community.names(),
            "members": logins,
            "waiting": not_agreed(charter, logins),
            "kept": kept,
            "schedule": schedule,
            "me": member.login,
            "in_team": member.in_team(team_obj.id),
        }

    # -- proposing -------------------------------------------------------------------

    def propose(self, team: str | None, text: str, category: str) -> int:
        """Propose a new norm for ``team``; returns the proposal id."""
        team_id = self.team(team).id
        self.ctx.require("team.edit", team=team_id)
        return self._new_proposal(team_id, "add", None, parse_text(text), parse_category(category))

    def starter_sets(self) -> list[Any]:
        """Sets of norms to start from: templates of kind ``"norms"`` (the built-in
        starters and any a school's plugin registers), each ``body["norms"]`` a
        list of ``{"text", "category"}``."""
        return [t for t in self.ctx.templates("norms") if t.body.get("norms")]

    def propose_many(self, team: str | None, norms: list[dict[str, Any]]) -> list[int]:
        """Propose several norms at once (a starter set): all are checked first, and
        all are proposed or none is. Returns the proposal ids."""
        team_id = self.team(team).id
        self.ctx.require("team.edit", team=team_id)
        checked = [(parse_text(n.get("text")), parse_category(n.get("category"))) for n in norms]
        if not checked:
            raise ValidationError("there are no norms to propose.")
        with self.ctx.transaction():
            # One transaction: a lock or a refusal half-way leaves none proposed.
            return [self._new_proposal(team_id, "add", None, t, c) for t, c in checked]

    def propose_change(
        self, team: str | None, norm: Any, text: str, category: str | None = None
    ) -> int:
        """Propose new words for an adopted norm (agreed again before it counts)."""
        team_id = self.team(team).id
        self.ctx.require("team.edit", team=team_id)
        current = self._adopted_norm(team_id, norm)
        return self._new_proposal(
            team_id,
            "edit",
            current["id"],
            parse_text(text),
            parse_category(category) if category else current["category"],
        )

    def propose_removal(self, team: str | None, norm: Any) -> int:
        team_id = self.team(team).id
        self.ctx.require("team.edit", team=team_id)
        current = self._adopted_norm(team_id, norm)
        return self._new_proposal(
            team_id, "remove", current["id"], current["text"], current["category"]
        )

    def _adopted_norm(self, team_id: str, norm: Any) -> dict[str, Any]:
        number = _id(norm, "norm")
        charter = self.charter(team_id)
        found = next((n for n in charter["norms"] if n["id"] == number), None)
        if found is None:
            numbers = ", ".join(str(n["id"]) for n in charter["norms"]) or "none yet"
            raise NotFound(f"the team's charter has no norm {number}; its norms: {numbers}.")
        return found

    def _new_proposal(
        self, team_id: str, kind: str, norm: int | None, text: str, category: str, **extra: Any
    ) -> int:
        with self.ctx.transaction() as tables:
            pid = tables.table("proposals").insert(
                {
                    **extra,
                    "team": team_id,
                    "kind": kind,
                    "norm": norm,
                    "text": text,
                    "category": category,
                    "votes": {},
                    "comments": [],
                    "state": "open",
                    "author": self.member.login,
                    "created": _now(),
                }
            )
            self.ctx.emit("norms.proposed", proposal=pid, team=team_id)
        return pid

    def comment(self, pid: Any, text: str) -> None:
        proposal = self.proposal(pid)
        self.ctx.require("team.view", team=proposal["team"])
        words = clean(text, field="The comment", max_length=COMMENT_MAX, multiline=True)
        with self.ctx.transaction() as tables:
            doc = tables.table("proposals").get(doc_id=proposal["id"])
            comments = [
                *doc.get("comments", []),
                {"by": self.member.login, "text": words, "date": self.ctx.today().isoformat()},
            ]
            tables.table("proposals").update({"comments": comments}, doc_ids=[proposal["id"]])

    def withdraw(self, pid: Any) -> None:
        proposal = self.proposal(pid)
        if proposal["author"] != self.member.login and not self.member.is_leader:
            raise PermissionDenied(
                "only who proposed it, a coach or an admin withdraws a proposal."
            )
        self._close(proposal, "withdrawn")

    def _close(self, proposal: dict[str, Any], state: str) -> None:
        if proposal["state"] != "open":
            raise ValidationError(f"proposal {proposal['id']} is already {proposal['state']}.")
        with self.ctx.transaction() as tables:
            tables.table("proposals").update({"state": state}, doc_ids=[proposal["id"]])

    # -- deciding --------------------------------------------------------------------

    def agree(self, pid: Any) -> Tally:
        return self._vote(pid, "agree", "")

    def object(self, pid: Any, reason: str) -> Tally:
        words = clean(reason, field="Reason for objecting", max_length=REASON_MAX)
        return self._vote(pid, "object", words)

    def _vote(self, pid: Any, vote: str, reason: str) -> Tally:
        member = self.member
        with self.ctx.transaction() as tables:
            doc = tables.table("proposals").get(doc_id=_id(pid))
            if doc is None:
                raise NotFound(f"there is no norms proposal {pid}.")
            team_id = doc["team"]
            if vote == "agree" and not member.in_team(team_id):
                raise ValidationError(
                    "only members of the team agree to its norms; you are not in it "
                    "(you can still object, with a reason)."
                )
            if not (member.in_team(team_id) or member.is_leader):
                raise PermissionDenied("only the team, its coaches and admins vote on its norms.")
            if doc["state"] != "open":
                raise ValidationError(f"proposal {doc.doc_id} is already {doc['state']}.")
            votes = {**(doc.get("votes") or {})}
            if votes.get(member.login, {}).get("vote") == vote == "agree":
                raise ValidationError(f"you already agreed to proposal {doc.doc_id}.")
            votes[member.login] = {
                "vote": vote,
                "reason": reason,
                "date": self.ctx.today().isoformat(),
            }
            tables.table("proposals").update({"votes": votes}, doc_ids=[doc.doc_id])
            charter = self._charter(tables, team_id)
            result = tally_votes(votes, self.team_logins(team_id), charter.get("share", 1.0))
            if result.reached:
                self._adopt(tables, {**doc, "id": doc.doc_id, "votes": votes}, charter, result)
        return result

    def _adopt(
        self, tables: Any, proposal: dict[str, Any], charter: dict[str, Any], result: Tally
    ) -> None:
        norms = [dict(n) for n in charter["norms"]]
        today = self.ctx.today().isoformat()
        share = charter.get("share", 1.0)
        if proposal["kind"] == "rule":
            share = proposal["share"]
            change = f"rule: {rule_words(share)}"
        elif proposal["kind"] in ("edit", "remove"):
            target = next((n for n in norms if n["id"] == proposal["norm"]), None)
            if target is None:
                # Another change to the same norm was adopted first: this one no
                # longer applies, and is not silently merged.
                tables.table("proposals").update({"state": "outdated"}, doc_ids=[proposal["id"]])
                return
            if proposal["kind"] == "remove":
                norms.remove(target)
                change = f"removed: {target['text']}"
            else:
                target.update(text=proposal["text"], category=proposal["category"], since=today)
                change = f"changed: {proposal['text']}"
        else:
            next_id = max((n["id"] for n in charter["norms"]), default=0) + 1
            for h in charter["history"]:
                next_id = max(next_id, max((n["id"] for n in h["norms"]), default=0) + 1)
            norms.append(
                {
                    "id": next_id,
                    "text": proposal["text"],
                    "category": proposal["category"],
                    "since": today,
                }
            )
            change = f"added: {proposal['text']}"
        version = charter["version"] + 1
        agreed = dict(charter["agreed"])
        for login in result.agreed:  # they agreed to this change, so to this version
            if agreed.get(login, 0) >= charter["version"]:
                agreed[login] = version
        doc = {
            "team": charter["team"],
            "version": version,
            "norms": norms,
            "share": share,
            "agreed": agreed,
            "history": [
                *charter["history"],
                {"version": version, "date": today, "change": change, "norms": norms},
            ],
            "revision": charter.get("revision", 0) + 1,
        }
        table = tables.table("charters")
        if charter.get("id"):
            table.update(doc, doc_ids=[charter["id"]])
        else:
            table.insert(doc)
        tables.table("proposals").update(
            {"state": "adopted", "decided_on": today}, doc_ids=[proposal["id"]]
        )
        self.ctx.emit("norms.adopted", team=charter["team"], version=version)
        if share != charter.get("share", 1.0):
            self._adopt_reached(tables, charter["team"])

    def _adopt_reached(self, tables: Any, team_id: str) -> None:
        """Adopt the open proposals a new rule now carries (oldest first)."""
        logins = self.team_logins(team_id)
        for doc in sorted(tables.table("proposals").all(), key=lambda d: d.doc_id):
            if doc["team"] != team_id or doc["state"] != "open":
                continue
            charter = self._charter(tables, team_id)
            result = tally_votes(doc.get("votes"), logins, charter.get("share", 1.0))
            if result.reached:
                self._adopt(tables, {**doc, "id": doc.doc_id}, charter, result)

    def agree_to_charter(self, team: str | None) -> int:
        """Agree to the team's current charter (a new member, or after a change)."""
        team_id = self.team(team).id
        member = self.member
        if not member.in_team(team_id):
            raise PermissionDenied("only the team's members agree to its norms.")
        with self.ctx.transaction() as tables:
            charter = self._charter(tables, team_id)
            if not charter["version"]:
                raise ValidationError("the team has no adopted norms yet; propose the first one.")
            agreed = {**charter["agreed"], member.login: charter["version"]}
            tables.table("charters").update({"agreed": agreed}, doc_ids=[charter["id"]])
        return charter["version"]

    def set_share(self, team: str | None, percent: int) -> int:
        """Propose a new consensus rule: the percentage of members who must agree
        (with no objection) for a proposal to be adopted. The team agrees to the
        rule under the rule it has now; returns the proposal id."""
        team_id = self.team(team).id
        self.ctx.require("team.edit", team=team_id)
        if isinstance(percent, bool) or not isinstance(percent, int) or not 50 <= percent <= 100:
            raise ValidationError("the share of members who must agree is 50 to 100 (percent).")
        if round(self.charter(team_id).get("share", 1.0) * 100) == percent:
            raise ValidationError(f"the team's rule is already {percent}%.")
        return self._new_proposal(
            team_id,
            "rule",
            None,
            f"Our consensus rule: {rule_words(percent / 100)}",
            "decisions",
            share=percent / 100,
        )

    # -- the norms check ------------------------------------------------------------
    # Run on the surveys module (its ``surveys.team_checks`` service): one rating
    # engine, one anonymity and threshold rule for every module.

    def _checks(self) -> Any:
        return self.ctx.service("surveys.team_checks")

    def open_check(self, team: str | None, days: int = 7) -> int:
        """Start a norms check: each member rates how well the team kept each norm."""
        team_obj = self.team(team)
        charter = self.charter(team_obj.id)
        if not charter["norms"]:
            raise ValidationError("the team has no adopted norms to check yet.")
        current = self.current_check(team_obj.id)
        if current is not None:
            raise ValidationError(
                f"a norms check is already open for {team_obj.name} (until "
                f"{current['closes']}); rate in it."
            )
        return self._checks().open_check(
            team_obj.id,
            "norms",
            f"Norms check: {team_obj.name}",
            [(f"n{n['id']}", n["text"]) for n in charter["norms"]],
            CHECK_LABELS,
            days=days,
        )

    def current_check(self, team_id: str) -> dict[str, Any] | None:
        return next(
            (c for c in reversed(self._checks().checks(team_id, "norms")) if c["status"] == "open"),
            None,
        )

    def close_check(self, team: str | None) -> dict[str, Any]:
        """Close the team's open norms check now, so its results show (at the
        meeting, once everyone has rated)."""
        team_obj = self.team(team)
        current = self.current_check(team_obj.id)
        if current is None:
            raise ValidationError(f"{team_obj.name} has no open norms check.")
        self._checks().close(current["id"])
        return current

    def rate(self, team: str | None, ratings: dict[Any, Any], comment: str = "") -> int:
        """Rate each norm 1-5 in the team's open check (opening one if none is);
        ``ratings`` maps a norm id to a point. Returns the check's id."""
        team_obj = self.team(team)
        if not self.member.in_team(team_obj.id):
            raise PermissionDenied("only the team's members rate how well it kept its norms.")
        current = self.current_check(team_obj.id)
        check_id = current["id"] if current else self.open_check(team)
        rows = {}
        for norm, point in ratings.items():
            rows[f"n{_id(norm, 'norm')}"] = point
        self._checks().answer(check_id, rows, comment)
        return check_id

    def record_check(self, team: str | None, held_on: date, sheets: list[dict[str, Any]]) -> int:
        """Record a norms check the team held on paper at a meeting: each sheet is
        one unnamed person's ratings (``{norm id: point, "comment": str}``). The
        sheets are stored without names, as answers to a check in plc are."""
        team_obj = self.team(team)
        charter = self.charter(team_obj.id)
        if not charter["norms"]:
            raise ValidationError("the team has no adopted norms to check yet.")
        converted = []
        for sheet in sheets:
            if not isinstance(sheet, dict):
                raise ValidationError('each sheet is an object like {"1": 4, "2": 5}.')
            ratings = {f"n{_id(k, 'norm')}": v for k, v in sheet.items() if k != "comment"}
            converted.append({"ratings": ratings, "comment": str(sheet.get("comment") or "")})
        return self._checks().record(
            team_obj.id,
            "norms",
            f"Norms check: {team_obj.name}",
            [(f"n{n['id']}", n["text"]) for n in charter["norms"]],
            CHECK_LABELS,
            held_on=held_on,
            sheets=converted,
        )

    def check_results(self, team: str | None) -> list[dict[str, Any]]:
        """Per adopted norm: the mean of each check (oldest first, ``None`` where
        too few rated), lowest latest mean first."""
        team_obj = self.team(team)
        charter = self.charter(team_obj.id)
        service = self._checks()
        checks = service.checks(team_obj.id, "norms")
        results = [(c, service.results(c["id"])) for c in checks]
        rows = []
        for norm in charter["norms"]:
            key = f"n{norm['id']}"
            trend = [
                {
                    "check": c["id"],
                    "date": c["opens"],
                    "mean": r["statements"].get(key, {}).get("mean"),
                    "n": r["statements"].get(key, {}).get("n", r["n"]),
                }
                for c, r in results
                if key in dict(c["statements"])
            ]
            latest = next((t["mean"] for t in reversed(trend) if t["mean"] is not None), None)
            rows.append(
                {"norm": norm["id"], "text": norm["text"], "latest": latest, "trend": trend}
            )
        rows.sort(key=lambda r: (r["latest"] is None, r["latest"] or 0))
        return rows

    def latest_check(self, team: str | None) -> dict[str, Any] | None:
        """The team's latest norms check: ``{"id", "date", "status", "n",
        "hidden", "reason", "comments"}`` (comments in an order that says nothing
        of who wrote them), or ``None`` before the first."""
        team_obj = self.team(team)
        service = self._checks()
        checks = service.checks(team_obj.id, "norms")
        if not checks:
            return None
        latest = checks[-1]
        result = service.results(latest["id"])
        return {
            "id": latest["id"],
            "date": latest["opens"],
            "status": latest["status"],
            "answered": latest["answered"],
            "n": result["n"],
            "hidden": result["hidden"],
            "reason": result.get("reason", ""),
            "comments": result["comments"],
        }

    # -- export ----------------------------------------------------------------------

    def markdown(self, team: str | None) -> str:
        """The charter ready to print for the meeting room."""
        team_obj = self.team(team)
        charter = self.charter(team_obj.id)
        names = self.ctx.community.names()
        lines = [f"# {team_obj.name}: our norms", ""]
        if not charter["norms"]:
            return "\n".join([*lines, "No norms adopted yet.", ""])
        adopted = charter["history"][-1]["date"] if charter["history"] else ""
        rule = rule_words(charter.get("share", 1.0))
        lines += [
            f"Version {charter['version']}, agreed {adopted}. {rule[:1].upper()}{rule[1:]}",
            "",
        ]
        by_category: dict[str, list[dict[str, Any]]] = {}
        for norm in charter["norms"]:
            by_category.setdefault(norm["category"], []).append(norm)
        for category, norms in by_category.items():
            lines += [f"## {category_name(category)}", ""]
            lines += [f"- {n['text']}" for n in norms]
            lines.append("")
        signed = [
            names.get(login, login)
            for login, version in sorted(charter["agreed"].items())
            if version >= charter["version"]
        ]
        lines += [f"Agreed by: {', '.join(signed) or 'no one yet'}.", ""]
        return "\n".join(lines)

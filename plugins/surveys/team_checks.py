"""Team checks: a team rates statements on one scale, anonymously; offered to
other plugins as the ``surveys.team_checks`` service.

A norms check ("how well did we keep each norm?"), a protocol's closing
round, a school plugin's own quick rating: each is a small anonymous survey
addressed to one team, made of one grid, answered by its members, with
results per statement shown only when enough people rated (never below 3).
Running it here keeps one rating engine, one anonymity rule and one set of
results for every module. Any member of the team may start and answer its
checks; the check closes after ``days``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from plc_tui.api import Context, NotFound, ValidationError

from . import store
from .definition import parse_definition, validate_answers
from .service import Surveys

MIN_THRESHOLD = 3


class TeamChecks:
    """The service another plugin gets with ``ctx.service("surveys.team_checks")``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx  # the surveys plugin's own context, for the calling member

    def open_check(
        self,
        team_id: str,
        purpose: str,
        title: str,
        statements: list[tuple[str, str]],
        labels: list[str],
        *,
        days: int = 7,
        threshold: int = MIN_THRESHOLD,
    ) -> int:
        """Open a check for ``team_id``: one grid of ``statements`` (``(id, text)``)
        on ``labels`` (lowest first), plus an optional comment. ``purpose`` tags it
        (``"norms"``) so the caller finds its own checks again. Returns its id."""
        self.ctx.require("team.edit", team=team_id)
        today = self.ctx.today()
        definition = self._definition(
            team_id, title, statements, labels, today, today + timedelta(days=days), threshold
        )
        member = self.ctx.require_member()
        with self.ctx.transaction() as tables:
            sid = store.create_survey(tables, definition, author=member.login)
            tables.table("surveys").update(
                {"status": "open", "check": {"team": team_id, "purpose": purpose}},
                doc_ids=[sid],
            )
            self.ctx.emit("survey.opened", survey=sid)
        return sid

    def record(
        self,
        team_id: str,
        purpose: str,
        title: str,
        statements: list[tuple[str, str]],
        labels: list[str],
        *,
        held_on: date,
        sheets: list[dict[str, Any]],
        threshold: int = MIN_THRESHOLD,
    ) -> int:
        """Record a check the team held on paper at a meeting on ``held_on``: each
        of ``sheets`` is one unnamed person's ``{"ratings": {statement id: point},
        "comment": str}``. Stored closed, with no names, as an answered check
        would be. All sheets are checked before anything is stored. Returns its id."""
        self.ctx.require("team.edit", team=team_id)
        if held_on > self.ctx.today():
            raise ValidationError(f"{held_on} is in the future; record a check once it is held.")
        if not sheets:
            raise ValidationError("there are no rating sheets to record.")
        definition = self._definition(
            team_id, title, statements, labels, held_on, held_on, threshold
        )
        types = self.ctx.question_types()
        clean = []
        for n, sheet in enumerate(sheets, 1):
            answers: dict[str, Any] = {"ratings": sheet.get("ratings") or {}}
            if str(sheet.get("comment") or "").strip():
                answers["comment"] = sheet["comment"]
            try:
                clean.append(validate_answers(definition, answers, types))
            except ValidationError as exc:
                raise ValidationError(f"sheet {n}: {exc.message}") from None
        member = self.ctx.require_member()
        with self.ctx.transaction() as tables:
            sid = store.create_survey(tables, definition, author=member.login)
            tables.table("surveys").update(
                {
                    "status": "closed",
                    "recorded": True,
                    "check": {"team": team_id, "purpose": purpose},
                },
                doc_ids=[sid],
            )
            survey = store.get_survey(tables, sid)
            for answers in clean:
                store.add_unnamed_response(tables, survey, answers)
        return sid

    def _definition(
        self,
        team_id: str,
        title: str,
        statements: list[tuple[str, str]],
        labels: list[str],
        opens: date,
        closes: date,
        threshold: int,
    ) -> dict[str, Any]:
        if not statements:
            raise ValidationError("a check needs at least one statement to rate.")
        team = self.ctx.community.team(team_id)
        return parse_definition(
            {
                "title": title,
                "anonymous": True,
                "threshold": max(threshold, MIN_THRESHOLD),
                "audience": {"teams": [team.name]},
                "opens": opens.isoformat(),
                "closes": closes.isoformat(),
                "questions": [
                    {
                        "id": "ratings",
                        "type": "grid",
                        "text": title,
                        "labels": labels,
                        "rows": [{"id": sid, "text": text} for sid, text in statements],
                    },
                    {
                        "id": "comment",
                        "type": "long_text",
                        "text": "Anything to add? (optional)",
                        "required": False,
                    },
                ],
            },
            self.ctx.question_types(),
            self.ctx.community.teams(),
        )

    def checks(
        self, team_id: str, purpose: str, *, statements: bool = True
    ) -> list[dict[str, Any]]:
        """The team's checks for ``purpose``, oldest first: ``{"id", "opens",
        "closes", "status", "statements": [(id, text)], "responses", "answered"
        (whether the calling member rated it), "recorded" (held on paper)}``.
        ``statements=False`` leaves the statements out (``[]``): when the next check
        is due, and whether one is open, need only the survey outlines."""
        self.ctx.require("team.view", team=team_id)
        login = self.ctx.member.login if self.ctx.member else None
        today = self.ctx.today()
        with self.ctx.read() as tables:
            found = [
                {
                    "id": s["id"],
                    "opens": s.get("opens"),
                    "closes": s.get("closes"),
                    "status": store.state(s, today),
                    "statements": _statements(tables, s["id"]) if statements else [],
                    "responses": store.response_count(tables, s),
                    "answered": store.has_submitted(tables, s, login),
                    "recorded": bool(s.get("recorded")),
                }
                for s in store.list_outlines(tables)
                if (s.get("check") or {}) == {"team": team_id, "purpose": purpose}
            ]
        return sorted(found, key=lambda c: (c["opens"] or "", c["id"]))

    def answer(self, check_id: int, ratings: dict[str, Any], comment: str = "") -> None:
        """The member's ratings (``{statement id: point}``); one answer per person."""
        answers: dict[str, Any] = {"ratings": ratings}
        if comment.strip():
            answers["comment"] = comment
        Surveys(self.ctx).submit(check_id, answers)

    def close(self, check_id: int) -> dict[str, Any]:
        """Close an open check now (the team has rated, at its meeting): no one
        rates after this, and its results show."""
        survey = self._check(check_id)
        self.ctx.require("team.edit", team=survey["check"]["team"])
        with self.ctx.transaction() as tables:
            closed = store.close_survey(tables, check_id, self.ctx.today())
            self.ctx.emit("survey.closed", survey=check_id)
        return closed

    def _check(self, check_id: int) -> dict[str, Any]:
        with self.ctx.read() as tables:
            survey = store.get_survey(tables, check_id)
        if not survey.get("check"):
            raise NotFound(f"survey {check_id} is not a team check.")
        return survey

    def results(self, check_id: int) -> dict[str, Any]:
        """``{"n", "hidden", "reason", "statements": {id: {"mean", "n"} | {"hidden"}},
        "comments"}``, under the survey's threshold rules, and only once the check
        is closed: averages that changed with each rating would tell a team what
        the one who rated last gave."""
        with self.ctx.read() as tables:
            survey = store.get_survey(tables, check_id)
            responses = store.responses_of(tables, survey)
        if not survey.get("check"):
            raise NotFound(f"survey {check_id} is not a team check.")
        self.ctx.require("team.view", team=survey["check"]["team"])
        threshold = survey["threshold"]
        grid = survey["questions"][0]
        if store.state(survey, self.ctx.today()) == "open":
            return {
                "n": len(responses),
                "hidden": True,
                "reason": f"{len(responses)} rated so far; results show when the check closes",
                "statements": {},
                "comments": [],
            }
        if len(responses) < threshold:
            return {
                "n": len(responses),
                "hidden": True,
                "reason": f"{len(responses)} rated so far; results show from {threshold}",
                "statements": {},
                "comments": [],
            }
        kind = self.ctx.question_types()["grid"]
        summary = kind.aggregate(grid, [r["answers"]["ratings"] for r in responses])
        statements = {
            row["id"]: (
                {"mean": row["mean"], "n": row["n"] - row.get("not_applicable", 0)}
                if row["n"] - row.get("not_applicable", 0) >= threshold and "mean" in row
                else {"hidden": True}
            )
            for row in summary["rows"]
        }
        comments = store.neutral_order(
            [r["answers"]["comment"] for r in responses if r["answers"].get("comment")]
        )
        return {
            "n": len(responses),
            "hidden": False,
            "statements": statements,
            "comments": comments,
        }


def _statements(tables: Any, sid: int) -> list[tuple[str, str]]:
    """What a check rates: the rows of its one grid question."""
    questions = store.get_survey(tables, sid)["questions"]
    return [(row["id"], row["text"]) for row in questions[0]["rows"]] if questions else []

"""What people do with surveys, with permissions: shared by the CLI and the screens.

Every method takes its own transaction, checks who may do it, and emits an
event after the change is saved. Nothing here knows about Textual or click.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from plc_tui.api import Context, Member, PermissionDenied, PLCError, Template

from . import store
from .definition import export_definition, parse_definition, validate_answers
from .results import export_csv, survey_results


@dataclass(frozen=True)
class SurveyRow:
    """One line of a survey list, for the signed-in member."""

    id: int
    title: str
    wave: int
    state: str
    anonymous: bool
    closes: str | None
    my_status: str | None  # None when the survey is not addressed to me
    responses: int | None  # None: not counted (``rows(counted=False)``)
    invited: int | None

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


class Surveys:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- helpers ------------------------------------------------------------------

    @property
    def member(self) -> Member:
        return self.ctx.require_member()

    @property
    def types(self) -> dict[str, Any]:
        return self.ctx.question_types()

    def team_names(self) -> dict[str, str]:
        return {t.id: t.name for t in self.ctx.community.teams()}

    def _require_lead(self, what: str) -> None:
        if not self.ctx.can("lead"):
            raise PermissionDenied(f"only coaches and admins can {what}.")

    # -- reading ------------------------------------------------------------------

    def get(self, sid: Any) -> dict[str, Any]:
        with self.ctx.read() as tables:
            return store.get_survey(tables, store.survey_id(sid))

    def year_of(self, survey: dict[str, Any]) -> int:
        """The school year a survey belongs to: the one it closed in (or opened,
        or was made in)."""
        year = store.survey_year(survey, self.ctx.school_year_starts)
        return self.ctx.school_year() if year is None else year

    def years(self) -> list[int]:
        """This school year and every earlier one a survey closed in, latest first."""
        this_year, today = self.ctx.school_year(), self.ctx.today()
        with self.ctx.read() as tables:
            # Those not moved yet (see _transaction) are read where they are.
            past = set(store.past_years(tables)) | {
                self.year_of(s)
                for s in store.list_outlines(tables)
                if not s.get("check") and store.state(s, today) == "closed"
            }
        return [this_year, *sorted((y for y in past if y < this_year), reverse=True)]

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """A transaction in which the surveys that closed in ended school years
        have moved to ``past_surveys`` first (a coach's change, never an answer:
        answering reads and writes nothing but the survey's own files)."""
        with self.ctx.transaction() as tables:
            store.roll_over(tables, self.ctx.today(), self.ctx.school_year_starts)
            yield tables

    def rows(
        self, *, everything: bool = False, year: int | None = None, counted: bool = True
    ) -> list[SurveyRow]:
        """Surveys for me (open ones addressed to me, and closed ones whose results
        were published to me), or all of them for leaders.

        Closed surveys are this school year's, or with ``year`` those of that
        earlier one alone: a district's years of closed surveys stay one key away
        rather than in every list. ``counted=False`` leaves out how many answered
        and were asked (``None``), for lists that do not show them.
        """
        if everything:
            self._require_lead("see every survey")
        member = self.member
        today = self.ctx.today()
        this_year = self.ctx.school_year()
        past = year is not None and year < this_year
        rows = []
        invited: dict[str, int] = {}  # most surveys share a few audiences: count each once
        with self.ctx.read() as tables:
            for survey in store.list_outlines(tables, past=year if past else False):
                if survey.get("check"):
                    continue  # a team check lives in the module that opened it
                current = store.state(survey, today)
                if current == "closed":
                    if self.year_of(survey) != (year if past else this_year):
                        continue
                elif past:
                    continue
                mine = store.in_audience(survey, member)
                published = current == "closed" and bool(survey.get("published"))
                if not everything and not (mine and (current == "open" or published)):
                    continue
                rows.append(
                    SurveyRow(
                        id=survey["id"],
                        title=survey["title"],
                        wave=survey["wave"],
                        state=current,
                        anonymous=survey["anonymous"],
                        closes=survey.get("closes"),
                        my_status=(
                            "results"
                            if published
                            else store.member_status(tables, survey, member.login, self.ctx.private)
                        )
                        if mine
                        else None,
                        responses=store.response_count(tables, survey) if counted else None,
                        invited=self._audience_size(survey, invited) if counted else None,
                    )
                )
        # Open ones closing soonest first; closed ones latest first.
        order = {"open": 0, "scheduled": 1, "draft": 2}
        live = sorted(
            (r for r in rows if r.state != "closed"),
            key=lambda r: (order[r.state], r.closes or "9999", -r.id),
        )
        closed = sorted(
            (r for r in rows if r.state == "closed"),
            key=lambda r: (r.closes or "", r.id),
            reverse=True,
        )
        return [*live, *closed]

    def _audience_size(self, survey: dict[str, Any], known: dict[str, int]) -> int:
        audience = survey["audience"]
        key = json.dumps(audience, sort_keys=True)
        if key not in known:
            known[key] = self.ctx.community.count(roles=audience["roles"], teams=audience["teams"])
        return known[key]

    def state_counts(self) -> Counter[str]:
        """How many surveys are open, drafts, closed... (cheap: no per-member work)."""
        today = self.ctx.today()
        with self.ctx.read() as tables:
            return Counter(
                store.state(s, today) for s in store.list_outlines(tables) if not s.get("check")
            )

    def to_answer(self) -> list[SurveyRow]:
        """Open surveys the member has not submitted yet (not counted: see :meth:`rows`)."""
        return [r for r in self.rows(counted=False) if r.my_status not in ("submitted", "results")]

    def templates(self) -> list[Template]:
        return self.ctx.templates("survey")

    # -- building -----------------------------------------------------------------

    def parse(self, raw: Any) -> dict[str, Any]:
        return parse_definition(raw, self.types, self.ctx.community.teams())

    def create(self, raw: Any) -> int:
        self._require_lead("create surveys")
        definition = self.parse(raw)
        with self._transaction() as tables:
            sid = store.create_survey(tables, definition, author=self.member.login)
            self.ctx.emit("survey.created", survey=sid)
        return sid

    def create_from_template(self, template_id: str, title: str | None = None) -> int:
        template = next((t for t in self.templates() if t.id == template_id), None)
        if template is None:
            known = ", ".join(t.id for t in self.templates())
            raise PLCError(f"no survey template {template_id!r}; templates: {known}.")
        body = dict(template.body)
        if title:
            body["title"] = title
        return self.create(body)

    def update(self, sid: Any, raw: Any) -> None:
        self._require_lead("edit surveys")
        definition = self.parse(raw)
        with self._transaction() as tables:
            store.update_definition(tables, store.survey_id(sid), definition)

    def delete_draft(self, sid: Any) -> dict[str, Any]:
        self._require_lead("delete surveys")
        with self._transaction() as tables:
            return store.delete_draft_survey(tables, store.survey_id(sid))

    def export_definition(self, sid: Any) -> dict[str, Any]:
        return export_definition(self.get(sid), self.team_names())

    def open(self, sid: Any) -> dict[str, Any]:
        self._require_lead("open surveys")
        with self._transaction() as tables:
            survey = store.open_survey(tables, store.survey_id(sid), self.ctx.today())
            self.ctx.emit("survey.opened", survey=survey["id"])
        return survey

    def close(self, sid: Any) -> dict[str, Any]:
        self._require_lead("close surveys")
        with self._transaction() as tables:
            survey = store.close_survey(tables, store.survey_id(sid), self.ctx.today())
            self.ctx.emit("survey.closed", survey=survey["id"])
        return survey

    def publish(self, sid: Any, published: bool = True) -> dict[str, Any]:
        self._require_lead("publish results")
        with self._transaction() as tables:
            return store.set_published(tables, store.survey_id(sid), published)

    def repeat(self, sid: Any) -> int:
        self._require_lead("start a new wave")
        with self._transaction() as tables:
            new = store.repeat_survey(
                tables, store.survey_id(sid), author=self.member.login, today=self.ctx.today()
            )
            self.ctx.emit("survey.created", survey=new)
        return new

    # -- answering ------------------------------------------------------------------

    def draft(self, sid: Any) -> dict[str, Any]:
        with self.ctx.read() as tables:
            return store.load_draft(
                tables, store.survey_id(sid), self.member.login, self.ctx.private
            )

    def status(self, sid: Any) -> str:
        with self.ctx.read() as tables:
            return store.member_status(
                tables, store.survey_id(sid), self.member.login, self.ctx.private
            )

    def save_draft(self, sid: Any, answers: dict[str, Any]) -> dict[str, Any]:
        """Save a draft, refusing an answer that is not valid (the CLI's way)."""
        return self._save_draft(sid, answers, None, None)

    def keep_draft(
        self, sid: Any, answers: dict[str, Any], at: str | None = None
    ) -> dict[str, str]:
        """Save a draft from the app, keeping answers that are not valid yet as
        typed (a paste over the length limit) and the question the member is
        ``at`` (to resume there); returns {question id: why} for answers to fix
        before submitting."""
        invalid: dict[str, tuple[str, str]] = {}
        self._save_draft(sid, answers, invalid, at)
        return {q: why for q, (_, why) in invalid.items()}

    def _save_draft(
        self,
        sid: Any,
        answers: dict[str, Any],
        invalid: dict[str, tuple[str, str]] | None,
        at: str | None,
    ) -> dict[str, Any]:
        with self.ctx.transaction() as tables:
            survey = store.get_survey(tables, store.survey_id(sid))
            return store.save_draft(
                tables,
                survey,
                self.member,
                answers,
                self.types,
                self.ctx.today(),
                self.ctx.private,
                invalid,
                at,
            )

    def draft_place(self, sid: Any) -> str | None:
        """The question the member was at when the draft was last saved."""
        doc = self.ctx.private.get(store.draft_key(store.survey_id(sid)))
        return doc.get("at") if doc else None

    def check(self, sid: Any, answers: dict[str, Any]) -> dict[str, Any]:
        """Validate complete answers without storing them (for the review page)."""
        return validate_answers(self.get(sid), answers, self.types)

    def submit(self, sid: Any, answers: dict[str, Any]) -> dict[str, Any]:
        with self.ctx.transaction() as tables:
            survey = store.get_survey(tables, store.survey_id(sid))
            clean = store.submit(tables, survey, self.member, answers, self.types, self.ctx.today())
            if survey["anonymous"]:
                # No actor: an event must not say who answered an anonymous survey.
                self.ctx.emit_anonymous("survey.submitted", survey=survey["id"])
            else:
                self.ctx.emit("survey.submitted", survey=survey["id"])
        # Only once the answer is stored: a failed submit keeps the draft.
        self.ctx.private.delete(store.draft_key(survey["id"]))
        return clean

    # -- results --------------------------------------------------------------------

    def can_see_results(self, survey: dict[str, Any]) -> bool:
        if self.ctx.can("lead"):
            return True
        return bool(survey.get("published")) and store.in_audience(survey, self.member)

    def results(self, sid: Any, *, breakdown: str | None = None) -> dict[str, Any]:
        survey = self.get(sid)
        if not self.can_see_results(survey):
            raise PermissionDenied(
                "results are shown to coaches and admins, and to the people asked once "
                "a coach publishes them."
            )
        with self.ctx.read() as tables:
            responses = store.responses_of(tables, survey)
            participants = store.participants(tables, survey)
            waves = store.waves_of(tables, survey)
            earlier = [w for w in waves if w["wave"] < survey["wave"]]
            previous = None
            if earlier:
                prev = earlier[-1]
                previous = (prev, store.responses_of(tables, prev))
        return survey_results(
            survey,
            responses,
            participants,
            self.ctx.community.members(),
            self.types,
            self.team_names(),
            breakdown=breakdown,
            previous=previous,
        )

    def export_csv(self, sid: Any) -> str:
        self._require_lead("export responses")
        survey = self.get(sid)
        with self.ctx.read() as tables:
            responses = store.responses_of(tables, survey)
        return export_csv(survey, responses, self.types)

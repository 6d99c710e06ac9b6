"""Timed protocols over plc's storage: a team's protocol sessions and their notes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from plc_tui.api import Context, NotFound, Template, ValidationError, clean, parse_id

from .runs import Run, steps_of


class Protocols:
    def __init__(self, ctx: Context, clock: Callable[[], float] = time.monotonic) -> None:
        self.ctx = ctx
        self.clock = clock

    def available(self) -> list[Template]:
        """Every protocol template, this plugin's and any other plugin's."""
        usable = []
        for template in self.ctx.templates("protocol"):
            try:
                steps_of(template.body)
            except ValueError:
                continue  # another plugin's protocol in a shape this one cannot run
            usable.append(template)
        return usable

    def protocol(self, protocol_id: str) -> Template:
        found = next((t for t in self.available() if t.id == protocol_id), None)
        if found is None:
            ids = ", ".join(t.id for t in self.available())
            raise NotFound(f"no protocol {protocol_id!r}; protocols: {ids}.")
        return found

    def start(self, protocol_id: str) -> Run:
        template = self.protocol(protocol_id)
        return Run(template.id, template.title, steps_of(template.body), self.clock)

    def save(self, team: str, run: Run) -> int:
        """Keep the run's notes for ``team`` (its members, coaches and admins)."""
        found = self.ctx.community.team(team)
        self.ctx.require("team.edit", team=found.id)
        steps = run.finish()
        for step in steps:
            step["notes"] = clean(
                step["notes"], field="Notes", max_length=4000, multiline=True, required=False
            )
        with self.ctx.transaction() as tables:
            return tables.table("sessions").insert(
                {
                    "team": found.id,
                    "protocol": run.protocol,
                    "title": run.title,
                    "date": self.ctx.today().isoformat(),
                    "facilitator": self.ctx.require_member().login,
                    "steps": steps,
                }
            )

    def record(self, team: str, protocol_id: str, notes: dict[str, Any]) -> int:
        """Notes from a protocol run on paper: ``{step title: notes}``."""
        run = self.start(protocol_id)
        titles = [s.title for s in run.steps]
        unknown = sorted(set(notes) - set(titles))
        if unknown:
            raise ValidationError(
                f"no step {unknown[0]!r} in {run.title}; steps: {', '.join(titles)}."
            )
        run.notes = [str(notes.get(t, "")) for t in titles]
        run.used = [0.0] * len(titles)
        return self.save(team, run)

    def sessions(self, team: str) -> list[dict[str, Any]]:
        found = self.ctx.community.team(team)
        self.ctx.require("team.view", team=found.id)
        with self.ctx.read() as tables:
            rows = [
                {**d, "id": d.doc_id}
                for d in tables.table("sessions").all()
                if d["team"] == found.id
            ]
        return sorted(rows, key=lambda r: (r["date"], r["id"]), reverse=True)

    def session(self, sid: str) -> dict[str, Any]:
        number = parse_id(sid, "session", "see `plc protocols sessions`")
        with self.ctx.read() as tables:
            doc = tables.table("sessions").get(doc_id=number)
        if doc is None:
            raise NotFound(f"no protocol session {number}; see `plc protocols sessions`.")
        self.ctx.require("team.view", team=doc["team"])
        return {**doc, "id": doc.doc_id}

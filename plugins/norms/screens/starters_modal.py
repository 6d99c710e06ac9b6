"""Start from a set of norms: each chosen one becomes a proposal the team adapts."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from plc_tui.api import Context, ValidationError, plain
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.form_modal import FormModal

from ..model import category_name
from ..service import Norms


class StartersModal(FormModal[list[int]]):
    save_label = "Propose these"
    DEFAULT_CSS = "StartersModal .set-title { margin-top: 1; text-style: bold; }"

    def __init__(self, ctx: Context, team_id: str, view: dict[str, Any]) -> None:
        super().__init__(
            "Start from a set of norms",
            "Each norm you keep chosen becomes a proposal; the team agrees to it, "
            "objects, or proposes better words. Space leaves one out.",
        )
        self.service = Norms(ctx)
        self.team_id = team_id
        # Norms already adopted or proposed are not offered twice.
        taken = {n["text"].casefold() for n in view["charter"]["norms"]}
        taken |= {p["text"].casefold() for p in view["proposals"]}
        self.sets = [
            (
                template,
                [n for n in template.body.get("norms", []) if n["text"].casefold() not in taken],
            )
            for template in self.service.starter_sets()
        ]

    def compose_fields(self) -> ComposeResult:
        for n, (template, norms) in enumerate(self.sets):
            yield Static(plain(f"{template.title}: {template.description}"), classes="set-title")
            yield ChoiceList(
                [(f"{n['text']} ({category_name(n['category'])})", i) for i, n in enumerate(norms)],
                list(range(len(norms))) if n == 0 else [],
                multiple=True,
                id=f"set-{n}",
            )

    def on_mount(self) -> None:
        lists = list(self.query(ChoiceList))
        if lists:
            lists[0].focus()

    def collect(self) -> list[dict[str, Any]]:
        chosen = []
        for n, (_, norms) in enumerate(self.sets):
            picked = self.query_one(f"#set-{n}", ChoiceList).value or []
            chosen += [norms[i] for i in picked]
        if not chosen:
            raise ValidationError("choose at least one norm (space), or press escape to leave.")
        return chosen

    def commit(self, norms: list[dict[str, Any]]) -> list[int]:
        return self.service.propose_many(self.team_id, norms)

    def saved(self, ids: list[int]) -> None:
        self.app.notify(
            f"{len(ids)} norms proposed. Each member agrees or objects to each one.",
            markup=False,
        )

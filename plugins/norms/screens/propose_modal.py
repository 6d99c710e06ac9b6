"""Propose a norm, or new words for an adopted one: the team agrees before it counts."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label

from plc_tui.api import Context, one_line
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.form_modal import FormModal
from plc_tui.widgets.line_input import LineInput

from ..model import CATEGORIES, CATEGORY_MAX, NORM_MAX
from ..service import Norms

OWN = "__own__"


class ProposeModal(FormModal[int]):
    save_label = "Propose"

    def __init__(self, ctx: Context, team_id: str, norm: dict[str, Any] | None = None) -> None:
        self.norm = norm
        if norm is None:
            super().__init__(
                "Propose a norm",
                "A commitment the whole team can keep, in plain words. Every member "
                "agrees (or objects, saying why) before it joins the charter.",
            )
        else:
            super().__init__(
                f"New words for norm {norm['id']}",
                f"Now: “{one_line(norm['text'], 150)}” The old words stay until the "
                "team agrees to the new ones.",
            )
        self.service = Norms(ctx)
        self.team_id = team_id

    def compose_fields(self) -> ComposeResult:
        current = self.norm["category"] if self.norm else None
        own = current if current and current not in CATEGORIES else ""
        yield Label("The norm")
        yield LineInput(
            self.norm["text"] if self.norm else "",
            id="norm-text",
            max_length=NORM_MAX,
            placeholder="e.g. We start and end our meetings on time.",
        )
        yield Label("Category")
        yield ChoiceList(
            [*((name, key) for key, name in CATEGORIES.items()), ("Our own:", OWN)],
            OWN if own else current,
            horizontal=True,
            id="norm-category",
        )
        yield LineInput(
            own,
            id="norm-own",
            max_length=CATEGORY_MAX,
            placeholder="Our own category (when 'Our own' is chosen)",
        )

    def on_mount(self) -> None:
        self.query_one("#norm-text", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        # Typing a category of your own chooses it.
        if event.input.id == "norm-own" and event.value.strip():
            self.query_one("#norm-category", ChoiceList).value = OWN

    def collect(self) -> tuple[str, str]:
        chosen = self.query_one("#norm-category", ChoiceList).value
        own = self.query_one("#norm-own", Input).value
        category = own if chosen == OWN or (chosen is None and own.strip()) else chosen
        return self.query_one("#norm-text", Input).value, category or ""

    def commit(self, values: tuple[str, str]) -> int:
        text, category = values
        if self.norm is not None:
            return self.service.propose_change(self.team_id, self.norm["id"], text, category)
        return self.service.propose(self.team_id, text, category)

    def saved(self, pid: int) -> None:
        self.app.notify(f"Proposal {pid} is open: each member agrees or objects.", markup=False)

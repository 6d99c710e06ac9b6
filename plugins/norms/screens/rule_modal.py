"""The team's consensus rule: how many members must agree for a norm to count."""

from __future__ import annotations

from textual.app import ComposeResult

from plc_tui.api import Context
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.form_modal import FormModal

from ..service import Norms

SHARES = [
    ("Everyone (100%)", 100),
    ("90%", 90),
    ("80%", 80),
    ("Three in four (75%)", 75),
    ("Two in three (67%)", 67),
    ("A majority (50%)", 50),
]


class RuleModal(FormModal[int]):
    save_label = "Propose"

    def __init__(self, ctx: Context, team_id: str, share: float) -> None:
        super().__init__(
            "Propose a consensus rule",
            "A proposal is adopted when this share of the team agrees and no one "
            "objects. The team agrees to a new rule under the rule it has now.",
        )
        self.service = Norms(ctx)
        self.team_id = team_id
        self.current = round(share * 100)

    def compose_fields(self) -> ComposeResult:
        values = [v for _, v in SHARES]
        yield ChoiceList(SHARES, self.current if self.current in values else 100, id="rule-share")

    def on_mount(self) -> None:
        self.query_one("#rule-share", ChoiceList).focus()

    def collect(self) -> int:
        return int(self.query_one("#rule-share", ChoiceList).value or 100)

    def commit(self, percent: int) -> int:
        return self.service.set_share(self.team_id, percent)

    def saved(self, pid: int) -> None:
        self.app.notify(
            f"Proposal {pid}: the new rule counts once the team agrees to it.", markup=False
        )

"""Record a check-in: the measured value, the team's confidence, a note."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label

from plc_tui.api import Context, plain
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.form_modal import FormModal
from plc_tui.widgets.line_input import LineInput

from ..service import Goals

CONFIDENCE = ["1 not confident", "2", "3", "4", "5 very"]


class CheckInModal(FormModal[Any]):
    save_label = "Save check-in"

    def __init__(self, ctx: Context, goal_id: int) -> None:
        self.ctx = ctx
        self.service = Goals(ctx)
        self.goal = self.service.get(goal_id)
        m = self.goal.get("measurable") or {}
        self.unit = m.get("unit") or ""
        super().__init__(
            f"Check in: {self.goal['title']}",
            f"{m.get('metric') or 'Value'}: baseline {m.get('baseline')}{self.unit}, "
            f"target {m.get('target')}{self.unit}",
        )

    def compose_fields(self) -> ComposeResult:
        yield Label(plain(f"Measured value ({self.unit})" if self.unit else "Measured value"))
        yield LineInput(id="ci-value", type="number", placeholder="e.g. 68")
        yield Label("How confident is the team of reaching the goal?")
        yield ChoiceList(
            [(label, n) for n, label in enumerate(CONFIDENCE, 1)],
            3,
            horizontal=True,
            id="ci-confidence",
        )
        yield Label("Note (optional)")
        yield LineInput(id="ci-note", max_length=1000, placeholder="What changed, what helped")
        yield Label("Date")
        yield LineInput(self.ctx.today().isoformat(), id="ci-date")

    def on_mount(self) -> None:
        self.query_one("#ci-value", Input).focus()

    def collect(self) -> tuple[Any, ...]:
        confidence = self.query_one("#ci-confidence", ChoiceList).value
        return (
            self.goal["id"],
            self.query_one("#ci-value", Input).value,
            confidence or 3,
            self.query_one("#ci-note", Input).value,
            self.query_one("#ci-date", Input).value.strip() or None,
        )

    def commit(self, values: tuple[Any, ...]) -> Any:
        return self.service.check_in(*values)

    def saved(self, status: Any) -> None:
        # A goal met is celebrated; otherwise the new status says where it stands.
        if status.status == "met":
            self.app.notify(
                f"🎉 {self.goal['title']}: goal met! Celebrate it with your team.",
                title="Goal met",
                timeout=12,
                markup=False,
            )
        else:
            self.app.notify(f"Checked in. Now {status.status}: {status.reason}", markup=False)

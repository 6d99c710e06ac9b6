"""Record a check-in: the measured value, the team's confidence, a note."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from plc_tui.api import Context, PLCError, plain
from plc_tui.widgets.background import save_in_background
from plc_tui.widgets.choice_list import ChoiceList

from ..service import Goals

CONFIDENCE = ["1 not confident", "2", "3", "4", "5 very"]


class CheckInModal(ModalScreen[bool]):
    CSS_PATH = "../goals.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save check-in"),
    ]

    def __init__(self, ctx: Context, goal_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Goals(ctx)
        self.goal = self.service.get(goal_id)

    def compose(self) -> ComposeResult:
        m = self.goal.get("measurable") or {}
        unit = m.get("unit") or ""
        with Vertical(classes="modal-box", id="checkin-box"):
            yield Static(plain(f"Check in: {self.goal['title']}", style="bold"))
            yield Static(
                plain(
                    f"{m.get('metric') or 'Value'}: baseline {m.get('baseline')}{unit}, "
                    f"target {m.get('target')}{unit}"
                ),
                classes="modal-detail",
            )
            yield Label(plain(f"Measured value ({unit})" if unit else "Measured value"))
            yield Input(id="ci-value", type="number", placeholder="e.g. 68", compact=True)
            yield Label("How confident is the team of reaching the goal?")
            yield ChoiceList(
                [(label, n) for n, label in enumerate(CONFIDENCE, 1)],
                3,
                horizontal=True,
                id="ci-confidence",
            )
            yield Label("Note (optional)")
            yield Input(
                id="ci-note", max_length=1000, placeholder="What changed, what helped", compact=True
            )
            yield Label("Date")
            yield Input(self.ctx.today().isoformat(), id="ci-date", compact=True)
            yield Static(id="ci-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Save check-in", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ci-value", Input).focus()

    def action_save(self) -> None:
        confidence = self.query_one("#ci-confidence", ChoiceList).value
        values = (
            self.goal["id"],
            self.query_one("#ci-value", Input).value,
            confidence or 3,
            self.query_one("#ci-note", Input).value,
            self.query_one("#ci-date", Input).value.strip() or None,
        )
        save_in_background(
            self, lambda: self.service.check_in(*values), self._saved, failed=self._not_saved
        )

    def _not_saved(self, exc: PLCError) -> None:
        message = exc.message[0].upper() + exc.message[1:]
        self.query_one("#ci-error", Static).update(plain(message, style="bold red"))

    def _saved(self, status: Any) -> None:
        if status.status == "met":
            self.app.notify(
                f"🎉 {self.goal['title']}: goal met! Celebrate it with your team.",
                title="Goal met",
                timeout=12,
                markup=False,
            )
        else:
            self.app.notify(f"Checked in. Now {status.status}: {status.reason}", markup=False)
        self.dismiss(True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)

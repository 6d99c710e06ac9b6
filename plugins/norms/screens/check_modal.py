"""The norms check: how well did the team keep each norm, 1 to 5, anonymously."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label

from plc_tui.api import Context, ValidationError, clean, one_line
from plc_tui.widgets.form_modal import FormModal
from plc_tui.widgets.grid_choice import GridChoice
from plc_tui.widgets.text_box import TextBox

from ..model import COMMENT_MAX
from ..service import CHECK_LABELS, Norms
from .charter_screen import category_order


class CheckModal(FormModal[int]):
    save_label = "Send ratings"
    DEFAULT_CSS = "CheckModal .form-box { width: 100; } CheckModal TextBox { height: 4; }"

    def __init__(self, ctx: Context, view: dict[str, Any]) -> None:
        schedule = view["schedule"] or {}
        current = schedule.get("open")
        when = (
            f"The check is open until {current['closes']}."
            if current
            else "This starts the team's check; it stays open for a week."
        )
        super().__init__(
            f"Norms check: {view['team']['name']}",
            "How well did we keep each norm? 1 not at all … 5 fully. Anonymous: the "
            "team sees averages when the check closes, if 3 or more rated; never who "
            f"gave what. {when}",
        )
        self.service = Norms(ctx)
        self.team_id = view["team"]["id"]
        self.norms = category_order(view["charter"]["norms"])
        if current:
            # The norms as they were when the check opened: one adopted since is
            # rated at the next check.
            self.norms = [{"id": int(sid[1:]), "text": text} for sid, text in current["statements"]]

    def compose_fields(self) -> ComposeResult:
        yield GridChoice(
            [(n["text"], n["id"]) for n in self.norms],
            [(label, point) for point, label in enumerate(CHECK_LABELS, 1)],
            move_on=True,
            id="check-grid",
        )
        yield Label("Anything to add? (optional, anonymous)")
        yield TextBox(id="check-comment", placeholder="What helped, what got in the way")

    def on_mount(self) -> None:
        self.query_one("#check-grid", GridChoice).focus()

    def collect(self) -> tuple[dict[int, int], str]:
        grid = self.query_one("#check-grid", GridChoice)
        missing = grid.unanswered
        if missing:
            norm = next(n for n in self.norms if n["id"] == missing[0])
            raise ValidationError(
                f"rate every norm; {len(missing)} to go, starting with "
                f"“{one_line(norm['text'], 60).rstrip('.')}”."
            )
        comment = self.query_one("#check-comment", TextBox).text
        if comment.strip():
            comment = clean(comment, field="The comment", max_length=COMMENT_MAX, multiline=True)
        return grid.value, comment

    def commit(self, values: tuple[dict[int, int], str]) -> int:
        ratings, comment = values
        return self.service.rate(self.team_id, ratings, comment)

    def saved(self, check_id: int) -> None:
        self.app.notify(
            "Thank you: your ratings are in, with no name. The team sees averages when "
            "the check closes (x on the charter, once everyone has rated).",
            markup=False,
        )

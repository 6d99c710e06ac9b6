"""The team goal board: every goal a member can see, coloured by status."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from plc_tui.api import Context, one_line, plain
from plc_tui.widgets.actions import reports_errors, try_action
from plc_tui.widgets.messages import DataChanged

from ..service import Goals

STATUS_STYLE = {
    "on track": "bold green",
    "at risk": "bold yellow",
    "off track": "bold red",
    "met": "bold magenta",
    "proposed": "cyan",
}


def progress_cell(progress: float | None, width: int = 8) -> Text:
    if progress is None:
        return Text("-", style="dim")
    filled = round(progress * width)
    text = Text("█" * filled, style="green")
    text.append("░" * (width - filled), style="dim")
    text.append(f" {round(progress * 100):>3}%")
    return text


class GoalsScreen(Screen[None]):
    CSS_PATH = "../goals.tcss"
    TITLE = "SMART goals"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "open_goal", "Open", show=False),
        Binding("n", "new_goal", "New goal"),
        Binding("c", "check_in", "Check in"),
        Binding("a", "agree", "Agree"),
        Binding("o", "object", "Object"),
        Binding("s", "export", "Save sheet", show=False),
    ]

    def __init__(self, ctx: Context, goal_id: int | None = None, new: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Goals(ctx)
        self.start_goal = goal_id
        self.start_new = new

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="board-summary", classes="screen-title")
        yield DataTable(id="board", cursor_type="row")
        yield Static(id="board-reason")
        yield Footer()

    @reports_errors
    def on_mount(self) -> None:
        table = self.query_one("#board", DataTable)
        table.add_columns("Team", "Goal", "Status", "Progress")
        self.refresh_data()
        table.focus()
        if self.start_goal is not None:
            self.open_goal(self.start_goal)
        elif self.start_new:
            self.action_new_goal()

    @reports_errors
    def on_screen_resume(self) -> None:
        self.refresh_data()

    @reports_errors
    def on_data_changed(self, message: DataChanged) -> None:
        self.refresh_data()

    def on_resize(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        table = self.query_one("#board", DataTable)
        keep = table.cursor_row
        table.clear()
        self.rows = self.service.list()
        # Team and title share what the status and progress columns leave.
        spare = max(self.app.size.width - 34, 40)
        team_width, title_width = spare // 3, spare - spare // 3
        for row in self.rows:
            table.add_row(
                plain(one_line(row.team_name, team_width)),
                plain(one_line(row.title, title_width)),
                Text(row.status, style=STATUS_STYLE.get(row.status, "")),
                progress_cell(None if row.state == "proposed" else row.progress),
                key=str(row.id),
            )
        counts = self.service.summary()
        parts = [f"{counts[s]} {s}" for s in STATUS_STYLE if counts[s]]
        summary = f"{len(self.rows)} goals: " + ", ".join(parts) if self.rows else "No goals yet"
        self.query_one("#board-summary", Static).update(plain(summary))
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        self._show_reason()

    def _selected(self) -> int | None:
        table = self.query_one("#board", DataTable)
        if not self.rows:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)].id

    def _show_reason(self) -> None:
        gid = self._selected()
        row = next((r for r in self.rows if r.id == gid), None)
        reason = self.query_one("#board-reason", Static)
        if row is None:
            reason.update(
                plain("Press n to propose your team's first goal, from a template or from scratch.")
            )
            return
        text = Text()
        text.append(one_line(row.title), style="bold")
        text.append("\n")
        text.append(f"{row.status}: ", style=STATUS_STYLE.get(row.status, ""))
        text.append(one_line(row.reason))
        if row.deadline:
            text.append(f"  ·  deadline {row.deadline}", style="dim")
        reason.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_reason()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_goal()

    def open_goal(self, gid: int) -> None:
        from .goal_detail_screen import GoalDetailScreen

        screen = try_action(self, GoalDetailScreen, self.ctx, gid)
        if screen is not None:
            self.app.push_screen(screen)

    def action_open_goal(self) -> None:
        gid = self._selected()
        if gid is not None:
            self.open_goal(gid)

    def action_new_goal(self) -> None:
        from .goal_form_screen import GoalFormScreen

        self.app.push_screen(GoalFormScreen(self.ctx))

    def action_check_in(self) -> None:
        gid = self._selected()
        if gid is None:
            return
        from .checkin_modal import CheckInModal

        self.app.push_screen(CheckInModal(self.ctx, gid))

    def action_agree(self) -> None:
        gid = self._selected()
        if gid is not None and (tally := try_action(self, self.service.agree, gid)) is not None:
            self.notify(tally.summary(self.service.names()), markup=False)
            self.refresh_data()

    def action_object(self) -> None:
        gid = self._selected()
        if gid is None:
            return
        from .reason_modal import ReasonModal

        def done(reason: str | None) -> None:
            if reason and (tally := try_action(self, self.service.object, gid, reason)) is not None:
                self.notify(tally.summary(self.service.names()), markup=False)
                self.refresh_data()

        self.app.push_screen(
            ReasonModal("Why do you object?", "Your reason is shown to the team."), done
        )

    def action_export(self) -> None:
        from pathlib import Path

        text = try_action(self, self.service.export_markdown)
        if text is None:
            return
        path = Path.cwd() / "goals.md"
        try:
            path.write_text(text, "utf-8")
        except OSError as exc:
            self.notify(f"Could not write {path}: {exc.strerror}", severity="error", markup=False)
            return
        self.notify(f"Saved the goal sheet to {path}", markup=False)

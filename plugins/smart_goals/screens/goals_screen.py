"""The team goal board: this school year's goals a member can see, coloured by
status; ``y`` steps back through the ended school years (their goals settled as
met or not met) and round to this one again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from plc_tui.api import Context, one_line, plain
from plc_tui.api import school_year_label as label
from plc_tui.text import share_width
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import (
    load_in_background,
    open_in_background,
    save_in_background,
)
from plc_tui.widgets.data_screen import DataScreenMixin
from plc_tui.widgets.find_box import FindBox
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.save_file_modal import save_to_file
from plc_tui.widgets.table_cursor import cursor_key, highlighted_key, restore_cursor

from ..consensus import Tally
from ..service import GoalRow, Goals

STATUS_STYLE = {
    "on track": "bold green",
    "at risk": "bold yellow",
    "off track": "bold red",
    "met": "bold blue",
    "proposed": "cyan",
    "not met": "red",
}


def progress_cell(progress: float | None, width: int = 8) -> Text:
    if progress is None:
        return Text("-", style="dim")
    filled = round(progress * width)
    text = Text("█" * filled, style="green")
    text.append("░" * (width - filled), style="dim")
    text.append(f" {round(progress * 100):>3}%")
    return text


class GoalsScreen(DataScreenMixin, Screen[None]):
    CSS_PATH = "../goals.tcss"
    TITLE = "SMART goals"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "open_goal", "Open", show=False),
        Binding("slash", "find", "Find", show=False),
        Binding("n", "new_goal", "New goal"),
        Binding("c", "check_in", "Check in"),
        Binding("a", "agree", "Agree"),
        Binding("o", "object", "Object"),
        Binding("s", "export", "Export goals sheet", show=False),
        Binding("t", "my_teams", "My teams"),
        Binding("w", "worst_first", "Worst first"),
        Binding("y", "next_year", "Past years"),
    ]

    def __init__(self, ctx: Context, goal_id: int | None = None, new: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Goals(ctx)
        self.start_goal = goal_id
        self.start_new = new
        self.rows: list[GoalRow] = []
        self.worst_first = False
        self.my_teams = False  # only the goals of the signed-in member's teams
        self.find = ""  # words every goal shown has in its title, team or status
        self.year: int | None = None  # None: this school year
        self.years: list[int] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="board-summary", classes="screen-title")
        yield DataTable(id="board", cursor_type="row")
        yield FindBox(
            id="goal-find",
            placeholder="Words in a goal's title, team or status (escape clears)",
            max_length=80,
        )
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

    def on_resize(self) -> None:
        if self.size.width != getattr(self, "shown_width", None):  # widths follow the screen's
            self._show_rows()

    def refresh_data(self) -> None:
        year = self.year

        def read() -> tuple[list[GoalRow], list[int]]:
            return self.service.list(year=year), self.years or self.service.years()

        load_in_background(self, read, self._show)

    def _show(self, data: tuple[list[GoalRow], list[int]]) -> None:
        self.rows, self.years = data
        self._show_rows()

    @property
    def past(self) -> bool:
        return self.year is not None

    def action_next_year(self) -> None:
        """Show the goals of the school year before, and after the first one this
        year's again."""
        if len(self.years) < 2:
            self.notify("There are no goals from earlier school years.", markup=False)
            return
        at = self.years.index(self.year) if self.year in self.years else 0
        following = self.years[(at + 1) % len(self.years)]
        self.year = None if following == self.years[0] else following
        self.refresh_data()

    def action_worst_first(self) -> None:
        """Off-track goals first, then at risk, then the rest: what a leader looks at."""
        self.worst_first = not self.worst_first
        self._show_rows(from_top=True)  # the worst are what the key is for
        self.notify(
            "Goals most in need first." if self.worst_first else "Goals by team again.",
            markup=False,
        )

    def action_my_teams(self) -> None:
        """Only the goals of the teams one is on: a district's coach on a board of hundreds."""
        self.my_teams = not self.my_teams
        self._show_rows(from_top=True)
        self.notify(
            "Goals of your teams only." if self.my_teams else "Goals of every team.", markup=False
        )

    def _mine(self) -> set[str]:
        member = self.ctx.member
        return set(member.teams) if member is not None else set()

    def _visible(self) -> list[GoalRow]:
        rows = [r for r in self.rows if r.matches(self.find)]
        if not self.my_teams:
            return rows
        mine = self._mine()
        return [r for r in rows if r.team in mine]

    def action_find(self) -> None:
        """Narrow the board to the goals with the words typed (a district's hundreds)."""
        self.query_one("#goal-find", FindBox).open()

    def action_back(self) -> None:
        if self.query_one("#goal-find", FindBox).close():  # escape clears, then leaves
            self.query_one("#board", DataTable).focus()
            return
        self.app.pop_screen()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "goal-find":
            self.find = event.value.strip()
            self._show_rows(from_top=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "goal-find":
            self.query_one("#board", DataTable).focus()

    def _ordered(self) -> list[GoalRow]:
        rows = self._visible()
        if not self.worst_first:
            return rows
        rank = {"off track": 0, "at risk": 1, "proposed": 2, "on track": 3, "met": 4}
        return sorted(
            rows,
            key=lambda r: (
                rank.get(r.status, 5),
                r.progress if r.progress is not None else 0,
                r.team_name,
            ),
        )

    def _show_rows(self, *, from_top: bool = False) -> None:
        self.shown_width = self.size.width
        self.refresh_bindings()
        table = self.query_one("#board", DataTable)
        keep = cursor_key(table)
        table.clear()
        # Team and title share what the status and progress columns leave; a
        # cut title is shown whole under the table for the highlighted goal.
        team_width, title_width = share_width(
            self.size.width - 33,
            [
                max((cell_len(one_line(r.team_name)) for r in self.rows), default=4),
                max((cell_len(one_line(r.title)) for r in self.rows), default=4),
            ],
        )
        for row in self._ordered():
            table.add_row(
                plain(one_line(row.team_name, team_width, middle=True)),
                plain(one_line(row.title, title_width)),
                Text(row.status, style=STATUS_STYLE.get(row.status, "")),
                progress_cell(None if row.state == "proposed" else row.progress),
                key=str(row.id),
            )
        visible = self._visible()
        counts = Counter(row.status for row in visible)
        parts = [f"{counts[s]} {s}" for s in STATUS_STYLE if counts.get(s)]
        shown = self.year if self.year is not None else (self.years or [None])[0]
        when = f"{label(shown)}" if shown is not None else "This school year"
        whose = " of your teams" if self.my_teams else ""
        if self.find:
            whose += f" matching “{one_line(self.find)}”"
        if visible:
            count = len(visible)
            summary = f"{when} · {count} goal{'s' if count != 1 else ''}{whose}: " + ", ".join(
                parts
            )
        else:
            summary = f"{when} · no goals{whose}"
        if self.past:
            summary += " · ended (y: next year)"
        if self.worst_first and self.rows:
            summary += " · worst first"
        self.query_one("#board-summary", Static).update(plain(summary))
        if from_top:
            table.move_cursor(row=0, scroll=False)
            table.scroll_home(animate=False)
        else:
            restore_cursor(table, keep)
        self._show_reason()

    def _selected(self) -> int | None:
        key = highlighted_key(self.query_one("#board", DataTable))
        return None if key is None else int(key)

    def _show_reason(self) -> None:
        gid = self._selected()
        row = next((r for r in self.rows if r.id == gid), None)
        reason = self.query_one("#board-reason", Static)
        if row is None:
            reason.update(
                plain(
                    f"No goal of your teams has “{one_line(self.find)}” in its title, team "
                    "or status; t shows every team's, escape clears the search."
                    if self.find and self.my_teams and self.rows
                    else f"No goal has “{one_line(self.find)}” in its title, team or "
                    "status; escape clears the search."
                    if self.find and self.rows
                    else "No goals were set in this school year."
                    if self.past
                    else "Press n to propose your team's first goal, from a template or "
                    "from scratch."
                )
            )
            return
        text = Text()
        text.append(one_line(row.title), style="bold")
        text.append(f"  ·  {one_line(row.team_name)}", style="dim")
        text.append("\n")
        text.append(f"{row.status}: ", style=STATUS_STYLE.get(row.status, ""))
        text.append(one_line(row.reason))
        if row.deadline:
            text.append(f"  ·  deadline {row.deadline}", style="dim")
        reason.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_reason()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer what the highlighted goal allows: check-ins once it is agreed,
        votes while it is proposed."""
        if action == "next_year":
            return len(self.years) > 1
        if action == "my_teams":
            # Offered where it leaves something out: a member of some teams of many.
            mine = self._mine()
            return bool(mine) and any(r.team not in mine for r in self.rows)
        if self.past and action in ("check_in", "agree", "object", "new_goal"):
            return False  # an ended year's goals are kept as they were
        row = next((r for r in self.rows if r.id == self._selected()), None)
        if row is None:
            return action not in ("check_in", "agree", "object")
        if action == "check_in":
            return row.state != "proposed"
        if action in ("agree", "object"):
            return row.state == "proposed"
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_goal()

    def open_goal(self, gid: int) -> None:
        from .goal_detail_screen import GoalDetailScreen

        open_in_background(self, lambda: GoalDetailScreen(self.ctx, gid))

    def action_open_goal(self) -> None:
        gid = self._selected()
        if gid is not None:
            self.open_goal(gid)

    def action_new_goal(self) -> None:
        from .goal_form_screen import GoalFormScreen

        gid = self._selected()
        row = next((r for r in self.rows if r.id == gid), None)
        # A new goal starts in the highlighted goal's team, where the leader is looking.
        team = row.team if row else None
        open_in_background(self, lambda: GoalFormScreen(self.ctx, team=team))

    def action_check_in(self) -> None:
        gid = self._selected()
        if gid is None:
            return
        from .checkin_modal import CheckInModal

        open_in_background(self, lambda: CheckInModal(self.ctx, gid))

    def _vote(self, vote: Callable[[], Tally]) -> None:
        def done(tally_and_names: tuple[Tally, dict[str, str]]) -> None:
            tally, names = tally_and_names
            self.notify(tally.summary(names), markup=False)
            self.refresh_data()

        save_in_background(self, lambda: (vote(), self.service.names()), done)

    def action_agree(self) -> None:
        gid = self._selected()
        if gid is not None:
            self._vote(lambda: self.service.agree(gid))

    def action_object(self) -> None:
        gid = self._selected()
        if gid is None:
            return
        from plc_tui.widgets.reason_modal import ReasonModal

        def done(reason: str | None) -> None:
            if reason:
                self._vote(lambda: self.service.object(gid, reason))

        self.app.push_screen(
            ReasonModal(
                "Why do you object?",
                "Your reason is shown to the team.",
                placeholder="e.g. The target ignores…",
            ),
            done,
        )

    def action_export(self) -> None:
        year = self.year
        name = "goals.md" if year is None else f"goals-{label(year)}.md"
        save_to_file(self, "the goal sheet", name, lambda: self.service.export_markdown(year=year))

"""Every team's norms at a glance, for a coach, an admin or a member of several
teams: which teams have a charter, how many have agreed, what waits for you."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from plc_tui.api import Context, one_line, plain
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import load_in_background, open_in_background
from plc_tui.widgets.data_screen import DataScreenMixin
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.table_cursor import cursor_key, highlighted_key, restore_cursor

from ..service import Norms


class NormsScreen(DataScreenMixin, Screen[None]):
    CSS_PATH = "../norms.tcss"
    TITLE = "Norms"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "open_team", "Open charter"),
        Binding("f", "waiting_first", "Waiting first"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Norms(ctx)
        self.rows: list[dict[str, Any]] = []
        self.waiting_first = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="teams-summary", classes="screen-title")
        yield DataTable(id="teams", cursor_type="row")
        yield Static(id="charter-detail")
        yield Footer()

    @reports_errors
    def on_mount(self) -> None:
        table = self.query_one("#teams", DataTable)
        table.add_columns("Team", "Norms", "Agreed", "Proposals", "For you")
        table.focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        load_in_background(self, self.service.overview, self._show)

    def _show(self, rows: list[dict[str, Any]], *, from_top: bool = False) -> None:
        self.rows = rows
        table = self.query_one("#teams", DataTable)
        keep = cursor_key(table)
        table.clear()
        ordered = rows
        if self.waiting_first:
            # What needs someone first: your own to-dos, then open proposals,
            # then teams whose members have not all agreed, then no charter yet.
            ordered = sorted(
                rows,
                key=lambda r: (
                    -r["mine"],
                    -r["open"],
                    r["agreed"] - r["members"] if r["version"] else 1,
                    r["name"],
                ),
            )
        for row in ordered:
            agreed = f"{row['agreed']} of {row['members']}" if row["version"] else "-"
            table.add_row(
                plain(one_line(row["name"], 34, middle=True)),
                f"{row['norms']} (v{row['version']})" if row["version"] else "none yet",
                Text(agreed, style="yellow" if row["agreed"] < row["members"] else "green")
                if row["version"]
                else Text("-", style="dim"),
                str(row["open"] or "-"),
                Text(str(row["mine"]), style="bold yellow") if row["mine"] else "",
                key=row["team"],
            )
        with_charter = sum(1 for r in rows if r["version"])
        summary = f"{with_charter} of {len(rows)} teams have adopted norms"
        if self.waiting_first:
            summary += " · waiting first"
        self.query_one("#teams-summary", Static).update(plain(summary))
        if from_top:
            table.move_cursor(row=0, scroll=False)
            table.scroll_home(animate=False)
        else:
            restore_cursor(table, keep)
        self._show_detail()

    def _selected(self) -> dict[str, Any] | None:
        key = highlighted_key(self.query_one("#teams", DataTable))
        return next((r for r in self.rows if r["team"] == key), None)

    def _show_detail(self) -> None:
        row = self._selected()
        detail = self.query_one("#charter-detail", Static)
        if row is None:
            detail.update(plain("No teams yet: an admin adds them on the community screen."))
            return
        parts = [one_line(row["name"])]
        if not row["version"]:
            parts.append("no norms adopted yet; open it to propose the first or the starters")
        else:
            parts.append(f"{row['norms']} norms, version {row['version']}")
            waiting = row["members"] - row["agreed"]
            if waiting:
                parts.append(f"{waiting} yet to agree")
        if row["open"]:
            parts.append(f"{row['open']} proposal{'s' if row['open'] != 1 else ''} open")
        if row["mine"]:
            parts.append(f"{row['mine']} waiting for you")
        detail.update(plain(" · ".join(parts)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_team()

    def action_open_team(self) -> None:
        row = self._selected()
        if row is None:
            return
        from .charter_screen import CharterScreen

        open_in_background(self, lambda: CharterScreen(self.ctx, row["team"]))

    def action_waiting_first(self) -> None:
        self.waiting_first = not self.waiting_first
        self._show(self.rows, from_top=True)  # what waits is what the key is for
        self.notify(
            "Teams with something waiting first." if self.waiting_first else "Teams by name.",
            markup=False,
        )

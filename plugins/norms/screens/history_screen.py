"""Every version of the team's norms: when, what changed, and the norms then."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from plc_tui.api import one_line, plain
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.table_cursor import highlighted_key

from ..model import category_name
from .charter_screen import category_order


class HistoryScreen(Screen[None]):
    CSS_PATH = "../norms.tcss"
    TITLE = "Norms versions"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, view: dict[str, Any]) -> None:
        super().__init__()
        self.team_name = view["team"]["name"]
        self.history = list(reversed(view["charter"]["history"]))  # newest first

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            plain(f"{self.team_name} · {len(self.history)} versions, newest first"),
            classes="screen-title",
        )
        yield DataTable(id="versions", cursor_type="row")
        with VerticalScroll(id="version-detail"):
            yield Static(id="version-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.team_name
        table = self.query_one("#versions", DataTable)
        table.add_columns("Version", "Date", "What changed")
        for entry in self.history:
            table.add_row(
                str(entry["version"]),
                entry["date"],
                plain(one_line(entry["change"], max(20, self.app.size.width - 26))),
                key=str(entry["version"]),
            )
        table.focus()
        self._show_version()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_version()

    def _show_version(self) -> None:
        key = highlighted_key(self.query_one("#versions", DataTable))
        entry = next((e for e in self.history if str(e["version"]) == key), None)
        text = Text()
        if entry is not None:
            text.append(f"Version {entry['version']}, {entry['date']}: ", style="bold")
            text.append(entry["change"])
            for norm in category_order(entry["norms"]):
                text.append(f"\n• {norm['text']} ", style="")
                text.append(f"({category_name(norm['category'])})", style="dim")
            if not entry["norms"]:
                text.append("\nNo norms in this version.", style="dim")
        self.query_one("#version-text", Static).update(text)

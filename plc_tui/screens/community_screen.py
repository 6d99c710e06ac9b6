"""The community directory: teams and their members."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..text import plain
from ..widgets.actions import reports_errors
from ..widgets.background import load_in_background
from ..widgets.messages import DataChanged

if TYPE_CHECKING:
    from ..api import Member, Team
    from ..app import PLCApp


class CommunityScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    app: PLCApp
    teams: list[Team] = []
    members: list[Member] = []
    everyone = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="community-title", classes="screen-title")
        with Horizontal(id="community-body"):
            yield DataTable(id="teams-table", cursor_type="row")
            yield DataTable(id="members-table", cursor_type="row")
        yield Footer()

    @reports_errors
    def on_mount(self) -> None:
        self.query_one("#teams-table", DataTable).add_columns("Team", "People")
        self.query_one("#members-table", DataTable).add_columns("Name", "Login", "Role")
        self.refresh_data()
        self.query_one("#teams-table", DataTable).focus()

    @reports_errors
    def on_data_changed(self, message: DataChanged) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        directory = self.app.runtime.context("core").community

        def read() -> tuple[str, list[Team], list[Member]]:
            return directory.name, directory.teams(), directory.members()

        load_in_background(self, read, self._show)

    def _show(self, data: tuple[str, list[Team], list[Member]]) -> None:
        name, self.teams, self.members = data
        self.everyone = f"{name}: {len(self.teams)} teams, {len(self.members)} members"
        self.query_one("#community-title", Static).update(plain(self.everyone))
        teams = self.query_one("#teams-table", DataTable)
        teams.clear()
        teams.add_row(plain("Everyone"), str(len(self.members)), key="*")
        for team in self.teams:
            count = sum(1 for m in self.members if team.id in m.teams)
            teams.add_row(plain(team.name), str(count), key=team.id)
        self._show_members("*")

    def _show_members(self, team_id: str) -> None:
        table = self.query_one("#members-table", DataTable)
        table.clear()
        for member in self.members:
            if team_id == "*" or team_id in member.teams:
                table.add_row(plain(member.name), plain(member.login), member.role)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "teams-table" and event.row_key.value is not None:
            self._show_members(event.row_key.value)
            # The highlighted team's whole name, however narrow its column.
            team = next((t for t in self.teams if t.id == event.row_key.value), None)
            count = self.query_one("#members-table", DataTable).row_count
            what = f"{team.name}: {count} people" if team else self.everyone
            self.query_one("#community-title", Static).update(plain(what))

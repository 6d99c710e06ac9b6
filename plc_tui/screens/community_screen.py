"""The community directory: teams and their members, and changing them.

Admins add, change and remove members; coaches and admins create teams and
put people in them (the same rules as ``plc member`` and ``plc team``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from ..membership import Membership
from ..text import counted, has_words, one_line, plain
from ..widgets.actions import reports_errors
from ..widgets.background import load_in_background, save_in_background
from ..widgets.confirm_modal import ask
from ..widgets.footer import Footer
from ..widgets.line_input import LineInput
from ..widgets.messages import DataChanged
from ..widgets.table_cursor import cursor_key, highlighted_key, restore_cursor
from .member_modal import MemberModal
from .team_modal import TeamModal

if TYPE_CHECKING:
    from ..api import Member, Team
    from ..app import PLCApp


class CommunityScreen(Screen[None]):
    TITLE = "Community"
    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("slash", "find", "Find a member", show=False),
        Binding("a", "add_member", "Add member"),
        Binding("e", "edit_member", "Edit"),
        Binding("t", "add_team", "Add team"),
        Binding("delete", "remove_member", "Remove"),
    ]

    app: PLCApp
    teams: list[Team] = []
    members: list[Member] = []
    everyone = ""
    wanted: str | None = None  # the member to highlight once the tables are filled

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="community-title", classes="screen-title")
        with Horizontal(id="community-body"):
            yield DataTable(id="teams-table", cursor_type="row")
            with Vertical(id="members-side"):
                yield DataTable(id="members-table", cursor_type="row")
                # Under the list, as / searches in less and vim; after it in tab
                # order, so tab still goes from the teams to the members.
                yield LineInput(
                    id="member-find",
                    placeholder="/ finds a member by name or login",
                    max_length=80,
                )
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
        keep_team = cursor_key(teams)
        teams.clear()
        teams.add_row(plain("Everyone"), str(len(self.members)), key="*")
        # A district's team names begin with their school's: cut in the middle, the
        # end that tells them apart stays. The table is 2/5 of the screen (app.tcss),
        # less the people column; it may not be laid out yet when the data comes.
        width = max(self.app.size.width * 2 // 5 - 12, 12)
        for team in self.teams:
            count = sum(1 for m in self.members if team.id in m.teams)
            name = one_line(team.name, width, middle=True)
            teams.add_row(plain(name), str(count), key=team.id)
        restore_cursor(teams, keep_team)
        self._show_members(highlighted_key(teams) or "*")

    def _show_members(self, team_id: str) -> None:
        table = self.query_one("#members-table", DataTable)
        keep = cursor_key(table)
        table.clear()
        query = self.query_one("#member-find", Input).value.strip()
        for member in self.members:
            if not has_words(f"{member.name} {member.login}", query):
                continue
            if team_id == "*" or team_id in member.teams:
                table.add_row(
                    plain(member.name), plain(member.login), member.role, key=member.login
                )
        if self.wanted is not None and self.wanted in {k.value for k in table.rows}:
            keep, self.wanted = (self.wanted, 0), None
        restore_cursor(table, keep)
        self._show_title(team_id, query, table.row_count)
        self.refresh_bindings()

    def _show_title(self, team_id: str, query: str, count: int) -> None:
        """The highlighted team's whole name (however narrow its column) and how many
        people it has, or what a search found."""
        team = next((t for t in self.teams if t.id == team_id), None)
        if query:
            where = f" of {team.name}" if team else ""
            what = (
                f"{counted(count, 'member', 'members')}{where} matching “{one_line(query)}”"
                if count
                else f"No member{where} has “{one_line(query)}” in their name or login; "
                "escape clears the search."
            )
        else:
            what = f"{team.name}: {count} people" if team else self.everyone
        self.query_one("#community-title", Static).update(plain(what))

    # -- changing the community --------------------------------------------------------

    def _membership(self) -> Membership:
        return Membership(self.app.runtime.storage, self.app.runtime.member)

    def _team_in_view(self) -> str | None:
        key = highlighted_key(self.query_one("#teams-table", DataTable))
        return None if key == "*" else key

    def _member_in_view(self) -> Member | None:
        key = highlighted_key(self.query_one("#members-table", DataTable))
        return next((m for m in self.members if m.login == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only what this person may do, and only when there is someone to do it to."""
        me = self.app.runtime.member
        if action in ("add_member", "remove_member") and not (me and me.is_admin):
            return False
        if action in ("add_team", "edit_member") and not (me and me.is_leader):
            return False
        if action in ("edit_member", "remove_member") and not self.members:
            return None
        return True

    def _changed(self, what: str, member: Member | None = None) -> None:
        self.notify(what, markup=False)
        self.wanted = member.login if member else None
        self.app.runtime.refresh_member()
        self.refresh_data()

    def action_add_member(self) -> None:
        def added(member: Member | None) -> None:
            if member is not None:
                self._changed(f"Added {member.name} ({member.login}) as {member.role}.", member)

        modal = MemberModal(self._membership(), self.teams, team=self._team_in_view())
        self.app.push_screen(modal, added)

    def action_edit_member(self) -> None:
        member = self._member_in_view()
        if member is None:
            return

        def changed(member: Member | None) -> None:
            if member is not None:
                self._changed(f"Saved {member.name} ({member.login}).", member)

        self.app.push_screen(MemberModal(self._membership(), self.teams, member), changed)

    def action_add_team(self) -> None:
        def added(team: Team | None) -> None:
            if team is not None:
                self._changed(f"Added team {team.name}.")

        self.app.push_screen(TeamModal(self._membership()), added)

    def action_remove_member(self) -> None:
        member = self._member_in_view()
        if member is None:
            return

        def remove() -> None:
            save_in_background(
                self,
                lambda: self._membership().remove_member(member.login),
                lambda gone: self._changed(f"Removed {gone.name} ({gone.login})."),
            )

        ask(
            self,
            f"Remove {member.name} ({member.login})?",
            "They leave the whole community, not only this team, and can no longer open "
            "plc as a member. Their goals, votes and answers stay.",
            confirm="Remove",
            then=remove,
            danger=True,
        )

    def action_find(self) -> None:
        self.query_one("#member-find", Input).focus()

    def action_back(self) -> None:
        finder = self.query_one("#member-find", Input)
        if finder.value:  # escape first clears the search, then leaves
            finder.value = ""
            self.query_one("#members-table", DataTable).focus()
            return
        self.app.pop_screen()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "member-find":
            self._show_members(self._team_in_view() or "*")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "member-find":
            self.query_one("#members-table", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "members-table":
            event.stop()
            self.action_edit_member()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "teams-table" and event.row_key.value is not None:
            self._show_members(event.row_key.value)

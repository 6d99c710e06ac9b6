"""Add a member, or change one: name, role and teams."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label, Static

from ..community import ROLE_TITLES, ROLES, Member, Team
from ..errors import ValidationError
from ..membership import Membership
from ..text import plain
from ..widgets.choice_list import ChoiceList
from ..widgets.form_modal import FormModal
from ..widgets.line_input import LineInput


class MemberModal(FormModal[Member]):
    """``member=None`` adds one. Admins change everything; coaches only teams."""

    def __init__(
        self,
        membership: Membership,
        teams: list[Team],
        member: Member | None = None,
        *,
        team: str | None = None,
    ) -> None:
        self.membership = membership
        self.teams = teams
        self.member = member
        self.admin = bool(membership.actor and membership.actor.is_admin)
        self.start_teams = list(member.teams) if member else [team] if team else []
        if member is None:
            title = "Add a member"
            detail = "Their login is their user name on this server (what `whoami` prints)."
        else:
            title = f"Change {member.name} ({member.login})"
            detail = (
                ""
                if self.admin
                else "Coaches put people in teams; an admin changes names and roles."
            )
        super().__init__(title, detail)

    def compose_fields(self) -> ComposeResult:
        member = self.member
        if member is None:
            yield Label("Login")
            yield LineInput(id="mm-login", max_length=64, placeholder="e.g. jgarcia")
        if self.admin:
            yield Label("Name")
            yield LineInput(
                member.name if member else "",
                id="mm-name",
                max_length=80,
                placeholder="e.g. Julia Garcia",
            )
            yield Label("Role")
            yield ChoiceList(
                [(ROLE_TITLES[r], r) for r in ROLES],
                member.role if member else "teacher",
                horizontal=True,
                id="mm-role",
            )
        elif member is not None:
            yield Static(plain(f"{member.name}, {ROLE_TITLES.get(member.role, member.role)}"))
        yield Label("Teams (space ticks or unticks; tick as many as apply)")
        yield ChoiceList(
            [(t.name, t.id) for t in self.teams],
            self.start_teams,
            multiple=True,
            id="mm-teams",
        )

    def on_mount(self) -> None:
        first = self.query("#mm-login, #mm-name, #mm-teams").first()
        first.focus()

    def collect(self) -> dict[str, Any]:
        values: dict[str, Any] = {"teams": self.query_one("#mm-teams", ChoiceList).value}
        if self.member is None:
            values["login"] = self.query_one("#mm-login", Input).value.strip()
            if not values["login"]:
                raise ValidationError("give their login: their user name on this server.")
        if self.admin:
            values["name"] = self.query_one("#mm-name", Input).value
            values["role"] = self.query_one("#mm-role", ChoiceList).value
        return values

    def commit(self, values: dict[str, Any]) -> Member:
        if self.member is None:
            added, _ = self.membership.add_member(
                values["login"], values["name"], values["role"], values["teams"]
            )
            return added
        if self.admin:
            current = set(self.member.teams)
            wanted = set(values["teams"])
            changed, _ = self.membership.edit_member(
                self.member.login,
                name=values["name"],
                role=values["role"],
                add_teams=sorted(wanted - current),
                remove_teams=sorted(current - wanted),
            )
            return changed
        changed, _ = self.membership.set_teams(self.member.login, values["teams"])
        return changed

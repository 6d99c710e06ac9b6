"""Create a team."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label

from ..community import Team
from ..membership import Membership
from ..widgets.form_modal import FormModal
from ..widgets.line_input import LineInput


class TeamModal(FormModal[Team]):
    save_label = "Add team"

    def __init__(self, membership: Membership) -> None:
        self.membership = membership
        super().__init__("Add a team", "A grade level, a department, a leadership team…")

    def compose_fields(self) -> ComposeResult:
        yield Label("Name")
        yield LineInput(id="tm-name", max_length=60, placeholder="e.g. Grade 6 Team")
        yield Label("What the team is for (optional)")
        yield LineInput(id="tm-description", max_length=300, placeholder="e.g. Grade 6 teachers")

    def on_mount(self) -> None:
        self.query_one("#tm-name", Input).focus()

    def collect(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#tm-name", Input).value,
            "description": self.query_one("#tm-description", Input).value,
        }

    def commit(self, values: dict[str, Any]) -> Team:
        return self.membership.add_team(values["name"], values["description"])

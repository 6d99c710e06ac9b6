"""The team roles screen: the roles check, then your team's balance."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from plc_tui.api import Context, PLCError, plain
from plc_tui.widgets.grid_choice import GridChoice

from .roles import ROLES, SCALE, SKILLS, STATEMENTS
from .service import TeamRoles


class TeamRolesScreen(Screen):
    CSS = """
    TeamRolesScreen #roles-intro { padding: 0 1; color: $text-muted; }
    TeamRolesScreen #roles-profile { padding: 0 1; }
    TeamRolesScreen #roles-missing { padding: 0 1; color: $warning; }
    TeamRolesScreen DataTable { height: auto; max-height: 10; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+s", "save", "Save answers", priority=True),
        Binding("a", "retake", "Retake the check"),
        Binding("t", "next_team", "Next team"),
        Binding("g", "give_roles", "Give roles by strength"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = TeamRoles(ctx)
        self.taking = self.service.mine() is None
        self.team_index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            if self.taking:
                yield Static(
                    plain(
                        "How like you is each statement? A number chooses and moves on; "
                        "ctrl+s saves. There are no right answers: teams need every role."
                    ),
                    id="roles-intro",
                )
                yield GridChoice(
                    [(text, sid) for sid, text, _kind in STATEMENTS],
                    [(label, key) for label, key in SCALE],
                    {},
                    id="roles-check",
                )
            else:
                yield Static(id="roles-profile")
                yield DataTable(id="roles-table", cursor_type="row")
                yield Static(id="roles-missing")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Team roles"
        if self.taking:
            self.query_one(GridChoice).focus()
        else:
            self.show_balance()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The footer shows the keys of what is on screen: the check, or the balance.
        if action == "save":
            return self.taking
        if action in ("retake", "next_team", "give_roles"):
            return not self.taking
        return True

    def show_balance(self) -> None:
        mine = self.service.mine()
        profile_line = Text()
        if mine is not None:
            profile_line.append("You: ", style="bold")
            profile_line.append(", ".join(ROLES[r] for r in mine.strengths))
            profile_line.append(f" · leans to {mine.lean}")
        teams = self.service.teams()
        table = self.query_one("#roles-table", DataTable)
        table.clear(columns=True)
        missing = self.query_one("#roles-missing", Static)
        if not teams:
            self.query_one("#roles-profile", Static).update(profile_line)
            missing.update(plain("Join a team to see its balance."))
            return
        team, bal, assigned = self.service.team_balance(teams[self.team_index % len(teams)].id)
        names = {m.login: m.name for m in self.ctx.community.members()}
        profile_line.append(f"\n{team.name}", style="bold")
        profile_line.append(
            f" · {SKILLS['discovery']} {len(bal.discovery)}, "
            f"{SKILLS['delivery']} {len(bal.delivery)}, not assessed {len(bal.not_assessed)}"
        )
        self.query_one("#roles-profile", Static).update(profile_line)
        table.add_columns("Role", "A strength of", "Leads it")
        for role, label in ROLES.items():
            people = ", ".join(names.get(m, m) for m in bal.by_role[role]) or "no one yet"
            table.add_row(label, plain(people), plain(names.get(assigned.get(role, ""), "-")))
        gaps = ", ".join(ROLES[r] for r in bal.missing)
        missing.update(
            plain(f"No one's strength yet: {gaps}. Who will stretch into it?" if gaps else "")
        )

    def action_save(self) -> None:
        if not self.taking:
            return
        try:
            self.service.save_answers(self.query_one(GridChoice).value)
        except PLCError as error:
            self.notify(error.message, severity="warning", markup=False)
            return
        self.taking = False
        self.notify("Saved. Here is your team's balance.", markup=False)
        self.refresh_bindings()
        self.refresh(recompose=True)
        self.call_after_refresh(self.show_balance)

    def action_retake(self) -> None:
        if not self.taking:
            self.taking = True
            self.refresh_bindings()
            self.refresh(recompose=True)

    def action_next_team(self) -> None:
        if not self.taking:
            self.team_index += 1
            self.show_balance()

    def action_give_roles(self) -> None:
        if self.taking:
            return
        teams = self.service.teams()
        if not teams:
            return
        chosen = self.service.assign(teams[self.team_index % len(teams)].id)
        self.notify(f"Gave {len(chosen)} roles by strength.", markup=False)
        self.show_balance()

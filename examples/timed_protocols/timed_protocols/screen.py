"""Choose a protocol and a team, then run it step by step against the clock."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from plc_tui.api import Context, PLCError, plain
from plc_tui.widgets.text_box import TextBox

from .runs import Run, clock_text
from .service import Protocols


class ProtocolsScreen(Screen):
    """The protocols to choose from; enter starts one for the team shown."""

    CSS = """
    ProtocolsScreen #protocols-team { padding: 0 1; }
    ProtocolsScreen OptionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("t", "next_team", "Next team"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Protocols(ctx)
        member = ctx.require_member()
        self.teams = [t for t in ctx.community.teams() if member.in_team(t.id)] or (
            ctx.community.teams() if member.is_leader else []
        )
        self.team_index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="protocols-team")
        yield OptionList(
            *[
                Option(
                    plain(
                        f"{t.title} · {sum(s['minutes'] for s in t.body['steps']):g} min: "
                        f"{t.description}"
                    ),
                    id=t.id,
                )
                for t in self.service.available()
            ],
            id="protocols-list",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Timed protocols"
        self.show_team()
        self.query_one(OptionList).focus()

    def show_team(self) -> None:
        label = self.teams[self.team_index % len(self.teams)].name if self.teams else "no team"
        self.query_one("#protocols-team", Static).update(
            plain(f"For {label} (t: next team) · enter starts the protocol")
        )

    def action_next_team(self) -> None:
        self.team_index += 1
        self.show_team()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if not self.teams:
            self.notify("Join a team to run a protocol with it.", severity="warning", markup=False)
            return
        team = self.teams[self.team_index % len(self.teams)]
        run = self.service.start(str(event.option.id))
        self.app.push_screen(RunScreen(self.service, run, team.id, team.name))


class RunScreen(Screen):
    """One step at a time: who speaks, the prompt, the time left, and notes."""

    CSS = """
    RunScreen #run-step { padding: 0 1; }
    RunScreen #run-clock { padding: 0 1; text-style: bold; }
    RunScreen #run-clock.-over { color: $warning; }
    RunScreen TextBox { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+n", "step(1)", "Next step", priority=True),
        Binding("ctrl+b", "step(-1)", "Step back", priority=True),
        Binding("ctrl+r", "pause", "Pause/resume", priority=True),
        Binding("ctrl+s", "save", "Save notes", priority=True),
        Binding("escape", "leave", "Leave"),
    ]

    def __init__(self, service: Protocols, run: Run, team: str, team_name: str) -> None:
        super().__init__()
        self.service = service
        self.run = run
        self.team = team
        self.team_name = team_name
        self.rang = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="run-step")
        yield Static(id="run-clock")
        yield TextBox("", placeholder="Notes for this step", id="run-notes")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"{self.run.title} · {self.team_name}"
        self.show_step()
        self.set_interval(1.0, self.tick)
        self.query_one(TextBox).focus()

    def show_step(self) -> None:
        step = self.run.step
        text = Text()
        text.append(f"Step {self.run.index + 1} of {len(self.run.steps)}: ", style="bold")
        text.append_text(plain(step.title, style="bold"))
        text.append_text(plain(f" · {step.who} · {step.minutes:g} min\n{step.prompt}"))
        self.query_one("#run-step", Static).update(text)
        self.query_one(TextBox).text = self.run.notes[self.run.index]
        self.rang = False
        self.tick()

    def tick(self) -> None:
        left = self.run.remaining()
        clock = self.query_one("#run-clock", Static)
        paused = " (paused: ctrl+r resumes)" if self.run.paused else ""
        clock.update(plain(clock_text(left) + paused))
        clock.set_class(left < 0, "-over")
        if left < 0 and not self.rang:
            self.rang = True
            self.app.bell()
            self.notify(f"Time is up for {self.run.step.title}.", markup=False)

    def keep_notes(self) -> None:
        self.run.notes[self.run.index] = self.query_one(TextBox).text

    def action_step(self, delta: int) -> None:
        self.keep_notes()
        self.run.go_to(self.run.index + delta)
        self.show_step()

    def action_pause(self) -> None:
        if self.run.paused:
            self.run.resume()
        else:
            self.run.pause()
        self.tick()

    def action_save(self) -> None:
        self.keep_notes()
        try:
            sid = self.service.save(self.team, self.run)
        except PLCError as error:
            self.notify(error.message, severity="error", markup=False)
            return
        self.notify(f"Kept the notes for {self.team_name} (session {sid}).", markup=False)
        self.dismiss()

    def action_leave(self) -> None:
        self.keep_notes()
        if any(n.strip() for n in self.run.notes):
            from plc_tui.widgets.confirm_modal import ask

            ask(
                self,
                "Leave without saving?",
                "The notes typed in this run are not kept unless you save (ctrl+s).",
                confirm="Leave",
                then=self.dismiss,
            )
            return
        self.dismiss()

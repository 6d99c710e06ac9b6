"""Results of one survey: response rates, bar charts, means, free text, trends."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from plc_tui.api import Context, one_line, plain
from plc_tui.text import counted, share_width
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import load_in_background, save_in_background
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.messages import DataChanged

from ..results_text import question_lines, score_line
from ..service import Surveys

BREAKDOWN_CYCLE = [None, "team", "role"]


class ResultsScreen(Screen[None]):
    CSS_PATH = "../surveys.tcss"
    TITLE = "Survey results"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("b", "breakdown", "Breakdown"),
        # One key, labelled by what pressing it does now.
        Binding("p", "publish(True)", "Publish results"),
        Binding("p", "publish(False)", "Hide results"),
    ]

    def __init__(self, ctx: Context, survey_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Surveys(ctx)
        self.survey_id = survey_id
        self.breakdown: str | None = None
        self.shown: tuple[dict[str, Any], dict[str, Any]] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="results-title", classes="screen-title")
        with VerticalScroll(id="results-body"):
            yield Static(id="results-summary")
            yield Static(id="results-questions")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "breakdown":  # anonymous answers keep no team or role to split by
            return self.shown is None or not self.shown[1].get("anonymous")
        if action == "publish":
            if not self.ctx.can("lead") or self.shown is None:
                return False
            published = bool(self.shown[1].get("published"))
            return parameters[0] != published
        return True

    @reports_errors
    def on_mount(self) -> None:
        self.refresh_data()
        self.query_one("#results-body").focus()

    @reports_errors
    def on_data_changed(self, message: DataChanged) -> None:
        self.refresh_data()

    def on_resize(self) -> None:
        if self.shown is not None:
            self._show(self.shown)

    def refresh_data(self) -> None:
        breakdown = self.breakdown

        def read() -> tuple[dict[str, Any], dict[str, Any]]:
            return (
                self.service.results(self.survey_id, breakdown=breakdown),
                self.service.get(self.survey_id),
            )

        load_in_background(self, read, self._show)

    def _show(self, shown: tuple[dict[str, Any], dict[str, Any]]) -> None:
        self.shown = shown
        self.refresh_bindings()
        data, survey = shown
        published = "published" if survey.get("published") else "not published"
        self.query_one("#results-title", Static).update(
            plain(f"{data['title']} · wave {data['wave']} · {published}")
        )
        summary = Text()
        summary.append(
            f"{counted(data['responses'], 'response', 'responses')} from "
            f"{counted(data['invited'], 'person', 'people')} asked "
            f"({data['response_rate']}%). ",
            style="bold",
        )
        summary.append(
            "Anonymous." if data["anonymous"] else "Named.",
        )
        summary.append(f" Results show for groups of {data['threshold']} or more.\n")
        for section in data.get("sections", []):
            summary.append_text(score_line(section))
        if self.breakdown:
            summary.append(f"Breakdown by {self.breakdown} (b to change).\n", style="cyan")
        if data.get("hidden"):
            summary.append(f"\nResults are hidden: {data['reason']}.", style="bold yellow")
        self.query_one("#results-summary", Static).update(summary)
        width = max(self.size.width - 6, 40)
        blocks: list[Any] = []
        if not data.get("hidden"):
            section = ""
            for number, q in enumerate(data["questions"], 1):
                if q.get("section") and q["section"] != section:
                    section = q["section"]
                    blocks.append(plain(section, style="bold underline"))
                blocks.append(Group(*question_lines(q, width, number)))
                blocks.append(Text(""))
        # Who answered, per team: after the answers, which are what people came for.
        blocks.append(self._rates(data))
        self.query_one("#results-questions", Static).update(Group(*blocks))

    def _rates(self, data: dict[str, Any]) -> Text:
        rates = Text("Response rate by team\n", style="bold")
        # Team names take the room the numbers leave (cut only where there is none).
        (name_width,) = share_width(
            self.size.width - 22,
            [max((cell_len(one_line(t["team"])) for t in data["teams"]), default=4)],
        )
        for team in data["teams"]:
            name = one_line(team["team"], name_width)
            rates.append(
                f"  {name}{' ' * (name_width - cell_len(name))} "
                f"{team['responded']:>3}/{team['invited']:<3} {team['rate']:>3}%\n",
                style="",
            )
        return rates

    def action_breakdown(self) -> None:
        index = BREAKDOWN_CYCLE.index(self.breakdown)
        self.breakdown = BREAKDOWN_CYCLE[(index + 1) % len(BREAKDOWN_CYCLE)]
        self.notify(f"Breakdown: {self.breakdown or 'none'}", markup=False)
        self.refresh_data()

    def action_publish(self, publish: bool) -> None:
        if publish:
            ask(
                self,
                "Publish these results?",
                "Everyone the survey asked will be able to read them (never below the "
                "survey's threshold, and never who answered what).",
                confirm="Publish",
                then=lambda: self._publish(True),
            )
        else:
            self._publish(False)

    def _publish(self, publish: bool) -> None:
        def toggle() -> dict[str, Any]:
            return self.service.publish(self.survey_id, publish)

        def done(updated: dict[str, Any]) -> None:
            self.notify(
                "Results published to the people asked."
                if updated["published"]
                else "Results hidden from members again.",
                markup=False,
            )
            self.refresh_data()

        save_in_background(self, toggle, done)

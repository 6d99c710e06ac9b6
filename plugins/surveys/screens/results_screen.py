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
from textual.widgets import Footer, Header, Static

from plc_tui.api import Context, one_line, plain
from plc_tui.text import share_width
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import load_in_background, save_in_background
from plc_tui.widgets.bar_chart import bar_chart
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.messages import DataChanged

from ..service import Surveys

BREAKDOWN_CYCLE = [None, "team", "role"]


def _texts(label: str, texts: list[str]) -> list[Any]:
    """Free text, the same words once with how many wrote them."""
    counts: dict[str, int] = {}
    for text in texts:
        key = one_line(text)
        counts[key] = counts.get(key, 0) + 1
    lines: list[Any] = [plain(label, style="underline")] if label else []
    for text, count in counts.items():
        lines.append(plain(f"• {text}" + (f"  (×{count})" if count > 1 else "")))
    return lines


def _grid_rows(q: dict[str, Any], width: int) -> list[Any]:
    """A grid as a compact table: mean, share at each point, the statement."""
    points = len(next((r["counts"] for r in q["rows"] if "counts" in r), []))
    if not points:
        return []
    first = next(r for r in q["rows"] if "counts" in r)
    legend = "  ".join(f"{c['value']} {c['label']}" for c in first["counts"])
    lines: list[Any] = [plain(legend, style="dim")]
    head = " mean " + "".join(f"{n:>5}" for n in range(1, points + 1)) + "  statement"
    lines.append(plain(head, style="bold"))
    room = max(width - 6 - 5 * points - 2, 12)
    for row in q["rows"]:
        if row.get("hidden"):
            lines.append(plain(f"  hidden  {one_line(row['text'], room)} ({row['reason']})"))
            continue
        mean = f"{row['mean']:>5}" if "mean" in row else "    -"
        shares = "".join(f"{c['percent']:>4}%" for c in row["counts"])
        lines.append(plain(f"{mean} {shares}  {one_line(row['text'], room)}"))
    return lines


def _question_block(q: dict[str, Any], width: int, number: int) -> Group:
    parts: list[Any] = [plain(f"{number}. {q['text']}", style="bold")]
    if q.get("hidden"):
        parts.append(plain(f"Hidden: {q['reason']}.", style="italic yellow"))
        return Group(*parts)
    if "counts" in q:
        parts.append(
            bar_chart([(c["label"], c["count"]) for c in q["counts"]], width=width, total=q["n"])
        )
    stats = []
    if "mean" in q:
        stats.append(f"mean {q['mean']}  median {q['median']}")
    if "top_box" in q:
        stats.append(f"{q['top_box']['percent']}% {q['top_box']['label']}")
    stats.append(f"n = {q['n']}")
    parts.append(plain("  ·  ".join(stats), style="dim"))
    if "trend" in q:
        t = q["trend"]
        arrow = "▲" if t["change"] > 0 else ("▼" if t["change"] < 0 else "=")
        parts.append(
            plain(
                f"{arrow} {t['change']:+} since wave {t['previous_wave']} "
                f"(mean {t['previous_mean']})",
                style="green" if t["change"] > 0 else ("red" if t["change"] < 0 else ""),
            )
        )
    if "ranking" in q:
        for n, row in enumerate(q["ranking"], 1):
            parts.append(
                plain(
                    f"{n}. {row['label']}  (mean rank {row['mean_rank']}, "
                    f"first for {row['first_choice']})"
                )
            )
    if "rows" in q:
        parts.extend(_grid_rows(q, width))
    if "answers" in q:
        parts.extend(_texts("", q["answers"]))
    if q.get("other_answers"):
        parts.extend(_texts("Other:", q["other_answers"]))
    if q.get("comments"):
        parts.extend(_texts("Comments:", q["comments"]))
    if "breakdown" in q:
        b = q["breakdown"]
        if b.get("hidden"):
            parts.append(plain(f"Breakdown hidden: {b['reason']}.", style="italic yellow"))
        else:
            parts.append(plain(f"By {b['by']}:", style="underline"))
            for group, summary in b["groups"].items():
                if "mean" in summary:
                    detail = f"mean {summary['mean']}"
                else:
                    detail = ", ".join(
                        f"{c['label']} {c['count']}" for c in summary.get("counts", [])
                    )
                parts.append(plain(f"  {one_line(group, 24)}: n={summary['n']}  {detail}"))
    return Group(*parts)


def _score_line(section: dict[str, Any]) -> Text:
    """A section's score: what school climate reports lead with."""
    line = Text(f"  {section['title']}: ", style="bold")
    if section.get("hidden"):
        line.append(f"score hidden ({section['reason']})\n", style="italic yellow")
        return line
    line.append(f"{section['mean']} of {section['points']}")
    line.append(f"  (n = {section['n']}, {section['items']} items)", style="dim")
    if "trend" in section:
        t = section["trend"]
        line.append(f"  {t['change']:+} since wave {t['previous_wave']}")
    line.append("\n")
    teams = section.get("teams")
    if isinstance(teams, dict) and not teams.get("hidden"):
        for team, score in teams.items():
            line.append(f"      {one_line(team, 40)}: {score['mean']} (n = {score['n']})\n")
    return line


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
            f"{data['responses']} responses from {data['invited']} people asked "
            f"({data['response_rate']}%). ",
            style="bold",
        )
        summary.append(
            "Anonymous." if data["anonymous"] else "Named.",
        )
        summary.append(f" Results show for groups of {data['threshold']} or more.\n")
        for section in data.get("sections", []):
            summary.append_text(_score_line(section))
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
                blocks.append(_question_block(q, width, number))
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

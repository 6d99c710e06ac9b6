"""How well the team kept each norm: averages by check, lowest first, and the
latest check's comments. Anonymous, and only where at least 3 rated."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from plc_tui.api import Context, one_line, plain
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import load_in_background
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.messages import DataChanged
from plc_tui.widgets.table_cursor import highlighted_key

from ..service import Norms

SHOWN_CHECKS = 4  # the last few checks fit beside the norm at 80 columns


def mean_cell(mean: float | None) -> Text:
    if mean is None:
        return Text("  -", style="dim")
    style = "green" if mean >= 4 else "yellow" if mean >= 3 else "bold red"
    return Text(f"{mean:.1f}", style=style)


def short_date(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%b %-d") if iso else "?"


def trend_arrow(trend: list[dict[str, Any]]) -> str:
    means = [t["mean"] for t in trend if t["mean"] is not None]
    if len(means) < 2 or abs(means[-1] - means[-2]) < 0.05:
        return ""
    return " ↑" if means[-1] > means[-2] else " ↓"


class CheckResultsScreen(Screen[None]):
    CSS_PATH = "../norms.tcss"
    TITLE = "Norms check results"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, ctx: Context, team_id: str) -> None:
        super().__init__()
        self.service = Norms(ctx)
        self.team_id = team_id
        self.data = self._read()

    def _read(self) -> tuple[str, list[dict[str, Any]], dict[str, Any] | None]:
        return (
            self.service.team(self.team_id).name,
            self.service.check_results(self.team_id),
            self.service.latest_check(self.team_id),
        )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="results-title", classes="screen-title")
        yield DataTable(id="results", cursor_type="row")
        with VerticalScroll(id="results-detail"):
            yield Static(id="results-text")
        yield Footer()

    @reports_errors
    def on_mount(self) -> None:
        self.query_one("#results", DataTable).focus()
        self._show(self.data)

    @reports_errors
    def on_data_changed(self, message: DataChanged) -> None:
        load_in_background(self, self._read, self._show)

    def on_resize(self) -> None:
        self._show(self.data)

    def _show(self, data: tuple[str, list[dict[str, Any]], dict[str, Any] | None]) -> None:
        self.data = data
        name, rows, _ = data
        self.sub_title = name
        dates = sorted({(t["date"] or "", t["check"]) for r in rows for t in r["trend"]})
        shown = dates[-SHOWN_CHECKS:]
        table = self.query_one("#results", DataTable)
        table.clear(columns=True)
        width = max(20, self.app.size.width - 8 * len(shown) - 7 - 4)
        table.add_column("Norm (lowest first)", width=width, key="norm")
        for day, check in shown:
            table.add_column(short_date(day), key=f"c{check}")
        table.add_column("Trend", key="trend")
        for row in rows:
            by_check = {t["check"]: t["mean"] for t in row["trend"]}
            table.add_row(
                plain(one_line(row["text"], width)),
                *(mean_cell(by_check.get(check)) for _, check in shown),
                Text(trend_arrow(row["trend"]).strip() or "", style="bold"),
                key=str(row["norm"]),
            )
        checks = len(dates)
        title = f"{name} · {checks} norms check{'s' if checks != 1 else ''}"
        if checks > SHOWN_CHECKS:
            title += f" (the last {SHOWN_CHECKS} shown)"
        self.query_one("#results-title", Static).update(plain(title))
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        _, rows, latest = self.data
        key = highlighted_key(self.query_one("#results", DataTable))
        row = next((r for r in rows if str(r["norm"]) == key), None)
        text = Text()
        if row is not None:
            text.append(row["text"], style="bold")
            for point in row["trend"]:
                mean = "not shown" if point["mean"] is None else f"{point['mean']:.1f}"
                text.append(f"\n  {point['date']}: {mean} ({point['n']} rated)", style="dim")
            text.append("\n")
        text.append_text(self._latest_text(latest))
        self.query_one("#results-text", Static).update(text)

    @staticmethod
    def _latest_text(latest: dict[str, Any] | None) -> Text:
        text = Text()
        if latest is None:
            text.append("No norms check yet. On the charter, k starts one for the team.")
            return text
        text.append(f"Latest check, {latest['date']}", style="bold")
        if latest["status"] == "open":
            text.append(" (open)")
        text.append(f": {latest['n']} rated. ")
        if latest["hidden"]:
            reason = latest["reason"]
            text.append(reason[:1].upper() + reason[1:] + ".")
            if latest["status"] == "open":
                text.append(" On the charter, x closes it once everyone has rated.", style="dim")
            return text
        text.append("1 not at all … 5 fully; means of 3 or more ratings only.", style="dim")
        if latest["comments"]:
            text.append("\nComments (anonymous):", style="bold")
            for comment in latest["comments"]:
                text.append(f"\n• {comment}")
        return text

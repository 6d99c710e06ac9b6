"""The surveys module: "For me" (answer) and, for coaches and admins, "Manage".

Both list open surveys and those that closed this school year; ``y`` shows the
surveys that closed in each earlier school year in turn, then this one again."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from plc_tui.api import Context, one_line, plain
from plc_tui.api import school_year_label as label
from plc_tui.text import share_width
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import (
    load_in_background,
    open_in_background,
    save_in_background,
)
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.data_screen import DataScreenMixin
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.save_file_modal import save_to_file
from plc_tui.widgets.table_cursor import cursor_key, restore_cursor

from ..service import Surveys


def _longest(rows: list[Any]) -> int:
    return max((cell_len(_title(row)) for row in rows), default=6)


def _title(row: Any, width: int | None = None) -> str:
    """A survey's title, with its wave after the first, kept when the title is cut
    (two waves of one survey must not look the same)."""
    wave = f" (wave {row.wave})" if getattr(row, "wave", 1) > 1 else ""
    if width is None:
        return one_line(row.title) + wave
    return one_line(row.title, max(width - cell_len(wave), 8)) + wave


def _widest(header: str, values: list[str]) -> int:
    return max([cell_len(header), *(cell_len(v) for v in values)])


STATUS_STYLE = {
    "not started": "bold yellow",
    "draft": "yellow",
    "submitted": "green",
    "results": "cyan",  # closed, results published: enter reads them
}
STATE_STYLE = {"open": "green", "scheduled": "cyan", "draft": "yellow", "closed": "dim"}


class SurveysScreen(DataScreenMixin, Screen[None]):
    CSS_PATH = "../surveys.tcss"
    TITLE = "Surveys"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "activate", "Answer the survey, or read its results", show=False),
        Binding("f", "show_tab('tab-mine')", "For me", show=False),
        Binding("m", "show_tab('tab-all')", "Manage"),
        Binding("r", "results", "Results"),
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("o", "open_survey", "Open"),
        Binding("x", "close_survey", "Close"),
        Binding("w", "new_wave", "Wave"),
        Binding("s", "export", "Export results CSV", show=False),
        Binding("y", "next_year", "Past years"),
    ]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Surveys(ctx)
        self.leader = ctx.can("lead")
        self.rows: dict[int, Any] = {}
        self._select_after_refresh: int | None = None
        self.shown: tuple[list[Any], list[Any]] | None = None
        self.year: int | None = None  # None: open surveys and this school year's
        self.years: list[int] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="surveys-tabs"):
            with TabPane("For me", id="tab-mine"):
                yield Static(id="mine-empty", classes="empty")
                yield DataTable(id="mine", cursor_type="row")
            if self.leader:
                with TabPane("Manage", id="tab-all"):
                    yield DataTable(id="all", cursor_type="row")
        yield Static(id="survey-line")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        leader_only = {"new", "edit", "open_survey", "close_survey", "new_wave", "export"}
        if action in leader_only:
            return self.leader and self._tab() == "tab-all"
        if action == "show_tab":
            return self.leader and parameters[0] != self._tab()
        if action == "next_year":
            return len(self.years) > 1
        return True

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @reports_errors
    def on_mount(self) -> None:
        self.query_one("#mine", DataTable).add_columns("Survey", "Closes", "You")
        if self.leader:
            self.query_one("#all", DataTable).add_columns(
                "#", "Survey", "Wave", "State", "Answered"
            )
        self.refresh_data()
        self.query_one("#mine", DataTable).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
        table_id = "#all" if event.pane.id == "tab-all" else "#mine"
        self.query_one(table_id, DataTable).focus()
        self._show_selected()

    def _tab(self) -> str:
        return self.query_one(TabbedContent).active or "tab-mine"

    def refresh_data(self) -> None:
        year = self.year

        def read() -> tuple[list[Any], list[Any], list[int]]:
            everything = self.service.rows(everything=True, year=year) if self.leader else []
            mine = self.service.rows(year=year, counted=False)  # it shows no counts
            return mine, everything, self.years or self.service.years()

        load_in_background(self, read, self._keep_and_show)

    def _keep_and_show(self, data: tuple[list[Any], list[Any], list[int]]) -> None:
        mine, everything, self.years = data
        self.shown = (mine, everything)
        self._label_tabs()
        self._show(self.shown)
        self.refresh_bindings()

    def _label_tabs(self) -> None:
        """The tabs say which school year's closed surveys they list, when not this one."""
        tabs = self.query_one(TabbedContent)
        when = "" if self.year is None else f" · closed in {label(self.year)}"
        tabs.get_tab("tab-mine").label = f"For me{when}"  # type: ignore[assignment]
        if self.leader:
            tabs.get_tab("tab-all").label = f"Manage{when}"  # type: ignore[assignment]

    def action_next_year(self) -> None:
        """The surveys that closed in the school year before; after the first, this
        year's (and the open ones) again."""
        if len(self.years) < 2:
            return
        at = self.years.index(self.year) if self.year in self.years else 0
        following = self.years[(at + 1) % len(self.years)]
        self.year = None if following == self.years[0] else following
        self.refresh_data()

    def _show(self, data: tuple[list[Any], list[Any]]) -> None:
        self.shown_width = self.size.width
        rows, everything = data
        # A leader's Manage rows (counted) win over the same surveys' For me rows.
        self.rows = {row.id: row for row in [*rows, *everything]}
        mine = self.query_one("#mine", DataTable)
        keep = cursor_key(mine)
        mine.clear()
        # The title takes what the other columns leave; the highlighted survey's
        # whole title shows under the table.
        fixed = _widest("Closes", [r.closes or "-" for r in rows]) + _widest(
            "You", [r.my_status or "" for r in rows]
        )
        (title_width,) = share_width(self.size.width - fixed - 8, [_longest(rows)])
        for row in rows:
            mine.add_row(
                plain(_title(row, title_width)),
                row.closes or "-",
                plain(row.my_status or "", style=STATUS_STYLE.get(row.my_status or "", "")),
                key=str(row.id),
            )
        empty = self.query_one("#mine-empty", Static)
        empty.update(
            plain(
                f"No results were published to you in {label(self.year)}."
                if self.year is not None
                else "No open surveys for you right now, and no results yet. Thank you!"
            )
        )
        empty.display = not rows
        if keep[0] is None and rows:
            # First time shown: on the next survey to answer, not on one done.
            todo = next((r for r in rows if r.my_status in ("draft", "not started")), None)
            keep = (str(todo.id) if todo else None, 0)
        restore_cursor(mine, keep)
        if self.leader:
            table = self.query_one("#all", DataTable)
            keep = cursor_key(table)
            table.clear()
            fixed = (
                _widest("#", [str(r.id) for r in everything])
                + _widest("Wave", [])
                + _widest("State", [r.state for r in everything])
                + _widest("Answered", [f"{r.responses}/{r.invited}" for r in everything])
            )
            (title_width,) = share_width(self.size.width - fixed - 12, [_longest(everything)])
            for row in everything:
                table.add_row(
                    str(row.id),
                    plain(one_line(row.title, title_width)),  # the wave has its column
                    str(row.wave),
                    plain(row.state, style=STATE_STYLE.get(row.state, "")),
                    f"{row.responses}/{row.invited}",
                    key=str(row.id),
                )
            restore_cursor(table, keep)
            if (wanted := self._select_after_refresh) is not None and str(wanted) in {
                str(r.id) for r in everything
            }:
                restore_cursor(table, (str(wanted), 0))
                self._select_after_refresh = None
        self._show_selected()

    def on_resize(self) -> None:
        # The columns' widths follow the screen's: show again only when it changed.
        if self.shown is not None and self.size.width != getattr(self, "shown_width", None):
            self._show(self.shown)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        """The highlighted survey's whole title and where it stands, in words."""
        line = self.query_one("#survey-line", Static)
        row = self.rows.get(self._selected() or -1)
        if row is None:
            line.update("")
            return
        text = Text(one_line(row.title), style="bold")
        kind = "anonymous" if row.anonymous else "named"
        closes = f", closes {row.closes}" if row.closes else ""
        text.append(f"\n{row.state}, {kind}, wave {row.wave}{closes}", style="dim")
        if self._tab() == "tab-all":
            text.append(f", {row.responses} of {row.invited} answered", style="dim")
        line.update(text)

    def _selected(self) -> int | None:
        table = self.query_one("#all" if self._tab() == "tab-all" else "#mine", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    # -- actions -----------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_activate()

    def action_activate(self) -> None:
        sid = self._selected()
        if sid is None:
            return
        if self._tab() == "tab-all":
            self.action_results()
            return
        from .results_screen import ResultsScreen
        from .take_screen import TakeSurveyScreen

        row = self.rows.get(sid)

        def make() -> Screen[Any] | str:
            if row is not None and row.my_status == "results":
                return ResultsScreen(self.ctx, sid)
            if self.service.status(sid) != "submitted":
                return TakeSurveyScreen(self.ctx, sid)
            if self.service.can_see_results(self.service.get(sid)):
                return ResultsScreen(self.ctx, sid)
            return "You have already answered this survey. Thank you!"

        open_in_background(self, make)

    def action_results(self) -> None:
        sid = self._selected()
        if sid is None:
            return
        from .results_screen import ResultsScreen

        def make() -> Screen[Any] | str:
            if not self.service.can_see_results(self.service.get(sid)):
                return "Results are shown once a coach publishes them."
            return ResultsScreen(self.ctx, sid)

        open_in_background(self, make)

    def action_new(self) -> None:
        from .builder_screen import BuilderScreen

        open_in_background(self, lambda: BuilderScreen(self.ctx))

    def action_edit(self) -> None:
        sid = self._selected()
        if sid is None:
            return
        from .builder_screen import BuilderScreen

        def make() -> Screen[Any] | str:
            if self.service.get(sid)["status"] != "draft":
                return "Only drafts can be edited; start a new wave (w) to change questions."
            return BuilderScreen(self.ctx, sid)

        open_in_background(self, make)

    def _change(self, work: Any, said: Any) -> None:
        """Run a change in a worker (a lock wait never freezes the list), then refresh."""
        sid = self._selected()
        if sid is None:
            return

        def done(result: Any) -> None:
            self.notify(said(result), markup=False)
            self.refresh_data()

        save_in_background(self, lambda: work(sid), done)

    def action_open_survey(self) -> None:
        row = self.rows.get(self._selected() or -1)
        if row is None:
            return

        today = self.ctx.today().isoformat()

        def opened(survey: dict[str, Any]) -> str:
            if survey.get("opens") and survey["opens"] > today:
                return f"{survey['title']} is scheduled: it opens on {survey['opens']}."
            return f"{survey['title']} is open for answers."

        if row.state == "closed":
            title, confirm = f"Reopen {one_line(row.title)}?", "Reopen"
            detail = (
                f"Wave {row.wave} is closed; reopening lets people answer it again. To ask "
                "again as a new round, start a new wave (w) instead."
            )
        elif row.closes and row.closes < today:
            # Said before asking "open it?", not after a yes that cannot be honoured.
            self.notify(
                f"Its closing date ({row.closes}) has passed: edit it (e) and set a later "
                "one before opening it.",
                severity="warning",
                markup=False,
            )
            return
        else:
            title, confirm = f"Open {one_line(row.title)}?", "Open survey"
            closes = f" until {row.closes}" if row.closes else ""
            detail = (
                f"{row.invited} people will be asked to answer it{closes}. Its questions "
                "cannot change once someone has answered."
            )
        ask(
            self,
            title,
            detail,
            confirm=confirm,
            then=lambda: self._change(self.service.open, opened),
        )

    def action_close_survey(self) -> None:
        sid = self._selected()
        row = self.rows.get(sid or -1)
        if row is None:
            return

        ask(
            self,
            f"Close {one_line(row.title)}?",
            f"{row.responses} of {row.invited} have answered. No one can answer after "
            "this; to ask again later, start a new wave (w).",
            confirm="Close survey",
            then=lambda: self._change(self.service.close, lambda s: f"{s['title']} is closed."),
        )

    def action_new_wave(self) -> None:
        def said(new: int) -> str:
            self._select_after_refresh = new  # the new wave, so o opens it, not the old one
            return f"Wave drafted as survey {new}; it is highlighted: o opens it."

        self._change(self.service.repeat, said)

    def action_export(self) -> None:
        sid = self._selected()
        if sid is None:
            return
        save_to_file(
            self, f"survey {sid} as CSV", f"survey-{sid}.csv", lambda: self.service.export_csv(sid)
        )

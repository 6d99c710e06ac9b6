"""The reflective journal: your reflections by date, found by words or by part,
and those shared with you as a coach."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from plc_tui.api import Context, one_line, plain
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import load_in_background, open_in_background
from plc_tui.widgets.data_screen import DataScreenMixin
from plc_tui.widgets.find_box import FindBox
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.table_cursor import cursor_key, highlighted_key, restore_cursor

from ..service import Reflections


class ReflectionsScreen(DataScreenMixin, Screen[None]):
    CSS_PATH = "../reflections.tcss"
    TITLE = "Reflections"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "open", "Read", show=False),
        Binding("n", "new", "New"),
        Binding("slash", "search", "Search"),
        Binding("f", "part", "By part"),
        Binding("v", "switch", "Mine / shared"),
        Binding("x", "export", "Export shown", show=False),
    ]

    def __init__(self, ctx: Context, *, shared: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Reflections(ctx)
        self.shared = shared
        self.part: str | None = None
        self.text = ""
        self.rows: list[dict[str, Any]] = []
        self.due: list[dict[str, Any]] = []
        self.names: dict[str, str] = {}
        self.titles = {t.id: t.title for t in self.service.templates()}
        self.part_titles = {
            p["id"]: p["title"] for t in self.service.templates() for p in t.body["parts"]
        }

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="journal-title", classes="screen-title")
        yield FindBox(id="journal-search", placeholder="Words to find (escape clears)")
        yield DataTable(id="journal", cursor_type="row")
        yield Static(id="journal-detail")
        yield Footer()

    @reports_errors
    def on_mount(self) -> None:
        table = self.query_one("#journal", DataTable)
        table.focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        def read() -> tuple[
            list[dict[str, Any]], list[dict[str, Any]], dict[str, str], dict[int, int]
        ]:
            rows = self.service.search(self.text, part=self.part, shared=self.shared)
            names = self.ctx.community.names()
            unseen = self.service.unseen_counts(rows)
            return rows, self.service.due(), names, unseen

        load_in_background(self, read, self._show)

    def _show(self, data: Any) -> None:
        self.rows, self.due, self.names, self.unseen = data
        table = self.query_one("#journal", DataTable)
        keep = cursor_key(table)
        table.clear(columns=True)
        table.add_column("Date", key="date")
        table.add_column("Reflection", key="template")
        table.add_column("Author" if self.shared else "Shared with", key="with")
        table.add_column("Comments", key="comments")
        table.add_column("Begins", key="begins")
        width = max(16, self.app.size.width - 58)
        for row in self.rows:
            text = (
                row["parts"].get(self.part, "")
                if self.part
                else next((t for t in row["parts"].values() if t.strip()), "")
            )
            who = (
                self.names.get(row["author"], row["author"])
                if self.shared
                else ", ".join(self.names.get(c, c) for c in row["shared_with"]) or "private"
            )
            new = self.unseen.get(row["id"], 0)
            notes = (
                Text(f"{len(row['comments'])} ({new} new)", style="bold yellow")
                if new
                else (str(len(row["comments"])) if row["comments"] else "")
            )
            table.add_row(
                row["date"],
                plain(one_line(self.titles.get(row["template"], row["template"]), 14)),
                plain(one_line(who, 12)),
                notes,
                plain(one_line(text, width)),
                key=str(row["id"]),
            )
        restore_cursor(table, keep)
        self._show_title()
        self._show_detail()

    def _show_title(self) -> None:
        what = "Shared with you" if self.shared else "Your reflections"
        parts = [f"{what}: {len(self.rows)}"]
        if self.part:
            parts.append(f"part: {self.part_titles.get(self.part, self.part)}")
        if self.text:
            parts.append(f"words: {self.text}")
        if not self.shared:
            for due in self.due:
                parts.append(
                    f"{due['title']} due now"
                    if due["overdue"]
                    else f"next {due['title']} {due['due']}"
                )
        self.query_one("#journal-title", Static).update(plain(one_line(" · ".join(parts))))

    def _selected(self) -> dict[str, Any] | None:
        key = highlighted_key(self.query_one("#journal", DataTable))
        return next((r for r in self.rows if str(r["id"]) == key), None)

    def _show_detail(self) -> None:
        row = self._selected()
        detail = self.query_one("#journal-detail", Static)
        if row is None:
            if self.text or self.part:
                detail.update(
                    plain("Nothing matches. Escape clears the search; f picks another part.")
                )
            elif self.shared:
                detail.update(plain("No one has shared a reflection with you yet."))
            else:
                detail.update(
                    plain(
                        "Private to you: no one else can read what you write here, admins "
                        "included, unless you share it with a coach. n writes your first."
                    )
                )
            return
        text = Text()
        parts = row["parts"]
        shown = [self.part] if self.part else list(parts)
        for part_id in shown[:2]:
            text.append(f"{self.part_titles.get(part_id, part_id)}: ", style="bold")
            text.append(one_line(parts.get(part_id, ""), 300))
            text.append("\n")
        text.append("enter reads it all", style="dim")
        detail.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    # -- actions -----------------------------------------------------------------

    def action_back(self) -> None:
        if self.query_one("#journal-search", FindBox).close():  # its Changed re-reads
            self.query_one("#journal", DataTable).focus()
            return
        self.app.pop_screen()

    def action_search(self) -> None:
        self.query_one("#journal-search", FindBox).open()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.text = event.value.strip()
        self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#journal", DataTable).focus()

    def action_part(self) -> None:
        from .part_modal import PartModal

        def chosen(part: str | None) -> None:
            if part is None:
                return
            self.part = part or None
            self.refresh_data()

        self.app.push_screen(PartModal(self.part_titles, self.part), chosen)

    def action_switch(self) -> None:
        self.shared = not self.shared
        self.query_one("#journal", DataTable).move_cursor(row=0)
        self.refresh_data()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            return not self.shared
        return True

    def action_new(self) -> None:
        from .editor_screen import EditorScreen
        from .template_modal import TemplateModal

        def chosen(template_id: str | None) -> None:
            if template_id:
                open_in_background(self, lambda: EditorScreen(self.ctx, template_id))

        self.app.push_screen(TemplateModal(self.service.templates()), chosen)

    def action_export(self) -> None:
        """Every reflection shown (after a search or a part filter), as one Markdown file."""
        rows = list(self.rows)
        if not rows:
            self.notify("There is nothing shown to export.", markup=False)
            return
        from plc_tui.widgets.save_file_modal import save_to_file

        save_to_file(
            self, f"{len(rows)} reflections", "reflections.md", lambda: self.service.markdown(rows)
        )

    def action_open(self) -> None:
        row = self._selected()
        if row is None:
            return
        from .reflection_screen import ReflectionScreen

        open_in_background(self, lambda: ReflectionScreen(self.ctx, row["id"]))

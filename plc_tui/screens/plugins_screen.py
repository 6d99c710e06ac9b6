"""Plugins: what is installed, where it came from, and what failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ..text import one_line, plain
from ..widgets.footer import Footer

if TYPE_CHECKING:
    from ..app import PLCApp


class PluginsScreen(Screen[None]):
    TITLE = "Plugins"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    app: PLCApp

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Plugins", classes="screen-title")
        yield DataTable(id="plugins-table", cursor_type="row")
        yield Static(id="plugin-errors")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Version", "Source", "Status")
        host = self.app.runtime.host
        infos = sorted(host.infos.values(), key=lambda i: (i.source != "built-in", i.name))
        for info in infos:
            table.add_row(
                plain(info.name),
                plain(info.version or "-"),
                plain(one_line(info.source, 40)),
                plain(info.status, style="green" if info.status == "ok" else "red"),
            )
        errors = [f"{i.name}: {i.error}" for i in infos if i.status != "ok"]
        self.query_one("#plugin-errors", Static).update(
            plain("\n".join(errors) if errors else "All plugins loaded.")
        )
        table.focus()

"""Help: every key that works where you are, and how to get around."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

GENERAL = [
    ("tab / shift+tab", "Move between fields and cards"),
    ("arrows", "Move within lists and between cards"),
    ("home / end", "First / last row of a list"),
    ("enter", "Open or choose"),
    ("escape", "Back / close"),
    ("ctrl+p", "Command palette: every action by name"),
    ("ctrl+t", "Switch between dark and light theme"),
    ("ctrl+q", "Quit plc (q on the dashboard)"),
]


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen underneath plus the general ones."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
    ]

    def __init__(
        self,
        keys: list[tuple[str, str]],
        where: str,
        widget_keys: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__()
        self.keys = keys
        self.where = where
        self.widget_keys = widget_keys or []

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_row(Text(f"Keys on {self.where}", style="bold underline"), "")
        for key, description in self.keys:
            table.add_row(key, description)
        if self.widget_keys:
            table.add_row("", "")
            table.add_row(Text("In the focused field or list", style="bold underline"), "")
            for key, description in self.widget_keys:
                table.add_row(key, description)
        table.add_row("", "")
        table.add_row(Text("Everywhere", style="bold underline"), "")
        for key, description in GENERAL:
            table.add_row(key, description)
        with VerticalScroll(id="help-body"):
            yield Static(table, id="help-keys")
            yield Static(
                "Press escape to close. Every action here also has a command line "
                "form: run `plc --help` in a shell.",
                id="help-footnote",
            )

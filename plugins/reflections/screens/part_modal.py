"""Show one part of every reflection (all the Challenges of a term, say)."""

from __future__ import annotations

from textual.app import ComposeResult

from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.form_modal import FormModal

ALL = ""


class PartModal(FormModal[str]):
    save_label = "Show"

    def __init__(self, parts: dict[str, str], current: str | None) -> None:
        super().__init__("Show one part", "Only reflections with that part, and only that part.")
        self.parts = parts
        self.current = current or ALL

    def compose_fields(self) -> ComposeResult:
        yield ChoiceList(
            [("Every part", ALL), *((title, key) for key, title in self.parts.items())],
            self.current,
            filterable=True,
            id="part",
        )

    def on_mount(self) -> None:
        self.query_one("#part", ChoiceList).focus()

    def collect(self) -> str:
        return str(self.query_one("#part", ChoiceList).value or ALL)

"""Show one part of every reflection (all the Challenges of a term, say)."""

from __future__ import annotations

from textual.app import ComposeResult

from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.form_modal import FormModal

ALL = ""


class PartModal(FormModal[str]):
    save_label = "Show"

    def __init__(self, parts: dict[str, str], current: str | None) -> None:
        now = parts.get(current, "every part") if current else "every part"
        super().__init__(
            "Show one part",
            f"Only reflections with that part, and only that part. Now: {now}. Type to "
            "narrow the list; enter shows it.",
        )
        self.parts = parts
        self.current = current or ALL

    def compose_fields(self) -> ComposeResult:
        yield ChoiceList(
            [("Every part", ALL), *((title, key) for key, title in self.parts.items())],
            None,
            filterable=True,
            id="part",
        )

    def on_mount(self) -> None:
        self.query_one("#part", ChoiceList).focus()

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        self.action_save()  # choosing is the whole form

    def collect(self) -> str:
        value = self.query_one("#part", ChoiceList).value
        return self.current if value is None else str(value)

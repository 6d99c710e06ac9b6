"""Choose what kind of reflection to write."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from plc_tui.api import ValidationError
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.form_modal import FormModal


class TemplateModal(FormModal[str]):
    save_label = "Write"

    def __init__(self, templates: list[Any]) -> None:
        super().__init__("Write a reflection", "Private to you until you share it with a coach.")
        self.templates = templates

    def compose_fields(self) -> ComposeResult:
        yield ChoiceList(
            [(f"{t.title}: {t.description}", t.id) for t in self.templates],
            None,
            id="template",
        )

    def on_mount(self) -> None:
        self.query_one("#template", ChoiceList).focus()

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        # Choosing is the whole form: enter or a number writes that one.
        if event.choice_list.value:
            self.action_save()

    def collect(self) -> str:
        chosen = self.query_one("#template", ChoiceList).value
        if not chosen:
            raise ValidationError("choose a kind of reflection (a number, or enter).")
        return str(chosen)

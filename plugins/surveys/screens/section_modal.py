"""A section of a survey: its title, what it is about, and whether it has a score."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label

from plc_tui.api import ValidationError, clean
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.form_modal import FormModal
from plc_tui.widgets.line_input import LineInput

from ..definition import DESCRIPTION_MAX, SECTION_MAX


class SectionModal(FormModal[dict[str, Any]]):
    save_label = "Save section"

    def __init__(self, info: dict[str, Any], asked: str = "") -> None:
        """``asked``: the section's condition in words, when it has one."""
        self.info = dict(info)
        self.asked = asked
        super().__init__(
            f"Section: {info['title']}",
            "Its title and description show when people reach it. A score is the mean "
            "of its scale and grid items (reversed items flipped), per team and wave.",
        )

    def compose_fields(self) -> ComposeResult:
        yield Label("Title")
        yield LineInput(self.info["title"], id="sm-title", max_length=SECTION_MAX)
        yield Label("Description (optional)")
        yield LineInput(
            self.info.get("description", ""),
            id="sm-description",
            max_length=DESCRIPTION_MAX,
            placeholder="e.g. Think of your team's work over the last four weeks.",
        )
        yield ChoiceList.toggle(
            "Report a section score", bool(self.info.get("score")), id="sm-score"
        )
        if self.asked:
            yield ChoiceList.toggle(
                f"Ask this section only if {self.asked}", True, id="sm-keep-condition"
            )

    def on_mount(self) -> None:
        self.query_one("#sm-title", Input).focus()

    def collect(self) -> dict[str, Any]:
        title = clean(
            self.query_one("#sm-title", Input).value, field="Title", max_length=SECTION_MAX
        )
        if not title:
            raise ValidationError("a section needs a title.")
        info: dict[str, Any] = {"title": title}
        description = self.query_one("#sm-description", Input).value.strip()
        if description:
            info["description"] = description
        if self.query_one("#sm-score", ChoiceList).is_on:
            info["score"] = True
        keep = self.query("#sm-keep-condition")
        if self.info.get("show_if") and keep and keep.first(ChoiceList).is_on:
            info["show_if"] = self.info["show_if"]
        return info

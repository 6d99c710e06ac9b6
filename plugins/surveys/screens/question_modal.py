"""Add or edit one question in the survey builder."""

from __future__ import annotations

import json
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from plc_tui.api import QuestionType, ValidationError, plain
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.text_box import TextBox

from ..definition import parse_question
from ..question_types import BUILTIN_TYPES

CHOICE_TYPES = {"single", "multi", "ranking"}
RANGE_TYPES = {"rating", "number"}
BUILT_IN = {t.name for t in BUILTIN_TYPES}


def _settings(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        raise ValidationError('settings must be JSON like {"stars": 5}.') from None
    if not isinstance(value, dict):
        raise ValidationError('settings must be a JSON object like {"stars": 5}.')
    return value


def _number(text: str) -> int | float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a number.") from None


def _value(text: str) -> Any:
    # As typed: the earlier question's own type reads it ("Yes" is an option of
    # a choice question, and yes of a yes/no one; "4" a point of a scale).
    return text.strip()


class QuestionModal(ModalScreen[dict[str, Any] | None]):
    CSS_PATH = "../surveys.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save question"),
    ]

    def __init__(
        self,
        types: dict[str, QuestionType],
        earlier: list[dict[str, Any]],
        question: dict[str, Any] | None = None,
        number: int = 1,
    ) -> None:
        super().__init__()
        self.types = types
        self.earlier = earlier
        self.question = question or {}
        self.number = number

    def compose(self) -> ComposeResult:
        q = self.question
        with Vertical(id="question-box"):
            with VerticalScroll(id="qm-fields"):
                yield Static(
                    plain("Edit question" if q else "New question", style="bold"), id="qm-title"
                )
                yield Label("Type")
                yield Select(
                    [(plain(t.label), name) for name, t in self.types.items()],
                    value=q.get("type", "likert"),
                    allow_blank=False,
                    id="qm-type",
                )
                yield Label("Question")
                yield Input(
                    q.get("text", ""),
                    id="qm-text",
                    max_length=300,
                    placeholder="e.g. We have enough time to collaborate",
                )
                yield Label("Help text (optional)")
                yield Input(q.get("help", ""), id="qm-help", max_length=300)
                yield ChoiceList.toggle("Required", q.get("required", True), id="qm-required")
                yield Label("Options, one per line", classes="qm-choice")
                yield TextBox("\n".join(q.get("options", [])), id="qm-options", classes="qm-choice")
                with Horizontal(classes="qm-range qm-row"):
                    yield Label("Min")
                    yield Input(str(q.get("min", q.get("min_select", ""))), id="qm-min")
                    yield Label("Max")
                    yield Input(str(q.get("max", q.get("max_select", ""))), id="qm-max")
                yield Label("Settings of this question type (JSON)", classes="qm-custom")
                yield TextBox(
                    json.dumps(q.get("settings") or {}, indent=1, ensure_ascii=False),
                    id="qm-settings",
                    classes="qm-custom",
                )
                yield Label("Section (optional)")
                yield Input(q.get("section", ""), id="qm-section", max_length=80)
                yield Label("Show only if an earlier question's answer is… (optional)")
                with Horizontal(classes="qm-row"):
                    yield Select(
                        [(plain(f"{e['id']}: {e['text'][:40]}"), e["id"]) for e in self.earlier],
                        value=q.get("show_if", {}).get("question", Select.NULL),
                        id="qm-if-question",
                        prompt="(always show)",
                    )
                    yield Input(
                        ", ".join(str(v) for v in q.get("show_if", {}).get("in", [])),
                        id="qm-if-values",
                        placeholder="e.g. 1, 2  or  yes",
                    )
            yield Static(id="qm-error")
            with Horizontal(id="qm-buttons"):
                yield Button("Save question", id="qm-save", variant="primary")
                yield Button("Cancel", id="qm-cancel")
        yield Footer()

    def _typed(self) -> tuple[Any, ...]:
        """Everything the fields hold, to tell whether anything changed."""
        values: list[Any] = []
        for widget in self.query("Input, TextArea, Select, ChoiceList"):
            value = getattr(widget, "text", None) if isinstance(widget, TextArea) else None
            values.append(value if value is not None else getattr(widget, "value", None))
        return tuple(str(v) for v in values)

    def on_mount(self) -> None:
        self.call_after_refresh(lambda: setattr(self, "_loaded", self._typed()))
        self._show_fields()
        # A new question starts at its type, top down; an edit at its words.
        self.query_one("#qm-text" if self.question else "#qm-type").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "qm-type":
            self._show_fields()

    def _show_fields(self) -> None:
        kind = self.query_one("#qm-type", Select).value
        for widget in self.query(".qm-choice"):
            widget.display = kind in CHOICE_TYPES
        for widget in self.query(".qm-range"):
            widget.display = kind in RANGE_TYPES or kind == "multi"
        for widget in self.query(".qm-custom"):  # a plugin's own question type
            widget.display = kind not in BUILT_IN

    def collect(self) -> dict[str, Any]:
        kind = self.query_one("#qm-type", Select).value
        raw: dict[str, Any] = {
            "id": self.question.get("id") or f"q{self.number}",
            "type": kind,
            "text": self.query_one("#qm-text", Input).value,
            "help": self.query_one("#qm-help", Input).value,
            "required": self.query_one("#qm-required", ChoiceList).is_on,
            "section": self.query_one("#qm-section", Input).value,
        }
        if kind in CHOICE_TYPES:
            raw["options"] = [
                line.strip()
                for line in self.query_one("#qm-options", TextArea).text.splitlines()
                if line.strip()
            ]
        low = _number(self.query_one("#qm-min", Input).value)
        high = _number(self.query_one("#qm-max", Input).value)
        keys = ("min_select", "max_select") if kind == "multi" else ("min", "max")
        if kind in RANGE_TYPES or kind == "multi":
            if low is not None:
                raw[keys[0]] = low
            if high is not None:
                raw[keys[1]] = high
        if kind == "likert" and self.question.get("labels"):
            raw["labels"] = self.question["labels"]
        if kind == "rating" and self.question.get("labels"):
            raw["labels"] = self.question["labels"]
        if kind not in BUILT_IN:
            raw["settings"] = _settings(self.query_one("#qm-settings", TextArea).text)
        target = self.query_one("#qm-if-question", Select).value
        values = self.query_one("#qm-if-values", Input).value
        if target not in (Select.NULL, None) and values.strip():
            raw["show_if"] = {"question": target, "in": [_value(v) for v in values.split(",")]}
        elif target not in (Select.NULL, None):
            raise ValidationError("say which answers show this question, or clear the condition.")
        return parse_question(raw, self.number, self.types, self.earlier, raw["section"])

    def action_save(self) -> None:
        try:
            question = self.collect()
        except ValidationError as exc:
            error = self.query_one("#qm-error", Static)
            error.update(plain(exc.message[0].upper() + exc.message[1:], style="bold red"))
            return
        self.dismiss(question)

    def action_cancel(self) -> None:
        if self._typed() == getattr(self, "_loaded", None):
            self.dismiss(None)
            return
        ask(
            self,
            "Leave this question without saving?",
            "What you typed in it will be lost.",
            confirm="Leave",
            then=lambda: self.dismiss(None),
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "qm-save":
            self.action_save()
        else:
            self.action_cancel()

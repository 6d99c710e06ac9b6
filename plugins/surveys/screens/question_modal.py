"""Add or edit one question in the survey builder."""

from __future__ import annotations

import json
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from plc_tui.api import QuestionType, ValidationError, one_line, plain
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.form_modal import field_values
from plc_tui.widgets.line_input import LineInput
from plc_tui.widgets.text_box import TextBox

from ..conditions import LIST_OPS
from ..conditions import describe as describe_condition
from ..definition import parse_question
from ..question_types import BUILTIN_TYPES, value_words
from ..scales import PRESETS

CHOICE_TYPES = {"single", "multi", "ranking"}
RANGE_TYPES = {"rating", "number", "date"}
SCALE_TYPES = {"likert", "grid"}
BUILT_IN = {t.name for t in BUILTIN_TYPES}
SCALE_NAMES = {
    "agreement": "Agreement, 5 points",
    "agreement4": "Agreement, 4 points (no middle)",
    "agreement6": "Agreement, 6 points",
    "agreement7": "Agreement, 7 points",
    "frequency": "Frequency: never to always, 5 points",
    "frequency4": "Frequency, 4 points",
    "quality": "Quality: poor to excellent",
    "importance": "Importance, 5 points",
    "satisfaction": "Satisfaction, 5 points",
    "true4": "How true, 4 points",
    "yes_uncertain_no": "No / uncertain / yes",
    "increase": "Decrease / same / increase",
    "custom": "My own labels…",
}
OPERATOR_NAMES = {
    "in": "is one of",
    "not_in": "is none of",
    "includes": "includes (multiple choice)",
    "excludes": "does not include",
    "gte": "is at least",
    "gt": "is more than",
    "lte": "is at most",
    "lt": "is less than",
    "answered": "is answered",
}


def _scale_key(question: dict[str, Any]) -> str:
    if question.get("scale") in PRESETS:
        return str(question["scale"])
    labels = question.get("labels")
    if not labels:
        return "agreement"
    return next((key for key, preset in PRESETS.items() if preset == labels), "custom")


def _options_text(question: dict[str, Any]) -> str:
    options = question.get("options") or []
    codes = question.get("codes")
    if not codes:
        return "\n".join(options)
    return "\n".join(f"{c} = {o}" if c != o else o for c, o in zip(codes, options, strict=True))


def _parse_options(text: str) -> list[Any]:
    options: list[Any] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        code, sep, label = line.partition(" = ")
        options.append({"code": code.strip(), "label": label.strip()} if sep else line)
    return options


def _rows_text(question: dict[str, Any]) -> str:
    return "\n".join(
        ("(r) " if row.get("reverse") else "") + row["text"] for row in question.get("rows") or []
    )


def _parse_rows(text: str, before: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements as typed; a row keeps its id where its text was before (so its
    answers stay its own), and a new row gets the next free id."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    known = {row["text"]: row["id"] for row in before}
    used = set(known.values())
    rows = []
    for line in lines:
        reverse = line.lower().startswith("(r)")
        statement = line[3:].strip() if reverse else line
        rid = known.pop(statement, None)
        if rid is None:
            n = 1
            while f"r{n}" in used:
                n += 1
            rid = f"r{n}"
            used.add(rid)
        row: dict[str, Any] = {"id": rid, "text": statement}
        if reverse:
            row["reverse"] = True
        rows.append(row)
    return rows


def _settings(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        raise ValidationError('settings must be JSON like {"stars": 5}.') from None
    if not isinstance(value, dict):
        raise ValidationError('settings must be a JSON object like {"stars": 5}.')
    return value


def _number(text: str, *, dates: bool = False) -> int | float | str | None:
    text = text.strip()
    if not text:
        return None
    if dates:
        return text  # the date type checks it
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
                yield LineInput(
                    q.get("text", ""),
                    id="qm-text",
                    max_length=300,
                    placeholder="e.g. We have enough time to collaborate",
                )
                yield Label("Help text (optional)")
                yield LineInput(q.get("help", ""), id="qm-help", max_length=300)
                yield ChoiceList.toggle("Required", q.get("required", True), id="qm-required")
                yield Label(
                    "Options, one per line (CODE = label keeps answers comparable if the "
                    "label changes)",
                    classes="qm-choice",
                    markup=False,
                )
                yield TextBox(_options_text(q), id="qm-options", classes="qm-choice")
                yield ChoiceList.toggle(
                    "Offer “Other, please specify”",
                    bool(q.get("other")),
                    id="qm-other",
                ).set_classes("qm-other")
                yield Label(
                    "Statements, one per line; start a line with (r) to reverse it",
                    classes="qm-rows",
                    markup=False,
                )
                yield TextBox(_rows_text(q), id="qm-rows", classes="qm-rows")
                yield Label("Scale", classes="qm-scale")
                yield Select(
                    [(name, key) for key, name in SCALE_NAMES.items()],
                    value=_scale_key(q),
                    allow_blank=False,
                    id="qm-scale",
                    classes="qm-scale",
                )
                yield Label("Labels, one per line, lowest first", classes="qm-labels")
                yield TextBox("\n".join(q.get("labels") or []), id="qm-labels", classes="qm-labels")
                yield ChoiceList.toggle(
                    "Offer “Not applicable” (kept out of means)",
                    bool(q.get("not_applicable")),
                    id="qm-na",
                ).set_classes("qm-scale")
                yield ChoiceList.toggle(
                    "Show the highest point first", bool(q.get("descending")), id="qm-descending"
                ).set_classes("qm-scale")
                yield ChoiceList.toggle(
                    "Reversed item (flipped in section scores)",
                    bool(q.get("reverse")),
                    id="qm-reverse",
                ).set_classes("qm-reverse")
                yield ChoiceList.toggle(
                    "Offer a comment box", bool(q.get("comment")), id="qm-comment"
                ).set_classes("qm-comment")
                with Horizontal(classes="qm-range qm-row"):
                    yield Label("Min")
                    yield LineInput(str(q.get("min", q.get("min_select", ""))), id="qm-min")
                    yield Label("Max")
                    yield LineInput(str(q.get("max", q.get("max_select", ""))), id="qm-max")
                    yield Static(id="qm-range-hint")
                yield Label("Settings of this question type (JSON)", classes="qm-custom")
                yield TextBox(
                    json.dumps(q.get("settings") or {}, indent=1, ensure_ascii=False),
                    id="qm-settings",
                    classes="qm-custom",
                )
                yield Label("Section (optional)")
                yield LineInput(q.get("section", ""), id="qm-section", max_length=80)
                yield from self._compose_condition()
            yield Static(id="qm-error")
            with Horizontal(id="qm-buttons"):
                yield Button("Save question", id="qm-save", variant="primary")
                yield Button("Cancel", id="qm-cancel")
        yield Footer()

    def _compose_condition(self) -> ComposeResult:
        condition = self.question.get("show_if") or {}
        combined = "all" in condition or "any" in condition
        yield Label("Show only if an earlier question's answer… (optional)")
        if combined:
            texts = {e["id"]: e["text"] for e in self.earlier}
            said = describe_condition(condition, texts, value_words(self.earlier, self.types))
            yield Static(
                plain(f"Now: {said}. Kept as it is unless you choose a question below."),
                id="qm-if-kept",
            )
            condition = {}
        op = next((k for k in OPERATOR_NAMES if k in condition), "in")
        value = condition.get(op, [])
        values = value if isinstance(value, list) else [value]
        yield Select(
            [(plain(one_line(f"{e['id']}: {e['text']}", 60)), e["id"]) for e in self.earlier],
            value=condition.get("question", Select.NULL),
            id="qm-if-question",
            prompt="(always show)",
        )
        yield Select(
            self._row_choices(condition.get("question")),
            value=condition.get("row", Select.NULL),
            prompt="Which statement of the grid",
            id="qm-if-row",
            classes="qm-if",
        )
        yield Select(
            [(name, key) for key, name in OPERATOR_NAMES.items()],
            value=op,
            allow_blank=False,
            id="qm-if-op",
            classes="qm-if",
        )
        yield LineInput(
            ", ".join(str(v) for v in values) if op != "answered" else "",
            id="qm-if-values",
            placeholder="e.g. Yes  or  4, 5  (as the earlier question's answers)",
            classes="qm-if",
        )

    def _row_choices(self, target_id: Any) -> list[tuple[Any, str]]:
        target = next((e for e in self.earlier if e["id"] == target_id), None)
        if target is None or target["type"] != "grid":
            return []
        return [(plain(one_line(r["text"], 60)), r["id"]) for r in target["rows"]]

    def on_mount(self) -> None:
        self.call_after_refresh(
            lambda: setattr(self, "_loaded", field_values(self.query_one("#question-box")))
        )
        self._show_fields()
        # A new question starts at its type, top down; an edit at its words.
        self.query_one("#qm-text" if self.question else "#qm-type").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("qm-type", "qm-scale"):
            self._show_fields()
        if event.select.id == "qm-if-question":
            self.query_one("#qm-if-row", Select).set_options(self._row_choices(event.value))
            self._show_fields()

    def _show_fields(self) -> None:
        kind = self.query_one("#qm-type", Select).value
        scale = self.query_one("#qm-scale", Select).value
        shown = {
            ".qm-choice": kind in CHOICE_TYPES,
            ".qm-other": kind in ("single", "multi"),
            ".qm-comment": kind in ("single", "multi", "likert", "yes_no", "rating"),
            ".qm-scale": kind in SCALE_TYPES,
            ".qm-labels": kind in SCALE_TYPES and scale == "custom",
            ".qm-reverse": kind == "likert",
            ".qm-rows": kind == "grid",
            ".qm-range": kind in RANGE_TYPES or kind == "multi",
            ".qm-custom": kind not in BUILT_IN,  # a plugin's own question type
        }
        target = self.query_one("#qm-if-question", Select).value
        chosen = next((e for e in self.earlier if e["id"] == target), None)
        shown[".qm-if"] = chosen is not None
        for selector, display in shown.items():
            for widget in self.query(selector):
                widget.display = display
        self.query_one("#qm-if-row").display = bool(chosen and chosen["type"] == "grid")
        hint = {
            "rating": "e.g. 0 and 10, or 1 and 5",
            "number": "the lowest and highest accepted",
            "multi": "how many may be ticked",
            "date": "earliest and latest, YYYY-MM-DD",
        }.get(str(kind), "")
        self.query_one("#qm-range-hint", Static).update(plain(hint, style="dim"))

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
            raw["options"] = _parse_options(self.query_one("#qm-options", TextArea).text)
        if kind in ("single", "multi") and self.query_one("#qm-other", ChoiceList).is_on:
            raw["other"] = self.question.get("other") or True
        if kind in ("single", "multi", "likert", "yes_no", "rating"):
            if self.query_one("#qm-comment", ChoiceList).is_on:
                raw["comment"] = self.question.get("comment") or True
        if kind in SCALE_TYPES:
            scale = self.query_one("#qm-scale", Select).value
            if scale == "custom":
                raw["labels"] = [
                    line.strip()
                    for line in self.query_one("#qm-labels", TextArea).text.splitlines()
                    if line.strip()
                ]
            else:
                raw["scale"] = scale
            if self.query_one("#qm-na", ChoiceList).is_on:
                raw["not_applicable"] = self.question.get("not_applicable") or True
            if self.query_one("#qm-descending", ChoiceList).is_on:
                raw["descending"] = True
        if kind == "likert" and self.query_one("#qm-reverse", ChoiceList).is_on:
            raw["reverse"] = True
        if kind == "grid":
            raw["rows"] = _parse_rows(
                self.query_one("#qm-rows", TextArea).text, self.question.get("rows") or []
            )
        low = _number(self.query_one("#qm-min", Input).value, dates=kind == "date")
        high = _number(self.query_one("#qm-max", Input).value, dates=kind == "date")
        keys = ("min_select", "max_select") if kind == "multi" else ("min", "max")
        if kind in RANGE_TYPES or kind == "multi":
            if low is not None:
                raw[keys[0]] = low
            if high is not None:
                raw[keys[1]] = high
        if kind == "rating" and self.question.get("labels"):
            raw["labels"] = self.question["labels"]
        if kind not in BUILT_IN:
            raw["settings"] = _settings(self.query_one("#qm-settings", TextArea).text)
        condition = self._condition()
        if condition is not None:
            raw["show_if"] = condition
        try:
            return parse_question(raw, self.number, self.types, self.earlier, raw["section"])
        except ValidationError as exc:
            # Named by its id, as a definition file is read; here it is the one on screen.
            where = f"question {raw['id']}"
            message = exc.message.replace(f"{where}:", "this question:")
            raise ValidationError(message.replace(f"{where} ", "the question's ")) from None

    def _condition(self) -> dict[str, Any] | None:
        target = self.query_one("#qm-if-question", Select).value
        if target in (Select.NULL, None):
            kept = self.question.get("show_if") or {}
            return kept if ("all" in kept or "any" in kept) else None
        op = str(self.query_one("#qm-if-op", Select).value)
        values = [v.strip() for v in self.query_one("#qm-if-values", Input).value.split(",")]
        values = [_value(v) for v in values if v]
        condition: dict[str, Any] = {"question": target}
        row = self.query_one("#qm-if-row", Select).value
        if row not in (Select.NULL, None):
            condition["row"] = row
        if op == "answered":
            condition["answered"] = True
            return condition
        if not values:
            raise ValidationError("say which answers show this question, or clear the condition.")
        condition[op] = values if op in LIST_OPS else values[0]
        return condition

    def action_save(self) -> None:
        try:
            question = self.collect()
        except ValidationError as exc:
            error = self.query_one("#qm-error", Static)
            error.update(plain(exc.message[0].upper() + exc.message[1:], style="bold red"))
            return
        self.dismiss(question)

    def action_cancel(self) -> None:
        if field_values(self.query_one("#question-box")) == getattr(self, "_loaded", None):
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

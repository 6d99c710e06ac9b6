"""Entry widgets for the built-in question types (keyboard first, mouse too).

Every widget exposes ``value`` and posts :class:`AnswerChanged` when it changes,
which is the contract a plugin's own question type follows too. ``value`` is
read from the entry itself, so it is current the moment a key was handled: the
next key (``ctrl+n`` in the same burst) never acts on an older answer. Options and
labels are shown as plain text: a coach's option text is never markup.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from plc_tui.text import plain
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.grid_choice import GridChoice
from plc_tui.widgets.line_input import LineInput
from plc_tui.widgets.messages import AnswerChanged
from plc_tui.widgets.text_box import TextBox

from . import scales
from .question_types import (
    LONG_TEXT_MAX,
    OTHER,
    SHORT_TEXT_MAX,
    SIDE_TEXT_MAX,
    grid_rows,
    multi_limits,
    option_choices,
    rating_range,
)

FILTER_FROM = 20  # longer lists are narrowed by typing


class AnswerWidget(Vertical):
    """Base class: holds the question and the current value."""

    DEFAULT_CSS = """
    AnswerWidget { height: auto; }
    AnswerWidget .answer-hint { color: $text-muted; height: auto; }
    """

    def __init__(
        self, question: dict[str, Any], value: Any, sides: dict[str, str] | None = None
    ) -> None:
        super().__init__(classes="answer")
        self.question = question
        self._value = value
        self._sides = dict(sides or {})

    def with_sides(self, sides: dict[str, str]) -> AnswerWidget:
        """Start with the texts of "Other" and the comment typed before."""
        self._sides = dict(sides)
        return self

    @property
    def value(self) -> Any:
        return self._value

    def _changed(self, value: Any) -> None:
        self._value = value
        self.post_message(AnswerChanged(self.question["id"], value))

    # -- "Other, please specify" and comments, beside a choice ----------------------

    def compose_side(self) -> ComposeResult:
        """The boxes for the text of "Other" (shown once it is chosen) and a comment."""
        question = self.question
        if question.get("other"):
            box = LineInput(
                self._sides.get("other", ""),
                max_length=SIDE_TEXT_MAX,
                placeholder=f"{question['other']}: say what",
                id="side-other",
            )
            box.display = self._other_chosen(self._value)
            yield box
        if question.get("comment"):
            yield LineInput(
                self._sides.get("comment", ""),
                max_length=SIDE_TEXT_MAX,
                placeholder=question["comment"],
                id="side-comment",
            )

    @property
    def sides(self) -> dict[str, str]:
        """The side texts as typed now (``{"other": ..., "comment": ...}``)."""
        if not self.is_mounted:
            return dict(getattr(self, "_sides", {}))
        out = {}
        for side in ("other", "comment"):
            for box in self.query(f"#side-{side}"):
                if isinstance(box, Input) and box.value.strip():
                    out[side] = box.value
        return out

    @staticmethod
    def _other_chosen(value: Any) -> bool:
        return value == OTHER or (isinstance(value, list) and OTHER in value)

    def _show_other(self, value: Any) -> None:
        for box in self.query("#side-other"):
            was_shown = box.display
            box.display = self._other_chosen(value)
            if box.display and not was_shown:
                # Choosing "Other" means there is something to say: the keyboard
                # goes to its box at once (typed letters must not be lost).
                self.app.set_focus(box)

    def on_input_changed(self, event: Input.Changed) -> None:
        side = (event.input.id or "").removeprefix("side-")
        if side in ("other", "comment"):
            event.stop()
            text = event.value if event.value.strip() else None
            self.post_message(AnswerChanged(f"{self.question['id']}.{side}", text))

    def focus_answer(self) -> None:
        """Put the keyboard in the answer."""
        for widget in self.query("*"):
            if widget.can_focus:
                # At once, not after the keys already queued: the next key of a
                # burst must reach this page's entry, not the last page's.
                self.app.set_focus(widget)
                return


class ChoiceAnswer(AnswerWidget):
    """One choice among a few: Likert, single choice, rating, yes/no."""

    def __init__(
        self,
        question: dict[str, Any],
        value: Any,
        choices: list[tuple[str, Any]],
        *,
        horizontal: bool = False,
        shortcuts: list[str] | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(question, value)
        self.choices = choices
        self.horizontal = horizontal
        self.shortcuts = shortcuts
        self.hint = hint

    def compose(self) -> ComposeResult:
        filterable = len(self.choices) > FILTER_FROM
        yield ChoiceList(
            self.choices,
            self._value,
            horizontal=self.horizontal,
            shortcuts=self.shortcuts,
            filterable=filterable,
        )
        hint = self.hint or "↑/↓ to move, enter or space to choose, or type its number"
        if filterable:
            hint = "Type to narrow the list; ↑/↓ to move, enter or space to choose"
        yield Static(plain(hint), classes="answer-hint")
        yield from self.compose_side()

    @property
    def value(self) -> Any:
        return self.query_one(ChoiceList).value if self.is_mounted else self._value

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        self._show_other(event.value)
        self._changed(event.value)


class MultiAnswer(AnswerWidget):
    def compose(self) -> ComposeResult:
        choices = _numbered(option_choices(self.question))
        filterable = len(choices) > FILTER_FROM
        yield ChoiceList(choices, self._value, multiple=True, filterable=filterable)
        low, high = multi_limits(self.question)
        limits = f"choose {low} to {high}" if low else f"choose up to {high}"
        how = "type to narrow the list" if filterable else "or type its number"
        yield Static(
            plain(f"Enter or space ticks an option, {how}; {limits}"), classes="answer-hint"
        )
        yield from self.compose_side()

    @property
    def value(self) -> Any:
        if not self.is_mounted:
            return self._value
        return self.query_one(ChoiceList).value or None

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        self._show_other(event.value)
        self._changed(event.value or None)


class GridAnswer(AnswerWidget):
    """Statements on one scale: one widget, a row per statement (see GridChoice)."""

    def compose(self) -> ComposeResult:
        points = scales.choices(self.question)
        numbers = ["n" if value == scales.NA else str(value) for _, value in points]
        labels = [label.split("  ", 1)[-1] for label, _ in points]
        yield GridChoice(
            [(row["text"], row["id"]) for row in grid_rows(self.question)],
            [(label, value) for label, (_, value) in zip(labels, points, strict=True)],
            self._value or {},
            numbers=numbers,
        )
        na = " (n: not applicable)" if self.question.get("not_applicable") else ""
        yield Static(
            plain(f"↑/↓ statement, ←/→ point, a number chooses{na} and moves to the next"),
            classes="answer-hint",
        )

    @property
    def value(self) -> Any:
        if not self.is_mounted:
            return self._value
        return self.query_one(GridChoice).value or None

    def on_grid_choice_changed(self, event: GridChoice.Changed) -> None:
        event.stop()
        self._changed(event.value or None)


class TextBlock(AnswerWidget):
    """Text to read: the question's words are the whole page."""

    def compose(self) -> ComposeResult:
        yield Static(plain("Nothing to answer here: ctrl+n goes on."), classes="answer-hint")

    @property
    def value(self) -> Any:
        return None


def _numbered(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Options with the number that picks them, as the hint says."""
    if len(choices) > FILTER_FROM:
        return choices
    return [(f"{n}  {label}", value) for n, (label, value) in enumerate(choices, 1)]


class RankList(OptionList):
    """The ranking's list; moves are handled in its own key handler, in order."""

    MOVES = {"shift+up": -1, "minus": -1, "shift+down": 1, "plus": 1, "equals_sign": 1}

    def on_key(self, event: events.Key) -> None:
        ranking = self.parent
        if not isinstance(ranking, RankingAnswer):
            return
        cursor = {
            "up": self.action_cursor_up,
            "down": self.action_cursor_down,
            "home": self.action_first,
            "end": self.action_last,
            "pageup": self.action_page_up,
            "pagedown": self.action_page_down,
        }.get(event.key)
        if event.key in self.MOVES:
            ranking.action_move(self.MOVES[event.key])
        elif event.key == "enter":
            ranking.action_accept()
        elif cursor is not None:
            # Here too, not through the list's bindings (which run later): "down
            # shift+up" in one burst moves the second item up, not the first.
            cursor()
        else:
            return
        event.stop()
        event.prevent_default()


class RankingAnswer(AnswerWidget):
    """Order options with shift+↑/↓ (or - and +); enter accepts the order."""

    # For help (?) only: RankList handles these keys itself, and the hint under
    # the list says them, so the footer keeps room for leaving the page.
    BINDINGS = [
        Binding("shift+up,minus", "move(-1)", "Move up", show=False),
        Binding("shift+down,plus,equals_sign", "move(1)", "Move down", show=False),
        Binding("enter", "accept", "Accept order", show=False),
    ]

    def __init__(self, question: dict[str, Any], value: Any) -> None:
        super().__init__(question, value)
        self.order: list[str] = list(value) if value else list(question["options"])

    def compose(self) -> ComposeResult:
        yield RankList(*self._options())
        yield Static(
            plain("shift+↑/↓ (or - and +) move the highlighted item; enter accepts the order"),
            classes="answer-hint",
        )

    def _options(self) -> list[Option]:
        return [Option(plain(f"{n}. {o}")) for n, o in enumerate(self.order, 1)]

    def action_move(self, step: int) -> None:
        options = self.query_one(RankList)
        index = options.highlighted
        if index is None:
            return
        target = index + step
        if not 0 <= target < len(self.order):
            return
        self.order[index], self.order[target] = self.order[target], self.order[index]
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = target
        self._changed(list(self.order))

    def action_accept(self) -> None:
        self._changed(list(self.order))


class TextAnswer(AnswerWidget):
    counted = True  # the hint counts the characters as the box fills

    def __init__(self, question: dict[str, Any], value: Any, *, number: bool = False) -> None:
        super().__init__(question, value)
        self.number = number

    def compose(self) -> ComposeResult:
        if self.number:
            low, high = self.question.get("min"), self.question.get("max")
            hint = "A number" + (
                f" from {low} to {high}" if low is not None and high is not None else ""
            )
            yield LineInput(
                "" if self._value is None else str(self._value), type="number", placeholder=hint
            )
            yield Static(plain(hint), classes="answer-hint")
        else:
            yield LineInput(
                self._value or "", max_length=SHORT_TEXT_MAX, placeholder="Type your answer"
            )
            yield Static(self._count_text(self._value or ""), classes="answer-hint")

    @staticmethod
    def _count_text(text: str) -> Text:
        if len(text) < SHORT_TEXT_MAX * 0.8:
            return plain(f"Up to {SHORT_TEXT_MAX} characters")
        return plain(f"{len(text):,} / {SHORT_TEXT_MAX} characters")

    @property
    def value(self) -> Any:
        if not self.is_mounted:
            return self._value
        return self.query_one(Input).value.strip() or None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.counted and not self.number:
            self.query_one(".answer-hint", Static).update(self._count_text(event.value))
        text = event.value.strip()
        self._changed(text or None)


class DateAnswer(TextAnswer):
    counted = False

    def compose(self) -> ComposeResult:
        low, high = self.question.get("min"), self.question.get("max")
        hint = (
            "A date as YYYY-MM-DD"
            + (f", from {low}" if low else "")
            + (f" to {high}" if high else "")
        )
        yield LineInput(self._value or "", max_length=10, placeholder="e.g. 2026-12-05")
        yield Static(plain(hint), classes="answer-hint")


class LongTextAnswer(AnswerWidget):
    DEFAULT_CSS = """
    LongTextAnswer TextBox { height: 7; }
    """

    def compose(self) -> ComposeResult:
        area = TextBox(self._value or "")
        yield area
        yield Static(self._count_text(self._value or ""), classes="answer-hint")

    def _count_text(self, text: str) -> Text:
        return plain(f"{len(text):,} / {LONG_TEXT_MAX:,} characters · tab leaves the box")

    @property
    def value(self) -> Any:
        if not self.is_mounted:
            return self._value
        return self.query_one(TextArea).text.strip() or None

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        self.query_one(".answer-hint", Static).update(self._count_text(text))
        self._changed(text.strip() or None)


def make_widget(kind: str, question: dict[str, Any], value: Any) -> AnswerWidget:
    if kind == "likert":
        choices = scales.choices(question)
        shortcuts = ["n" if v == scales.NA else str(v) for _, v in choices]
        hint = "↑/↓ to move, enter or space to choose, or type its number"
        if question.get("not_applicable"):
            hint += " (n: " + question["not_applicable"] + ")"
        return ChoiceAnswer(question, value, choices, shortcuts=shortcuts, hint=hint)
    if kind == "single":
        return ChoiceAnswer(question, value, _numbered(option_choices(question)))
    if kind == "grid":
        return GridAnswer(question, value)
    if kind == "text_block":
        return TextBlock(question, value)
    if kind == "date":
        return DateAnswer(question, value)
    if kind == "yes_no":
        return ChoiceAnswer(
            question,
            value,
            [("Yes", True), ("No", False)],
            horizontal=True,
            shortcuts=["y", "n"],
            hint="←/→ to move, enter or space to choose, or y / n",
        )
    if kind == "rating":
        low, high = rating_range(question)
        ends = question.get("labels")
        hint = "←/→ to move, enter or space to choose"
        if ends:
            hint = f"{low} = {ends[0]}, {high} = {ends[1]}. " + hint
        points = [str(n) for n in range(low, high + 1)]
        return ChoiceAnswer(
            question,
            value,
            [(p, int(p)) for p in points],
            horizontal=True,
            shortcuts=points,
            hint=hint.replace("to choose", "to choose, or type the number"),
        )
    if kind == "multi":
        return MultiAnswer(question, value)
    if kind == "ranking":
        return RankingAnswer(question, value)
    if kind == "number":
        return TextAnswer(question, value, number=True)
    if kind == "long_text":
        return LongTextAnswer(question, value)
    return TextAnswer(question, value)

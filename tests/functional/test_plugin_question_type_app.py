"""A school's own question type, answered in the app like the built-in ones."""

from __future__ import annotations

from datetime import date
from typing import Any

from plc_plugins.surveys.screens.take_screen import TakeSurveyScreen
from plc_plugins.surveys.service import Surveys
from textual.binding import Binding
from textual.widget import Widget

from plc_tui.api import QuestionType, hookimpl
from plc_tui.app import PLCApp
from plc_tui.plugins import PluginHost
from plc_tui.runtime import Runtime
from plc_tui.widgets.messages import AnswerChanged
from tests.conftest import shown_text


class Stars(Widget, can_focus=True):
    """No focus_answer(): the app must still give it the keyboard."""

    BINDINGS = [Binding("right", "more", "More")]

    def __init__(self, question: dict[str, Any], value: Any) -> None:
        super().__init__()
        self.question = question
        self.value = value or 0

    def render(self) -> str:
        return "*" * self.value or "(none)"

    def action_more(self) -> None:
        self.value = min(5, self.value + 1)
        self.refresh()
        self.post_message(AnswerChanged(self.question["id"], self.value))


class StarsPlugin:
    @hookimpl
    def register_question_types(self, register: Any) -> None:
        register(
            QuestionType(
                "stars",
                "Star rating",
                check_definition=lambda q: None,
                validate=lambda q, v: int(v),
                aggregate=lambda q, values: {"n": len(values)},
                to_csv=lambda q, v: str(v),
                make_widget=Stars,
                describe=lambda q, v: f"{v} of 5 stars",
            )
        )


async def test_a_plugin_answer_widget_gets_the_keys_and_its_answer_reads_in_words(
    runtime: Runtime, host: PluginHost
) -> None:
    host.register(StarsPlugin(), name="stars")
    runtime.today = lambda: date(2026, 11, 24)
    service = Surveys(runtime.context("surveys"))
    sid = service.create(
        {
            "title": "Meeting stars",
            "audience": {},
            "questions": [{"id": "s", "type": "stars", "text": "How was it?"}],
        }
    )
    service.open(sid)
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "enter")
        screen = app.screen
        assert isinstance(screen, TakeSurveyScreen)
        assert isinstance(app.focused, Stars)
        await pilot.press("right", "right", "right", "ctrl+n")
        assert screen.reviewing
        shown = " ".join(shown_text(w) for w in screen.query(".review-a"))
        assert "3 of 5 stars" in shown

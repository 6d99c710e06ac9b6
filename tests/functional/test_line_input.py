"""LineInput: a one-line box never refuses text without saying why, and takes a
pasted paragraph whole."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App, ComposeResult

from plc_tui.widgets.line_input import LineInput


class BoxApp(App[None]):
    def __init__(self, **box: Any) -> None:
        super().__init__()
        self.box = box
        self.said: list[str] = []

    def compose(self) -> ComposeResult:
        yield LineInput(**self.box)

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        self.said.append(message)


async def test_a_pasted_paragraph_is_joined_into_one_line() -> None:
    app = BoxApp(max_length=200)
    async with app.run_test() as pilot:
        app.post_message(
            events.Paste("We met on time.\n\n  We kept to the agenda.\r\nWe left early.")
        )
        await pilot.pause()
        box = app.query_one(LineInput)
        assert box.value == "We met on time. We kept to the agenda. We left early."
        assert app.said == []


async def test_a_paste_that_does_not_fit_is_refused_whole_and_said() -> None:
    app = BoxApp(value="Kept: ", max_length=20)
    async with app.run_test() as pilot:
        box = app.query_one(LineInput)
        box.cursor_position = len(box.value)
        app.post_message(events.Paste("a much longer answer than fits"))
        await pilot.pause()
        assert box.value == "Kept: "  # nothing cut short, nothing lost
        assert len(app.said) == 1
        assert "up to 20 characters" in app.said[0]
        assert "36" in app.said[0] and "Not pasted" in app.said[0]


async def test_typing_into_a_full_box_says_so_once_not_per_key() -> None:
    app = BoxApp(value="12345", max_length=5)
    async with app.run_test() as pilot:
        app.query_one(LineInput).cursor_position = 5
        await pilot.press("6", "7", "8")
        assert app.query_one(LineInput).value == "12345"
        assert app.said == ["This box is full: it takes up to 5 characters."]


async def test_a_letter_in_a_number_box_is_refused_with_a_reason() -> None:
    app = BoxApp(type="number")
    async with app.run_test() as pilot:
        await pilot.press("4", "x", "2")
        assert app.query_one(LineInput).value == "42"
        assert app.said == ["Only a number goes in this box."]

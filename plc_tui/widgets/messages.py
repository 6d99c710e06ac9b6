"""Messages the core posts to screens, part of the public plugin API."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """Posted to the active screen when the stored data changed.

    ``paths`` are the changed collections relative to the data directory
    (``"surveys/responses/4.json"``); ``["*"]`` means anything may have changed.
    Screens that show stored data handle it and redraw.
    """

    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = paths


class AnswerChanged(Message):
    """Posted by a survey answer widget when its value changes.

    ``question_id`` names the question; ``value`` is the widget's new value
    (``None`` when cleared). Question types registered by plugins post it from
    the widgets their ``make_widget`` returns.
    """

    def __init__(self, question_id: str, value: object) -> None:
        super().__init__()
        self.question_id = question_id
        self.value = value

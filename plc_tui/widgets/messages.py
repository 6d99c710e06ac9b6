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

"""A screen that shows stored data and keeps it current (public API for module screens)."""

from __future__ import annotations

from .actions import reports_errors
from .messages import DataChanged


class DataScreenMixin:
    """Mix into a screen that shows stored data: it calls ``refresh_data()`` (yours
    to write, reading in the background) when the data changed
    (:class:`~plc_tui.widgets.messages.DataChanged`) and when the screen is shown
    again after a screen above it closes.

    ``class GoalsScreen(DataScreenMixin, Screen[None])``: put it before ``Screen``.
    Read the data once in ``on_mount`` yourself: Textual resumes a screen as it is
    first shown too, just after ``on_mount``, and that first resume reads nothing.
    """

    _data_covered = False

    def refresh_data(self) -> None:
        raise NotImplementedError("a DataScreenMixin screen reads its data in refresh_data()")

    def on_screen_suspend(self) -> None:
        self._data_covered = True

    @reports_errors
    def on_screen_resume(self) -> None:
        if self._data_covered:
            self.refresh_data()

    @reports_errors
    def on_data_changed(self, message: DataChanged) -> None:
        self.refresh_data()

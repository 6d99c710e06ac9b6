"""Saving from a screen without freezing the app (public API for module screens).

Storage waits up to its lock timeout when another plc holds the lock; run on the
UI thread, that wait would freeze the screen. :func:`save_in_background` runs the
work in a thread worker, says "waiting for another plc…" in the screen's header
when the wait is more than a moment, and hands the result back on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from textual.screen import Screen
from textual.worker import Worker

from ..errors import PLCError

T = TypeVar("T")

WAITING_AFTER = 0.3  # seconds; a normal save is done well before this
WAITING = "waiting for another plc to finish…"


def is_saving(screen: Screen[Any]) -> bool:
    """Whether a save this screen started is still under way."""
    return bool(getattr(screen, "_plc_saving", False))


def save_in_background(
    screen: Screen[Any],
    work: Callable[[], T],
    done: Callable[[T], None],
    *,
    failed: Callable[[PLCError], None] | None = None,
    quiet: bool = False,
) -> Worker[None] | None:
    """Run ``work()`` in a thread; then ``done(result)`` on the UI thread.

    A :class:`PLCError` (a lock held too long, a refused action) goes to
    ``failed`` (default: a notification); what the person typed stays on the
    screen. While one save of a screen is under way another is not started
    (returns ``None``), so keys pressed twice never save twice.
    """
    if getattr(screen, "_plc_saving", False):
        screen.notify("Still saving; one moment.", markup=False)
        return None
    screen._plc_saving = True  # type: ignore[attr-defined]
    app = screen.app
    before = screen.sub_title

    def show_waiting() -> None:
        if getattr(screen, "_plc_saving", False):
            screen.sub_title = WAITING

    def finish() -> None:
        screen._plc_saving = False  # type: ignore[attr-defined]
        if screen.sub_title == WAITING:
            screen.sub_title = before

    def report(error: PLCError) -> None:
        if failed is not None:
            failed(error)
        else:
            screen.notify(error.message, severity="error", markup=False)

    def run() -> None:
        timer = threading.Timer(WAITING_AFTER, lambda: app.call_from_thread(show_waiting))
        timer.start()
        try:
            result = work()
        except PLCError as error:
            timer.cancel()
            app.call_from_thread(finish)
            app.call_from_thread(report, error)
            return
        timer.cancel()
        app.call_from_thread(finish)
        app.call_from_thread(done, result)

    return screen.run_worker(run, thread=True, group="plc-save", exit_on_error=True)

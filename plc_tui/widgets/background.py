"""Reading and saving from a screen without freezing the app (public API for
module screens).

Storage waits up to its lock timeout when another plc holds the lock. On the
app's own thread it never waits: it raises :class:`~plc_tui.errors.LockBusy` at
once. :func:`load_in_background` reads on the app's thread when the lock is free
(the usual case: no flicker, nothing to wait for) and in a thread worker when it
is not; :func:`save_in_background` always saves in a worker. Both say "waiting
for another plc…" in the screen's header when a wait lasts more than a moment.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from ..errors import LockBusy, PLCError

T = TypeVar("T")

WAITING_AFTER = 0.3  # seconds; a normal read or save is done well before this
WAITING = "waiting for another plc to finish…"


def is_saving(screen: Screen[Any]) -> bool:
    """Whether a save this screen started is still under way."""
    return bool(getattr(screen, "_plc_saving", False))


class _WaitNotice:
    """The header's "waiting" text while any read or save of a screen waits."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.screen = screen
        self.shown = False
        self.ended = False

    def start(self) -> threading.Timer:
        app = self.screen.app

        def fire() -> None:
            with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                app.call_from_thread(self._show)

        timer = threading.Timer(WAITING_AFTER, fire)
        timer.daemon = True
        timer.start()
        return timer

    def _show(self) -> None:
        if self.ended or not self.screen.is_attached:
            return  # the work ended while the timer fired: nothing to show
        waits = getattr(self.screen, "_plc_waits", 0)
        if not waits:
            self.screen._plc_before = self.screen.sub_title  # type: ignore[attr-defined]
        self.screen._plc_waits = waits + 1  # type: ignore[attr-defined]
        self.screen.sub_title = WAITING
        self.shown = True

    def end(self, timer: threading.Timer | None = None) -> None:
        """On the app's thread, once the work is over or replaced (idempotent)."""
        if timer is not None:
            timer.cancel()
        if self.ended:
            return
        self.ended = True
        if not self.shown:
            return
        self.shown = False
        waits = self.screen._plc_waits = getattr(self.screen, "_plc_waits", 1) - 1  # type: ignore[attr-defined]
        if not waits and self.screen.sub_title == WAITING:
            self.screen.sub_title = getattr(self.screen, "_plc_before", None)


def _screen_of(node: DOMNode) -> Screen[Any]:
    return node if isinstance(node, Screen) else node.screen


def _report(node: DOMNode, error: PLCError, failed: Callable[[PLCError], None] | None) -> None:
    if failed is not None:
        failed(error)
    else:
        node.notify(error.message, title="plc", severity="error", timeout=15, markup=False)


def _then(node: DOMNode, callback: Callable[[T], None], result: T) -> None:
    """Hand a result to its callback on the app's thread; a PLCError it raises
    (it read something while the lock was busy) is a notification, not a crash."""
    try:
        callback(result)
    except PLCError as error:
        _report(node, error, None)


def load_in_background(
    node: DOMNode,
    read: Callable[[], T],
    show: Callable[[T], None],
    *,
    failed: Callable[[PLCError], None] | None = None,
    group: str = "plc-load",
) -> Worker[None] | None:
    """``show(read())``, reading in a worker only when the lock is busy.

    ``read`` only reads (it may run twice: once refused on the app's thread,
    once in a worker) and touches no widget; ``show`` runs on the app's thread.
    A newer load in the same ``group`` of a node replaces an older one still
    waiting, so a burst of refreshes shows the latest data once. A
    :class:`PLCError` goes to ``failed`` wherever it is raised; without ``failed``,
    one from the worker is a notification and one on the app's thread is raised
    to the caller as usual.
    Returns the worker, or ``None`` when the data was shown at once.
    """
    try:
        result = read()
    except LockBusy:
        pass
    except PLCError as error:
        if failed is None:
            raise
        failed(error)
        return None
    else:
        show(result)
        return None

    screen = _screen_of(node)
    app = node.app
    notice = _WaitNotice(screen)
    # A newer load replaces an older one still waiting: so does its notice.
    notices: dict[str, _WaitNotice] = getattr(node, "_plc_load_notices", {})
    node._plc_load_notices = notices  # type: ignore[attr-defined]
    if (replaced := notices.get(group)) is not None:
        replaced.end()
    notices[group] = notice

    def run() -> None:
        worker = get_current_worker()
        timer = notice.start()
        try:
            result = read()
        except PLCError as error:
            app.call_from_thread(notice.end, timer)
            if not worker.is_cancelled:
                app.call_from_thread(_report, node, error, failed)
            return
        app.call_from_thread(notice.end, timer)
        if not worker.is_cancelled:
            app.call_from_thread(_then, node, show, result)

    return node.run_worker(run, thread=True, group=group, exclusive=True, exit_on_error=True)


def open_in_background(
    node: DOMNode,
    make: Callable[[], Screen[Any] | str | None],
    then: Callable[[Any], None] | None = None,
) -> Worker[None] | None:
    """Push the screen ``make()`` builds; it may read storage as it is made.

    ``make`` returns the screen to push (``then`` gets its result when it is
    dismissed), a sentence to show instead ("Results are shown once a coach
    publishes them."), or ``None`` for nothing. Made in a worker when the lock
    is busy, like :func:`load_in_background`.
    """

    def push(made: Screen[Any] | str | None) -> None:
        if isinstance(made, str):
            node.notify(made, markup=False)
        elif made is not None:
            node.app.push_screen(made, then)

    return load_in_background(node, make, push, group="plc-open")


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
    (returns ``None``, and says so unless ``quiet``), so keys pressed twice
    never save twice.
    """
    if getattr(screen, "_plc_saving", False):
        if not quiet:
            screen.notify("Still saving; one moment.", markup=False)
        return None
    screen._plc_saving = True  # type: ignore[attr-defined]
    app = screen.app
    notice = _WaitNotice(screen)

    def finish(timer: threading.Timer) -> None:
        screen._plc_saving = False  # type: ignore[attr-defined]
        notice.end(timer)

    def run() -> None:
        timer = notice.start()
        try:
            result = work()
        except PLCError as error:
            app.call_from_thread(finish, timer)
            app.call_from_thread(_report, screen, error, failed)
            return
        app.call_from_thread(finish, timer)
        app.call_from_thread(_then, screen, done, result)

    return screen.run_worker(run, thread=True, group="plc-save", exit_on_error=True)

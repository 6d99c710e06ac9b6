"""When a screen is on the terminal: shown, done with its work, and drawn once since.

Textual's ``Pilot.pause()`` waits for the process to look idle by sleeping in
steps of 20 ms (``textual._wait.wait_for_idle``), and ``Pilot.press()`` does that
twice per key: at least 60 ms of sleep in every "press, then pause", which would
swamp an 80 ms budget. This waits for the same state with public calls only and
no fixed sleep: the screen is the app's current one, every message queued on it
and its widgets has been handled (``call_later`` on each), and then its next
refresh has happened (``wait_for_refresh``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.screen import Screen

POLL = 0.0005  # seconds between looks at app.screen while a screen is being pushed


async def settle(app: App[Any], screen: Screen[Any], timeout: float = 30) -> None:
    """Until every message queued so far on the app, the screen and its widgets is handled.

    Handling them can mount new widgets or queue more messages (a screen's on_mount
    fills its tables), so this goes round again until a round finds the same widgets.
    """
    seen = -1
    deadline = time.perf_counter() + timeout
    while True:
        nodes = [app, *screen.walk_children(with_self=True)]
        handled = []
        for node in nodes:
            done = asyncio.Event()
            if node.call_later(done.set):  # False: the node is closing, nothing to wait for
                handled.append(done)
        left = max(0.001, deadline - time.perf_counter())
        await asyncio.wait_for(asyncio.gather(*(d.wait() for d in handled)), left)
        if len(nodes) == seen:
            return
        seen = len(nodes)


async def until_painted(
    app: App[Any], is_target: Callable[[Screen[Any]], bool], timeout: float = 30
) -> Screen[Any]:
    """Wait until ``is_target(app.screen)``, the screen has settled, and it has been drawn."""
    deadline = time.perf_counter() + timeout
    while not is_target(app.screen):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"still on {type(app.screen).__name__} after {timeout:.0f} s")
        await asyncio.sleep(POLL)
    screen = app.screen
    await settle(app, screen, timeout)
    await asyncio.wait_for(screen.wait_for_refresh(), max(0.001, deadline - time.perf_counter()))
    return screen

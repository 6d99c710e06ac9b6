"""Keys in the order they were typed, for screens that move between entries.

Over SSH, keys typed quickly arrive together. Textual hands each key to the
focused widget's queue at once and runs screen bindings later, so "enter
ctrl+n" could move to the next page before the entry had handled "enter", and
the keys after it would still reach the old page's entry. A screen whose
navigation keys are ``priority`` bindings and whose actions first ``await
settled(self)`` acts only once the focused entry has handled every key typed
before; it then focuses the new entry with ``app.set_focus`` (at once), so the
keys after reach it. Entries handle their keys in ``on_key`` (as
:class:`~plc_tui.widgets.choice_list.ChoiceList`, ``Input`` and ``TextArea``
do) and expose their value synchronously.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from textual.screen import Screen

SETTLE_LIMIT = 1.0  # seconds; an entry that never answers does not hang the app


async def settled(screen: Screen[Any]) -> None:
    """Wait until the focused widget of ``screen`` has handled the keys before."""
    focused = screen.focused
    if focused is None or not focused.is_attached:
        return
    handled = asyncio.Event()
    focused.call_later(handled.set)
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(handled.wait(), SETTLE_LIMIT)

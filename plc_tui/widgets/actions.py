"""Running an action from a screen (public API for module screens)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

from ..errors import PLCError

T = TypeVar("T")


def try_action(node: DOMNode, action: Callable[..., T], *args: Any) -> T | None:
    """Run ``action(*args)``; on a PLCError show its message and return ``None``.

    For screens that carry on only when the action worked: the message (a
    refused permission, a closed survey, a damaged file) reaches the person as
    a plain-text notification and nothing else happens.
    """
    try:
        return action(*args)
    except PLCError as exc:
        node.notify(exc.message, severity="error", markup=False)
        return None


def reports_errors(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a message handler of a screen or widget: a :class:`PLCError` it raises
    (a damaged file, a lock held too long) becomes a notification, not a crash.

    Key-bound actions need no decorator: the app reports their errors the same way.
    """

    def report(node: DOMNode, exc: PLCError) -> None:
        node.notify(exc.message, title="plc", severity="error", timeout=15, markup=False)

    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def run_async(node: DOMNode, *args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(node, *args, **kwargs)
            except PLCError as exc:
                report(node, exc)
                return None

        return run_async

    @functools.wraps(handler)
    def run(node: DOMNode, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(node, *args, **kwargs)
        except PLCError as exc:
            report(node, exc)
            return None

    return run

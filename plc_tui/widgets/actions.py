"""Running an action from a screen (public API for module screens)."""

from __future__ import annotations

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

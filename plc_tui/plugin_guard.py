"""Keeping a plugin's screens from taking the app down with them.

Textual ends the whole app when a message handler, an action or ``compose``
raises. plc's screens and widgets come from plugins, the built-in modules
among them, so each Textual class a plugin defines (found in the plugin's own
modules) has its handlers wrapped once: ``compose``, ``on_*`` and ``_on_*``
handlers, ``@on`` handlers, ``action_*``, ``key_*`` and ``watch_*`` methods, and
the work given to ``run_worker``. A :class:`~plc_tui.errors.PLCError` becomes
a notification, as everywhere in plc; any other exception is reported with the
plugin's name, the plugin is disabled for this run and its screens are closed,
and the rest of the app goes on.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode

from .errors import PLCError

GUARDED = "__plc_guarded__"
_PREFIXES = ("on_", "_on_", "action_", "key_", "watch_")

# Called as report(plugin, where, exception) for a plugin's failure, and with
# plugin None for a PLCError (a message for the person, not a fault).
Reporter = Callable[[str | None, str, BaseException], None]


def plugin_modules(module_name: str) -> list[Any]:
    """The modules of the plugin whose top module is ``module_name``, as imported now."""
    prefix = module_name + "."
    return [
        module
        for name, module in list(sys.modules.items())
        if module is not None and (name == module_name or name.startswith(prefix))
    ]


def guard_plugin(plugin: str, module_name: str, report: Reporter) -> None:
    """Wrap every Textual class defined in the plugin's modules (once each)."""
    for module in plugin_modules(module_name):
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and issubclass(value, DOMNode)
                and value.__module__ == module.__name__
                and not value.__dict__.get(GUARDED)
            ):
                _guard_class(value, plugin, report)


def _guard_class(cls: type, plugin: str, report: Reporter) -> None:
    setattr(cls, GUARDED, True)
    for name, value in list(vars(cls).items()):
        if not inspect.isfunction(value):
            continue
        if name == "compose" or name.startswith(_PREFIXES):
            setattr(cls, name, _guarded(value, plugin, f"{cls.__name__}.{name}", report))
    handlers = cls.__dict__.get("_decorated_handlers")
    if handlers:
        for message_type, entries in handlers.items():
            handlers[message_type] = [
                (_guarded(method, plugin, f"{cls.__name__}.{method.__name__}", report), selectors)
                for method, selectors in entries
            ]
    if "run_worker" not in vars(cls):
        original = cls.run_worker  # type: ignore[attr-defined]

        @functools.wraps(original)
        def run_worker(self: Any, work: Any, *args: Any, **kwargs: Any) -> Any:
            return original(self, _guarded_work(work, plugin, report), *args, **kwargs)

        cls.run_worker = run_worker  # type: ignore[attr-defined]


def _handle(exc: Exception, plugin: str, where: str, report: Reporter) -> None:
    if isinstance(exc, PLCError):
        report(None, where, exc)
    else:
        report(plugin, where, exc)


def _guarded(function: Callable[..., Any], plugin: str, where: str, report: Reporter) -> Any:
    if getattr(function, GUARDED, False):
        return function
    if inspect.isgeneratorfunction(function):

        @functools.wraps(function)
        def generator(*args: Any, **kwargs: Any) -> Any:
            try:
                return (yield from function(*args, **kwargs))
            except Exception as exc:
                _handle(exc, plugin, where, report)
                return None

        wrapped: Any = generator
    elif inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def coroutine(*args: Any, **kwargs: Any) -> Any:
            try:
                return await function(*args, **kwargs)
            except Exception as exc:
                _handle(exc, plugin, where, report)
                return None

        wrapped = coroutine
    else:

        @functools.wraps(function)
        def plain(*args: Any, **kwargs: Any) -> Any:
            try:
                result = function(*args, **kwargs)
            except Exception as exc:
                _handle(exc, plugin, where, report)
                return None
            if inspect.isawaitable(result):  # an async callable under a sync name
                return _awaited(result, plugin, where, report)
            return result

        wrapped = plain
    setattr(wrapped, GUARDED, True)
    return wrapped


async def _awaited(awaitable: Any, plugin: str, where: str, report: Reporter) -> Any:
    try:
        return await awaitable
    except Exception as exc:
        _handle(exc, plugin, where, report)
        return None


def _guarded_work(work: Any, plugin: str, report: Reporter) -> Any:
    """The work of a plugin's worker, its failure reported instead of ending the app."""
    named = getattr(work, "func", work)  # @work hands over a functools.partial
    where = f"a background task ({getattr(named, '__name__', 'worker')})"
    if inspect.iscoroutine(work):
        return _awaited(work, plugin, where, report)
    if callable(work):
        return _guarded(work, plugin, where, report)
    return work

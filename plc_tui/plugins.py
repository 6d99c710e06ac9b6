"""Finding, loading and calling plugins (pluggy), one plugin at a time.

Plugins come from the entry-point group ``plc_tui`` (the built-in modules are
found this way too) and from plugin folders: every ``name.py`` or
``name/__init__.py`` in a folder named by ``PLC_PLUGINS_DIR`` or the config's
``plugins_dirs``. Loading is lazy and happens once per process.

Each plugin is imported and called inside its own ``try``. One that fails to
import, implements a hook that does not exist, registers something invalid or
raises in a hook is unregistered and recorded with the reason; the rest keep
working, and the app and ``plc plugins`` show what failed.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import os
import re
import sys
import time
import types
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pluggy

from . import hookspecs
from .api import Module, QuestionType, Service, Table, Template
from .errors import PLCError
from .storage import TableSpec

ENTRY_POINT_GROUP = "plc_tui"
CORE_DISTRIBUTION = "plc-tui"
FOLDER_PACKAGE = "plc_folder_plugins"
_PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_MODULE_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
RESERVED_NAMES = {"core", "backups"}
HOOK_NAMES = sorted(
    name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "plc_tui_spec")
)
_SPEC_ARGS = {
    name: tuple(inspect.signature(getattr(hookspecs, name)).parameters) for name in HOOK_NAMES
}
# What pluggy is given for an argument each plugin receives bound to itself.
_BOUND_PER_PLUGIN = object()


class _HookCall:
    """One hook call under way: the hook, each plugin's arguments, what each returned.
    (A plain class: a dataclass costs more to make at import than this one saves.)"""

    __slots__ = ("bind", "hook", "results")

    def __init__(self, hook: str, bind: Callable[[str], dict[str, Any]]) -> None:
        self.hook = hook
        self.bind = bind
        self.results: list[tuple[str, Any]] = []


_CURRENT_CALL: ContextVar[_HookCall | None] = ContextVar("plc_hook_call", default=None)


@dataclass
class PluginInfo:
    """What ``plc plugins`` shows about one plugin."""

    name: str
    version: str
    source: str
    status: str = "ok"  # "ok", "failed" or "disabled"
    error: str = ""
    hooks: list[str] = field(default_factory=list)
    traceback: str = ""
    load_seconds: float = 0.0  # importing and registering it
    module: str = ""  # the plugin's top module: its screens live in it or below

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "source": self.source,
            "status": self.status,
            "error": self.error,
            "hooks": self.hooks,
        }


class PluginHost:
    """The pluggy manager plus everything the plugins registered."""

    def __init__(
        self,
        *,
        use_entry_points: bool = True,
        folders: Iterable[Path] = (),
        disabled: Iterable[str] = (),
    ) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.use_entry_points = use_entry_points
        self.folders = [Path(f) for f in folders]
        self.disabled = set(disabled)
        self.infos: dict[str, PluginInfo] = {}
        self._loaded = False
        self._registries: dict[str, list[tuple[str, Any]]] = {}
        # Each registered question type with its guarded functions, made once: the
        # surveys module asks for the types on every answer.
        self._guarded: dict[tuple[str, int], tuple[QuestionType, QuestionType]] = {}
        self.on_failure: Callable[[PluginInfo], None] | None = None

    # -- loading ------------------------------------------------------------

    def load(self) -> PluginHost:
        """Find and register every plugin, once."""
        if self._loaded:
            return self
        self._loaded = True
        if self.use_entry_points:
            self._load_entry_points()
        for folder in self.folders:
            self._load_folder(folder)
        return self

    def _load_entry_points(self) -> None:
        for ep in sorted(entry_points(ENTRY_POINT_GROUP), key=lambda e: e.name):
            builtin = ep.dist_name.lower().replace("_", "-") == CORE_DISTRIBUTION
            source = "built-in" if builtin else f"package {ep.dist_name}"
            if ep.name in self.infos:
                if self.infos[ep.name].source == source:
                    continue  # the same distribution seen twice on sys.path
            self._add(ep.name, ep.version, source, ep.load)

    def _load_folder(self, folder: Path) -> None:
        if not folder.is_dir():
            self._record_failure(
                PluginInfo(name=f"({folder})", version="", source=f"folder {folder}"),
                "plugin folder does not exist",
            )
            return
        if FOLDER_PACKAGE not in sys.modules:
            package = types.ModuleType(FOLDER_PACKAGE)
            package.__path__ = []
            sys.modules[FOLDER_PACKAGE] = package
        for path in sorted(folder.iterdir()):
            if path.name.startswith(("_", ".")):
                continue
            if path.is_dir() and (path / "__init__.py").exists():
                name, init, search = path.name, path / "__init__.py", [str(path)]
            elif path.suffix == ".py":
                name, init, search = path.stem, path, None
            else:
                continue

            def importer(name: str = name, init: Path = init, search: Any = search) -> Any:
                import importlib.util

                qualified = f"{FOLDER_PACKAGE}.{name}"
                spec = importlib.util.spec_from_file_location(
                    qualified, init, submodule_search_locations=search
                )
                if spec is None or spec.loader is None:
                    raise ImportError(f"cannot import {init}")
                module = importlib.util.module_from_spec(spec)
                sys.modules[qualified] = module
                try:
                    spec.loader.exec_module(module)
                except BaseException:
                    sys.modules.pop(qualified, None)
                    raise
                return module

            self._add(name, None, f"folder {path}", importer)

    def _add(
        self, name: str, version: str | None, source: str, importer: Callable[[], Any]
    ) -> None:
        info = PluginInfo(name=name, version=version or "", source=source)
        if name in self.disabled:
            info.status = "disabled"
            info.error = "disabled in the config file"
            self.infos[name] = info
            return
        if not _PLUGIN_NAME.match(name) or name in RESERVED_NAMES:
            self._record_failure(
                info, "plugin name must be lowercase letters, digits and _ (and not core)"
            )
            return
        if name in self.infos:
            self._record_failure(
                PluginInfo(name=f"{name} ({source})", version=info.version, source=source),
                f"the name {name!r} is already used by {self.infos[name].source}",
            )
            return
        started = time.perf_counter()
        try:
            plugin = importer()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            info.load_seconds = time.perf_counter() - started
            self._record_failure(info, f"failed to import: {_describe(exc)}", exc)
            return
        registered = self.register(plugin, name=name, version=version, source=source)
        registered.load_seconds = time.perf_counter() - started

    def register(
        self,
        plugin: object,
        *,
        name: str,
        version: str | None = None,
        source: str = "registered",
    ) -> PluginInfo:
        """Register an already-imported plugin object (also used by tests)."""
        info = PluginInfo(
            name=name,
            version=version or str(getattr(plugin, "__version__", "")),
            source=source,
            module=plugin.__name__
            if isinstance(plugin, types.ModuleType)
            else type(plugin).__module__,
        )
        self.infos[name] = info
        unknown = [
            attr
            for attr in dir(plugin)
            if hasattr(getattr(plugin, attr, None), "plc_tui_impl") and attr not in HOOK_NAMES
        ]
        if unknown:
            self._record_failure(
                info,
                f"implements unknown hook(s) {', '.join(unknown)}; known hooks: "
                f"{', '.join(HOOK_NAMES)}",
            )
            return info
        for attr in dir(plugin):
            function = getattr(plugin, attr, None)
            if not hasattr(function, "plc_tui_impl") or not callable(function):
                continue
            wanted = [
                p.name
                for p in inspect.signature(function).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            extra = [a for a in wanted if a not in _SPEC_ARGS[attr]]
            if extra:
                self._record_failure(
                    info,
                    f"{attr}({', '.join(wanted)}): unknown argument(s) "
                    f"{', '.join(repr(a) for a in extra)}; the hook takes: "
                    f"{', '.join(_SPEC_ARGS[attr])}",
                )
                return info
        try:
            registered = self._registered_as(plugin, name)
            self.pm.register(registered, name=name)
        except Exception as exc:
            self._record_failure(info, _describe(exc), exc)
            return info
        info.hooks = sorted(
            caller.name
            for caller in self.pm.get_hookcallers(registered) or ()
            if caller.name in HOOK_NAMES
        )
        self._registries.clear()
        return info

    # -- failures -----------------------------------------------------------

    def _record_failure(
        self, info: PluginInfo, message: str, exc: BaseException | None = None
    ) -> None:
        info.status = "failed"
        info.error = message
        if exc is not None:
            import traceback

            info.traceback = "".join(traceback.format_exception(exc))
        self.infos[info.name] = info
        if self.pm.get_plugin(info.name) is not None:
            self.pm.unregister(name=info.name)
        for entries in self._registries.values():
            entries[:] = [(plugin, item) for plugin, item in entries if plugin != info.name]
        if self.on_failure is not None:
            self.on_failure(info)

    def fail(self, name: str, where: str, exc: BaseException) -> None:
        """Disable plugin ``name`` because it raised in ``where``."""
        self.disable(name, f"raised in {where}: {_describe(exc)}", exc)

    def disable(self, name: str, message: str, exc: BaseException | None = None) -> None:
        """Disable plugin ``name`` for this run, saying why in ``message``. A plugin
        already disabled keeps its first reason: what follows is its consequence."""
        info = self.infos.get(name) or PluginInfo(name=name, version="", source="registered")
        if info.status == "failed":
            return
        self._record_failure(info, message, exc)

    @property
    def failures(self) -> list[PluginInfo]:
        return [i for i in self.infos.values() if i.status == "failed"]

    def active(self) -> list[str]:
        self.load()
        return [name for name, info in self.infos.items() if info.status == "ok"]

    # -- calling ------------------------------------------------------------

    def call(
        self,
        hook: str,
        kwargs: dict[str, Any] | Callable[[str], dict[str, Any]],
    ) -> list[tuple[str, Any]]:
        """Call ``hook`` through pluggy (``pm.hook.<hook>``), so the order, the
        ``tryfirst``/``trylast`` markers and ``wrapper`` implementations behave as
        pluggy documents; returns ``(plugin, result)`` for each implementation.

        ``kwargs`` may be a function of the plugin name, so each plugin gets
        services bound to itself (its own ``ctx``). A plugin that raises is named,
        disabled for this run, and the call goes on without it.
        """
        self.load()
        bind = kwargs if callable(kwargs) else (lambda _name: kwargs)
        state = _HookCall(hook, bind)
        token = _CURRENT_CALL.set(state)
        try:
            getattr(self.pm.hook, hook)(**{a: _BOUND_PER_PLUGIN for a in _SPEC_ARGS[hook]})
        finally:
            _CURRENT_CALL.reset(token)
        return state.results

    def _registered_as(self, plugin: object, name: str) -> object:
        """What pluggy registers for ``plugin``: the same hook implementations (same
        names, markers and arguments, so pluggy orders and calls them as its own),
        each given the arguments bound to its plugin and, but for wrappers, guarded
        so that an exception disables that plugin alone."""
        proxy = types.SimpleNamespace()
        for attr in dir(plugin):
            function = getattr(plugin, attr, None)
            opts = getattr(function, f"{hookspecs.PROJECT}_impl", None)
            if opts is None or not callable(function):
                continue
            setattr(proxy, attr, self._bound(name, opts.get("specname") or attr, function, opts))
        return proxy

    def _bound(
        self, plugin: str, hook: str, function: Callable[..., Any], opts: dict[str, Any]
    ) -> Callable[..., Any]:
        names = [
            p.name
            for p in inspect.signature(function).parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]

        def own_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
            state = _CURRENT_CALL.get()
            if state is None:  # called through pm.hook directly: plain pluggy
                return args
            own = state.bind(plugin)
            return tuple(own.get(n, a) for n, a in zip(names, args, strict=False))

        if opts.get("wrapper") or opts.get("hookwrapper"):
            return self._bound_wrapper(plugin, hook, function, own_args)

        @functools.wraps(function)
        def bound(*args: Any) -> Any:
            state = _CURRENT_CALL.get()
            args = own_args(args)
            try:
                result = function(*args)
            except Exception as exc:
                self.fail(plugin, hook, exc)
                return None
            if state is not None:
                state.results.append((plugin, result))
            return result

        return bound

    def _bound_wrapper(
        self,
        plugin: str,
        hook: str,
        function: Callable[..., Any],
        own_args: Callable[[tuple[Any, ...]], tuple[Any, ...]],
    ) -> Callable[..., Any]:
        """A ``wrapper``/``hookwrapper`` implementation, delegated to step by step:
        if its own code raises (before or after its ``yield``), its plugin is
        disabled and the call goes on as if it had not wrapped."""
        where = f"{hook} (wrapper)"

        @functools.wraps(function)
        def bound(*args: Any) -> Any:
            inner = function(*own_args(args))
            try:
                value = next(inner)
            except Exception as exc:  # StopIteration too: a wrapper must yield
                self.fail(plugin, where, exc)
                return (yield)
            while True:
                try:
                    sent = yield value
                except GeneratorExit:
                    inner.close()
                    raise
                except BaseException as thrown:  # another implementation raised
                    try:
                        value = inner.throw(thrown)
                    except StopIteration as stop:
                        return stop.value
                    except BaseException as exc:
                        if exc is not thrown and isinstance(exc, Exception):
                            self.fail(plugin, where, exc)
                        raise thrown from None
                    continue
                try:
                    value = inner.send(sent)
                except StopIteration as stop:
                    return stop.value
                except Exception as exc:
                    self.fail(plugin, where, exc)
                    return sent

        return bound

    def _collect(
        self, hook: str, kind: type, check: Callable[[str, Any, list[Any]], None]
    ) -> list[tuple[str, Any]]:
        if hook in self._registries:
            return self._registries[hook]
        offered: list[tuple[str, Any]] = []

        def for_plugin(name: str) -> dict[str, Any]:
            def register(item: Any) -> None:
                if not isinstance(item, kind):
                    raise TypeError(
                        f"register() takes a {kind.__name__}, not {type(item).__name__}"
                    )
                offered.append((name, item))

            return {"register": register}

        self.call(hook, for_plugin)
        # Checked in the order plugins were loaded, whatever order pluggy called
        # them in: of two plugins claiming one name, the one loaded first (the
        # built-in modules before a school's) keeps it.
        loaded = {name: n for n, name in enumerate(self.infos)}
        collected: list[tuple[str, Any]] = []
        for name, item in sorted(offered, key=lambda entry: loaded.get(entry[0], len(loaded))):
            if self.infos.get(name) is None or self.infos[name].status != "ok":
                continue
            try:
                check(name, item, [i for _, i in collected])
            except Exception as exc:
                self.fail(name, hook, exc)
                continue
            collected.append((name, item))
        collected[:] = [(n, i) for n, i in collected if self.infos[n].status == "ok"]
        self._registries[hook] = collected
        return collected

    # -- registries ---------------------------------------------------------

    def modules(self) -> list[Module]:
        def check(plugin: str, module: Module, seen: list[Module]) -> None:
            if not _MODULE_ID.match(module.id):
                raise ValueError(
                    f"module id {module.id!r} must be lowercase letters, digits, - and _"
                )
            if any(m.id == module.id for m in seen):
                raise ValueError(f"module id {module.id!r} is already registered")

        entries = self._collect("register_modules", Module, check)
        ok = set(self.active())
        # The built-in modules come first whatever order a school's plugin asks
        # for, so their dashboard keys (1 Surveys, 2 SMART goals, ...) never move.
        return [
            m
            for p, m in sorted(
                ((p, m) for p, m in entries if p in ok),
                key=lambda e: (
                    self.infos[e[0]].source != "built-in",
                    e[1].order,
                    e[1].title.casefold(),
                ),
            )
        ]

    def module_plugin(self, module_id: str) -> str:
        for plugin, module in self._collect("register_modules", Module, lambda *a: None):
            if module.id == module_id:
                return plugin
        raise KeyError(module_id)

    def question_types(self) -> dict[str, QuestionType]:
        def check(plugin: str, qt: QuestionType, seen: list[QuestionType]) -> None:
            if any(q.name == qt.name for q in seen):
                raise ValueError(f"question type {qt.name!r} is already registered")

        ok = set(self.active())
        return {
            q.name: self._attributed(p, q)
            for p, q in self._collect("register_question_types", QuestionType, check)
            if p in ok
        }

    def _attributed(self, plugin: str, qtype: QuestionType) -> QuestionType:
        """``qtype`` with each of its functions answering for its own plugin: the
        surveys module calls them, but a fault in one is the type's plugin's, so
        that plugin is named and disabled and the caller gets a message to show.
        ``aggregate``'s result is checked against the documented shape."""
        if getattr(qtype, "_plc_attributed", False):
            return qtype
        made = self._guarded.get((plugin, id(qtype)))
        if made is not None and made[0] is qtype:
            return made[1]

        def guard(role: str, function: Callable[..., Any] | None) -> Any:
            if function is None:
                return None

            @functools.wraps(function)
            def call(*args: Any, **kwargs: Any) -> Any:
                try:
                    result = function(*args, **kwargs)
                    if role == "aggregate":
                        _check_aggregate(qtype, result)
                except PLCError:
                    raise
                except Exception as exc:
                    where = f"its question type {qtype.name!r} ({role})"
                    self.fail(plugin, where, exc)
                    raise PLCError(
                        f"the {qtype.label!r} question type (plugin {plugin}) failed and is "
                        f"turned off for now: {_describe(exc)}. Tell the plugin's author."
                    ) from None
                return result

            return call

        guarded = dataclasses.replace(
            qtype,
            **{
                role: guard(role, getattr(qtype, role))
                for role in (
                    "check_definition",
                    "validate",
                    "aggregate",
                    "to_csv",
                    "make_widget",
                    "describe",
                )
            },
        )
        object.__setattr__(guarded, "_plc_attributed", True)
        self._guarded[plugin, id(qtype)] = (qtype, guarded)
        return guarded

    def services(self) -> dict[str, tuple[str, Service]]:
        """Each offered service by name, with the plugin that offers it."""

        def check(plugin: str, service: Service, seen: list[Service]) -> None:
            if any(s.name == service.name for s in seen):
                raise ValueError(f"service {service.name!r} is already offered")

        ok = set(self.active())
        return {
            svc.name: (p, svc)
            for p, svc in self._collect("register_services", Service, check)
            if p in ok
        }

    def templates(self, kind: str | None = None) -> list[Template]:
        def check(plugin: str, tpl: Template, seen: list[Template]) -> None:
            if any(t.kind == tpl.kind and t.id == tpl.id for t in seen):
                raise ValueError(f"template {tpl.kind}/{tpl.id} is already registered")

        ok = set(self.active())
        return [
            t
            for p, t in self._collect("register_templates", Template, check)
            if p in ok and (kind is None or t.kind == kind)
        ]

    def table_specs(self) -> list[TableSpec]:
        from .storage import check_name

        def check(plugin: str, table: Table, seen: list[Table]) -> None:
            check_name("table", table.name)
            if table.version < 1:
                raise ValueError(f"table {table.name!r} version must be 1 or more")

        ok = set(self.active())
        return [
            TableSpec(
                p, t.name, t.version, dict(t.migrations), t.partitioned, t.history, t.keep_order
            )
            for p, t in self._collect("register_tables", Table, check)
            if p in ok
        ]


def _check_aggregate(qtype: QuestionType, result: Any) -> None:
    if not isinstance(result, dict) or not isinstance(result.get("n"), int):
        raise TypeError(f"aggregate must return a dict with an int 'n', not {result!r:.80}")
    if qtype.numeric and "rows" not in result and not isinstance(result.get("mean"), int | float):
        raise TypeError("aggregate of a numeric type must return a number as 'mean'")
    if "rows" in result and not all(isinstance(r, dict) and "n" in r for r in result["rows"]):
        raise TypeError("aggregate's 'rows' must each be a dict with 'n'")


# -- entry points -------------------------------------------------------------


class EntryPoint(NamedTuple):
    """One entry point of an installed distribution (what importlib.metadata's
    ``EntryPoint`` tells, with its distribution's name and version)."""

    name: str
    value: str
    dist_name: str
    version: str

    def load(self) -> Any:
        """Import the module the entry point names (and the attribute, if any)."""
        match = _ENTRY_POINT_VALUE.match(self.value)
        if match is None:
            raise ImportError(f"entry point {self.name} = {self.value!r} is not module:attribute")
        target = importlib.import_module(match["module"])
        for attr in filter(None, (match["attr"] or "").split(".")):
            target = getattr(target, attr)
        return target


# importlib.metadata's own pattern for an entry point's value.
_ENTRY_POINT_VALUE = re.compile(
    r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$"
)


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points in ``group`` of the distributions installed on ``sys.path``.

    The same as ``importlib.metadata.entry_points(group=group)`` (the first
    distribution of a name on ``sys.path`` counts, as there), read straight from
    each folder's ``*.dist-info`` and ``*.egg-info``: importing importlib.metadata
    takes longer than every other step of finding plc's plugins together, and it
    would be imported for every ``plc`` command. Where ``sys.path`` holds a zip
    file, or another finder on ``sys.meta_path`` offers distributions, it is
    importlib.metadata that is asked.
    """
    if _needs_importlib_metadata():
        return _entry_points_from_importlib(group)
    found: list[EntryPoint] = []
    seen: set[str] = set()
    for entry in sys.path:
        root = entry or "."
        try:
            children = sorted(os.listdir(root))
        except OSError:
            continue  # not a folder (importlib.metadata finds nothing there either)
        egg = root.lower().endswith(".egg")
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")):
                stem = low.rpartition(".")[0].partition("-")[0]
            elif egg and low == "egg-info":
                stem = os.path.basename(root).lower().rpartition(".")[0].partition("-")[0]
            else:
                continue
            key = re.sub(r"[-_.]+", "_", stem)
            if key in seen:
                continue  # an earlier folder on sys.path has this distribution
            seen.add(key)
            info = os.path.join(root, child)
            pairs = _section(_read(info, "entry_points.txt"), group)
            if not pairs:
                continue
            headers = _headers(_read(info, "METADATA") or _read(info, "PKG-INFO"))
            found.extend(
                EntryPoint(name, value, headers.get("name", "?"), headers.get("version", "?"))
                for name, value in pairs
            )
    return found


def _needs_importlib_metadata() -> bool:
    from importlib.machinery import PathFinder

    if any(
        getattr(finder, "find_distributions", None) is not None and finder is not PathFinder
        for finder in sys.meta_path
    ):
        return True
    return any(os.path.isfile(entry) for entry in sys.path if entry)


def _entry_points_from_importlib(group: str) -> list[EntryPoint]:
    from importlib.metadata import entry_points as metadata_entry_points

    found = []
    for ep in metadata_entry_points(group=group):
        dist = getattr(ep, "dist", None)
        found.append(
            EntryPoint(
                ep.name,
                ep.value,
                dist.metadata["Name"] if dist is not None else "?",
                dist.version if dist is not None else "?",
            )
        )
    return found


def _read(folder: str, name: str) -> str:
    try:
        with open(os.path.join(folder, name), encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return ""


def _section(text: str, group: str) -> list[tuple[str, str]]:
    """``name = value`` pairs of one ``[group]`` of an ``entry_points.txt``, read as
    importlib.metadata reads it (blank lines and ``#``/``;`` comments skipped)."""
    pairs: list[tuple[str, str]] = []
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            continue
        if current == group:
            name, _, value = line.partition("=")
            pairs.append((name.strip(), value.strip()))
    return pairs


def _headers(text: str) -> dict[str, str]:
    """The first ``Name`` and ``Version`` of a ``METADATA`` (or ``PKG-INFO``) file:
    its header lines end at the first blank line."""
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if sep and not line[:1].isspace():
            headers.setdefault(key.strip().lower(), value.strip())
    return headers


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


_host: PluginHost | None = None


def get_host() -> PluginHost:
    """The process-wide plugin host, created (not yet loaded) on first use."""
    global _host
    if _host is None:
        from .config import load_config, plugin_dirs

        config = load_config()
        _host = PluginHost(folders=plugin_dirs(config), disabled=config.disabled_plugins)
    return _host


def current_host() -> PluginHost | None:
    """The process-wide host if one was made, without making one."""
    return _host


def set_host(host: PluginHost | None) -> None:
    """Replace the process-wide host (tests use this to register fake plugins)."""
    global _host
    _host = host

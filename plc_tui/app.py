"""The Textual app shell: dashboard, module screens, palette, help, live refresh."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from textual import events
from textual.actions import ActionParseResult
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from .api import Card, Module
from .errors import LockBusy, PLCError
from .plugin_guard import guard_plugin
from .plugins import PluginInfo
from .runtime import Runtime
from .screens.dashboard_screen import DashboardScreen
from .server import confinement
from .storage.store import refuse_to_wait
from .terminal import Terminal
from .text import plain
from .widgets.background import load_in_background
from .widgets.keys import settled
from .widgets.messages import DataChanged

POLL_SECONDS = 1.0
# Keys that work on every screen; help lists them once, under "Everywhere".
# The keys of Textual's own lists and text boxes worth a line in help.
TEXTUAL_WIDGET_ACTIONS = {
    "cursor_up",
    "cursor_down",
    "cursor_left",
    "cursor_right",
    "page_up",
    "page_down",
    "select_cursor",
    "submit",
    "delete_left",
    "home",
    "end",
}
EVERYWHERE_ACTIONS = {
    "focus_next",
    "focus_previous",
    "command_palette",
    "toggle_theme",
    "help",
    "quit",
    "copy_text",
    "help_quit",
}


@contextlib.contextmanager
def _environment(name: str, value: str, *, when: bool) -> Iterator[None]:
    """``name=value`` in the environment while Textual reads it, then as it was."""
    before = os.environ.get(name)
    if when:
        os.environ[name] = value
    try:
        yield
    finally:
        if when and before is None:
            del os.environ[name]
        elif when and before is not None:
            os.environ[name] = before


class PLCApp(App[None]):
    TITLE = "plc"
    BINDINGS = [
        # F1 is shown: in a form, ? is a character to type, F1 still opens help.
        # Priority: a dialog (a modal screen) hides the app's other bindings, and
        # help must open there too.
        Binding("f1", "help", "Help", key_display="F1", priority=True),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        # Tab moves on only once the entry has handled the keys typed before it:
        # over SSH "jgarcia<tab>Julia" arrives at once, and without waiting the
        # name would be typed into the login box. See widgets/keys.py.
        Binding("tab", "focus_in_order('next')", show=False, priority=True),
        Binding("shift+tab", "focus_in_order('previous')", show=False, priority=True),
        # In a list of rows Home and End go to the first and last row, as in every
        # list people know; Textual's table scrolls sideways with them instead.
        Binding("home", "table_edge('first')", show=False, priority=True),
        Binding("end", "table_edge('last')", show=False, priority=True),
    ]

    def __init__(self, runtime: Runtime, terminal: Terminal | None = None, **kwargs: Any) -> None:
        self.terminal = terminal or Terminal()
        css = [Path(__file__).parent / "app.tcss"]
        if not self.terminal.colour:
            # Textual's own NO_COLOR handling, with ANSI colours, strips colour
            # from every cell; focus and cursors then show by reverse and bold
            # (the :nocolor rules in app.tcss).
            kwargs.setdefault("ansi_color", True)
        if not self.terminal.unicode:
            css.append(Path(__file__).parent / "ascii.tcss")
        with _environment("NO_COLOR", "1", when=not self.terminal.colour):
            super().__init__(css_path=css, **kwargs)
        self.runtime = runtime
        runtime.app = self
        runtime.notifier = self._notify_plain
        runtime.host.on_failure = self._plugin_failed
        self._token = runtime.storage.change_token()
        self._cards: dict[str, tuple[tuple[Any, ...], tuple[Card | None, str]]] = {}
        # Why the app ended itself, said on the terminal once the screen is given back.
        self.ended_because: str | None = None

    # -- start-up -------------------------------------------------------------

    def on_load(self) -> None:
        # Before the first screen is made: the dashboard is that screen.
        self.sub_title = self.runtime.context("core").community.name
        self.runtime.host.load()
        self.modules()
        self._guard_plugins()
        # From here on, storage never makes this thread wait for another plc's
        # lock: screens read here when the lock is free and in a worker when not.
        refuse_to_wait(True)

    def get_default_screen(self) -> Screen[Any]:
        # The dashboard is the bottom of the stack, not pushed over an empty
        # screen once the app has mounted: the first paint is the dashboard's.
        return DashboardScreen()

    def on_mount(self) -> None:
        for info in self.runtime.host.failures:
            self._plugin_failed(info)
        self.set_interval(POLL_SECONDS, self.check_for_changes)

    def on_unmount(self) -> None:
        refuse_to_wait(False)

    def _notify_plain(self, message: str, severity: str = "information") -> None:
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def _guard_plugins(self) -> None:
        """Wrap the Textual classes of every plugin (once each; again after a module
        screen's lazy imports) so that one raising cannot end the app."""
        for name, info in self.runtime.host.infos.items():
            if (
                info.status == "ok"
                and info.module
                and not info.module.startswith(("plc_tui", "textual", "types", "builtins"))
            ):
                guard_plugin(name, info.module, self._plugin_raised)

    def _plugin_raised(self, plugin: str | None, where: str, exc: BaseException) -> None:
        def on_app_thread() -> None:
            if plugin is None:
                self._report(exc)  # type: ignore[arg-type]
                return
            self.runtime.host.fail(plugin, where, exc)
            info = self.runtime.host.infos.get(plugin)
            prefix = f"{info.module}." if info and info.module else None
            # Its screens go: what they show can no longer be trusted.
            while (
                prefix is not None
                and len(self.screen_stack) > 1
                and f"{type(self.screen).__module__}.".startswith(prefix)
            ):
                self.pop_screen()
            if self.screen_stack and isinstance(self.screen, DashboardScreen):
                self.screen.post_message(DataChanged([]))

        try:
            self.call_from_thread(on_app_thread)
        except RuntimeError:  # already on the app's thread
            on_app_thread()

    def _plugin_failed(self, info: PluginInfo) -> None:
        self.notify(
            f"Plugin {info.name} is disabled: {info.error}",
            title="Plugin problem",
            severity="error",
            timeout=10,
            markup=False,
        )

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every key-bound action: a PLCError is something a person can act on (a
        damaged file, a lock held too long, a refused action), so it becomes a
        notification and the app keeps running."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except PLCError as error:
            self._report(error)
            return True

    def _report(self, error: PLCError) -> None:
        self.notify(error.message, title="plc", severity="error", timeout=15, markup=False)

    # -- modules --------------------------------------------------------------

    def modules(self) -> list[Module]:
        return self.runtime.host.modules()

    def _plugin_of(self, module: Module) -> str:
        return self.runtime.host.module_plugin(module.id)

    def module_card(self, module: Module) -> tuple[Card | None, str]:
        """The module's card for the signed-in member, or the reason it failed.

        Kept while nothing it could show has changed: the shared data (the commit
        counter), the member, the day, and the member's own documents for the
        module (a draft saved). Coming back to the dashboard then costs no reading.
        """
        if module.dashboard_card is None:
            return None, ""
        plugin = self._plugin_of(module)
        key = self._card_key(plugin)
        kept = self._cards.get(module.id)
        if kept is not None and kept[0] == key:
            return kept[1]
        card = self._read_card(module, plugin)
        if not card[1]:  # a failure is asked again next time
            self._cards[module.id] = (key, card)
        return card

    def _card_key(self, plugin: str) -> tuple[Any, ...]:
        runtime = self.runtime
        try:
            private = os.stat(runtime.private_store(plugin).folder).st_mtime_ns
        except OSError:
            private = None
        return (runtime.storage.change_token(), runtime.login, runtime.today(), private)

    def _read_card(self, module: Module, plugin: str) -> tuple[Card | None, str]:
        try:
            card = module.dashboard_card(self.runtime.context(plugin))
        except LockBusy:
            raise  # read again in a worker
        except PLCError as exc:
            return None, exc.message
        except Exception as exc:
            self.runtime.host.fail(plugin, "its dashboard card", exc)
            return None, f"{type(exc).__name__}: {exc}"
        if card is not None and not isinstance(card, Card):
            exc = TypeError(f"dashboard_card returned {type(card).__name__}, not Card")
            self.runtime.host.fail(plugin, "its dashboard card", exc)
            return None, str(exc)
        return card, ""

    def open_module(self, module_id: str) -> None:
        module = next((m for m in self.modules() if m.id == module_id), None)
        if module is None:
            self.notify(
                f"The module {module_id} is not available.", severity="warning", markup=False
            )
            return
        plugin = self._plugin_of(module)

        def make() -> tuple[Screen[Any] | None, Exception | None]:
            try:
                return module.open_screen(self.runtime.context(plugin)), None
            except PLCError:
                raise
            except Exception as exc:
                return None, exc

        def show(made: tuple[Screen[Any] | None, Exception | None]) -> None:
            screen, exc = made
            if exc is not None or screen is None:
                problem = exc or TypeError("open_screen returned None, not a Screen")
                self.runtime.host.fail(plugin, f"opening {module.title}", problem)
                return
            self._guard_plugins()  # its screen's modules are imported by now
            self.push_screen(self._guarded(screen))

        try:
            load_in_background(self.screen, make, show, group="plc-open")
        except PLCError as exc:
            self._report(exc)

    def _guarded(self, screen: Screen[Any]) -> Screen[Any]:
        """A module screen whose compose reports a PLCError in place of its content."""
        compose = screen.compose

        def guarded_compose() -> ComposeResult:
            try:
                yield from compose()
            except PLCError as error:
                self._report(error)
                yield Static(plain(error.message), classes="plc-error")

        screen.compose = guarded_compose  # type: ignore[method-assign]
        return screen

    # -- live refresh ---------------------------------------------------------

    def check_for_changes(self) -> None:
        """Poll the change stamp (one stat); tell the active screen when data changed."""
        token = self.runtime.storage.change_token()
        if token == self._token:
            return
        try:
            member = self.runtime.reload_member()
        except LockBusy:
            return  # another plc is saving; the next poll looks again
        except PLCError as error:
            self._token = token
            self._report(error)
            return
        self._token = token
        if member is None and confinement.current() is not None:
            # Served over SSH or the web: a removed key or member ends the session.
            self.ended_because = (
                "your access was removed (your key or your membership), so the session "
                "has ended; ask an admin."
            )
            self.exit(return_code=1)
            return
        if member is None:
            self.notify(
                "You are no longer a member of this community; ask an admin.",
                severity="error",
                markup=False,
            )
        self.screen.post_message(DataChanged(self.runtime.storage.last_changes()))

    # -- actions --------------------------------------------------------------

    def action_help(self) -> None:
        from .screens.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        keys: list[tuple[str, str]] = []
        widget_keys: list[tuple[str, str]] = []
        for active, own, shown in self._named_keys(self.screen):
            if (
                not own
                and type(active.node).__module__.startswith("textual.")
                and active.binding.action not in TEXTUAL_WIDGET_ACTIONS
            ):
                continue  # a text box's thirty editing keys would bury the screen's
            # The screen's own keys first; the focused widget's (cursor keys...) after.
            description = active.binding.description
            target = keys if own else widget_keys
            target.append((shown, description[:1].upper() + description[1:]))
        where = getattr(self.screen, "TITLE", None) or self.screen.__class__.__name__.removesuffix(
            "Screen"
        )
        self.push_screen(HelpScreen(keys, where, widget_keys))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    # Screens the dashboard does not show are imported when first opened, not
    # before the first paint.
    def action_community(self) -> None:
        from .screens.community_screen import CommunityScreen

        self.push_screen(CommunityScreen())

    def action_plugins(self) -> None:
        from .screens.plugins_screen import PluginsScreen

        self.push_screen(PluginsScreen())

    async def on_event(self, event: events.Event) -> None:
        # Textual runs a widget's own key bindings (backspace in a text box, up in
        # a list) only after the key has bubbled back up to the app, while the
        # next printable key is typed into the box at once: "backspace 7" sent in
        # one burst over SSH left "27" then deleted the 7. Such a binding is run
        # here instead, in the order typed, once the widget has handled the keys
        # before it. Widgets that handle their keys in on_key (ChoiceList) keep them.
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and await self._run_own_binding_in_order(event)
        ):
            return
        await super().on_event(event)

    async def _run_own_binding_in_order(self, event: events.Key) -> bool:
        focused = self.focused
        if focused is None or getattr(type(focused), "on_key", None) is not None:
            return False
        active = self.screen.active_bindings.get(event.key)
        if active is None or active.binding.priority or active.node is not focused:
            return False
        await settled(self.screen)
        if self.focused is not focused:  # an earlier key moved on: let Textual route it
            return False
        return await self.run_action(active.binding.action, focused)

    async def action_focus_in_order(self, direction: str) -> None:
        screen = self.screen
        await settled(screen)
        if direction == "next":
            screen.focus_next()
        else:
            screen.focus_previous()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_in_order":
            # A text area that indents with tab keeps its tab key. (Asked by its
            # `tab_behavior`: importing TextArea to ask isinstance would cost the
            # first paint, and nothing else has one.)
            focused = self.screen.focused
            return getattr(focused, "tab_behavior", None) != "indent"
        if action == "table_edge":
            # Only a table with a row cursor; elsewhere the key is the widget's own
            # (an input's start and end of the line). Asked by its attributes, as above.
            focused = self.screen.focused
            return getattr(focused, "cursor_type", None) == "row" and hasattr(focused, "row_count")
        return True

    def action_table_edge(self, edge: str) -> None:
        table: Any = self.screen.focused
        if table is not None and table.row_count:
            table.move_cursor(row=0 if edge == "first" else table.row_count - 1)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            # Textual's key panel and maximize duplicate help and fit no screen here.
            if command.title not in ("Keys", "Maximize", "Minimize"):
                yield command
        yield from self._screen_palette_commands(screen)
        for module in self.modules():
            yield SystemCommand(
                f"Open {module.title}",
                module.description,
                lambda module_id=module.id: self.open_module(module_id),
            )
        yield SystemCommand(
            "Community: teams and members",
            "Who is in which team; admins add and change members, coaches add teams",
            self.action_community,
        )
        yield SystemCommand(
            "Plugins: installed and failed",
            "Each plugin, its version and status",
            self.action_plugins,
        )
        yield SystemCommand(
            "Help: keys for this screen", "What each key does here", self.action_help
        )
        yield SystemCommand(
            "Toggle dark / light", "Switch the colour theme", self.action_toggle_theme
        )
        yield from self._plugin_palette_commands()

    def _named_keys(self, screen: Screen[Any]) -> Iterator[tuple[ActiveBinding, bool, str]]:
        """The keys of ``screen`` worth naming: ``(binding, the screen's own?, key
        as shown)``. Keys for everywhere are left out (help lists them once), and
        a description shows once for the screen and once for the focused widget:
        a list's "down: Next" must not hide the screen's "ctrl+n: Next"."""
        seen: set[tuple[bool, str]] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description:
                continue
            if binding.action.rpartition(".")[2] in EVERYWHERE_ACTIONS:
                continue
            own = isinstance(active.node, App | Screen)
            if (own, binding.description) in seen:
                continue
            seen.add((own, binding.description))
            yield active, own, binding.key_display or self.get_key_display(binding)

    def _screen_palette_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """What the screen's keys do, by name: "export" finds Save CSV where it works."""
        for active, _own, shown in self._named_keys(screen):
            if active.node is not screen or not active.enabled:
                continue
            binding = active.binding

            def run(action: str = binding.action, node: DOMNode = active.node) -> None:
                self.call_later(self.run_action, action, node)

            yield SystemCommand(
                f"{binding.description} ({shown})",
                f"On this screen: {binding.tooltip or binding.description}",
                run,
            )

    def _plugin_palette_commands(self) -> Iterable[SystemCommand]:
        from .api import PaletteCommand

        found: list[tuple[str, PaletteCommand]] = []

        def for_plugin(name: str) -> dict[str, Any]:
            def register(command: PaletteCommand) -> None:
                if not isinstance(command, PaletteCommand):
                    raise TypeError("register() takes a PaletteCommand")
                found.append((name, command))

            return {"register": register, "ctx": self.runtime.context(name)}

        self.runtime.host.call("register_palette_commands", for_plugin)
        for plugin, command in found:

            def run(plugin: str = plugin, command: PaletteCommand = command) -> None:
                try:
                    command.run(self.runtime.context(plugin))
                except PLCError as exc:
                    self.notify(exc.message, severity="error", markup=False)
                except Exception as exc:
                    self.runtime.host.fail(plugin, f"palette command {command.title!r}", exc)

            yield SystemCommand(command.title, command.help, run)

"""The dashboard: who you are, your teams, and one card per module."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ..errors import PLCError
from ..widgets.actions import reports_errors
from ..widgets.background import load_in_background
from ..widgets.footer import Footer
from ..widgets.messages import DataChanged
from ..widgets.module_card import ModuleCard

if TYPE_CHECKING:
    from ..api import Card, Member, Module
    from ..app import PLCApp


class DashboardScreen(Screen[None]):
    BINDINGS = [
        Binding("c", "app.community", "Community"),
        Binding("p", "app.plugins", "Plugins"),
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
        Binding("q", "app.quit", "Quit"),
        Binding("down,right", "app.focus_next", "Next", show=False),
        Binding("up,left", "app.focus_previous", "Previous", show=False),
    ] + [
        Binding(str(n), f"open_number({n})", "Open the module with this number", show=False)
        for n in range(1, 10)
    ]

    app: PLCApp

    def __init__(self) -> None:
        super().__init__()
        # The last card data read, by module id.
        self._latest: dict[str, tuple[Card | None, str]] = {}
        self._read_when_made = False

    def compose(self) -> ComposeResult:
        modules = self.app.modules()
        whoami: Text | str = ""
        # Read as the screen is made, so its first paint has every card's lines
        # (a lock held by another plc, or a damaged file, is left to the first
        # refresh, which reads in the background and says why).
        try:
            member, names, cards = self._reader(modules)()
        except PLCError:
            self._read_when_made = False
        else:
            self._read_when_made = True
            if member is not None:
                whoami = self._whoami(member, names)
                self._latest.update(zip((m.id for m in modules), cards, strict=True))
        yield Header()
        # Scrolls: at 80x24 not every card fits, and the focused one is scrolled to.
        with VerticalScroll(id="dashboard", can_focus=False):
            yield Static(whoami, id="whoami")
            grid = Grid(id="cards")
            # Laid out for the terminal's width from the start, not again on resize.
            grid.styles.grid_size_columns = self._columns(self.app.size.width)
            with grid:
                yield from self._cards(modules)
            no_modules = Static(
                "No modules are installed. Install a plugin, or see Plugins (p) for "
                "plugins that failed to load.",
                id="no-modules",
            )
            no_modules.display = not modules
            yield no_modules
        yield Footer()

    @reports_errors
    async def on_screen_resume(self) -> None:
        # Textual resumes a screen as it is first shown too: what was read as it
        # was made is not read again then.
        if self._read_when_made:
            self._read_when_made = False
        else:
            await self.refresh_data()
        cards = self.query(ModuleCard)
        if cards and self.focused is None:
            cards.first().focus()

    @reports_errors
    async def on_data_changed(self, message: DataChanged) -> None:
        await self.refresh_data()

    async def refresh_data(self) -> None:
        modules = self.app.modules()
        load_in_background(self, self._reader(modules), lambda data: self.show(modules, *data))
        await self._place_cards(modules)

    def _reader(
        self, modules: list[Module]
    ) -> Callable[[], tuple[Member | None, dict[str, str], list[tuple[Card | None, str]]]]:
        runtime = self.app.runtime
        directory = runtime.context("core").community

        def read() -> tuple[Member | None, dict[str, str], list[tuple[Card | None, str]]]:
            member = runtime.member
            if member is None:
                return None, {}, []
            names = {t.id: t.name for t in directory.teams()}
            return member, names, [self.app.module_card(module) for module in modules]

        return read

    @staticmethod
    def _whoami(member: Member, names: dict[str, str]) -> Text:
        teams = ", ".join(names.get(t, t) for t in member.teams) or "no team yet"
        line = Text()
        line.append(member.name, style="bold")
        line.append(f"  {member.role}  ·  ", style="dim")
        line.append(teams)
        return line

    def show(
        self,
        modules: list[Module],
        member: Member | None,
        names: dict[str, str],
        cards: list[tuple[Card | None, str]],
    ) -> None:
        if member is None:
            return
        self.query_one("#whoami", Static).update(self._whoami(member, names))
        for module, (card, error) in zip(modules, cards, strict=True):
            self._latest[module.id] = (card, error)  # for a card placed after this
            for widget in self.query(ModuleCard):
                if widget.module_id == module.id:
                    widget.update_card(card, error)

    async def _place_cards(self, modules: list[Module]) -> None:
        grid = self.query_one("#cards", Grid)
        existing = [card.module_id for card in self.query(ModuleCard)]
        self.query_one("#no-modules").display = not modules
        if [m.id for m in modules] == existing:
            return
        await grid.remove_children()
        await grid.mount_all(self._cards(modules))

    def _cards(self, modules: list[Module]) -> list[ModuleCard]:
        cards = []
        for n, module in enumerate(modules, start=1):
            card, error = self._latest.get(module.id, (None, ""))
            cards.append(
                ModuleCard(
                    module.id,
                    module.title,
                    module.description,
                    shortcut=str(n) if n < 10 else "",
                    card=card,
                    error=error,
                    id=f"card-{module.id}",
                )
            )
        return cards

    def on_resize(self) -> None:
        self.query_one("#cards", Grid).styles.grid_size_columns = self._columns(self.size.width)

    @staticmethod
    def _columns(width: int) -> int:
        # Two cards side by side only where each still has room for its lines.
        return 1 if width < 100 else 2

    def on_module_card_opened(self, message: ModuleCard.Opened) -> None:
        self.app.open_module(message.module_id)

    def action_open_number(self, number: int) -> None:
        modules = self.app.modules()
        if 0 < number <= len(modules):
            self.app.open_module(modules[number - 1].id)

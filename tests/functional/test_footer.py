"""plc's key footer: it shows what the screen offers now, and is not rebuilt when
that did not change (Textual's is rebuilt on every bindings refresh)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from plc_tui.widgets.footer import Footer


class Board(Screen[None]):
    BINDINGS = [Binding("a", "agree", "Agree"), Binding("c", "check_in", "Check in")]
    proposed = True

    def compose(self) -> ComposeResult:
        yield Static("a board")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "agree":
            return self.proposed
        if action == "check_in":
            return not self.proposed
        return True


class BoardApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Board())


def shown(footer: Footer) -> list[str]:
    return [str(key.description) for key in footer.query("FooterKey") if not key.disabled]


async def test_the_footer_follows_the_keys_and_skips_rebuilds_showing_the_same() -> None:
    app = BoardApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board = app.screen
        footer = board.query_one(Footer)
        assert "Agree" in shown(footer) and "Check in" not in shown(footer)
        drawn = list(footer.children)

        for _ in range(5):
            board.refresh_bindings()  # as a table's cursor moving does
        await pilot.pause()
        assert list(footer.children) == drawn  # the same widgets: nothing rebuilt

        board.proposed = False
        board.refresh_bindings()
        await pilot.pause()
        assert "Check in" in shown(footer) and "Agree" not in shown(footer)


class Busy(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        *(Binding(k, f"do('{k}')", f"Action {k} here") for k in "abcdefgh"),
        Binding("f1", "app.bell", "Help"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("many keys")
        yield Footer()

    def action_do(self, key: str) -> None:
        pass


class BusyApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Busy())


async def test_keys_that_do_not_fit_are_left_out_whole_and_help_stays() -> None:
    app = BusyApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        keys = list(footer.query("FooterKey"))
        said = [str(key.description) for key in keys]
        assert said[:2] == ["Back", "Action a here"] and "Help" in said
        assert "Action h here" not in said  # the last ones go first, whole
        assert all(key.region.right <= 80 for key in keys)  # none cut at the edge

        await pilot.resize_terminal(200, 24)
        await pilot.pause()
        await pilot.pause()
        wider = [str(key.description) for key in footer.query("FooterKey")]
        assert "Action h here" in wider and len(wider) > len(said)

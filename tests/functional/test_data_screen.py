"""DataScreenMixin: a screen that shows stored data reads it again when the data
changed and when it shows again after a screen above it closed, not twice on its
first show; an error while reading is a notification, not a crash."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from plc_tui.errors import StorageError
from plc_tui.widgets.data_screen import DataScreenMixin
from plc_tui.widgets.messages import DataChanged


class Board(DataScreenMixin, Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0
        self.fail = False

    def compose(self) -> ComposeResult:
        yield Static("", id="shown")

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        if self.fail:
            raise StorageError("cannot read goals.json: it is damaged.")
        self.reads += 1
        self.query_one("#shown", Static).update(f"read {self.reads} times")


class Detail(ModalScreen[None]):
    BINDINGS = [("escape", "dismiss", "Back")]

    def compose(self) -> ComposeResult:
        yield Static("a goal")


class BoardApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(Board())

    def notify(self, message: str, **kwargs: object) -> None:  # type: ignore[override]
        self.notes.append(message)
        super().notify(message, **kwargs)  # type: ignore[arg-type]


async def test_reads_again_on_return_and_on_changed_data_only() -> None:
    app = BoardApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, Board)
        assert board.reads == 1  # on_mount's read: the first resume reads nothing more

        app.push_screen(Detail())
        await pilot.pause()
        assert board.reads == 1  # covered: nothing to show
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is board and board.reads == 2

        board.post_message(DataChanged(["smart_goals/goals.json"]))
        await pilot.pause()
        assert board.reads == 3
        assert "read 3 times" in str(board.query_one("#shown", Static).render())


async def test_a_failed_read_is_a_notification() -> None:
    app = BoardApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, Board)
        board.fail = True
        board.post_message(DataChanged(["*"]))
        await pilot.pause()
        assert app.screen is board  # still running
        assert app.notes == ["cannot read goals.json: it is damaged."]

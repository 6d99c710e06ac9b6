"""One cold start of an app, to its first painted screen, then exit (run by bench_startup.py).

    python bench/startup_app.py minimal           # Header, a 100-row DataTable, Footer
    python bench/startup_app.py plc DATA_DIR      # plc's app, built as `plc` builds it

The app runs headless; its auto pilot waits until the screen has processed its
messages and painted (``pilot.pause()``), then exits. The parent times the
whole process, from spawn to exit. With ``--check`` the plc case says on stdout
what the dashboard showed at that moment (its screen and each card), so the
benchmark can tell a painted dashboard from an empty one.
"""

from __future__ import annotations

import sys


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("ID", "TITLE", "TEAM", "STATE")
            for n in range(100):
                table.add_row(str(n), f"Survey {n}", f"Team {n % 8}", "open")

    async def auto_pilot(pilot: object) -> None:
        await pilot.pause()  # type: ignore[attr-defined]
        pilot.app.exit()  # type: ignore[attr-defined]

    Minimal().run(headless=True, auto_pilot=auto_pilot)


def plc(data_dir: str, check: bool) -> None:
    # What `plc --db DATA_DIR` does (plc_tui.cli.main, then the root command),
    # but for the terminal check and running headless.
    from plc_tui.cli import _warn_plugin_failure, build_app
    from plc_tui.cli.state import CliState
    from plc_tui.plugins import get_host

    get_host().on_failure = _warn_plugin_failure
    runtime = CliState(db_option=data_dir).member_runtime()
    app = build_app(runtime)
    seen: list[str] = []

    async def auto_pilot(pilot: object) -> None:
        await pilot.pause()  # type: ignore[attr-defined]
        if check:
            seen.append(type(app.screen).__name__)
            for card in app.screen.query("ModuleCard"):
                lines = card.card.lines if card.card else ()  # type: ignore[attr-defined]
                seen.append(f"{card.module_id}: {len(lines)} lines")  # type: ignore[attr-defined]
        app.exit()

    app.run(headless=True, auto_pilot=auto_pilot, mouse=app.terminal.mouse)
    if check:
        print("\n".join(seen))


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        minimal()
    else:
        plc(sys.argv[2], check="--check" in sys.argv[3:])

"""The child process of the start-up and memory scenarios: start one app, say when it is drawn.

    python -m bench.first_paint minimal
    python -m bench.first_paint plc --db PATH --as LOGIN [--visit]

Prints ``painted`` on stdout as soon as the first screen (plc's dashboard, or the
minimal app's table) is drawn, then exits; the parent times spawn to that line
and reads the child's peak RSS when it reaps it. With ``--visit`` plc also goes
through the screens of the screen-switch scenario before exiting (for the peak
memory of a session, not only of a start).

plc is started the way ``plc`` (``plc_tui.cli``) starts it: the command-line
module is imported, the runtime comes from the same ``CliState`` with ``--db`` and
``--as``, the member must exist, their key is made if missing, the terminal is
detected, and ``PLCApp(runtime, terminal)`` runs. The one difference is
``run(headless=True, auto_pilot=...)``: ``plc`` itself can only open the app on a
real terminal. Headless, Textual lays out and renders every widget as usual and
skips only the final write of the frame to the terminal.

Imports are inside the functions: the minimal app must not pay for plc's.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

SIZE = (120, 40)  # the terminal, in cells; the same for both apps and scenario 5
ROWS = 100  # the minimal app's table


def minimal_app() -> Any:
    """Header, a 100-row DataTable, Footer: the least a Textual table app does."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class MinimalApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(cursor_type="row")
            yield Footer()

        def on_mount(self) -> None:
            fill_table(self.query_one(DataTable))

    return MinimalApp()


def fill_table(table: Any) -> None:
    """The minimal app's table: four columns, ``ROWS`` rows, focused."""
    table.add_columns("#", "Name", "Team", "Status")
    table.add_rows(
        (str(n), f"Member {n}", f"Team {n % 10}", "open" if n % 3 else "closed")
        for n in range(ROWS)
    )
    table.focus()


def plc_app(db: str, login: str) -> Any:
    import plc_tui.cli  # noqa: F401  (what the `plc` script imports before anything runs)
    from plc_tui.app import PLCApp
    from plc_tui.cli.state import CliState
    from plc_tui.sealing import KeyMissing
    from plc_tui.terminal import detect

    state = CliState(db_option=db, as_login=login)
    runtime = state.member_runtime()
    try:
        runtime.sealing().ensure_key()
    except KeyMissing as exc:  # plc warns and opens the app all the same
        print(f"plc: warning: {exc.message}", file=sys.stderr)
    terminal = detect()
    if terminal.problem:
        raise SystemExit(terminal.problem)
    return PLCApp(runtime, terminal)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", choices=["plc", "minimal"])
    parser.add_argument("--db")
    parser.add_argument("--as", dest="login")
    parser.add_argument("--visit", action="store_true", help="plc: visit the screens too")
    args = parser.parse_args(argv)

    from bench.painted import until_painted

    if args.app == "plc":
        from plc_tui.screens.dashboard_screen import DashboardScreen

        app = plc_app(args.db, args.login)

        def first(screen: Any) -> bool:
            return isinstance(screen, DashboardScreen)
    else:
        app = minimal_app()

        def first(screen: Any) -> bool:
            return screen is app.screen_stack[0] and bool(screen.query("DataTable"))

    async def pilot(pilot: Any) -> None:
        await until_painted(app, first)
        print("painted", flush=True)
        if args.visit:
            import json

            from bench.screens import visit_all

            print(json.dumps(await visit_all(app, rounds=1)), flush=True)
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=pilot)
    from bench.processes import print_peak_rss

    print_peak_rss()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())

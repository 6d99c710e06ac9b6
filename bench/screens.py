"""Scenario 5: switching screens in the app on the district demo, key press to new screen drawn.

The demo coach goes dashboard → surveys → one survey's results → (back) → goals →
(back) → norms → (back) → reflections → (back), pressing the keys a person would:
the dashboard's module numbers, ``m`` for the surveys' Manage tab, ``r`` for
results, ``escape`` to go back. Each switch is timed from the key (posted with
``App.simulate_key``) to the new screen settled and drawn (see ``bench.painted``).

In the app's process with ``App.run_test()`` (a process of its own, started as
``python -m bench.screens``, holding nothing but the app), several rounds: the
warm rounds carry the target. The first visit of each screen in a new process
(its code imported then) is measured apart, by ``bench.first_paint --visit``,
whose peak memory the memory scenario uses too.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .communities import COACH, Demo, open_runtime, sign_in
from .first_paint import SIZE
from .painted import settle, until_painted
from .processes import PAINTED, ChildRun, run_child
from .report import Row, Section
from .stats import Samples, seconds

TARGET = 0.080  # seconds, p95 of each switch
TARGET_TEXT = "p95 ≤ 80 ms"
FORWARD = [
    ("dashboard → surveys", "surveys"),
    ("surveys → a survey's results", "results"),
    ("dashboard → goals", "goals"),
    ("dashboard → norms", "norms"),
    ("dashboard → reflections", "reflections"),
]
BACK = "back (escape) to the screen before"


def _screen_classes() -> dict[str, type]:
    from plc_plugins.norms.screens.norms_screen import NormsScreen
    from plc_plugins.reflections.screens.reflections_screen import ReflectionsScreen
    from plc_plugins.smart_goals.screens.goals_screen import GoalsScreen
    from plc_plugins.surveys.screens.results_screen import ResultsScreen
    from plc_plugins.surveys.screens.surveys_screen import SurveysScreen

    from plc_tui.screens.dashboard_screen import DashboardScreen

    return {
        "dashboard": DashboardScreen,
        "surveys": SurveysScreen,
        "results": ResultsScreen,
        "goals": GoalsScreen,
        "norms": NormsScreen,
        "reflections": ReflectionsScreen,
    }


def busiest_survey(app: Any) -> int:
    """The survey with the most responses that the signed-in coach can manage."""
    from plc_plugins.surveys.service import Surveys

    rows = Surveys(app.runtime.context("surveys")).rows(everything=True)
    return max(rows, key=lambda r: (r.responses, -r.id)).id


async def _switch(app: Any, key: str, is_target: Callable[[Any], bool]) -> float:
    start = time.perf_counter()
    app.simulate_key(key)
    await until_painted(app, is_target)
    return time.perf_counter() - start


async def visit_all(app: Any, rounds: int) -> dict[str, list[float]]:
    """Go the route ``rounds`` times from the dashboard; seconds per switch."""
    from textual.widgets import DataTable

    classes = _screen_classes()
    numbers = {m.id: str(n) for n, m in enumerate(app.modules(), start=1)}
    sid = busiest_survey(app)
    times: dict[str, list[float]] = {name: [] for name, _ in FORWARD}
    times[BACK] = []

    def on(kind: str) -> Callable[[Any], bool]:
        return lambda screen: isinstance(screen, classes[kind])

    for _ in range(rounds):
        await until_painted(app, on("dashboard"))
        times["dashboard → surveys"].append(await _switch(app, numbers["surveys"], on("surveys")))
        surveys = app.screen
        # Not timed: the Manage tab, and the cursor on the busiest survey.
        app.simulate_key("m")
        await settle(app, surveys)
        table = surveys.query_one("#all", DataTable)
        table.move_cursor(row=table.get_row_index(str(sid)))
        await settle(app, surveys)
        times["surveys → a survey's results"].append(await _switch(app, "r", on("results")))
        times[BACK].append(await _switch(app, "escape", lambda s, was=surveys: s is was))
        times[BACK].append(await _switch(app, "escape", on("dashboard")))
        for name, module in FORWARD[2:]:
            times[name].append(await _switch(app, numbers[module], on(module)))
            times[BACK].append(await _switch(app, "escape", on("dashboard")))
    return times


async def _in_process(path: Path, login: str, rounds: int) -> dict[str, list[float]]:
    from plc_tui.app import PLCApp

    runtime = open_runtime(path, login)
    sign_in(runtime, login)
    app = PLCApp(runtime)
    async with app.run_test(size=SIZE):
        await visit_all(app, 1)  # not counted: this process's first visit imports the screens
        return await visit_all(app, rounds)


def minimal_app() -> Any:
    """The baseline: a Textual app whose one key pushes a screen with a Header, a
    100-row DataTable and a Footer (the minimal app of scenario 1, as a screen),
    and escape pops it. What any Textual app pays to switch screens here."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header, Static

    from .first_paint import fill_table

    class Board(Screen[None]):
        BINDINGS = [("escape", "app.pop_screen", "Back")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(cursor_type="row")
            yield Footer()

        def on_mount(self) -> None:
            fill_table(self.query_one(DataTable))

    class Home(Screen[None]):
        BINDINGS = [("b", "board", "Board")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("A home screen.")
            yield Footer()

        def action_board(self) -> None:
            self.app.push_screen(Board())

    class MinimalApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Home())

    return MinimalApp(), Home, Board


async def _minimal(rounds: int) -> dict[str, list[float]]:
    app, home, board = minimal_app()
    times: dict[str, list[float]] = {"forward": [], "back": []}
    async with app.run_test(size=SIZE):
        await until_painted(app, lambda s: isinstance(s, home))
        for n in range(rounds + 1):  # the first round is not counted, as for plc
            forward = await _switch(app, "b", lambda s: isinstance(s, board))
            back = await _switch(app, "escape", lambda s: isinstance(s, home))
            if n:
                times["forward"].append(forward)
                times["back"].append(back)
    return times


def minimal_rounds(env: dict[str, str], rounds: int) -> dict[str, list[float]]:
    """The baseline's switches, ``rounds`` times, in a process of its own."""
    child = run_child([sys.executable, "-m", "bench.screens", "minimal", str(rounds)], env=env)
    return _last_json(child.stdout)


def warm_rounds(demo: Demo, env: dict[str, str], rounds: int) -> dict[str, list[float]]:
    """The route ``rounds`` times in one process of its own (``python -m bench.screens``).

    Not in the harness's own process: its heap (the data it built, other runtimes)
    would make every garbage collection during a switch slower than the app's.
    """
    child = run_child(
        [sys.executable, "-m", "bench.screens", str(demo.path), COACH[0], str(rounds)], env=env
    )
    return _last_json(child.stdout)


def first_visits(demo: Demo, env: dict[str, str], runs: int) -> tuple[list[ChildRun], dict]:
    """``runs`` new processes that open the app and visit each screen once."""
    children = []
    times: dict[str, Samples] = {}
    for _ in range(runs):
        child = run_child(
            [
                sys.executable,
                "-m",
                "bench.first_paint",
                "plc",
                "--db",
                str(demo.path),
                "--as",
                COACH[0],
                "--visit",
            ],
            env=env,
            marker=PAINTED,
        )
        children.append(child)
        visited = _last_json(child.stdout)
        for name, values in visited.items():
            times.setdefault(name, Samples()).values.extend(values)
    return children, times


def run(demo: Demo, env: dict[str, str], quick: bool) -> tuple[Section, list[ChildRun]]:
    began = time.perf_counter()
    rounds = 3 if quick else 15
    visits = 1 if quick else 5
    print(f"(5) screen switches: {rounds} rounds, then {visits} first visits", flush=True)
    warm = warm_rounds(demo, env, rounds)
    minimal = minimal_rounds(env, rounds * 5)  # as many switches as plc's five kinds
    children, first = first_visits(demo, env, visits)
    rows = []
    every = Samples()
    for name, _ in FORWARD:
        samples = Samples(warm[name])
        every.values.extend(samples.values)
        rows.append(
            Row(
                f"screen switch on the {demo.size} demo: {name}",
                seconds(samples.p95),
                "-",
                f"p95 {seconds(samples.p95)} (median {seconds(samples.median)})",
                TARGET_TEXT,
                samples.p95 <= TARGET,
                f"{len(samples)} rounds",
            )
        )
    rows.append(
        Row(
            f"screen switch on the {demo.size} demo: all five above",
            seconds(every.p95),
            "-",
            f"p95 {seconds(every.p95)} (median {seconds(every.median)})",
            TARGET_TEXT,
            every.p95 <= TARGET,
            f"{len(every)} switches",
        )
    )
    baseline = Samples(minimal["forward"])
    rows.append(
        Row(
            f"screen switch on the {demo.size} demo, all five, vs a minimal Textual app's"
            " (context)",
            f"p95 {seconds(every.p95)}",
            f"p95 {seconds(baseline.p95)} (minimal app: a screen with Header, 100-row"
            " DataTable, Footer)",
            f"{every.p95 / baseline.p95:.2f}× (medians {every.median / baseline.median:.2f}×)",
            "report",
            None,
            f"{len(every)} / {len(baseline)} switches",
        )
    )
    back = Samples(warm[BACK])
    rows.append(
        Row(
            f"screen switch on the {demo.size} demo: {BACK} (context)",
            seconds(back.p95),
            "-",
            f"p95 {seconds(back.p95)} (median {seconds(back.median)})",
            "report",
            None,
            f"{len(back)} switches",
        )
    )
    firsts = Samples([v for name, _ in FORWARD for v in first.get(name, Samples()).values])
    rows.append(
        Row(
            "screen switch, first visit in a new process (its code imported then; context)",
            seconds(firsts.p95),
            "-",
            f"p95 {seconds(firsts.p95)} (median {seconds(firsts.median)})",
            "report",
            None,
            f"{len(firsts)} switches",
        )
    )
    per_first = ", ".join(
        f"{name} {seconds(first[name].median)}" for name, _ in FORWARD if name in first
    )
    details = [
        f"On the {demo.size} demo"
        + (" (a quick run: the small demo stands in for it)" if demo.stand_in else "")
        + f", signed in as the demo coach `{COACH[0]}` in a {SIZE[0]}×{SIZE[1]} terminal,"
        " with `App.run_test()` in a process of its own (`python -m bench.screens`: the"
        " harness's own heap would slow every garbage collection): one round first,"
        " not counted (it imports the screens'"
        f" code), then {rounds} rounds of the route dashboard → surveys → Manage tab, the"
        " survey with the most responses → its results → back → back → goals → back →"
        " norms → back → reflections → back. A switch is timed from the key, posted with"
        " `App.simulate_key`, to the new screen being the app's screen, every message"
        " queued on it and its widgets handled, and its next refresh done"
        " (`bench/painted.py`). Textual's `Pilot.press()` + `Pilot.pause()` would add at"
        " least 60 ms of idle-detection sleeps to every switch, so they are not used to"
        " time it.",
        "The baseline switches the same way, timed the same way, in a process of its"
        " own: a Textual app whose key pushes a screen with a Header, a 100-row"
        " DataTable and a Footer, and escape pops it (`python -m bench.screens"
        f" minimal`): medians {seconds(baseline.median)} forward,"
        f" {seconds(Samples(minimal['back']).median)} back; p95 {seconds(baseline.p95)}"
        " forward. It is what any Textual app pays for a switch on this machine, so the"
        " target of 80 ms is below what Textual itself takes here.",
        f"First visit in a new process (`python -m bench.first_paint plc --visit`, {visits}"
        f" process(es), medians): {per_first}.",
    ]
    section = Section("5", "Screen switches", rows, details)
    section.seconds = time.perf_counter() - began
    return section, children


def _last_json(stdout: str) -> Any:
    """The last JSON line a child printed (its peak-RSS line may follow it)."""
    return json.loads(next(line for line in reversed(stdout.splitlines()) if line[:1] in "{["))


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.screens DB LOGIN ROUNDS`` (or ``minimal ROUNDS``): print the
    warm rounds' times as JSON."""
    import asyncio

    args = argv if argv is not None else sys.argv[1:]
    if args[0] == "minimal":
        print(json.dumps(asyncio.run(_minimal(int(args[1])))), flush=True)
        return 0
    db, login, rounds = args
    print(json.dumps(asyncio.run(_in_process(Path(db), login, int(rounds)))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

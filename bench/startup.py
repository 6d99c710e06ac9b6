"""Scenario 1: cold start to the first painted dashboard, a new process per sample.

Three children, taken in turn so that none gets the machine's quieter moments:
plc on the district demo, plc on the small demo, and a minimal Textual app
(Header, a 100-row DataTable, Footer). Each is ``python -m bench.first_paint``,
timed from spawn to the line it prints once its first screen is drawn.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from .communities import COACH, Demo
from .first_paint import ROWS, SIZE
from .processes import PAINTED, ChildRun, run_child
from .report import Row, Section
from .stats import Samples, ratio, seconds

VS_SMALL, VS_SMALL_TEXT = 1.1, "≤ 1.1×"
VS_MINIMAL, VS_MINIMAL_TEXT = 1.2, "≤ 1.2×"


@dataclass
class Starts:
    """Every child of the scenario, by kind: the memory scenario reads their peak RSS."""

    runs: dict[str, list[ChildRun]] = field(default_factory=dict)

    def paint(self, kind: str) -> Samples:
        return Samples([r.to_marker or 0.0 for r in self.runs[kind]])

    def rss(self, kind: str) -> Samples:
        return Samples([float(r.max_rss) for r in self.runs[kind]])


def command(kind: str, demos: dict[str, Demo]) -> list[str]:
    base = [sys.executable, "-m", "bench.first_paint"]
    if kind == "minimal":
        return [*base, "minimal"]
    return [*base, "plc", "--db", str(demos[kind].path), "--as", COACH[0]]


def run(demos: dict[str, Demo], env: dict[str, str], quick: bool) -> tuple[Section, Starts]:
    began = time.perf_counter()
    reps = 3 if quick else 15
    kinds = ["district", "small", "minimal"]
    print(f"(1) cold start to first paint: {reps} x {len(kinds)} processes", flush=True)
    for kind in kinds:  # not counted: the coach's key is made, the page cache filled
        run_child(command(kind, demos), env=env, marker=PAINTED)
    starts = Starts({kind: [] for kind in kinds})
    for _ in range(reps):
        for kind in kinds:
            starts.runs[kind].append(run_child(command(kind, demos), env=env, marker=PAINTED))

    district, small, minimal = (starts.paint(k) for k in kinds)
    vs_small = district.median / small.median
    vs_minimal = district.median / minimal.median
    name = "district demo" + (" (stand-in: small demo)" if demos["district"].stand_in else "")
    rows = [
        Row(
            "cold start to first painted dashboard: district demo vs small demo",
            seconds(district.median),
            f"{seconds(small.median)} (small demo)",
            ratio(vs_small),
            VS_SMALL_TEXT,
            vs_small <= VS_SMALL,
            f"median of {reps}",
        ),
        Row(
            "cold start to first painted dashboard: district demo vs a minimal Textual app",
            seconds(district.median),
            f"{seconds(minimal.median)} (minimal app)",
            ratio(vs_minimal),
            VS_MINIMAL_TEXT,
            vs_minimal <= VS_MINIMAL,
            f"median of {reps}",
        ),
    ]
    total = {k: Samples([r.total for r in starts.runs[k]]).median for k in kinds}
    cpu = {k: Samples([r.cpu for r in starts.runs[k]]).median for k in kinds}
    details = [
        f"Each sample is a new process, `python -m bench.first_paint` ({SIZE[0]}×{SIZE[1]}"
        " terminal, headless), timed from spawn to the line it prints once its first"
        " screen is drawn: for plc the dashboard of the demo coach"
        f" `{COACH[0]}` with its module cards filled, started as `plc` starts it (see the"
        " module's docstring); for the baseline a Textual app with a Header, a"
        f" {ROWS}-row DataTable and a Footer. The three kinds take turns; one run of"
        f" each before the {reps} counted ones is not counted (it makes the coach's key,"
        " as a first `plc` does, and fills the page cache). Bytecode was compiled first"
        " (`python -m compileall plc_tui plugins bench`), as pip does at install: this"
        " machine sets PYTHONDONTWRITEBYTECODE=1, which would otherwise make every"
        " process compile plc again.",
        f"Data: {name}: {_counts(demos['district'])}; small demo: {_counts(demos['small'])}.",
        f"Medians: district {seconds(district.median)} (p95 {seconds(district.p95)}), small"
        f" {seconds(small.median)} (p95 {seconds(small.p95)}), minimal app"
        f" {seconds(minimal.median)} (p95 {seconds(minimal.p95)}); small demo vs minimal app"
        f" {ratio(small.median / minimal.median)}. Spawn to exit (the app closed, the"
        f" interpreter ended): district {seconds(total['district'])}, small"
        f" {seconds(total['small'])}, minimal {seconds(total['minimal'])}.",
        "CPU time of the child to its exit (user + system, from its rusage; less swayed"
        " than the wall clock by other work on the machine): district"
        f" {seconds(cpu['district'])}, small {seconds(cpu['small'])}, minimal"
        f" {seconds(cpu['minimal'])}; district vs small {ratio(cpu['district'] / cpu['small'])},"
        f" district vs minimal {ratio(cpu['district'] / cpu['minimal'])}.",
    ]
    section = Section("1", "Cold start to the first painted dashboard", rows, details)
    section.seconds = time.perf_counter() - began
    return section, starts


def _counts(demo: Demo) -> str:
    return ", ".join(f"{v:,} {k}" for k, v in demo.counts.items())

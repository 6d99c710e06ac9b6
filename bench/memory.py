"""Scenario 7: peak memory (RSS) of the app on the district demo vs a minimal Textual app.

No process of its own: it reads the peak RSS (``ru_maxrss`` of the reaped child,
see ``bench.processes``) of the children the start-up scenario ran (to first
paint, then exit) and of those the screen scenario ran (first paint, then every
screen of its route once).
"""

from __future__ import annotations

from .processes import ChildRun
from .report import Row, Section
from .startup import Starts
from .stats import Samples, megabytes, ratio

TARGET, TARGET_TEXT = 1.25, "≤ 1.25×"


def run(starts: Starts, visits: list[ChildRun], stand_in: bool) -> Section:
    minimal = starts.rss("minimal")
    district = starts.rss("district")
    small = starts.rss("small")
    visited = Samples([float(r.max_rss) for r in visits])
    at_paint = district.median / minimal.median
    after_visits = visited.median / minimal.median
    base = f"{megabytes(minimal.median)} (minimal app)"
    rows = [
        Row(
            "peak RSS, app on the district demo to first paint vs minimal Textual app",
            megabytes(district.median),
            base,
            ratio(at_paint),
            TARGET_TEXT,
            at_paint <= TARGET,
            f"median of {len(district)}",
        ),
        Row(
            "peak RSS, the same after visiting the screens of 5 vs minimal Textual app",
            megabytes(visited.median),
            base,
            ratio(after_visits),
            TARGET_TEXT,
            after_visits <= TARGET,
            f"median of {len(visited)}",
        ),
    ]
    details = [
        "Peak resident set size of the child process (`os.wait4` → `ru_maxrss`), the"
        " same children as in 1 (the app started, its first screen drawn, then closed)"
        " and in 5 (first paint, then dashboard → surveys → results → goals → norms →"
        " reflections once)"
        + (" on the small demo standing in for the district (quick run)" if stand_in else "")
        + f". Small demo to first paint: {megabytes(small.median)}"
        f" ({ratio(small.median / minimal.median)} the minimal app).",
    ]
    return Section("7", "Peak memory", rows, details)

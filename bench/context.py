"""Context rows kept from the earlier module benchmark: how the modules' reads scale.

In process, warm (one open Runtime per demo, as in the app), the two demos taking
turns: the two dashboard cards of the demo coach, and the coach's goal list with
reminders, district vs small, with the targets that benchmark set. And how long
the demos took to build (one build each, the run's own set-up).
"""

from __future__ import annotations

import time

import plc_plugins.smart_goals as goals_module
import plc_plugins.surveys as surveys_module
from plc_plugins.smart_goals.service import Goals

from .communities import COACH, Demo, open_runtime, sign_in
from .report import Row, Section
from .stats import Samples, ratio, seconds, timed

CARDS, GOALS = 8.0, 8.0  # ratios district/small, the earlier benchmark's targets
TARGET_TEXT = "≤ 8×"


def run(demos: dict[str, Demo], quick: bool) -> Section:
    began = time.perf_counter()
    reps = 10 if quick else 60
    print(f"(context) module reads, district vs small: {reps} each", flush=True)
    runtimes = {}
    for size, demo in demos.items():
        runtime = open_runtime(demo.path, COACH[0])
        sign_in(runtime, COACH[0])
        runtimes[size] = runtime

    def cards(size: str) -> None:
        runtime = runtimes[size]
        surveys_module.dashboard_card(runtime.context("surveys"))
        goals_module.dashboard_card(runtime.context("smart_goals"))

    def goal_views(size: str) -> None:
        service = Goals(runtimes[size].context("smart_goals"))
        service.list()
        service.reminders()

    measured = {}
    for name, action in (("cards", cards), ("goals", goal_views)):
        for size in demos:
            action(size)  # warm: the storage has read the files, as the app's has
        pair = {"district": Samples(), "small": Samples()}
        for n in range(reps):
            for size in ("district", "small") if n % 2 else ("small", "district"):
                pair[size].add(timed(lambda size=size, action=action: action(size)))
        measured[name] = pair

    rows = []
    for name, label, target in (
        ("cards", "dashboard: both module cards of the demo coach (warm)", CARDS),
        ("goals", "coach's goal list + reminders (warm)", GOALS),
    ):
        district, small = measured[name]["district"], measured[name]["small"]
        r = district.median / small.median
        rows.append(
            Row(
                f"{label}: district vs small demo (context)",
                seconds(district.median),
                f"{seconds(small.median)} (small demo)",
                ratio(r),
                TARGET_TEXT,
                r <= target,
                f"median of {reps}",
            )
        )
    build = {size: demo.build_seconds for size, demo in demos.items()}
    rows.append(
        Row(
            "`build_demo` in process: district vs small (context)",
            seconds(build["district"]),
            f"{seconds(build['small'])} (small demo)",
            ratio(build["district"] / build["small"]),
            "report",
            None,
            "1 build each",
        )
    )
    d, s = demos["district"].counts, demos["small"].counts
    details = [
        "From the earlier `bench/bench_modules.py`, whose targets (ratios district/small)"
        " they keep. Warm: one open Runtime per demo, signed in as the demo coach, whose"
        " storage has read the files before; the two demos take turns."
        f" District{' (stand-in: small demo, quick run)' if demos['district'].stand_in else ''}:"
        f" {d['members']:,} members, {d['teams']} teams, {d['surveys']} surveys,"
        f" {d['responses']:,} responses, {d['goals']:,} goals; small: {s['members']}"
        f" members, {s['teams']} teams, {s['surveys']} surveys, {s['responses']:,}"
        f" responses, {s['goals']} goals.",
    ]
    section = Section("context", "How the modules' reads scale", rows, details)
    section.seconds = time.perf_counter() - began
    return section

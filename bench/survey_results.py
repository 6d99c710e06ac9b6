"""Scenario 4: the full results of a survey with 5,000 responses, as the results screen reads them.

``Surveys.results(sid)`` (what ``ResultsScreen`` shows) for a coach-level member
on the one open Runtime; run before scenario 2 adds to the survey, so it holds
exactly 5,000. The CSV export of the same survey is a context row.
"""

from __future__ import annotations

import time

from plc_plugins.surveys.service import Surveys

from .communities import ADMIN, SurveyCommunity, sign_in
from .report import Row, Section
from .stats import Samples, seconds, timed

TARGET, TARGET_TEXT = 0.050, "< 50 ms"


def run(data: SurveyCommunity, quick: bool) -> Section:
    began = time.perf_counter()
    reps = 5 if quick else 30
    print(f"(4) results of a {data.big_responses:,}-response survey: {reps} runs", flush=True)
    sign_in(data.runtime, ADMIN)
    service = Surveys(data.runtime.context("surveys"))
    check = service.results(data.big)  # also reads the files: the screen has them read
    assert check["responses"] == data.big_responses, check["responses"]
    assert not check.get("hidden"), check.get("reason")
    results = Samples([timed(lambda: service.results(data.big)) for _ in range(reps)])
    csv = Samples([timed(lambda: service.export_csv(data.big)) for _ in range(max(3, reps // 3))])
    rows = [
        Row(
            f"full results of a survey with {data.big_responses:,} responses",
            seconds(results.median),
            "-",
            f"{seconds(results.median)} (p95 {seconds(results.p95)})",
            TARGET_TEXT,
            results.median < TARGET,
            f"median of {len(results)}",
        ),
        Row(
            "CSV export of the same survey (context)",
            seconds(csv.median),
            "-",
            seconds(csv.median),
            "report",
            None,
            f"median of {len(csv)}",
        ),
    ]
    details = [
        f"`Surveys.results(sid)` as the community's admin, on the survey of scenario 2"
        f" before anything is added to it ({data.big_responses:,} anonymous responses,"
        " six questions, addressed to everyone"
        + (", in the quick run's smaller stand-in" if data.stand_in else "")
        + "), on the open Runtime whose storage has read the files once before."
        f" Median {seconds(results.median)}, p95 {seconds(results.p95)}, worst"
        f" {seconds(results.worst)}; `Surveys.export_csv` median {seconds(csv.median)}.",
    ]
    section = Section("4", "Full results of a large survey", rows, details)
    section.seconds = time.perf_counter() - began
    return section

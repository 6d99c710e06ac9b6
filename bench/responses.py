"""Scenario 2: one anonymous survey response, in process, warm (one open Runtime, as in the app).

plc: ``Surveys(runtime.context("surveys")).submit(sid, answers)``, each by a member
who has not answered yet, to the survey with 5,000 responses and, in turn, to a
survey with 10 (a fresh one each time, see ``SurveyCommunity``). Baselines:

* plain TinyDB as its documentation shows it, ``TinyDB(path)`` with the default
  JSONStorage, one file holding every response of the same community, inserting
  one response;
* the durable-write limit of the disk: one small file written to a temporary
  name, fsynced, renamed over the old one, and its folder fsynced. plc's commit
  does at least that, so this is the floor under any durable submission.
"""

from __future__ import annotations

import gc
import os
import random
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from plc_plugins.surveys import store
from plc_plugins.surveys.service import Surveys
from tinydb import Query, TinyDB

from .communities import ADMIN, SurveyCommunity, answers_for, sign_in
from .report import Row, Section
from .stats import Samples, megabytes, ratio, seconds, timed

P95_LIMIT, P95_TEXT = 0.005, "p95 ≤ 5 ms"
VS_SMALL, VS_SMALL_TEXT = 1.2, "≤ 1.2× (p95)"
VS_TINYDB, VS_TINYDB_TEXT = 100, "≥ 100× faster"
STAND_IN = "small demo, standing in for the district (quick run),"
EARLIER, EARLIER_TEXT = 0.05, "≤ 0.05×"  # the earlier storage benchmark's targets
ANSWERS = {"time": 4, "focus": "Math", "support": ["Coaching"], "hours": 3, "useful": True}
WARMUP = 2  # samples per case not counted: the first submission reads the survey's files


def plain_tinydb(data: SurveyCommunity, path: Path) -> int:
    """Every response of the community, in one plain TinyDB file; returns how many."""
    ctx = data.runtime.context("surveys")
    docs = []
    with ctx.read() as tables:
        for survey in store.list_outlines(tables, past=True):  # every school year's
            docs += [
                {"survey": survey["id"], **r} for r in store.responses_of(tables, survey["id"])
            ]
    with TinyDB(path) as db:
        db.insert_multiple(docs)
    return len(docs)


def peak_memory(action: Callable[[], object]) -> float:
    """Peak bytes Python allocated during ``action`` (tracemalloc; not the RSS)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        action()
        return float(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


def durable_write(folder: Path, payload: bytes) -> None:
    tmp, final = folder / "durable.tmp", folder / "durable.json"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, final)
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def run(data: SurveyCommunity, work: Path, quick: bool) -> Section:
    began = time.perf_counter()
    reps = len(data.smalls) - WARMUP
    base_reps = 5 if quick else 15
    limit_reps = 20 if quick else 60
    rng = random.Random(7)
    runtime = data.runtime
    ctx = runtime.context("surveys")
    print(f"(2) one anonymous response: {reps} per case, plain TinyDB {base_reps}", flush=True)

    big, small = Samples(), Samples()
    for n in range(WARMUP + reps):
        taker = data.takers[n]
        answers = answers_for(rng)
        # The two cases take turns, each going first half the time.
        cases = [(data.big, big), (data.smalls[n], small)]
        for sid, samples in cases if n % 2 else reversed(cases):
            # Not timed: the survey read as the app reads it before someone answers
            # (its list and status), then the member signed in.
            sign_in(runtime, ADMIN)
            Surveys(ctx).results(sid)
            sign_in(runtime, taker)
            service = Surveys(ctx)
            took = timed(lambda s=sid, svc=service, a=answers: svc.submit(s, a))
            if n >= WARMUP:
                samples.add(took)
    grown = data.big_responses + WARMUP + reps
    sign_in(runtime, ADMIN)
    with ctx.read() as tables:
        assert store.response_count(tables, data.big) == grown
        assert store.response_count(tables, data.smalls[-1]) == data.small_responses + 1

    plain = work / "plain-tinydb.json"
    stored = plain_tinydb(data, plain)
    base = Samples()
    with TinyDB(plain) as db:
        for _ in range(base_reps):
            doc = {"survey": data.big, "answers": answers_for(rng)}
            base.add(timed(lambda doc=doc: db.insert(doc)))
        # Context kept from the earlier storage benchmark, on the same file: reading
        # one survey's responses, and the peak Python memory of one response.
        read_reps = 5 if quick else 15
        base_read = Samples()
        for _ in range(read_reps):
            # TinyDB caches query results until its next write; this process made
            # none, but another could have (TinyDB would not know): read the file.
            db.clear_cache()
            base_read.add(timed(lambda: db.search(Query().survey == data.big)))
        base_mem = peak_memory(lambda: db.insert({"survey": data.big, "answers": ANSWERS}))
    plain_mb = plain.stat().st_size / 1e6
    plain.unlink()

    def read_one() -> None:
        with ctx.read() as tables:
            store.responses_of(tables, data.big)

    plc_read = Samples([timed(read_one) for _ in range(3 * read_reps)])
    sign_in(runtime, data.takers[WARMUP + reps])
    plc_mem = peak_memory(lambda: Surveys(ctx).submit(data.big, ANSWERS))

    floor = work / "durable"
    floor.mkdir()
    payload = b'{"_default": {"1": {"answers": {"time": 4, "useful": true}}}}\n'
    limit = Samples([timed(lambda: durable_write(floor, payload)) for _ in range(limit_reps)])

    vs_small = big.p95 / small.p95
    faster = base.median / big.median
    rows = [
        Row(
            f"one anonymous response, warm, survey with {data.big_responses:,} responses",
            f"p95 {seconds(big.p95)}",
            "-",
            f"p95 {seconds(big.p95)} (median {seconds(big.median)})",
            P95_TEXT,
            big.p95 <= P95_LIMIT,
            f"{len(big)} responses",
        ),
        Row(
            f"the same, {data.big_responses:,} vs {data.small_responses} responses",
            f"p95 {seconds(big.p95)}",
            f"p95 {seconds(small.p95)} ({data.small_responses} responses)",
            ratio(vs_small),
            VS_SMALL_TEXT,
            vs_small <= VS_SMALL,
            f"{len(big)} + {len(small)} responses",
        ),
        Row(
            f"the same vs plain TinyDB, one file of {stored:,} responses ({plain_mb:.1f} MB)",
            seconds(big.median),
            f"{seconds(base.median)} (plain TinyDB insert)",
            f"{ratio(faster)} faster" if faster >= 1 else f"{ratio(1 / faster)} slower",
            VS_TINYDB_TEXT,
            faster >= VS_TINYDB,
            f"median of {len(big)} / {len(base)}",
        ),
        Row(
            "the same vs the durable-write limit (fsync + rename + folder fsync)",
            seconds(big.median),
            f"{seconds(limit.median)} (one durable small write)",
            f"{ratio(big.median / limit.median)} the limit",
            "report",
            None,
            f"median of {len(big)} / {len(limit)}",
        ),
        Row(
            "read one survey's responses, open storage, vs plain TinyDB search (context)",
            seconds(plc_read.median),
            f"{seconds(base_read.median)} (plain TinyDB)",
            ratio(plc_read.median / base_read.median),
            EARLIER_TEXT,
            plc_read.median / base_read.median <= EARLIER,
            f"median of {len(plc_read)} / {len(base_read)}",
        ),
        Row(
            "peak Python memory (tracemalloc) of one response vs plain TinyDB (context)",
            megabytes(plc_mem),
            f"{megabytes(base_mem)} (plain TinyDB)",
            ratio(plc_mem / base_mem),
            EARLIER_TEXT,
            plc_mem / base_mem <= EARLIER,
            "1 each",
        ),
    ]
    details = [
        f"Community: a copy of the {STAND_IN if data.stand_in else 'district demo'}"
        f" with {data.big_responses:,} more members, who answered the big survey, and"
        f" {len(data.smalls)} surveys of {data.small_responses} responses each (by the"
        " first of those members); every bench survey is anonymous, addressed to"
        " everyone, with six questions (likert, single, multi, number, yes/no, short"
        " text). The responses were made through the module's own bulk call"
        f" `store.submit_many` ({data.fill_seconds:.0f} s with the members, not measured).",
        "Each sample is one member of the district who had not answered, signed in"
        " (outside the timing) on the one open Runtime, submitting through"
        " `Surveys.submit`; before it, outside the timing, the survey is read as the"
        f" app reads it. The first {WARMUP} samples of each case are not counted. The"
        f" big survey grows by one per sample ({data.big_responses:,} →"
        f" {grown:,} during the run, then one more for the memory row); each small"
        " sample goes to a survey of its own, which has exactly"
        f" {data.small_responses} responses then. The two cases take"
        " turns.",
        f"Medians: {data.big_responses:,} responses {seconds(big.median)}"
        f" (p95 {seconds(big.p95)}, worst {seconds(big.worst)}); {data.small_responses}"
        f" responses {seconds(small.median)} (p95 {seconds(small.p95)}, worst"
        f" {seconds(small.worst)}); plain TinyDB {seconds(base.median)} (p95"
        f" {seconds(base.p95)}): it reads and rewrites its whole {plain_mb:.1f} MB file"
        " and fsyncs it on every insert; durable-write limit"
        f" {seconds(limit.median)} (p95 {seconds(limit.p95)}).",
        "Context rows, with the targets of the earlier storage benchmark (ratios"
        " plc/plain TinyDB): reading the big survey's responses on the open storage"
        " (`store.responses_of` in a read) against `db.search(Query().survey == sid)` on"
        " the plain file (its query cache cleared first, outside the timing); the peak"
        " Python memory (tracemalloc) of one more submission"
        " against one plain TinyDB insert, which loads its whole file.",
    ]
    section = Section("2", "One anonymous survey response", rows, details)
    section.seconds = time.perf_counter() - began
    return section

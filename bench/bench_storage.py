"""plc's storage layer against plain TinyDB, measured in one run.

    python bench/bench_storage.py            # 100,000 stored answers (a few minutes at most)
    python bench/bench_storage.py --quick    # 10,000 stored answers

The baseline is plain TinyDB as its documentation shows it: ``TinyDB(path)`` with
the default JSONStorage, every survey answer in one file. plc stores the same
answers through :class:`plc_tui.storage.Storage`, partitioned by survey (one file
per survey). Scenarios:

a. one insert (baseline: into the one big file; plc: into one survey's partition,
   in a transaction) -- "cold" is a new Storage, as in one `plc` command; "warm"
   is a Storage that stays open, as in the app;
b. one query of one survey's answers;
c. open the data and count every answer;
d. peak Python memory (tracemalloc) of one insert;
e. 8 processes inserting at once: does every record survive, is the JSON valid?

The results, as ratios plc/baseline with the absolute numbers, the machine and
the date, replace this script's section of BENCHMARKS.md (the full and the quick
run each have their own section; the rest of the file is kept).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchlib import Timing, filesystem_of, machine, timed, update_benchmarks  # beside this file
from tinydb import Query, TinyDB

from plc_tui.storage import Storage

ROOT = Path(__file__).resolve().parent.parent
SURVEYS = 200
NAMESPACE, TABLE = "surveys", "answers"
WORKERS = 8
INSERTS_PER_WORKER = 50
CONCURRENT_START = 1_000  # answers already stored when the 8 processes start
TRIALS = 3


def survey_id(n: int) -> str:
    return f"s{n % SURVEYS:03d}"


def answer(i: int) -> dict:
    return {"survey": survey_id(i), "q": f"q{i % 10}", "value": i % 5 + 1}


def answers(n: int) -> list[dict]:
    return [answer(i) for i in range(n)]


# -- measuring ------------------------------------------------------------------


def peak_memory(action: Callable[[], object]) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- setting up the two stores ----------------------------------------------------


def build_baseline(path: Path, docs: list[dict]) -> None:
    db = TinyDB(path)
    db.insert_multiple(docs)
    db.close()


def build_plc(root: Path, docs: list[dict]) -> Storage:
    storage = Storage(root, create=True)
    by_survey: dict[str, list[dict]] = {}
    for doc in docs:
        by_survey.setdefault(doc["survey"], []).append(doc)
    with storage.transaction() as tx:
        for sid, part in by_survey.items():
            tx.table(NAMESPACE, TABLE, sid).insert_multiple(part)
    return storage


def plc_insert(storage: Storage, i: int) -> None:
    with storage.transaction() as tx:
        tx.table(NAMESPACE, TABLE, survey_id(i)).insert(answer(i))


def plc_query(storage: Storage, sid: str) -> list:
    with storage.read() as view:
        return view.table(NAMESPACE, TABLE, sid).search(Query().survey == sid)


def plc_count(storage: Storage) -> int:
    with storage.read() as view:
        return sum(len(view.table(NAMESPACE, TABLE, p)) for p in view.partitions(NAMESPACE, TABLE))


# -- 8 processes at once ----------------------------------------------------------


def _baseline_worker(path: str, worker: int, ready, start, results) -> None:
    done, error = 0, ""
    try:
        db = TinyDB(path)
        ready.put(worker)
        start.wait()
        for i in range(INSERTS_PER_WORKER):
            db.insert({"survey": "s000", "q": f"w{worker}", "value": i})
            done += 1
    except Exception as exc:  # what a user would see: the process dies with this
        error = f"{type(exc).__name__}: {exc}"[:120]
    results.put((worker, done, error))


def _plc_worker(root: str, worker: int, ready, start, results) -> None:
    done, error = 0, ""
    try:
        storage = Storage(root, lock_timeout=300)
        ready.put(worker)
        start.wait()
        for i in range(INSERTS_PER_WORKER):
            with storage.transaction() as tx:
                tx.table(NAMESPACE, TABLE, "s000").insert(
                    {"survey": "s000", "q": f"w{worker}", "value": i}
                )
            done += 1
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:120]
    results.put((worker, done, error))


def run_processes(target: Callable, where: str) -> tuple[int, list[str], float]:
    ctx = multiprocessing.get_context("spawn")
    ready, results, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [
        ctx.Process(target=target, args=(where, w, ready, start, results)) for w in range(WORKERS)
    ]
    for proc in procs:
        proc.start()
    for _ in procs:  # every process is up before any of them writes
        ready.get(timeout=120)
    began = time.perf_counter()
    start.set()
    outcomes = [results.get(timeout=600) for _ in procs]
    elapsed = time.perf_counter() - began
    for proc in procs:
        proc.join(60)
    acknowledged = sum(done for _, done, _ in outcomes)
    errors = [err for _, _, err in outcomes if err]
    return acknowledged, errors, elapsed


@dataclass
class Trial:
    acknowledged: int
    stored: int | None  # None: the file no longer decodes as JSON
    errors: list[str]
    problems: int  # plc: Storage.check() problems
    seconds: float


def baseline_trial(work: Path, n: int) -> Trial:
    path = work / f"concurrent-baseline-{n}.json"
    build_baseline(path, answers(CONCURRENT_START))
    acknowledged, errors, elapsed = run_processes(_baseline_worker, str(path))
    try:
        stored = len(json.loads(path.read_bytes())["_default"])
        problems = 0
    except (ValueError, KeyError, TypeError):
        stored, problems = None, 1
    return Trial(acknowledged, stored, errors, problems, elapsed)


def plc_trial(work: Path, n: int) -> Trial:
    root = work / f"concurrent-plc-{n}"
    build_plc(root, [answer(i * SURVEYS) for i in range(CONCURRENT_START)])  # all in s000
    acknowledged, errors, elapsed = run_processes(_plc_worker, str(root))
    storage = Storage(root)
    problems = len(storage.check())
    try:
        with storage.read() as view:
            stored = len(view.table(NAMESPACE, TABLE, "s000"))
    except Exception:
        stored = None
    return Trial(acknowledged, stored, errors, problems, elapsed)


# -- the run ----------------------------------------------------------------------


def measure(work: Path, n: int, quick: bool) -> dict:
    reps_base = 15 if quick else 9
    reps_plc = 30
    docs = answers(n)
    base_path = work / "baseline.json"
    plc_root = work / "plc"

    t = time.perf_counter()
    build_baseline(base_path, docs)
    storage = build_plc(plc_root, docs)
    del docs
    print(f"set up {n:,} answers in {time.perf_counter() - t:.1f} s", flush=True)
    part_sizes = [p.stat().st_size for p in storage.data_files()]
    out: dict = {
        "n": n,
        "baseline_mb": base_path.stat().st_size / 1e6,
        "partition_kb": statistics.median(part_sizes) / 1e3,
        "partitions": len(part_sizes),
        "fs": filesystem_of(work),
    }
    db = TinyDB(base_path)
    warm = Storage(plc_root)
    plc_insert(warm, n)  # warm its cache of the partitions used below
    plc_query(warm, survey_id(7))

    print("(a) one insert", flush=True)
    out["insert_base"] = timed(lambda r: db.insert(answer(n + r)), reps_base)
    out["insert_cold"] = timed(lambda r: plc_insert(Storage(plc_root), n + r), reps_plc)
    out["insert_warm"] = timed(lambda r: plc_insert(warm, n), reps_plc)

    print("(b) one query", flush=True)
    # A new Query object each time: TinyDB's query cache must not answer for the file.
    out["query_base"] = timed(lambda r: db.search(Query().survey == survey_id(r)), reps_base)
    out["query_cold"] = timed(lambda r: plc_query(Storage(plc_root), survey_id(r)), reps_plc)
    out["query_warm"] = timed(lambda r: plc_query(warm, survey_id(7)), reps_plc)
    db.close()

    print("(c) open + count", flush=True)

    def base_count(_: int) -> int:
        with TinyDB(base_path) as opened:
            return len(opened)

    # Both stores hold every answer: the n stored plus the ones inserted above.
    assert base_count(0) == n + reps_base, base_count(0)
    assert plc_count(Storage(plc_root)) == n + 1 + 2 * reps_plc, plc_count(Storage(plc_root))
    # Alternate the two so that neither gets the quieter moments of the machine.
    count_base, count_cold = Timing([]), Timing([])
    for _ in range(reps_base):
        count_base.samples += timed(base_count, 1).samples
        count_cold.samples += timed(lambda r: plc_count(Storage(plc_root)), 1).samples
    out["count_base"], out["count_cold"] = count_base, count_cold
    plc_count(warm)
    out["count_warm"] = timed(lambda r: plc_count(warm), reps_plc)

    print("(d) peak memory of one insert", flush=True)
    with TinyDB(base_path) as opened:
        out["mem_base"] = peak_memory(lambda: opened.insert(answer(0)))
    out["mem_cold"] = peak_memory(lambda: plc_insert(Storage(plc_root), 1))
    out["mem_warm"] = peak_memory(lambda: plc_insert(warm, n))

    print(f"(e) {WORKERS} processes x {INSERTS_PER_WORKER} inserts at once", flush=True)
    out["conc_base"] = [baseline_trial(work, k) for k in range(TRIALS)]
    out["conc_plc"] = [plc_trial(work, k) for k in range(TRIALS)]
    return out


# -- the report -------------------------------------------------------------------

TARGETS = [
    # key, label, target ratio plc/baseline (at 100,000 answers)
    ("insert_cold", "one insert, new Storage (one `plc` command)", 0.05),
    ("insert_warm", "one insert, open Storage (the app)", 0.05),
    ("query_cold", "query one survey, new Storage", 0.05),
    ("query_warm", "query one survey, open Storage", 0.05),
    ("count_cold", "open + count all answers, new Storage", 1.5),
    ("count_warm", "count all answers, open Storage", 0.25),
]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def ratio(value: float) -> str:
    return f"{value:.4f}x" if value < 0.01 else f"{value:.3f}x" if value < 1 else f"{value:.2f}x"


def describe(trial: Trial, expected: int) -> str:
    if trial.stored is None:
        kept = "**file no longer decodes as JSON**"
    else:
        kept = f"{trial.stored - CONCURRENT_START}/{expected} new records stored"
    text = f"{kept}; {trial.acknowledged}/{expected} inserts returned"
    if trial.errors:
        text += f"; {len(trial.errors)} process(es) died (`{trial.errors[0]}`)"
    return text + f"; {trial.seconds:.1f} s"


def report(res: dict, info: dict, quick: bool, elapsed: float) -> tuple[str, list[str]]:
    n = res["n"]
    lines = [
        f"## Storage: plc vs plain TinyDB, {n:,} stored answers"
        + (" (quick run)" if quick else ""),
        "",
        f"Measured {info['date']} by `python bench/bench_storage.py{' --quick' if quick else ''}`"
        f" ({elapsed:.0f} s) on {info['nproc']} CPUs (nproc; {info['cpu']}), Python"
        f" {info['python']}, {info['os']}, TinyDB {info['tinydb']}, {res['fs']} file system.",
        "",
        f"Data: {n:,} answers like `{json.dumps(answer(3))}`. Baseline: plain `TinyDB(path)`"
        f" (default JSONStorage), one file of {res['baseline_mb']:.1f} MB. plc: `Storage`,"
        f" answers partitioned by survey, {res['partitions']} files of"
        f" ~{res['partition_kb']:.0f} kB. Times are medians (baseline"
        f" {len(res['insert_base'].samples)} runs, plc {len(res['insert_cold'].samples)}"
        f" except open + count: {len(res['count_cold'].samples)});"
        f" `gc.collect()` runs before each sample, outside the timing, and both stores"
        f" fsync every write. Targets are ratios plc/baseline and are set for the"
        f" 100,000-answer run" + (": a quick run only shows the trend." if quick else "."),
        "",
        "| scenario | plain TinyDB | plc | ratio plc/baseline | target | met |",
        "| --- | ---: | ---: | ---: | ---: | :---: |",
    ]
    verdicts = []
    for key, label, target in TARGETS:
        base = res[key.split("_")[0] + "_base"].median
        mine = res[key].median
        r = mine / base
        met = r <= target
        verdict = "met" if met else "NOT met"
        verdicts.append(f"{label}: {ratio(r)} (target <= {target:g}x) {verdict}")
        lines.append(
            f"| {label} | {ms(base)} | {ms(mine)} | {ratio(r)} | <= {target:g}x |"
            f" {'yes' if met else '**no**'} |"
        )
    for key, label in (("mem_cold", "new Storage"), ("mem_warm", "open Storage")):
        r = res[key] / res["mem_base"]
        met = r <= 0.05
        verdicts.append(f"peak memory, insert, {label}: {ratio(r)} {'met' if met else 'NOT met'}")
        lines.append(
            f"| peak memory of one insert (tracemalloc), {label} | {res['mem_base'] / 1e6:.1f} MB"
            f" | {res[key] / 1e6:.3f} MB | {ratio(r)} | <= 0.05x | {'yes' if met else '**no**'} |"
        )

    expected = WORKERS * INSERTS_PER_WORKER
    base_bad = sum(
        1 for t in res["conc_base"] if t.stored is None or t.stored != CONCURRENT_START + expected
    )
    plc_ok = all(
        t.stored == CONCURRENT_START + expected and t.problems == 0 and not t.errors
        for t in res["conc_plc"]
    )
    verdicts.append(
        f"8 processes: baseline lost data or broke in {base_bad}/{TRIALS} trials; "
        f"plc kept all {expected} in every trial: {'met' if plc_ok else 'NOT met'}"
    )
    lines += [
        "",
        f"**{WORKERS} processes inserting at once** ({INSERTS_PER_WORKER} inserts each into the"
        f" same survey, {CONCURRENT_START:,} answers already stored, {TRIALS} trials each)."
        f" Target: plc stores all {expected} in every trial and `Storage.check()` finds"
        f" nothing; met: {'yes' if plc_ok else '**no**'}.",
        "",
        "| trial | plain TinyDB | plc |",
        "| --- | --- | --- |",
    ]
    for k, (b, p) in enumerate(zip(res["conc_base"], res["conc_plc"], strict=True), 1):
        plc_text = describe(p, expected) + (
            "; check() clean" if p.problems == 0 else f"; check(): {p.problems} problem(s)"
        )
        lines.append(f"| {k} | {describe(b, expected)} | {plc_text} |")
    lines.append("")
    return "\n".join(lines), verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 answers instead of 100,000")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch BENCHMARKS.md")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--workdir", type=Path, help="where to build the data (default: temp)")
    args = parser.parse_args(argv)

    n = 10_000 if args.quick else 100_000
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="plc-bench-", dir=args.workdir))
    try:
        results = measure(work, n, args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - began
    section, verdicts = report(results, machine("tinydb"), args.quick, elapsed)
    print()
    print(section)
    for line in verdicts:
        print("-", line)
    if not args.no_write:
        update_benchmarks(args.output, "bench_storage", section, args.quick)
        print(f"\nupdated {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

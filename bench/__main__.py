"""Run every benchmark scenario and (re)write BENCHMARKS.md.

    python -m bench                 # the full run, on the real district demo (many minutes)
    python -m bench --quick         # a smoke run for CI (about 2 minutes): small stand-ins
    python -m bench --output PATH   # write the report elsewhere (default: BENCHMARKS.md)

Everything is built in a temporary folder that is removed at the end, with the
per-user folders (HOME, XDG_*) and the config file pointed there too, so a run
reads nothing of the user's and leaves nothing behind.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from . import (
    cli_verbs,
    communities,
    concurrency,
    context,
    machine,
    memory,
    processes,
    report,
    responses,
    screens,
    startup,
    survey_results,
)

ROOT = Path(__file__).resolve().parent.parent

# Scenario 2 and 4's data: full run / quick run.
BIG = {False: 5_000, True: 300}  # responses in the big survey
SAMPLES = {False: 100, True: 20}  # submissions per case in scenario 2
SMALL = 10  # responses in each small survey


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--quick", action="store_true", help="a short smoke run (CI)")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--workdir", type=Path, help="where to build the data (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder afterwards")
    args = parser.parse_args(argv)
    quick = args.quick
    command = "python -m bench" + (" --quick" if quick else "")

    # Stopped with SIGTERM (a CI timeout, kill), still remove the data: finally runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="plc-bench-", dir=args.workdir))
    try:
        env = communities.isolate(work / "home")
        info = machine.describe(work)
        print(f"data in {work}", flush=True)
        compiled = processes.compile_bytecode()
        print(f"compiled plc_tui, plugins and bench to bytecode in {compiled:.1f} s", flush=True)

        # The district is built once; scenarios that change data work on copies.
        # A quick run builds the small demo twice, the second standing in for it.
        demos = {}
        for size in ("small", "district"):
            built = "small" if quick else size
            print(f"building the {size} demo" + (" (stand-in)" * (built != size)), flush=True)
            demos[size] = communities.make_demo(
                work / f"demo-{size}", built, stand_in=built != size
            )
            print(f"    {demos[size].counts} in {demos[size].build_seconds:.1f} s", flush=True)

        sections: list[report.Section] = []
        first, starts = startup.run(demos, env, quick)
        switches, visits = screens.run(demos["district"], env, quick)
        cli = cli_verbs.run(demos, env, work, quick)

        print(f"building the survey community ({BIG[quick]:,} responses)", flush=True)
        setup = time.perf_counter()
        data = communities.survey_community(
            demos["district"],
            work / "surveys",
            big=BIG[quick],
            smalls=SAMPLES[quick] + responses.WARMUP,
            small=SMALL,
            rng=random.Random(2026),
        )
        setup = time.perf_counter() - setup
        results = survey_results.run(data, quick)  # first: the big survey is still at 5,000
        submit = responses.run(data, work, quick)
        submit.seconds += setup
        crowd = concurrency.run(demos["district"], work, quick)
        mem = memory.run(starts, visits, demos["district"].stand_in)
        ctx = context.run(demos, quick)
        sections = [first, submit, cli, results, switches, crowd, mem, ctx]
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - began
    info["load average at the end (1, 5, 15 min)"] = machine.load()

    busy = max(float(v.split(",")[0]) for k, v in info.items() if k.startswith("load average"))
    notes = [
        f"Bytecode of plc_tui, plugins and bench was compiled before any process was"
        f" timed (`python -m compileall`, {compiled:.1f} s), as pip does at install:"
        " this machine sets PYTHONDONTWRITEBYTECODE=1, which would otherwise make every"
        " new process compile plc's modules again.",
        f"Data was built with today's date ({communities.TODAY}), which the `plc`"
        " processes use too; the demo is made relative to it.",
    ]
    if busy > 0.5 * len(os.sched_getaffinity(0)):
        notes.append(
            f"The machine had other work during this run (load average up to {busy:.1f}"
            " on the CPUs below, see the last section): wall-clock times, and p95s most,"
            " are slower than on an idle machine; the CPU times given in 1 and 3 are"
            " less swayed by it."
        )
    text = report.document(
        sections,
        info,
        command=command,
        elapsed=elapsed,
        quick=quick,
        notes=notes,
    )
    report.write(args.output, text)
    print()
    print(report.table(sections))
    print()
    print(report.summary(sections))
    print(f"wrote {args.output} ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scenario 3: the command line, a new process per sample, end to end.

* ``plc --db DIR --as LOGIN survey respond SID --answers FILE`` on a copy of the
  district demo vs a copy of the small demo: each sample a member who has not
  answered yet, to a survey made for the purpose in each copy (open, anonymous,
  addressed to everyone), so the two differ only in the rest of the data;
* ``plc --db DIR --as LOGIN survey list`` on the district demo vs
  ``python -c "import click, tinydb"``: what any CLI on these libraries must pay.

The installed ``plc`` script is run, as a person runs it; bytecode was compiled
first (see ``processes.compile_bytecode``).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from .communities import (
    ADMIN,
    COACH,
    Demo,
    answers_for,
    copy_of,
    new_survey,
    open_runtime,
    response_count,
    teachers,
)
from .processes import plc_command, run_child
from .report import Row, Section
from .stats import Samples, ratio, seconds

RESPOND, RESPOND_TEXT = 1.1, "≤ 1.1×"
LIST, LIST_TEXT = 2.0, "≤ 2×"


def run(demos: dict[str, Demo], env: dict[str, str], work: Path, quick: bool) -> Section:
    began = time.perf_counter()
    reps = 3 if quick else 15
    print(f"(3) the command line: {reps} processes per case", flush=True)
    rng = random.Random(3)
    plc = plc_command()

    copies: dict[str, tuple[Path, int, list[str]]] = {}
    for size in ("district", "small"):
        path = copy_of(demos[size], work / f"cli-{size}")
        runtime = open_runtime(path, ADMIN)
        sid = new_survey(runtime, "Bench survey for the command line")
        takers = teachers(runtime)
        assert len(takers) > reps, f"the {size} demo has too few members for {reps} samples"
        copies[size] = (path, sid, takers)

    answers_file = work / "answers.json"
    respond = {"district": Samples(), "small": Samples()}
    cpu = {"district": Samples(), "small": Samples(), "list": Samples(), "import": Samples()}
    for n in range(reps + 1):  # the first of each is not counted: it fills the page cache
        answers_file.write_text(json.dumps(answers_for(rng)), "utf-8")
        for size in ("district", "small") if n % 2 else ("small", "district"):
            path, sid, takers = copies[size]
            child = run_child(
                [
                    *plc,
                    "--db",
                    str(path),
                    "--as",
                    takers[n],
                    "survey",
                    "respond",
                    str(sid),
                    "--answers",
                    str(answers_file),
                ],
                env=env,
            )
            assert "Submitted" in child.stdout, child.stdout
            if n:
                respond[size].add(child.total)
                cpu[size].add(child.cpu)
    for size, (path, sid, _) in copies.items():
        stored = response_count(open_runtime(path, ADMIN), sid)
        assert stored == reps + 1, (size, stored)

    listing, imports = Samples(), Samples()
    list_cmd = [*plc, "--db", str(demos["district"].path), "--as", COACH[0], "survey", "list"]
    import_cmd = [sys.executable, "-c", "import click, tinydb"]
    for n in range(reps + 1):
        for cmd, samples, kind in ((list_cmd, listing, "list"), (import_cmd, imports, "import")):
            child = run_child(cmd, env=env)
            if n:
                samples.add(child.total)
                cpu[kind].add(child.cpu)

    district, small = respond["district"], respond["small"]
    vs_small = district.median / small.median
    vs_import = listing.median / imports.median
    name = "district demo" + (" (stand-in: small demo)" if demos["district"].stand_in else "")
    rows = [
        Row(
            "`plc survey respond` (new process): district demo vs small demo",
            seconds(district.median),
            f"{seconds(small.median)} (small demo)",
            ratio(vs_small),
            RESPOND_TEXT,
            vs_small <= RESPOND,
            f"median of {reps}",
        ),
        Row(
            '`plc survey list` on the district demo vs `python -c "import click, tinydb"`',
            seconds(listing.median),
            f"{seconds(imports.median)} (import click, tinydb)",
            ratio(vs_import),
            LIST_TEXT,
            vs_import <= LIST,
            f"median of {reps}",
        ),
    ]
    details = [
        f"`{Path(plc[0]).name} --db DIR --as LOGIN survey respond SID --answers FILE`, timed"
        " from spawn to exit, on a copy of the"
        f" {name} and of the small demo; in each a survey made for the purpose (open,"
        " anonymous, addressed to everyone, six questions), answered by a different"
        " member per sample, so it grows by one per sample in both. The two take turns;"
        " the first of each is not counted."
        f" Medians: district {seconds(district.median)} (p95 {seconds(district.p95)}),"
        f" small {seconds(small.median)} (p95 {seconds(small.p95)}).",
        f"`plc --db DISTRICT --as {COACH[0]} survey list` (the open surveys for the demo"
        f' coach) against `python -c "import click, tinydb"`, in turn: medians'
        f" {seconds(listing.median)} (p95 {seconds(listing.p95)}) and"
        f" {seconds(imports.median)} (p95 {seconds(imports.p95)}).",
        "CPU time of the children (user + system, medians; less swayed than the wall"
        " clock by other work on the machine): respond district"
        f" {seconds(cpu['district'].median)}, small {seconds(cpu['small'].median)}"
        f" ({ratio(cpu['district'].median / cpu['small'].median)}); survey list"
        f" {seconds(cpu['list'].median)}, import click, tinydb {seconds(cpu['import'].median)}"
        f" ({ratio(cpu['list'].median / cpu['import'].median)}).",
    ]
    section = Section("3", "The command line", rows, details)
    section.seconds = time.perf_counter() - began
    return section

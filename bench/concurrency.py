"""Scenario 6: 20 processes × 50 responses at once, each its own Runtime as its own member.

On a copy of the district demo, 50 open surveys addressed to everyone; 20 of the
district's members each start a process that opens its own Runtime, signs in,
waits at a barrier with the others, then submits one response to each of the 50
surveys. Afterwards every survey is counted and ``Storage.check()`` run. Context:
plain TinyDB under the same load, every process inserting into one file.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from .communities import ADMIN, Demo, copy_of, new_survey, open_runtime, response_count, teachers
from .report import Row, Section

TARGET_TEXT = "all stored"
ANSWERS = {"time": 4, "focus": "Math", "support": ["Coaching"], "hours": 3, "useful": True}


@dataclass
class Outcome:
    login: str
    done: int
    error: str
    seconds: float  # from the barrier to its last response


def _plc_worker(path: str, login: str, sids: list[int], barrier: Any, out: Any) -> None:
    # A process of its own, as a member running plc: its own Runtime and storage.
    done, error = 0, ""
    try:
        from plc_plugins.surveys.service import Surveys

        from .communities import open_runtime, sign_in

        runtime = open_runtime(Path(path), login)
        sign_in(runtime, login)
        service = Surveys(runtime.context("surveys"))
        barrier.wait(timeout=600)
        start = time.perf_counter()
        for sid in sids:
            service.submit(sid, ANSWERS)
            done += 1
    except Exception as exc:  # what the member would see: their process ends with it
        error = f"{type(exc).__name__}: {exc}"
        start = time.perf_counter()
    out.put((login, done, error, time.perf_counter() - start))


def _tinydb_worker(path: str, login: str, sids: list[int], barrier: Any, out: Any) -> None:
    done, error = 0, ""
    try:
        db = TinyDB(path)
        barrier.wait(timeout=600)
        start = time.perf_counter()
        for sid in sids:
            db.insert({"survey": sid, "answers": ANSWERS})
            done += 1
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:160]
        start = time.perf_counter()
    out.put((login, done, error, time.perf_counter() - start))


def _crowd(target: Any, where: str, logins: list[str], sids: list[int]) -> list[Outcome]:
    """Start one process per login, release them together, collect what each did."""
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter each, like `plc`
    barrier, out = ctx.Barrier(len(logins)), ctx.Queue()
    procs = [ctx.Process(target=target, args=(where, lg, sids, barrier, out)) for lg in logins]
    for proc in procs:
        proc.start()
    outcomes = [Outcome(*out.get(timeout=1200)) for _ in procs]
    for proc in procs:
        proc.join(60)
    return outcomes


def failures(errors: list[str]) -> str:
    """``6 process(es) failed: 6 × DatabaseLocked, e.g. `...` ``: by exception type."""
    kinds: dict[str, list[str]] = {}
    for error in errors:
        kinds.setdefault(error.split(":", 1)[0], []).append(error)
    listed = "; ".join(f"{len(seen)} × {kind}, e.g. `{seen[0]}`" for kind, seen in kinds.items())
    return f"{len(errors)} process(es) failed: {listed}"


def _tinydb_stored(path: Path) -> int | None:
    try:
        return len(json.loads(path.read_bytes())["_default"])
    except (ValueError, KeyError, TypeError):
        return None  # the file no longer decodes: everything in it is lost


@dataclass
class Trial:
    stored: int  # responses counted in the 50 surveys afterwards
    acknowledged: int  # submissions that returned
    problems: list[Any]  # what Storage.check() found
    errors: list[str]  # why processes ended early
    seconds: float  # from the barrier to the last process done

    def all_stored(self, expected: int) -> bool:
        ok = self.stored == expected and self.acknowledged == expected
        return ok and not self.problems and not self.errors

    def said(self, expected: int) -> str:
        found = "nothing" if not self.problems else "; ".join(map(str, self.problems[:3]))
        return (
            f"{self.acknowledged:,} submissions returned, {self.stored:,}/{expected:,}"
            f" responses stored, `Storage.check()` found {found}"
            + (f"; {failures(self.errors)}" if self.errors else "")
            + f"; {self.seconds:.1f} s, {self.stored / self.seconds:.0f} responses/s"
        )


def trial(demo: Demo, path: Path, procs: int, each: int) -> tuple[Trial, list[str], list[int]]:
    """One trial on a fresh copy of the demo: make the surveys, let the crowd in, count."""
    copy_of(demo, path)
    admin = open_runtime(path, ADMIN)
    sids = [new_survey(admin, f"Bench crowd survey {n + 1}") for n in range(each)]
    logins = teachers(admin)[:procs]
    assert len(logins) == procs
    outcomes = _crowd(_plc_worker, str(path), logins, sids)
    check = open_runtime(path, ADMIN)
    return (
        Trial(
            sum(response_count(check, sid) for sid in sids),
            sum(o.done for o in outcomes),
            check.storage.check(),
            [o.error for o in outcomes if o.error],
            max(o.seconds for o in outcomes),
        ),
        logins,
        sids,
    )


def run(demo: Demo, work: Path, quick: bool) -> Section:
    began = time.perf_counter()
    procs, each, trials = (10, 10, 1) if quick else (20, 50, 3)
    expected = procs * each
    print(f"(6) {procs} processes x {each} responses at once, {trials} trial(s)", flush=True)
    done = []
    for n in range(trials):
        result, logins, sids = trial(demo, work / f"crowd-{n}", procs, each)
        done.append(result)
    ok = all(t.all_stored(expected) for t in done)
    where = (
        "small demo (standing in for the district: quick run)" if demo.stand_in else "district demo"
    )
    rate = sorted(t.stored / t.seconds for t in done)[len(done) // 2]

    plain = work / "crowd-tinydb.json"
    with TinyDB(plain) as db:
        db.insert({"survey": 0, "answers": ANSWERS})
    t_outcomes = _crowd(_tinydb_worker, str(plain), logins, sids)
    t_stored = _tinydb_stored(plain)
    t_errors = [o.error for o in t_outcomes if o.error]
    if t_stored is None:
        t_kept = f"file no longer decodes as JSON: all {expected:,} lost"
    else:
        t_kept = f"{t_stored - 1:,}/{expected:,} stored"

    rows = [
        Row(
            f"{procs} processes × {each} responses at once, each its own Runtime and member",
            ", ".join(f"{t.stored:,}" for t in done) + f" of {expected:,} stored",
            "-",
            f"{sum(t.all_stored(expected) for t in done)} of {trials} trials all stored and"
            f" check() clean; median {rate:.0f} responses/s",
            TARGET_TEXT,
            ok,
            f"{trials} trial(s)",
        ),
        Row(
            "plain TinyDB, the same load on one file (context)",
            "-",
            f"{t_kept}; {len(t_errors)} of {procs} processes failed",
            "-",
            "report",
            None,
            "1 trial",
        ),
    ]
    details = [
        f"A copy of the {where}"
        f" with {each} open anonymous surveys addressed to everyone; {procs} of its"
        " members, one process each (multiprocessing, spawn: a new interpreter per"
        " process), each with its own Runtime, signed in before a barrier that"
        f" releases them together; then each submits to the {each} surveys in turn;"
        " afterwards every survey is counted and the folder checked. Each trial on a"
        " fresh copy; the time is from the barrier to the last process done. "
        + " ".join(f"Trial {n}: {t.said(expected)}." for n, t in enumerate(done, 1)),
        f"Plain TinyDB, the same {procs} processes inserting {each} documents each into one"
        f" `TinyDB(path)` file: {t_kept}"
        + (f"; {failures(t_errors)}" if t_errors else "")
        + ". It has no locking: concurrent writers overwrite each other's file.",
    ]
    section = Section("6", "Many processes at once", rows, details)
    section.seconds = time.perf_counter() - began
    return section

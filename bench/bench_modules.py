"""How the survey and SMART-goal modules scale, as ratios measured in one run.

    python bench/bench_modules.py            # full run (a few minutes at most)
    python bench/bench_modules.py --quick    # fewer repetitions (under a minute)

Every scenario is measured twice in the same run, on a small case and a large
one, and the target is a ratio large/small, so it travels between machines
better than the absolute times (which are reported too, for context):

1. the dashboard: both module cards (surveys, SMART goals) for the demo coach
   ``dreyes``, district demo (60 teams, ~420 members) vs small demo (8 teams,
   ~35 members); plus the absolute time at district size;
2. one anonymous survey submission when the survey already has 1,000 responses
   vs 10; and one submission to a small survey while another survey holds
   5,000 responses vs none (the other survey must not matter);
3. survey results (``Surveys.results``) for 1,000 responses vs 100;
4. the coach's goal list and reminders, district demo vs small demo;
5. building the demo, ``--size district`` vs ``--size small`` (reported only).

"Warm" means one open :class:`~plc_tui.runtime.Runtime` whose storage has read
the files before, as in the app; "cold" means a new Runtime for each sample, as
in one ``plc`` command. "Today" is fixed (2026-11-24) so the demo data, and so
the numbers, are the same in every run.

The results, the machine and the date replace this script's section of
BENCHMARKS.md (the full and the quick run each have their own section; the
rest of the file is kept).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import plc_plugins.smart_goals as goals_module
import plc_plugins.surveys as surveys_module
from benchlib import Timing, filesystem_of, machine, timed, update_benchmarks  # beside this file
from plc_plugins.smart_goals.service import Goals
from plc_plugins.surveys import store as survey_store
from plc_plugins.surveys.definition import parse_definition, validate_answers
from plc_plugins.surveys.service import Surveys
from plc_plugins.surveys.templates import MEETING_PULSE
from tinydb.table import Document

from plc_tui import community
from plc_tui.api import Card
from plc_tui.demo import COACH, build_demo
from plc_tui.plugins import PluginHost
from plc_tui.runtime import Runtime

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 24)
ADMIN = "benchadmin"
TEAMS = 10
FILLERS = 1_000  # members who answered the surveys before the measured submission
TAKERS = 40  # members who have not answered yet: one per measured submission
OTHER_SURVEY = 5_000  # responses in the "other" survey (scenario 2b)
HISTORY = 200  # closed surveys added to the district demo (context for scenario 1)

SURVEY = {
    "title": "Bench survey",
    "description": "A survey addressed to everyone, with one question of each common type.",
    "anonymous": True,
    "threshold": 5,
    "questions": [
        {"id": "time", "type": "likert", "text": "We have enough time to collaborate."},
        {
            "id": "focus",
            "type": "single",
            "text": "Our main focus this term",
            "options": ["Reading", "Math", "Attendance", "Behaviour"],
        },
        {
            "id": "support",
            "type": "multi",
            "text": "Support we would use",
            "options": ["Coaching", "Release time", "Data help", "Materials", "Observation"],
            "max_select": 3,
        },
        {"id": "hours", "type": "number", "text": "Hours a month we meet", "min": 0, "max": 40},
        {"id": "useful", "type": "yes_no", "text": "Our last meeting was useful."},
        {"id": "one_thing", "type": "short_text", "text": "One thing to change", "required": False},
    ],
}
NOTES = ["Finish on time", "Send the data first", "Rotate the facilitator", "Less admin"]


def answers_for(rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {
        "time": rng.randint(1, 5),
        "focus": rng.choice(["Reading", "Math", "Attendance", "Behaviour"]),
        "support": rng.sample(["Coaching", "Release time", "Data help", "Materials"], 2),
        "hours": rng.randint(0, 12),
        "useful": rng.random() < 0.6,
    }
    if rng.random() < 0.5:
        out["one_thing"] = rng.choice(NOTES)
    return out


# -- measuring ------------------------------------------------------------------


def paired(
    small: Callable[[int], object],
    large: Callable[[int], object],
    reps: int,
    reset_small: Callable[[], object] | None = None,
    reset_large: Callable[[], object] | None = None,
) -> tuple[Timing, Timing]:
    """Alternate the two, so neither gets the quieter moments of the machine."""
    a, b = Timing([]), Timing([])
    for rep in range(reps):
        a.samples += timed(lambda _, rep=rep: small(rep), 1, reset_small).samples
        b.samples += timed(lambda _, rep=rep: large(rep), 1, reset_large).samples
    return a, b


def new_runtime(path: Path, host: PluginHost, login: str, *, create: bool = False) -> Runtime:
    runtime = Runtime(path, host=host, login=login, create=create)
    runtime.today = lambda: TODAY
    return runtime


def sign_in(runtime: Runtime, login: str) -> None:
    runtime.login = login
    runtime.refresh_member()
    assert runtime.member is not None, login  # loaded here, not in the timing


# -- 1, 4, 5: the demo communities ----------------------------------------------


def make_demo(path: Path, host: PluginHost, size: str) -> dict[str, int]:
    runtime = new_runtime(path, host, ADMIN, create=True)
    return build_demo(runtime, size=size)


def cards(runtime: Runtime) -> tuple[Card, Card]:
    return (
        surveys_module.dashboard_card(runtime.context("surveys")),
        goals_module.dashboard_card(runtime.context("smart_goals")),
    )


def goal_views(runtime: Runtime) -> tuple[int, int]:
    service = Goals(runtime.context("smart_goals"))
    return len(service.list()), len(service.reminders())


def cli_demo(path: Path, size: str, home: Path) -> float:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    for var in ("PLC_DB", "PLC_CONFIG", "PLC_PLUGINS_DIR"):
        env.pop(var, None)
    plc = Path(sys.executable).with_name("plc")
    cmd = [str(plc)] if plc.exists() else [sys.executable, "-m", "plc_tui"]
    cmd += ["--db", str(path), "demo", "--size", size, "--no-open"]
    gc.collect()
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def measure_demos(work: Path, host: PluginHost, quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    build_reps = 2 if quick else 7
    cli_reps = 1 if quick else 5
    reps = 10 if quick else 60

    print("(5) building the demos", flush=True)
    paths: dict[str, Path] = {}
    builds: dict[str, Timing] = {"small": Timing([]), "district": Timing([])}
    for rep in range(build_reps):
        for size in ("small", "district"):
            path = work / f"demo-{size}-{rep}"
            gc.collect()
            start = time.perf_counter()
            counts = make_demo(path, host, size)
            builds[size].samples.append(time.perf_counter() - start)
            out[f"counts_{size}"] = counts
            if size in paths:
                shutil.rmtree(paths[size], ignore_errors=True)
            paths[size] = path
    out["build_small"], out["build_large"] = builds["small"], builds["district"]
    home = work / "home"
    home.mkdir()
    clis: dict[str, Timing] = {"small": Timing([]), "district": Timing([])}
    for rep in range(cli_reps):
        for size in ("small", "district"):
            path = work / f"cli-{size}-{rep}"
            clis[size].samples.append(cli_demo(path, size, home))
            shutil.rmtree(path, ignore_errors=True)
    out["cli_small"], out["cli_large"] = clis["small"], clis["district"]

    runtimes = {}
    for size, path in paths.items():
        runtime = new_runtime(path, host, COACH[0])
        sign_in(runtime, COACH[0])
        out[f"cards_text_{size}"] = cards(runtime)  # also warms the storage cache
        out[f"goal_counts_{size}"] = goal_views(runtime)
        runtimes[size] = runtime
    small, district = runtimes["small"], runtimes["district"]

    print("(1) dashboard cards", flush=True)
    out["cards_small"], out["cards_large"] = paired(
        lambda _: cards(small), lambda _: cards(district), reps
    )

    def cold_cards(size: str) -> None:
        runtime = new_runtime(paths[size], host, COACH[0])
        cards(runtime)

    out["cards_cold_small"], out["cards_cold_large"] = paired(
        lambda _: cold_cards("small"), lambda _: cold_cards("district"), max(5, reps // 2)
    )

    # Context: the district demo after a few years of use, HISTORY closed survey waves
    # more (one team each, no responses kept: a lower bound).
    older = work / "demo-district-history"
    shutil.copytree(paths["district"], older)
    history = new_runtime(older, host, ADMIN)
    ctx = history.context("surveys")
    with ctx.transaction() as tables:
        teams = ctx.community.teams()
        for n in range(HISTORY):
            team = teams[n % len(teams)]
            body = {**MEETING_PULSE, "title": f"{team.name} pulse {n}"}
            body["audience"] = {"teams": [team.id]}
            definition = parse_definition(body, ctx.question_types(), teams)
            sid = survey_store.create_survey(tables, definition, author=ADMIN)
            tables.table("surveys").update(
                {"status": "closed", "opens": "2025-01-06", "closes": "2025-01-17"}, doc_ids=[sid]
            )
    sign_in(history, COACH[0])
    cards(history)
    out["history_small"], out["history_large"] = paired(
        lambda _: cards(district), lambda _: cards(history), reps
    )

    # Context for the budget: each card alone, at district size.
    out["card_surveys"] = timed(
        lambda _: surveys_module.dashboard_card(district.context("surveys")), reps
    )
    out["card_goals"] = timed(
        lambda _: goals_module.dashboard_card(district.context("smart_goals")), reps
    )

    print("(4) goal list + reminders", flush=True)
    out["goals_small"], out["goals_large"] = paired(
        lambda _: goal_views(small), lambda _: goal_views(district), reps
    )
    return out


# -- 2, 3: surveys with many responses -------------------------------------------


def build_survey_community(path: Path, host: PluginHost) -> Runtime:
    """An admin, TEAMS teams and FILLERS + TAKERS teachers (added with add_member)."""
    runtime = new_runtime(path, host, ADMIN, create=True)
    with runtime.storage.transaction() as tx:
        community.init_community(tx, name="Bench District", admin_login=ADMIN, admin_name="Admin")
        teams = [community.add_team(tx, name=f"Team {n + 1}") for n in range(TEAMS)]
        for n in range(FILLERS + TAKERS):
            community.add_member(
                tx,
                login=f"t{n:05d}",
                name=f"Teacher {n}",
                role="teacher",
                teams=[teams[n % TEAMS].id],
            )
    sign_in(runtime, ADMIN)
    return runtime


def fillers(n: int) -> list[str]:
    return [f"t{k:05d}" for k in range(n)]


def takers() -> list[str]:
    return [f"t{k:05d}" for k in range(FILLERS, FILLERS + TAKERS)]


def new_survey(runtime: Runtime, *, anonymous: bool = True, title: str = "") -> int:
    service = Surveys(runtime.context("surveys"))
    sid = service.create({**SURVEY, "anonymous": anonymous, "title": title or SURVEY["title"]})
    service.open(sid)
    return sid


def fill_by_submitting(runtime: Runtime, sid: int, logins: list[str], rng: random.Random) -> None:
    """Each login submits through the module's own store.submit (one transaction)."""
    ctx = runtime.context("surveys")
    members = {m.login: m for m in ctx.community.members()}
    types = ctx.question_types()
    with ctx.transaction() as tables:
        survey = survey_store.get_survey(tables, sid)
        for login in logins:
            survey_store.submit(tables, survey, members[login], answers_for(rng), types, TODAY)


def fill_directly(runtime: Runtime, sid: int, count: int, rng: random.Random) -> None:
    """``count`` anonymous responses written as store.submit leaves them, in one write.

    Submitting 5,000 one by one rewrites the partition 5,000 times (minutes);
    the files are the same: ``{"answers": ...}`` under random 53-bit ids, in id
    order, and one participation document with the sorted logins.
    """
    ctx = runtime.context("surveys")
    types = ctx.question_types()
    with ctx.transaction() as tables:
        survey = survey_store.get_survey(tables, sid)
        docs: dict[int, dict[str, Any]] = {}
        while len(docs) < count:
            docs.setdefault(
                secrets.randbits(53) or 1,
                {"answers": validate_answers(survey, answers_for(rng), types)},
            )
        responses = tables.table("responses", partition=sid)
        responses.insert_multiple(Document(docs[k], doc_id=k) for k in sorted(docs))
        logins = sorted(f"other{k:05d}" for k in range(count))
        tables.table("participation", partition=sid).insert({"members": logins})


class Snapshot:
    """A survey's responses and participation, to put back after a measured submission."""

    def __init__(self, runtime: Runtime, sid: int) -> None:
        self.runtime, self.sid = runtime, sid
        with runtime.context("surveys").read() as tables:
            self.responses = {
                d.doc_id: dict(d) for d in tables.table("responses", partition=sid).all()
            }
            self.members = survey_store.participants(tables, sid)

    def restore(self) -> None:
        with self.runtime.context("surveys").transaction() as tables:
            responses = tables.table("responses", partition=self.sid)
            responses.truncate()
            responses.insert_multiple(
                Document(doc, doc_id=key) for key, doc in self.responses.items()
            )
            tables.table("participation", partition=self.sid).update(
                {"members": list(self.members)}, doc_ids=[1]
            )

    def check(self) -> None:
        with self.runtime.context("surveys").read() as tables:
            assert len(tables.table("responses", partition=self.sid)) == len(self.responses)
            assert survey_store.participants(tables, self.sid) == self.members


def submissions(cases: list[tuple[Runtime, int]], reps: int, rng: random.Random) -> list[Timing]:
    """One warm submission per case in turn, each by a member who has not answered yet.

    The member is signed in before the clock starts (the app has them loaded); the
    survey is put back as it was after each submission, outside the timing.
    """
    snaps = [Snapshot(runtime, sid) for runtime, sid in cases]  # also warms the cache
    pool = takers()
    answers = [answers_for(rng) for _ in pool]
    timings = [Timing([]) for _ in cases]
    for rep in range(reps):
        for (runtime, sid), snap, timing in zip(cases, snaps, timings, strict=True):
            sign_in(runtime, pool[rep % len(pool)])
            service = Surveys(runtime.context("surveys"))
            gc.collect()
            start = time.perf_counter()
            service.submit(sid, answers[rep % len(pool)])
            timing.samples.append(time.perf_counter() - start)
            snap.restore()
    for (runtime, _), snap in zip(cases, snaps, strict=True):
        snap.check()
        sign_in(runtime, ADMIN)
    return timings


def measure_cold_submissions(
    path: Path, host: PluginHost, small_sid: int, large_sid: int, reps: int, rng: random.Random
) -> tuple[Timing, Timing]:
    """A new Runtime per submission, as in `plc survey submit`: member lookup included."""
    keeper = new_runtime(path, host, ADMIN)
    snaps = {sid: Snapshot(keeper, sid) for sid in (small_sid, large_sid)}
    pool = takers()
    answers = [answers_for(rng) for _ in pool]
    small, large = Timing([]), Timing([])
    for rep in range(reps):
        for sid, timing in ((small_sid, small), (large_sid, large)):
            gc.collect()
            start = time.perf_counter()
            runtime = new_runtime(path, host, pool[rep % len(pool)])
            Surveys(runtime.context("surveys")).submit(sid, answers[rep % len(pool)])
            timing.samples.append(time.perf_counter() - start)
            snaps[sid].restore()
    for snap in snaps.values():
        snap.check()
    return small, large


def measure_surveys(work: Path, host: PluginHost, quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    reps = 12 if quick else 60
    rng = random.Random(2026)

    print("(2, 3) setting up the survey communities", flush=True)
    start = time.perf_counter()
    main = build_survey_community(work / "surveys", host)
    s10, s100, s1000 = (new_survey(main, title=f"Bench {n}") for n in (10, 100, 1000))
    n10, n1000 = (new_survey(main, anonymous=False, title=f"Named {n}") for n in (10, 1000))
    for sid, n in ((s10, 10), (s100, 100), (s1000, 1000), (n10, 10), (n1000, 1000)):
        fill_by_submitting(main, sid, fillers(n), rng)
    out["members"] = len(main.context("surveys").community.members())
    out["setup_main"] = time.perf_counter() - start

    # Scenario 2b: the same community twice, the other survey empty or holding 5,000.
    start = time.perf_counter()
    others = {}
    for name, count in (("none", 0), ("big", OTHER_SURVEY)):
        runtime = build_survey_community(work / f"other-{name}", host)
        small_sid = new_survey(runtime, title="Small")
        other_sid = new_survey(runtime, title="Other")
        fill_by_submitting(runtime, small_sid, fillers(10), rng)
        if count:
            fill_directly(runtime, other_sid, count, rng)
        others[name] = (runtime, small_sid, other_sid)
    out["setup_other"] = time.perf_counter() - start
    big_rt, big_other = others["big"][0], others["big"][2]
    with big_rt.context("surveys").read() as tables:
        out["other_count"] = len(tables.table("responses", partition=big_other))
    assert out["other_count"] == OTHER_SURVEY, out["other_count"]
    out["other_kb"] = (
        big_rt.storage.path_of("surveys", "responses", str(big_other)).stat().st_size / 1e3
    )
    out["partition_kb_1000"] = (
        main.storage.path_of("surveys", "responses", str(s1000)).stat().st_size / 1e3
    )
    print(f"    set up in {out['setup_main'] + out['setup_other']:.1f} s", flush=True)

    print("(2) one submission: 1,000 responses vs 10", flush=True)
    out["submit_small"], out["submit_large"] = submissions([(main, s10), (main, s1000)], reps, rng)
    out["named_small"], out["named_large"] = submissions(
        [(main, n10), (main, n1000)], max(6, reps // 2), rng
    )
    out["submit_cold_small"], out["submit_cold_large"] = measure_cold_submissions(
        main.data_dir, host, s10, s1000, max(6, reps // 2), rng
    )

    print("(2) one submission: another survey holds 5,000 vs none", flush=True)
    (none_rt, none_sid, _), (big_rt, big_sid, _) = others["none"], others["big"]
    out["other_small"], out["other_large"] = submissions(
        [(none_rt, none_sid), (big_rt, big_sid)], reps, rng
    )

    print("(3) results: 1,000 responses vs 100", flush=True)
    sign_in(main, ADMIN)
    service = Surveys(main.context("surveys"))
    check = {sid: service.results(sid) for sid in (s100, s1000)}
    assert check[s100]["responses"] == 100 and check[s1000]["responses"] == 1000, check
    assert not check[s1000]["hidden"]
    out["results_small"], out["results_large"] = paired(
        lambda _: service.results(s100), lambda _: service.results(s1000), reps
    )
    out["csv_small"], out["csv_large"] = paired(
        lambda _: service.export_csv(s100), lambda _: service.export_csv(s1000), max(6, reps // 2)
    )
    return out


# -- the run ----------------------------------------------------------------------


def measure(work: Path, quick: bool) -> dict[str, Any]:
    host = PluginHost()
    res: dict[str, Any] = {"fs": filesystem_of(work)}
    res.update(measure_demos(work, host, quick))
    res.update(measure_surveys(work, host, quick))
    return res


# -- the report -------------------------------------------------------------------

# key, scenario, small case, large case, target ratio large/small (None: reported only)
ROWS = [
    (
        "cards",
        "1. dashboard: both module cards for `dreyes` (warm)",
        "small demo",
        "district demo",
        8,
    ),
    ("cards_cold", "1. the same, new Runtime (cold; context)", "small demo", "district demo", None),
    (
        "history",
        f"1. the same, after {HISTORY} more closed surveys (context)",
        "district demo",
        f"+ {HISTORY} closed surveys",
        None,
    ),
    ("submit", "2. one anonymous submission (warm)", "10 responses", "1,000 responses", 10),
    ("submit_cold", "2. the same, new Runtime (cold; context)", "10", "1,000", None),
    ("named", "2. one named submission (warm; context)", "10 responses", "1,000 responses", None),
    (
        "other",
        "2. submission to a 10-response survey; another survey holds",
        "0 responses",
        "5,000 responses",
        1.5,
    ),
    ("results", "3. `Surveys.results` (anonymous)", "100 responses", "1,000 responses", 15),
    ("csv", "3. `Surveys.export_csv` (context)", "100 responses", "1,000 responses", None),
    ("goals", "4. coach's goal list + reminders (warm)", "small demo", "district demo", 8),
    ("build", "5. `build_demo` in process", "small", "district", None),
    ("cli", "5. `plc demo --size ... --no-open` (new process)", "small", "district", None),
]
CARD_BUDGET = 0.100  # seconds: a card refresh runs whenever data changes


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}x"


def report(res: dict, info: dict, quick: bool, elapsed: float) -> tuple[str, list[str]]:
    small, district = res["counts_small"], res["counts_district"]
    lines = [
        "## Modules: surveys and SMART goals, small vs large" + (" (quick run)" if quick else ""),
        "",
        f"Measured {info['date']} by `python bench/bench_modules.py{' --quick' if quick else ''}`"
        f" ({elapsed:.0f} s) on {info['nproc']} CPUs (nproc; {info['cpu']}), Python"
        f" {info['python']}, {info['os']}, TinyDB {info['tinydb']}, {res['fs']} file system.",
        "",
        f"Demos: small {small['teams']} teams / {small['members']} members, district"
        f" {district['teams']} teams / {district['members']} members"
        f" ({district['members'] / small['members']:.1f}x the people), built with today fixed"
        f" at {TODAY}. Survey scenarios: a community of {res['members']:,} members in"
        f" {TEAMS} teams (added with `community.add_member`), surveys addressed to everyone"
        f" with six questions (likert, single, multi, number, yes/no, short text); responses"
        f" submitted one by one through the module's `store.submit`, except the 5,000 of the"
        f" other survey in 2, written in the same format in one go. The 1,000-response"
        f" partition is {res['partition_kb_1000']:.0f} kB; the 5,000-response one"
        f" {res['other_kb']:.0f} kB. Each measured submission is by a member who has not"
        f" answered yet; the survey is put back as it was after each one, outside the timing."
        f" Times are medians; `gc.collect()` runs before each sample, outside the timing; the"
        f" two cases of a row alternate. Warm: one open Runtime (the app); cold: a new Runtime"
        f" per sample (one `plc` command, minus process start). Targets are ratios"
        f" large/small"
        + (", set for the full run: a quick run only shows the trend." if quick else "."),
        "",
        "| scenario | small case | large case | small | large | ratio | target | met |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | :---: |",
    ]
    verdicts = []
    for key, label, small_label, large_label, target in ROWS:
        a, b = res[f"{key}_small"], res[f"{key}_large"]
        r = b.median / a.median
        if target is None:
            goal, met = "report", "-"
        else:
            ok = r <= target
            goal, met = f"<= {target:g}x", "yes" if ok else "**no**"
            verdicts.append(
                f"{label}: {fmt_ratio(r)} (target <= {target:g}x) {'met' if ok else 'NOT met'}"
            )
        lines.append(
            f"| {label} | {small_label} | {large_label} | {fmt_time(a.median)}"
            f" | {fmt_time(b.median)} | {fmt_ratio(r)} | {goal} | {met} |"
        )
    worst = max(res["cards_large"].samples)
    card = res["cards_large"].median
    ok = card <= CARD_BUDGET
    verdicts.append(
        f"dashboard cards at district size: {fmt_time(card)} median, {fmt_time(worst)} slowest"
        f" (budget {CARD_BUDGET * 1000:.0f} ms) {'met' if ok else 'NOT met'}"
    )
    lines += [
        "",
        f"Absolute budget: both dashboard cards at district size must stay well under"
        f" {CARD_BUDGET * 1000:.0f} ms (a card refresh runs whenever data changes): median"
        f" {fmt_time(card)}, slowest of {len(res['cards_large'].samples)}"
        f" {fmt_time(worst)}, cold {fmt_time(res['cards_cold_large'].median)}"
        f" (surveys card alone {fmt_time(res['card_surveys'].median)}, SMART goals card"
        f" {fmt_time(res['card_goals'].median)});"
        f" met: {'yes' if ok else '**no**'}.",
        "",
        "Samples per row: "
        + ", ".join(f"{key} {len(res[f'{key}_small'].samples)}" for key, *_ in ROWS)
        + ".",
        "",
    ]
    per_survey = (res["history_large"].median - res["history_small"].median) / HISTORY
    per_response = (res["submit_large"].median - res["submit_small"].median) / 990
    named_response = (res["named_large"].median - res["named_small"].median) / 990
    budget_surveys = (CARD_BUDGET - res["history_small"].median) / per_survey
    lines += [
        "What grows (from the medians above): each survey kept in the community, closed"
        f" ones too, adds {per_survey * 1000:.3f} ms to the dashboard at"
        f" {district['members']} members (the surveys card counts open surveys and drafts"
        " from the survey list alone, with no per-member work); at that"
        f" rate the {CARD_BUDGET * 1000:.0f} ms budget is spent after about"
        f" {budget_surveys:,.0f} more surveys (one team each, no responses), fewer"
        " with more members. Each stored response adds"
        f" {per_response * 1e6:.1f} µs to an anonymous submission (the partition is read,"
        f" re-sorted and rewritten) and {named_response * 1e6:.1f} µs to a named one (the"
        " partition file is rewritten); the fixed part is mostly the fsyncs of the commit"
        " (responses, participation, drafts, journal).",
        "",
    ]
    return "\n".join(lines), verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (< 1 minute)")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch BENCHMARKS.md")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--workdir", type=Path, help="where to build the data (default: temp)")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="plc-bench-modules-", dir=args.workdir))
    try:
        results = measure(work, args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - began
    section, verdicts = report(results, machine("tinydb", "textual"), args.quick, elapsed)
    print()
    print(section)
    for line in verdicts:
        print("-", line)
    if not args.no_write:
        update_benchmarks(args.output, "bench_modules", section, args.quick)
        print(f"\nupdated {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The data every scenario runs on: the demos, and surveys with many responses.

Built once per run into the run's temporary folder; a scenario that changes data
works on a copy. Responses are made through the surveys module's own functions
(``store.submit_many``), never written in its file format: whatever the module
stores, and however it lays it out, the benchmark measures.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from plc_plugins.surveys import store
from plc_plugins.surveys.service import Surveys

from plc_tui import community
from plc_tui.community import Member
from plc_tui.demo import COACH, build_demo
from plc_tui.plugins import PluginHost
from plc_tui.runtime import Runtime

ADMIN = "benchadmin"  # the demo's admin: the login that built it
# One day for the whole run: every Runtime the harness makes gets it, and it is the
# real date, which the `plc` processes use too (the CLI cannot be given another
# day), so a survey open for the harness is open for them. The demo is built
# relative to it, so it looks the same whatever the date.
TODAY = date.today()

SURVEY: dict[str, Any] = {
    "title": "Bench survey",
    "description": "Addressed to everyone, one question of each common type.",
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


# -- the environment ----------------------------------------------------------------


def isolate(home: Path) -> dict[str, str]:
    """Point every per-user path at ``home``, for this process and its children.

    Members' private stores and keys live in the user data folder; a benchmark must
    neither read the real user's nor leave files there, and a config file on the
    machine (``/etc/plc/config.toml``) must not change what is measured.
    """
    home.mkdir(parents=True, exist_ok=True)
    config = home / "plc-config.toml"
    config.write_text("# the benchmark's: no settings\n", "utf-8")
    os.environ.update(
        {
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "PLC_CONFIG": str(config),
            # The app refuses a terminal it cannot draw on (TERM unset, as under CI).
            "TERM": os.environ.get("TERM") or "xterm-256color",
        }
    )
    for name in ("PLC_DB", "PLC_PLUGINS_DIR", "NO_COLOR", "PLC_ASCII", "TEXTUAL"):
        os.environ.pop(name, None)
    return dict(os.environ)


# -- runtimes -------------------------------------------------------------------------


def open_runtime(path: Path, login: str, *, create: bool = False) -> Runtime:
    return Runtime(path, host=PluginHost(), login=login, create=create, today=lambda: TODAY)


def sign_in(runtime: Runtime, login: str) -> None:
    """Switch the open Runtime to ``login``, loaded now so no timing pays for it
    (the app has its member loaded)."""
    runtime.login = login
    runtime.refresh_member()
    assert runtime.member is not None, login


def members(runtime: Runtime) -> list[Member]:
    return runtime.context("core").community.members()


def teachers(runtime: Runtime) -> list[str]:
    """Logins of the community's members, the admin and the demo coach left out."""
    return [m.login for m in members(runtime) if m.login not in (ADMIN, COACH[0])]


# -- the demos ------------------------------------------------------------------------


@dataclass
class Demo:
    path: Path
    size: str  # "small" or "district"
    counts: dict[str, int]  # teams, members, surveys, responses, goals...
    build_seconds: float
    stand_in: bool = False  # quick runs: the small demo stands in for the district


def count_records(path: Path) -> dict[str, int]:
    """What a demo holds, read through the modules' services and stores."""
    from plc_plugins.smart_goals.service import Goals

    runtime = open_runtime(path, ADMIN)
    ctx = runtime.context("surveys")
    with ctx.read() as tables:
        surveys = store.list_outlines(tables, past=True)  # every school year's
        responses = sum(store.response_count(tables, s["id"]) for s in surveys)
    sign_in(runtime, ADMIN)
    service = Goals(runtime.context("smart_goals"))
    past = service.years()[1:]  # after this one
    goals = len(service.list()) + sum(len(service.list(year=year)) for year in past)
    directory = runtime.context("core").community
    return {
        "members": len(directory.members()),
        "teams": len(directory.teams()),
        "surveys": len(surveys),
        "responses": responses,
        "goals": goals,
    }


def make_demo(path: Path, size: str, *, stand_in: bool = False) -> Demo:
    start = time.perf_counter()
    runtime = open_runtime(path, ADMIN, create=True)
    build_demo(runtime, size=size)
    seconds = time.perf_counter() - start
    return Demo(path, size, count_records(path), seconds, stand_in)


def copy_of(demo: Demo, dest: Path) -> Path:
    """A copy of the demo's folder, for a scenario that changes data.

    A copy is the same community (the same id), so its members' private folders
    (keys, drafts) are the original's: scenarios that change data answer surveys,
    which keep no draft once submitted, and leave those folders as they were.
    """
    shutil.copytree(demo.path, dest, symlinks=True)
    return dest


# -- surveys with many responses --------------------------------------------------


def new_survey(runtime: Runtime, title: str) -> int:
    """An open anonymous survey addressed to everyone, made as a coach would."""
    sign_in(runtime, ADMIN)
    service = Surveys(runtime.context("surveys"))
    sid = service.create({**SURVEY, "title": title})
    service.open(sid)
    return sid


def add_members(runtime: Runtime, prefix: str, count: int) -> list[str]:
    """``count`` teachers spread over the community's teams, in one transaction."""
    logins = [f"{prefix}{n:05d}" for n in range(count)]
    with runtime.storage.transaction() as tx:
        teams = community.list_teams(tx)
        for n, login in enumerate(logins):
            team = [teams[n % len(teams)].id] if teams else []
            community.add_member(
                tx, login=login, name=f"Bench Teacher {n}", role="teacher", teams=team
            )
    runtime.refresh_member()
    return logins


def fill_survey(
    runtime: Runtime,
    sid: int,
    logins: list[str],
    rng: random.Random,
    progress: Callable[[int], None] | None = None,
    chunk: int = 1000,
) -> None:
    """One response per login, through the module's own bulk call ``store.submit_many``
    (the same checks and the same files as ``store.submit`` for each). Chunks of
    ``chunk`` per transaction only so that progress can be shown."""
    ctx = runtime.context("surveys")
    by_login = {m.login: m for m in ctx.community.members()}
    types = ctx.question_types()
    for first in range(0, len(logins), chunk):
        with ctx.transaction() as tables:
            survey = store.get_survey(tables, sid)
            entries = [(by_login[lg], answers_for(rng)) for lg in logins[first : first + chunk]]
            store.submit_many(tables, survey, entries, types, TODAY)
        if progress is not None:
            progress(min(first + chunk, len(logins)))


def response_count(runtime: Runtime, sid: int) -> int:
    with runtime.context("surveys").read() as tables:
        return store.response_count(tables, sid)


def participants(runtime: Runtime, sid: int) -> list[str]:
    with runtime.context("surveys").read() as tables:
        return store.participants(tables, sid)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@dataclass
class SurveyCommunity:
    """A copy of the district with one survey of many responses and many of 10.

    Scenario 2 submits to the big one (it grows by one per sample) and to a fresh
    small one per sample (each has exactly ``small_responses`` when its turn comes),
    so no survey has to be put back after a sample: nothing here depends on how
    the module lays its responses out on disk.
    """

    path: Path
    runtime: Runtime  # one open Runtime, as in the app: its storage has read the files
    big: int
    big_responses: int
    smalls: list[int]
    small_responses: int
    takers: list[str]  # the district's own members: they answered none of these
    fill_seconds: float
    stand_in: bool  # quick runs: built on the small demo


def survey_community(
    demo: Demo, dest: Path, *, big: int, smalls: int, small: int, rng: random.Random
) -> SurveyCommunity:
    copy_of(demo, dest)
    runtime = open_runtime(dest, ADMIN)
    sign_in(runtime, ADMIN)
    takers = teachers(runtime)
    start = time.perf_counter()
    # Real members, as many as the survey has responses: one response per person.
    respondents = add_members(runtime, "benchresp", big)
    sign_in(runtime, ADMIN)
    big_sid = new_survey(runtime, f"Bench survey with {big:,} responses")

    def said(done: int) -> None:
        print(f"    {done:,}/{big:,} responses ({time.perf_counter() - start:.0f} s)", flush=True)

    fill_survey(runtime, big_sid, respondents, rng, progress=said)
    small_sids = []
    for k in range(smalls):
        sid = new_survey(runtime, f"Bench survey {k + 1} with {small} responses")
        fill_survey(runtime, sid, respondents[:small], rng)
        small_sids.append(sid)
    fill = time.perf_counter() - start
    assert response_count(runtime, big_sid) == big
    assert all(response_count(runtime, s) == small for s in small_sids)
    return SurveyCommunity(
        dest, runtime, big_sid, big, small_sids, small, takers, fill, demo.stand_in
    )

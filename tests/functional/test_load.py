"""Many people at once: 20 members each answering 50 surveys at the same time,
through the command line as 20 real OS users in a shared folder, and through
`plc serve ssh` as 20 SSH sessions. Every answer is kept, the data checks clean,
and a lock that cannot be had ends in a clear message, not a hang.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from plc_tui.plugins import PluginHost
from plc_tui.runtime import Runtime
from plc_tui.storage import LOCK_FILE
from tests.os_users import Server, ok, real_users

pytestmark = pytest.mark.slow

GROUP = "plcloadt"
ADMIN = "plcldadm"
MEMBERS = tuple(f"plcld{n:02d}" for n in range(1, 21))
SURVEYS = 50
ANSWERS = {"q1": 4, "q2": "More time to plan together"}


def _definition(n: int) -> dict[str, object]:
    return {
        "title": f"Pulse {n}",
        "anonymous": True,
        "threshold": 3,
        "questions": [
            {"id": "q1", "type": "likert", "text": "I have time to collaborate"},
            {"id": "q2", "type": "short_text", "text": "One thing to change", "required": False},
        ],
    }


def _open_surveys(data: Path, admin: str) -> list[int]:
    """The admin builds and opens the surveys (in process: building them is not
    what is measured)."""
    from plc_plugins.surveys.service import Surveys

    runtime = Runtime(data, host=PluginHost(), login=admin)
    service = Surveys(runtime.context("surveys"))
    ids = []
    for n in range(SURVEYS):
        sid = service.create(_definition(n))
        service.open(sid)
        ids.append(sid)
    return ids


def _responses(server_run, ids: list[int]) -> dict[int, int]:
    listed = json.loads(server_run("survey", "list", "--all", "--format", "json"))
    return {s["id"]: s["responses"] for s in listed if s["id"] in ids}


# -- as real OS users in a shared group folder ----------------------------------


@pytest.fixture(scope="module")
def crowd() -> Iterator[Server]:
    with real_users(GROUP, (ADMIN, *MEMBERS), "plc-load-") as made:
        yield made


@pytest.fixture(scope="module")
def school(crowd: Server) -> tuple[Path, list[int], Path]:
    data = crowd.shared_folder("crowd")
    ok(crowd.run(ADMIN, "init", "--name", "Maple Grove", db=data, umask=0o002))
    for user in MEMBERS:
        ok(crowd.run(ADMIN, "member", "add", user, "--name", f"Teacher {user[-2:]}", db=data))
    # Built as root in the shared folder: plc gives the files the group's modes.
    ids = _open_surveys(data, ADMIN)
    answers = crowd.base / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    os.chmod(answers, 0o644)
    return data, ids, answers


def test_twenty_os_users_answering_fifty_surveys_at_once_lose_nothing(
    crowd: Server, school: tuple[Path, list[int], Path]
) -> None:
    data, ids, answers = school
    plc = shlex.join(crowd.command(ADMIN, db=data))
    loop = (
        f"for sid in {' '.join(map(str, ids))}; do "
        f"{plc} survey respond $sid --answers {answers} >/dev/null || exit 1; done"
    )
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            ["/bin/sh", "-c", loop],
            **{k: v for k, v in crowd.as_user(user).items() if k != "capture_output"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for user in MEMBERS
    ]
    failures = []
    for user, proc in zip(MEMBERS, procs, strict=True):
        _out, err = proc.communicate(timeout=1800)
        if proc.returncode != 0:
            failures.append((user, err))
    seconds = time.monotonic() - started
    assert failures == []
    counts = _responses(lambda *a: ok(crowd.run(ADMIN, *a, db=data)), ids)
    assert counts == {sid: len(MEMBERS) for sid in ids}
    assert sum(counts.values()) == 1000
    check = crowd.run(MEMBERS[0], "db", "check", db=data)
    assert check.returncode == 0, check.stdout
    print(f"\n1,000 responses from 20 OS users in {seconds:.0f} s ({1000 / seconds:.1f}/s)")


def test_a_lock_that_cannot_be_had_ends_in_a_clear_message(
    crowd: Server, school: tuple[Path, list[int], Path]
) -> None:
    data, ids, answers = school
    # Another member's plc is stuck holding the lock (flock, as plc takes it).
    holder = subprocess.Popen(
        ["flock", "--exclusive", str(data / LOCK_FILE), "sleep", "25"],
        **{k: v for k, v in crowd.as_user(MEMBERS[1]).items() if k != "capture_output"},
        start_new_session=True,
    )
    try:
        time.sleep(0.5)
        started = time.monotonic()
        waited = crowd.run(
            ADMIN, "survey", "respond", str(ids[0]), "--answers", str(answers), db=data
        )
        seconds = time.monotonic() - started
    finally:
        os.killpg(holder.pid, signal.SIGKILL)  # flock and the sleep holding the lock
        holder.wait()
    assert waited.returncode == 1
    assert waited.stderr.startswith("plc: error: the data directory")
    assert "is locked by another plc process (waited 10 s)" in waited.stderr
    assert "fuser" in waited.stderr and waited.stderr.count("\n") == 1
    assert seconds < 20  # bounded: it gave up, it did not hang
    # Once the lock is free the same answer goes in.
    ok(crowd.run(ADMIN, "survey", "respond", str(ids[0]), "--answers", str(answers), db=data))


# -- through plc serve ssh --------------------------------------------------------


def test_twenty_ssh_sessions_answering_fifty_surveys_at_once_lose_nothing(
    run_cli, host: PluginHost, tmp_path: Path
) -> None:
    pytest.importorskip("asyncssh")
    import compileall

    import plc_plugins.surveys

    import plc_tui
    from tests.functional.test_serve_ssh import _make_keys, _serving

    # As an install would be (pip compiles): otherwise each of the 1,000 commands
    # compiles plc again wherever bytecode is not written (PYTHONDONTWRITEBYTECODE).
    plugins = Path(plc_plugins.surveys.__file__).parent.parent
    for folder in (Path(plc_tui.__file__).parent, plugins):
        compileall.compile_dir(folder, quiet=1)

    data = tmp_path / "school"
    assert run_cli("--db", str(data), "init", "--name", "Maple Grove", db=False).exit_code == 0
    for user in MEMBERS:
        run_cli("--db", str(data), "member", "add", user, "--name", f"T {user}", db=False)
    ids = _open_surveys(data, "admin1")
    keys = _make_keys(run_cli, data, tmp_path, MEMBERS)
    with _serving(data, keys, tmp_path) as start:
        served = start("--max-sessions", "40")

        async def member(user: str) -> list[int]:
            codes = []
            async with await served.connect(user) as conn:
                for sid in ids:
                    done = await conn.run(
                        f"survey respond {sid} --answers -", input=json.dumps(ANSWERS), check=False
                    )
                    codes.append(done.exit_status)
                    if done.exit_status != 0:
                        print(user, done.stderr, file=sys.stderr)
            return codes

        async def everyone() -> list[list[int]]:
            return await asyncio.gather(*(member(user) for user in MEMBERS))

        started = time.monotonic()
        codes = asyncio.run(everyone())
        seconds = time.monotonic() - started
    assert all(code == 0 for per in codes for code in per)
    listed = json.loads(
        run_cli("--db", str(data), "survey", "list", "--all", "--format", "json", db=False).output
    )
    counts = {s["id"]: s["responses"] for s in listed if s["id"] in ids}
    assert counts == {sid: len(MEMBERS) for sid in ids}
    assert run_cli("--db", str(data), "db", "check", db=False).exit_code == 0
    log = (tmp_path / f"serve-{served.port}.log").read_text()
    assert log.count("came in as plcld") >= 20
    print(f"\n1,000 responses over 20 SSH sessions in {seconds:.0f} s ({1000 / seconds:.1f}/s)")

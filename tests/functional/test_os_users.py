"""A school server as it is used: real OS users in a `plc` group, umask 022, the CLI
run as each of them, processes killed mid-write, many writers at once.

Runs as root (CI does) and creates the users with `useradd`; skipped only where
users cannot be created. The users run plc from a copy of this environment that
they can read (DESIGN.md: the default python lives where they cannot).
"""

from __future__ import annotations

import json
import os
import pwd
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import plc_tui
from tests.os_users import (
    Server,
    ok,
    one_line_error,
    real_users,
)

pytestmark = pytest.mark.slow

GROUP = "plcsrvtest"
ADMIN, COACH, T1, T2 = "plcadmt", "plccoacht", "plctchr1", "plctchr2"
USERS = (ADMIN, COACH, T1, T2)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with real_users(GROUP, USERS, "plc-os-users-") as made:
        yield made


def school(server: Server, data: Path) -> None:
    """An admin (umask 002) makes the community; members come in with umask 022."""
    ok(server.run(ADMIN, "init", "--name", "Maple Grove", db=data, umask=0o002))
    ok(server.run(ADMIN, "team", "add", "Grade 3", db=data))
    ok(
        server.run(
            ADMIN, "member", "add", COACH, "--name", "Dana Reyes", "--role", "coach", db=data
        )
    )
    for login, name in ((T1, "Tia Lopez"), (T2, "Tom Baker")):
        ok(server.run(ADMIN, "member", "add", login, "--name", name, "--team", "Grade 3", db=data))


PULSE = {
    "title": "Pulse",
    "anonymous": True,
    "threshold": 3,
    "questions": [
        {"id": "q1", "type": "likert", "text": "I have time to collaborate"},
        {"id": "q2", "type": "short_text", "text": "One thing to change", "required": False},
    ],
}


def test_a_umask_022_member_never_locks_the_others_out(server: Server) -> None:
    data = server.shared_folder("umask")
    school(server, data)
    pulse = server.base / "pulse.json"
    pulse.write_text(json.dumps(PULSE))
    os.chmod(pulse, 0o644)

    # The coach (umask 022) creates the surveys folder; everyone else must still write in it.
    sid = ok(server.run(COACH, "survey", "import", str(pulse), db=data)).strip().split()[-1]
    ok(server.run(ADMIN, "survey", "open", sid, db=data))
    answers = {T1: "Only-T1-wrote-this", T2: "Only-T2-wrote-this"}
    for login, text in answers.items():
        reply = server.base / f"{login}.json"
        reply.write_text(json.dumps({"q1": 4, "q2": text}))
        os.chmod(reply, 0o644)
        ok(server.run(login, "survey", "respond", sid, "--answers", str(reply), db=data))
    # A draft is its author's alone: in their home, unreadable by a teammate.
    late = server.base / "late.json"
    late.write_text(json.dumps({"q2": "Draft-only-the-coach-may-see"}))
    os.chmod(late, 0o644)
    ok(server.run(COACH, "survey", "respond", sid, "--answers", str(late), "--draft", db=data))
    drafts = [p for p in Path(pwd.getpwnam(COACH).pw_dir).rglob("draft-*.json") if p.is_file()]
    assert len(drafts) == 1
    assert server.read_as(T1, drafts[0]).returncode != 0
    assert "Draft-only-the-coach-may-see" in ok(server.read_as(COACH, drafts[0]))
    for path in data.rglob("*"):
        if path.is_file():
            assert "Draft-only-the-coach-may-see" not in path.read_text(errors="replace")
    ok(server.run(ADMIN, "survey", "close", sid, db=data))

    for path in [data, *data.rglob("*")]:
        st = path.lstat()
        assert st.st_gid == server.gid, path
        wanted = 0o2770 if path.is_dir() else 0o660
        if "snapshots" not in path.parts:
            assert st.st_mode & wanted == wanted, (path, oct(st.st_mode))
    check = server.run(T2, "db", "check", db=data)
    assert check.returncode == 0, check.stdout + check.stderr

    # Anonymity, read from the raw files as a teammate would: the answers are there,
    # and nothing beside them says whose they are. The file also lists who answered
    # (document 1, sorted), as the survey list shows; no answer is matched to a name.
    answers = next(data.glob("surveys/answers/*.json"))
    docs = json.loads(ok(server.read_as(T2, answers)))["_default"]
    assert docs.pop("1") == {"members": sorted([T1, T2])}
    raw = json.dumps(docs)
    assert "Only-T1-wrote-this" in raw and "Only-T2-wrote-this" in raw
    for login in USERS:
        assert login not in raw
    for path in data.rglob("*"):
        if path.is_file() and path.suffix == ".json" and path != answers:
            text = path.read_text(errors="replace")
            assert "Only-T1-wrote-this" not in text, path


def test_init_with_umask_022_is_usable_by_the_group_when_shared(server: Server) -> None:
    folder = server.base / "srv" / "own"
    folder.mkdir(parents=True)
    os.chown(folder, pwd.getpwnam(ADMIN).pw_uid, -1)
    os.chmod(folder, 0o755)

    private = folder / "private"
    out = ok(server.run(ADMIN, "init", "--name", "Mine", db=private, umask=0o022))
    assert "--shared group" in out  # tells the admin how to share it
    ok(server.run(ADMIN, "member", "add", COACH, "--name", "Dana", "--role", "coach", db=private))
    one_line_error(server.run(COACH, "team", "add", "X", db=private))

    shared = folder / "shared"
    out = ok(
        server.run(
            ADMIN, "init", "--name", "Ours", "--shared", "group", "--group", GROUP, db=shared
        )
    )
    assert f"Shared with the group {GROUP}" in out
    ok(server.run(ADMIN, "member", "add", COACH, "--name", "Dana", "--role", "coach", db=shared))
    ok(server.run(COACH, "team", "add", "Grade 5", db=shared))
    assert "Grade 5" in ok(server.run(ADMIN, "team", "list", db=shared))


def test_only_an_admin_backs_up_restores_or_repairs(server: Server) -> None:
    data = server.shared_folder("roles")
    school(server, data)
    for args in (("db", "backup"), ("db", "restore"), ("db", "repair")):
        assert "takes an admin" in one_line_error(server.run(T1, *args, db=data))
    # A teacher's home-made "snapshot" that names them admin is not a snapshot.
    forged = Path(pwd.getpwnam(T1).pw_dir) / "forged"
    subprocess.run(["mkdir", "-p", str(forged / "core")], **server.as_user(T1))
    one_line_error(server.run(T1, "db", "restore", "../../" + str(forged), "--yes", db=data))
    name = ok(server.run(ADMIN, "db", "backup", db=data)).splitlines()[-1].split()[-1]
    assert "no snapshot called" in one_line_error(
        server.run(ADMIN, "db", "restore", str(forged), "--yes", db=data)
    )
    # The snapshot is the admin's alone: two snapshots side by side would link answers.
    snapshot = data / "backups" / "snapshots" / name
    assert server.read_as(T1, snapshot / "core" / "members.json").returncode != 0
    ok(server.run(ADMIN, "db", "restore", name, "--yes", db=data))
    assert T1 in ok(server.run(T2, "member", "list", db=data))


GOAL = {
    "team": "Grade 3",
    "title": "Reading at benchmark: 60% -> 80% by May",
    "specific": {"what": "Reading", "for_whom": "All Grade 3 students"},
    "measurable": {"metric": "At benchmark", "baseline": 60, "target": 80, "unit": "%"},
    "timely": {"start": "2026-09-01", "deadline": "2027-05-30"},
    "owners": [T1],
}


def goal_for(server: Server, data: Path) -> str:
    path = server.base / "goal.json"
    path.write_text(json.dumps(GOAL))
    os.chmod(path, 0o644)
    return ok(server.run(T1, "goal", "add", "--file", str(path), db=data)).strip()


def evidence(server: Server, data: Path, goal: str) -> list[str]:
    shown = json.loads(ok(server.run(ADMIN, "goal", "export-definition", goal, db=data)))
    return [e["text"] for e in shown.get("evidence", [])]


def test_twenty_writers_at_once_as_four_users_lose_nothing(server: Server) -> None:
    data = server.shared_folder("writers")
    school(server, data)
    goal = goal_for(server, data)
    procs = []
    for n in range(20):
        user = USERS[n % 4]
        umask = 0o022 if n % 3 else 0o002
        note = f"note {n} by {user}"
        procs.append(
            subprocess.Popen(
                server.command(user, "goal", "evidence", goal, note, db=data),
                **{k: v for k, v in server.as_user(user, umask).items() if k != "capture_output"},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    notes = evidence(server, data, goal)
    assert sorted(n for n in notes if n.startswith("note ")) == sorted(
        f"note {n} by {USERS[n % 4]}" for n in range(20)
    )
    assert server.run(T2, "db", "check", db=data).returncode == 0


def test_fifty_writers_killed_mid_write_leave_the_data_whole(server: Server) -> None:
    data = server.shared_folder("killed")
    school(server, data)
    goal = goal_for(server, data)
    rng = random.Random(9)
    finished = 0
    for n in range(50):
        user = USERS[n % 4]
        proc = subprocess.Popen(
            server.command(user, "goal", "evidence", goal, f"kill {n}", db=data),
            **{k: v for k, v in server.as_user(user).items() if k != "capture_output"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.05, 0.9))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        finished += proc.returncode == 0
    # Whatever was killed where, every user can go on, and what finished is kept.
    ok(server.run(T2, "goal", "evidence", goal, "after the kills", db=data))
    notes = evidence(server, data, goal)
    assert "after the kills" in notes
    assert finished <= len([n for n in notes if n.startswith("kill ")]) <= 50
    check = server.run(COACH, "db", "check", db=data)
    assert check.returncode == 0, check.stdout


def test_the_environment_copy_runs_this_checkout() -> None:
    # Guards the fixture: the users must run the code under test, not an installed copy.
    assert Path(plc_tui.__file__).parent.name == "plc_tui"
    assert sys.version_info[:2] == (3, 11)


@pytest.fixture
def small_disk(server: Server) -> Iterator[Path]:
    """A 1 MiB file system of its own (tmpfs), as a full disk on the server."""
    mount = server.base / "small-disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=755", "tmpfs", str(mount)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_loses_nothing_and_says_what_to_do(server: Server, small_disk: Path) -> None:
    data = small_disk / "school"
    data.mkdir()
    os.chown(data, 0, server.gid)
    os.chmod(data, 0o2770)
    school(server, data)
    goal = goal_for(server, data)
    # Fill the disk but a little, with a file of root's outside the data directory.
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler.write_bytes(b"\0" * max(0, free - 48 * 1024))

    stored, failure = [], None
    for n in range(300):
        note = f"evidence {n:03d} " + "x" * 300
        result = server.run(USERS[n % 4], "goal", "evidence", goal, note, db=data)
        if result.returncode != 0:
            failure = result
            break
        stored.append(note)
    assert failure is not None, "the disk never filled"
    message = one_line_error(failure)
    assert "the disk is full" in message
    assert str(data) in message
    assert "free some space" in message

    # Nothing stored is lost, nothing is half-written, and everyone can still read.
    notes = [n for n in evidence(server, data, goal) if n.startswith("evidence ")]
    assert notes[: len(stored)] == stored
    assert len(notes) in (len(stored), len(stored) + 1)
    check = server.run(T1, "db", "check", db=data)
    assert check.returncode == 0, check.stdout
    # With space again, the next person's write goes through.
    filler.unlink()
    ok(server.run(T2, "goal", "evidence", goal, "after freeing space", db=data))
    assert "after freeing space" in evidence(server, data, goal)


def test_a_reflection_is_unreadable_in_every_file_but_by_its_readers(server: Server) -> None:
    data = server.shared_folder("reflections")
    school(server, data)
    for login in USERS:  # each opens plc once: a key of their own
        assert "Your key:" in ok(server.run(login, "keys", "show", db=data))
    secret = "Reflection-only-Tia-and-Dana-may-read"
    parts = server.base / "parts.json"
    parts.write_text(json.dumps({"achievement": secret, "plans": "Plan-nobody-else-reads"}))
    os.chmod(parts, 0o644)
    rid = ok(server.run(T1, "reflect", "new", "--file", str(parts), db=data)).strip()
    ok(server.run(T1, "reflect", "share", rid, "--with", COACH, db=data))
    ok(server.run(COACH, "reflect", "comment", rid, "Comment-only-they-may-read", db=data))
    assert secret in ok(server.run(COACH, "reflect", "show", rid, db=data))
    assert "private to its author" in one_line_error(
        server.run(ADMIN, "reflect", "show", rid, db=data)
    )
    assert "private to its author" in one_line_error(
        server.run(T2, "reflect", "show", rid, db=data)
    )
    ok(server.run(ADMIN, "db", "backup", db=data))  # a snapshot, as a nightly job makes
    ok(server.run(T1, "reflect", "unshare", rid, "--with", COACH, db=data))
    one_line_error(server.run(COACH, "reflect", "show", rid, db=data))

    # Every data file, journal, kept generation and snapshot, read as a teammate
    # and as the admin: no reflection text anywhere.
    files = [p for p in data.rglob("*") if p.is_file()]
    assert any("snapshots" in p.parts or "backups" in p.parts for p in files)
    hidden = (secret, "Plan-nobody-else-reads", "Comment-only-they-may-read")
    for reader in (T2, ADMIN):
        for path in files:
            raw = server.read_as(reader, path)
            if "snapshots" not in path.parts:  # snapshots are for admins alone
                assert raw.returncode == 0, (reader, path, raw.stderr)
            for text in hidden:
                assert text not in raw.stdout, (reader, path)
    for path in files:  # and as root, who reads the snapshots too
        raw_bytes = path.read_bytes().decode("utf-8", "replace")
        for text in hidden:
            assert text not in raw_bytes, path
    # The author's private key is in their home, theirs alone.
    keys = [p for p in Path(pwd.getpwnam(T1).pw_dir).rglob("member-key.json")]
    assert len(keys) == 1 and (keys[0].stat().st_mode & 0o777) == 0o600
    for reader in (T2, ADMIN, COACH):
        assert server.read_as(reader, keys[0]).returncode != 0
    assert secret in ok(server.run(T1, "reflect", "show", rid, db=data))

"""`plc serve ssh`: plc's own SSH server, started as a real process, used with
asyncssh's client and with the real `ssh` client in tmux."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from plc_tui.runtime import Runtime
from tests.conftest import log_with

asyncssh = pytest.importorskip("asyncssh")

pytestmark = pytest.mark.slow


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    keys: Path
    log: Path
    host_key: Path
    printed: str

    def client_key(self, who: str) -> asyncssh.SSHKey:
        return asyncssh.read_private_key(str(self.keys / who))

    async def connect(self, who: str) -> asyncssh.SSHClientConnection:
        return await asyncssh.connect(
            "127.0.0.1",
            self.port,
            username="anyone",
            client_keys=[self.client_key(who)],
            known_hosts=None,
            agent_path=None,
            password=None,
        )

    def run(self, who: str, command: str, input: str | None = None) -> asyncssh.SSHCompletedProcess:
        async def go() -> asyncssh.SSHCompletedProcess:
            async with await self.connect(who) as conn:
                return await conn.run(command, input=input, check=False)

        return asyncio.run(go())


def _sessions(data_dir: Path) -> list[str]:
    found = subprocess.run(["pgrep", "-af", "ssh-session"], capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if str(data_dir) in line]


def _make_keys(run_cli, data_dir: Path, tmp_path: Path, logins: tuple[str, ...]) -> Path:
    os.chmod(data_dir, 0o700)
    keys = tmp_path / "keys"
    keys.mkdir(exist_ok=True)
    for who in (*logins, "stranger"):
        key = asyncssh.generate_private_key("ssh-ed25519", comment=f"{who}@laptop")
        key.write_private_key(str(keys / who))
        key.write_public_key(str(keys / f"{who}.pub"))
        os.chmod(keys / who, 0o600)
    for who in logins:
        pub = str(keys / f"{who}.pub")
        ak = ("--authorized-keys", str(tmp_path / "ak"))
        added = run_cli("--db", str(data_dir), "ssh-keys", "add", who, pub, *ak, db=False)
        assert added.exit_code == 0, added.stderr
    return keys


@contextlib.contextmanager
def _serving(data_dir: Path, keys: Path, tmp_path: Path) -> Iterator[Callable[..., Served]]:
    started: list[subprocess.Popen[str]] = []

    def start(*options: str) -> Served:
        port = _free_port()
        log = tmp_path / f"serve-{port}.log"
        console = tmp_path / f"serve-{port}.out"
        host_key = tmp_path / "host_key"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "plc_tui",
                "--db",
                str(data_dir),
                "serve",
                "ssh",
                "--port",
                str(port),
                "--host-key",
                str(host_key),
                "--log",
                str(log),
                *options,
            ],
            # A file, not a pipe: a pipe nobody reads fills up and stops the server.
            stdout=console.open("a"),
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        printed = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "Ctrl+C stops" not in printed:
            if process.poll() is not None:
                break
            time.sleep(0.1)
            printed = console.read_text()
        assert "Ctrl+C stops" in printed, printed
        return Served(process, port, keys, log, host_key, printed)

    try:
        yield start
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def serve(
    runtime: Runtime, data_dir: Path, tmp_path: Path, run_cli
) -> Iterator[Callable[..., Served]]:
    keys = _make_keys(run_cli, data_dir, tmp_path, ("t1", "coach1"))
    with _serving(data_dir, keys, tmp_path) as start:
        yield start


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_members_key_runs_commands_as_them_and_a_strangers_is_refused(serve) -> None:
    served = serve()
    me = served.run("t1", "whoami --format json")
    assert me.exit_status == 0, me.stderr
    assert json.loads(me.stdout)["login"] == "t1"
    coach = served.run("coach1", "plc whoami --format json")
    assert json.loads(coach.stdout)["role"] == "coach"
    with pytest.raises(asyncssh.PermissionDenied):
        served.run("stranger", "whoami")
    log = log_with(served.log, "came in as t1", "unknown key")
    assert "came in as t1" in log and "refused" in log and "unknown key" in log
    assert served.log.stat().st_mode & 0o777 == 0o600


def test_passwords_and_identity_options_are_refused(serve) -> None:
    served = serve()

    async def with_password() -> None:
        async with asyncssh.connect(
            "127.0.0.1",
            served.port,
            username="t1",
            password="guess",
            client_keys=None,
            known_hosts=None,
            agent_path=None,
        ):
            pass

    with pytest.raises(asyncssh.PermissionDenied):
        asyncio.run(with_password())
    refused = served.run("t1", "--as coach1 whoami")
    assert refused.exit_status == 2 and "--as cannot be given over SSH" in refused.stderr


def test_the_host_key_is_kept_private_and_its_fingerprint_printed(serve) -> None:
    served = serve()
    assert served.host_key.stat().st_mode & 0o777 == 0o600
    fingerprint = asyncssh.read_private_key(str(served.host_key)).get_fingerprint("sha256")
    assert f"Made the host key {served.host_key}: {fingerprint}" in served.printed
    served.process.send_signal(signal.SIGTERM)
    served.process.wait(timeout=15)
    again = serve()  # the same key next time, so members' known_hosts still match
    assert f"Using the host key {served.host_key}: {fingerprint}" in again.printed


def test_input_reaches_the_command_and_output_comes_back(serve) -> None:
    served = serve()
    parts = json.dumps({"entry": "Tried think-pair-share."})
    made = served.run("coach1", "reflect new --template journal --file -", input=parts)
    assert made.exit_status == 0, made.stderr
    shown = served.run("coach1", f"reflect show {made.stdout.strip()}")
    assert "think-pair-share" in shown.stdout


def test_sessions_over_the_cap_are_told_to_come_back(serve, data_dir: Path) -> None:
    served = serve("--max-sessions", "1")

    async def go() -> asyncssh.SSHCompletedProcess:
        async with await served.connect("t1") as conn:
            app = await conn.create_process(term_type="xterm-256color", term_size=(80, 24))
            await asyncio.wait_for(app.stdout.read(1), 30)  # the app is running
            async with await served.connect("coach1") as other:
                result = await other.run("whoami", check=False)
            app.close()
            return result

    over = asyncio.run(go())
    assert over.exit_status == 1 and "its most" in over.stderr
    # Once the first session has ended (its app hung up and reaped) there is room again.
    log_with(served.log, "t1 left after", seconds=20)
    assert served.run("coach1", "whoami").exit_status == 0


def test_an_idle_session_is_closed_and_leaves_no_process(serve, data_dir: Path) -> None:
    served = serve("--idle-minutes", "0.03")

    async def go() -> bytes:
        async with await served.connect("t1") as conn:
            app = await conn.create_process(
                term_type="xterm-256color", term_size=(80, 24), encoding=None
            )
            seen = b""
            while b"without a key pressed" not in seen:
                chunk = await asyncio.wait_for(app.stdout.read(65536), 30)
                if not chunk:
                    break
                seen += chunk
            await app.wait_closed()
            return seen

    seen = asyncio.run(go())
    assert b"closed after 0.03 minutes without a key pressed" in seen
    deadline = time.monotonic() + 10
    while _sessions(data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _sessions(data_dir) == []


# -- the real ssh client, in tmux ----------------------------------------------


@pytest.fixture
def tmux() -> Iterator[Callable[..., subprocess.CompletedProcess[str]]]:
    if not shutil.which("tmux") or not shutil.which("ssh"):
        pytest.skip("needs tmux and ssh")
    name = f"plc-serve-{os.getpid()}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", name, *args], capture_output=True, text=True)

    yield run
    run("kill-server")


def _wait_for(tmux, text: str, seconds: float = 40) -> str:
    deadline = time.monotonic() + seconds
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "s").stdout
        if text in screen:
            return screen
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never showed:\n{screen}")


def test_the_app_over_the_real_ssh_client_resizes_and_leaves_nothing_on_disconnect(
    serve, tmux, data_dir: Path
) -> None:
    served = serve()
    ssh = (
        f"ssh -tt -p {served.port} -i {served.keys / 't1'} -o IdentitiesOnly=yes "
        "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "
        "t1@127.0.0.1"
    )
    tmux("new-session", "-d", "-s", "s", "-x", "80", "-y", "24", "-e", "LANG=C.UTF-8", ssh)
    screen = _wait_for(tmux, "Teacher t1")
    title = next(line for line in screen.splitlines() if "Test School" in line)
    tmux("resize-window", "-t", "s", "-x", "110", "-y", "30")
    deadline = time.monotonic() + 20
    moved = title
    while time.monotonic() < deadline and moved == title:
        time.sleep(0.3)
        lines = tmux("capture-pane", "-p", "-t", "s").stdout.splitlines()
        moved = next((line for line in lines if "Test School" in line), title)
    # The header is centred again in the wider window: the app saw the resize.
    assert moved.index("Test School") > title.index("Test School") + 10, (title, moved)
    assert _sessions(data_dir)
    tmux("kill-server")  # the laptop lid closes
    deadline = time.monotonic() + 20
    while _sessions(data_dir) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert _sessions(data_dir) == []
    assert "t1 left after" in log_with(served.log, "t1 left after")


# -- two members at once, live ---------------------------------------------------


@pytest.fixture
def demo_served(run_cli, host, tmp_path: Path) -> Iterator[tuple[Callable[..., Served], Path]]:
    data = tmp_path / "demo"
    built = run_cli("demo", "--no-open", "--db", str(data), db=False)
    assert built.exit_code == 0, built.stderr
    keys = _make_keys(
        run_cli, data, tmp_path, ("dreyes", "tnguyen", "eyoung", "gokafor", "jiyer", "vfitzgerald")
    )
    with _serving(data, keys, tmp_path) as start:
        yield start, data


def _screen(tmux, target: str) -> str:
    return tmux("capture-pane", "-p", "-t", target).stdout


def _until(tmux, target: str, check: Callable[[str], bool], seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(tmux, target)
        if check(screen):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"the screen never changed as expected:\n{screen}")


def _row(screen: str, text: str) -> str:
    return next((line for line in screen.splitlines() if text in line), "")


def test_two_members_see_each_others_changes_live(demo_served, tmux) -> None:
    start, _data = demo_served
    served = start()
    ssh = (
        f"ssh -tt -p {served.port} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no "
        "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
    )
    # The coach watches who has answered the team's meeting pulse; a teacher of the
    # team watches its goals.
    tmux(
        "new-session",
        "-d",
        "-s",
        "coach",
        "-x",
        "80",
        "-y",
        "24",
        "-e",
        "LANG=C.UTF-8",
        f"{ssh} -i {served.keys / 'dreyes'} dreyes@127.0.0.1",
    )
    tmux(
        "new-session",
        "-d",
        "-s",
        "teacher",
        "-x",
        "80",
        "-y",
        "24",
        "-e",
        "LANG=C.UTF-8",
        f"{ssh} -i {served.keys / 'tnguyen'} tnguyen@127.0.0.1",
    )
    _until(tmux, "coach", lambda s: "Dana Reyes" in s)
    _until(tmux, "teacher", lambda s: "Thanh Nguyen" in s)
    tmux("send-keys", "-t", "coach", "1")
    _until(tmux, "coach", lambda s: "For me" in s)
    tmux("send-keys", "-t", "coach", "m")
    pulse = "Grade 3 Team meeting pulse"
    before = _row(_until(tmux, "coach", lambda s: "Answered" in s and pulse in s), pulse)
    tmux("send-keys", "-t", "teacher", "2")
    goals = _until(tmux, "teacher", lambda s: "Grade 3 reading" in s and "%" in s)
    progress = _row(goals, "Grade 3 reading")

    # Someone who has not answered yet answers, over SSH, from another session.
    answered_before = before.split()[-1]
    for who in ("eyoung", "gokafor", "jiyer", "vfitzgerald", "tnguyen", "dreyes"):
        mine = json.loads(served.run(who, "survey list --format json").stdout)
        if next(s for s in mine if s["title"] == pulse)["my_status"] != "submitted":
            break
    else:
        pytest.fail("everyone had answered the pulse already")
    sid = next(s["id"] for s in mine if s["title"] == pulse)
    answers = {"useful": 4, "norms_kept": 4, "voices": 5, "next_steps": "Yes, clearly"}
    done = served.run(who, f"survey respond {sid} --answers -", input=json.dumps(answers))
    assert done.exit_status == 0, done.stderr
    now = int(answered_before.split("/")[0]) + 1
    after = _until(
        tmux, "coach", lambda s: _row(s, pulse).endswith(f"{now}/{answered_before.split('/')[1]}")
    )
    assert _row(after, pulse) != before

    # The coach checks in on the team's goal from the command line; the teacher's
    # goals screen shows the new progress without a key pressed.
    goal = json.loads(served.run("dreyes", "goal list --format json").stdout)
    gid = next(g["id"] for g in goal if g["title"].startswith("Grade 3 reading"))
    shown = json.loads(served.run("dreyes", f"goal show {gid} --format json").stdout)
    target = shown["measurable"]["target"]
    checked = served.run("dreyes", f"goal check-in {gid} --value {target}")
    assert checked.exit_status == 0, checked.stderr
    _until(tmux, "teacher", lambda s: _row(s, "Grade 3 reading") != progress)

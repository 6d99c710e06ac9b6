"""The app in a real pseudo-terminal, as different terminals would run it."""

from __future__ import annotations

import fcntl
import os
import pty
import pwd
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from plc_tui.community import add_member
from plc_tui.runtime import Runtime

COLOUR = re.compile(rb"\x1b\[[0-9;]*(?:38|48);[25];")


def run_in_pty(
    data_dir: Path,
    env: dict[str, str],
    seconds: float = 4.0,
    keys: list[tuple[bytes, bytes]] | None = None,
) -> tuple[bytes, int]:
    """Start the app on ``data_dir`` in a 80x24 PTY and read what it draws. Each
    of ``keys`` is (text to wait for on screen, bytes to type then); after them
    (or ``seconds`` at the latest) q quits."""
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("LC_", "NO_COLOR", "PLC_"))
    }
    full_env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", **env})
    process = subprocess.Popen(
        [sys.executable, "-m", "plc_tui", "--db", str(data_dir)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=full_env,
        close_fds=True,
    )
    os.close(follower)
    output = b""
    started = time.monotonic()
    to_type = list(keys or [])
    seen = 0  # where in the output the next text is looked for
    quit_sent = False
    while time.monotonic() < started + seconds + 5:
        if to_type and (found := output.find(to_type[0][0], seen)) >= 0:
            time.sleep(0.3)  # the screen is drawn; its keys are bound
            seen = found + 1
            os.write(leader, to_type.pop(0)[1])
        elif (
            not quit_sent
            and (not keys or not to_type)
            and time.monotonic() > started + (seconds if not keys else 0)
        ):
            if keys:
                time.sleep(1.0)
            os.write(leader, b"q")
            quit_sent = True
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            output += chunk
        if process.poll() is not None and not ready:
            break
    if process.poll() is None:
        process.kill()
    os.close(leader)
    return output, process.wait()


@pytest.fixture
def community(runtime: Runtime, data_dir: Path) -> Path:
    """The test community, with the account running the tests as a member."""
    with runtime.storage.transaction() as tx:
        add_member(tx, login=pwd.getpwuid(os.getuid()).pw_name, name="Pat Tester", role="coach")
    return data_dir


def test_no_color_sends_no_colour_codes(community: Path) -> None:
    output, code = run_in_pty(community, {"NO_COLOR": "1"})
    assert b"Test School" in output
    assert not COLOUR.search(output)
    assert code == 0


def test_a_c_locale_terminal_gets_plain_ascii(community: Path) -> None:
    output, code = run_in_pty(community, {"LANG": "C"})
    assert b"Test School" in output
    assert max(output) < 0x80, "a byte the terminal cannot show"
    assert code == 0


def test_a_dumb_terminal_is_told_what_to_use(community: Path) -> None:
    output, code = run_in_pty(community, {"TERM": "dumb"}, seconds=1)
    assert code != 0
    assert b"cannot draw the app" in output and b"ssh -t" in output


DOWN, ENTER, CTRL_N, ESCAPE = b"\x1b[B", b"\r", b"\x0e", b"\x1b"


def test_keys_that_arrive_together_over_a_pty_act_in_order(
    community: Path, runtime: Runtime
) -> None:
    from plc_plugins.surveys.service import Surveys

    me = pwd.getpwuid(os.getuid()).pw_name
    service = Surveys(runtime.context("surveys"))
    sid = service.create(
        {
            "title": "Team check",
            "anonymous": False,
            "audience": {},
            "questions": [
                {"id": "norms", "type": "likert", "text": "We kept our norms."},
                {"id": "time", "type": "likert", "text": "We used our time well."},
                {"id": "more", "type": "yes_no", "text": "Anything to add?"},
            ],
        }
    )
    service.open(sid)
    burst = DOWN * 3 + ENTER + CTRL_N + DOWN + ENTER + CTRL_N  # one write: 4, then 2
    _, code = run_in_pty(
        community,
        {},
        seconds=20,
        keys=[
            (b"Surveys", b"1"),
            (b"For me", ENTER),
            (b"We kept our norms", burst),
            (b"Anything to add", ESCAPE),
            (b"For me", ESCAPE),
        ],
    )
    assert code == 0
    runtime.login = me
    runtime.refresh_member()
    assert Surveys(runtime.context("surveys")).draft(sid) == {"norms": 4, "time": 2}

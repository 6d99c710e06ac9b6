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


def run_in_pty(data_dir: Path, env: dict[str, str], seconds: float = 4.0) -> tuple[bytes, int]:
    """Start the app on ``data_dir`` in a 80x24 PTY, read what it draws, quit with q."""
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
    deadline = time.monotonic() + seconds
    quit_sent = False
    while time.monotonic() < deadline + 5:
        if not quit_sent and time.monotonic() > deadline:
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

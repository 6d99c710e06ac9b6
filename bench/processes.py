"""Child processes timed from spawn: to a line they print, to their exit, and their peak RSS."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAINTED = "painted"  # the line bench.first_paint prints once its first screen is drawn


@dataclass
class ChildRun:
    to_marker: float | None  # seconds from spawn to the marker line; None without one
    total: float  # seconds from spawn to exit (reaped)
    max_rss: int  # bytes: the child's peak resident set (getrusage of the child alone)
    cpu: float  # seconds of CPU (user + system) the child used: less swayed by other load
    stdout: str
    stderr: str


class ChildFailed(RuntimeError):
    pass


def compile_bytecode() -> float:
    """Compile plc and the harness to bytecode, as pip does at install time.

    This machine sets PYTHONDONTWRITEBYTECODE=1, so without this every new process
    would compile plc's ~140 modules again (~0.25 s) and every process-start figure
    would include it; an installed plc never pays that. compileall writes the .pyc
    files whatever that variable says.
    """
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "plc_tui", "plugins", "bench"],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - start


def run_child(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    marker: str | None = None,
    timeout: float = 300,
) -> ChildRun:
    """Spawn ``cmd`` and time it; with ``marker``, also the moment it prints that line.

    The parent reaps the child with ``os.wait4`` to read the child's own resource
    usage (``ru_maxrss``: its peak RSS, not the parent's). stderr goes to a file, so a
    chatty child cannot fill a pipe and stall.
    """
    with tempfile.TemporaryFile() as err:
        gc.collect()  # the parent's garbage is not collected while the child starts
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL
        )
        assert proc.stdout is not None
        # A child that hangs is killed, and then fails below, rather than hang the run.
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        to_marker = None
        lines = []
        if marker is not None:
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                lines.append(line)
                if line == marker:
                    to_marker = time.perf_counter() - start
                    break
        lines.append(proc.stdout.read().decode("utf-8", "replace"))
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        total = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        proc.stdout.close()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    stdout = "\n".join(lines)
    if proc.returncode != 0 or (marker is not None and to_marker is None):
        raise ChildFailed(
            f"{' '.join(cmd)} exited {proc.returncode}"
            + ("" if to_marker or marker is None else f" without printing {marker!r}")
            + f":\n{stdout[-2000:]}\n{stderr[-2000:]}"
        )
    cpu = usage.ru_utime + usage.ru_stime
    peak = usage.ru_maxrss * 1024
    for line in reversed(stdout.splitlines()):
        if line.startswith(PEAK_RSS):
            peak = int(line.removeprefix(PEAK_RSS))  # the child's own: see print_peak_rss
            break
    return ChildRun(to_marker, total, peak, cpu, stdout, stderr)


PEAK_RSS = "peak-rss-bytes "


def print_peak_rss() -> None:
    """Print this process's own peak RSS (``VmHWM``), for ``run_child`` to read.

    ``ru_maxrss`` of a child counts the pages it shared with the parent between fork
    and exec: a harness holding a district's data made every child look as big as
    itself. ``VmHWM`` belongs to the address space exec made, so it is the child's own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    print(f"{PEAK_RSS}{int(line.split()[1]) * 1024}", flush=True)
                    return
    except OSError:
        pass  # not Linux: ru_maxrss stands


def plc_command() -> list[str]:
    """The installed ``plc`` console script beside this Python, as a person runs it."""
    script = Path(sys.executable).with_name("plc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "plc_tui"]

"""What the numbers were measured on: the machine, its file system, the packages."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGES = ("plc-tui", "textual", "rich", "tinydb", "click", "pluggy", "pynacl")


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def filesystem_of(path: Path) -> str:
    """The type of the file system ``path`` is on (the longest mount point that holds it)."""
    best, kind = "", "unknown"
    resolved = str(path.resolve())
    try:
        with open("/proc/mounts", encoding="utf-8") as fh:
            for line in fh:
                _, mount, fstype, *_ = line.split()
                inside = resolved == mount or resolved.startswith(mount.rstrip("/") + "/")
                if inside and len(mount) > len(best):
                    best, kind = mount, fstype
    except OSError:
        pass
    return kind


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def load() -> str:
    """The load averages (1, 5, 15 min): other work on the machine slows every figure."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def describe(work: Path) -> dict[str, str]:
    """One line each: cpu, nproc, python, os, file system, packages, date."""
    return {
        "cpu": cpu_model(),
        # The CPUs this process may use, which is what a benchmark gets (a container
        # may see more cores than it is allowed).
        "nproc": str(len(os.sched_getaffinity(0))),
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "os": f"{platform.system()} {platform.release()}",
        "file system": f"{filesystem_of(work)} (where the data was written: {work.parent})",
        "packages": ", ".join(f"{k} {v}" for k, v in package_versions().items()),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load average at the start (1, 5, 15 min)": load(),
    }

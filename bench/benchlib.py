"""What the benchmark scripts share: timing, the machine, and their BENCHMARKS.md sections."""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

HEADER = """# Benchmarks

Numbers measured on the machine named in each section; re-run the script named
there to update its section. Ratios compare plc with a baseline measured in the
same run, so they travel between machines better than the absolute times.
"""


@dataclass
class Timing:
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def timed(
    action: Callable[[int], object], reps: int, reset: Callable[[], object] | None = None
) -> Timing:
    samples = []
    for rep in range(reps):
        gc.collect()  # garbage left by the previous run is not this run's cost
        start = time.perf_counter()
        action(rep)
        samples.append(time.perf_counter() - start)
        if reset is not None:
            reset()  # outside the timing: put the data back as it was
    return Timing(samples)


def machine(*packages: str) -> dict[str, str]:
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": cpu or platform.processor() or "unknown",
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        **{name: version(name) for name in packages},
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def filesystem_of(path: Path) -> str:
    best, kind = "", "unknown"
    try:
        with open("/proc/mounts", encoding="utf-8") as fh:
            for line in fh:
                _, mount, fstype, *_ = line.split()
                if str(path).startswith(mount) and len(mount) > len(best):
                    best, kind = mount, fstype
    except OSError:
        pass
    return kind


def update_benchmarks(path: Path, script: str, section: str, quick: bool) -> None:
    """Replace ``script``'s full or quick section of BENCHMARKS.md, keeping the rest."""
    name = f"{script}:" + ("quick" if quick else "full")
    start, end = f"<!-- {name} start -->", f"<!-- {name} end -->"
    block = f"{start}\n{section}{end}\n"
    text = path.read_text("utf-8") if path.exists() else HEADER
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        text = before + block + ("\n" + after if after else "")
    else:
        quick_start = f"<!-- {script}:quick start -->"
        if not quick and quick_start in text:  # keep the full run above the quick one
            text = text.replace(quick_start, block + "\n" + quick_start, 1)
        else:
            text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, "utf-8")

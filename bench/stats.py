"""Samples and the figures taken from them (median, p95), and how they are timed."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Samples:
    """Several measurements of one thing, in seconds (or bytes, for memory)."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(value)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile: a value that was measured, never interpolated.

        With fewer than 20 samples it is the largest one, so a small run never
        reports a p95 better than what it saw."""
        ordered = sorted(self.values)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def worst(self) -> float:
        return max(self.values)


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` takes; garbage left by earlier work is collected first,
    outside the timing, so one sample does not pay for another's."""
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def seconds(value: float) -> str:
    """A duration with the precision that means something at its size."""
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.01:
        return f"{value * 1000:.0f} ms"
    return f"{value * 1000:.2f} ms"


def ratio(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}×"
    if value >= 10:
        return f"{value:.1f}×"
    return f"{value:.2f}×"


def megabytes(value: float) -> str:
    return f"{value / 1e6:.0f} MB" if value >= 1e7 else f"{value / 1e6:.1f} MB"

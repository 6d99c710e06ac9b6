"""Running a timed protocol: named steps with minutes each, who speaks, a prompt, a
countdown per step and notes per step. Plain Python: the clock is passed in, so
tests need no waiting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    title: str
    minutes: float
    who: str = "everyone"
    prompt: str = ""


def steps_of(body: dict[str, Any]) -> list[Step]:
    """The steps of a protocol template's body; raises ValueError naming what is wrong."""
    raw = body.get("steps")
    if not isinstance(raw, list) or not raw:
        raise ValueError("a protocol needs a list of steps")
    steps = []
    for n, step in enumerate(raw, start=1):
        if not isinstance(step, dict) or not str(step.get("title", "")).strip():
            raise ValueError(f"step {n} needs a title")
        minutes = step.get("minutes")
        if (
            not isinstance(minutes, int | float)
            or isinstance(minutes, bool)
            or not 0 < minutes <= 180
        ):
            raise ValueError(f"step {n} ({step['title']}) needs minutes from 1 to 180")
        steps.append(
            Step(
                str(step["title"]),
                float(minutes),
                str(step.get("who", "everyone")),
                str(step.get("prompt", "")),
            )
        )
    return steps


@dataclass
class Run:
    """One meeting running a protocol. ``clock()`` gives seconds (time.monotonic)."""

    protocol: str
    title: str
    steps: list[Step]
    clock: Callable[[], float]
    index: int = 0
    notes: list[str] = field(default_factory=list)
    used: list[float] = field(default_factory=list)  # seconds spent on each step
    _since: float | None = None  # when the current step's clock last started
    paused: bool = False

    def __post_init__(self) -> None:
        self.notes = self.notes or [""] * len(self.steps)
        self.used = self.used or [0.0] * len(self.steps)
        self._since = self.clock()

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    def _spent(self) -> float:
        running = 0.0 if self.paused or self._since is None else self.clock() - self._since
        return self.used[self.index] + running

    def remaining(self) -> float:
        """Seconds left in the current step; negative once it runs over."""
        return self.step.minutes * 60 - self._spent()

    def _stop_clock(self) -> None:
        self.used[self.index] = self._spent()
        self._since = None

    def go_to(self, index: int) -> None:
        if not 0 <= index < len(self.steps) or index == self.index:
            return
        self._stop_clock()
        self.index = index
        self._since = None if self.paused else self.clock()

    def pause(self) -> None:
        if not self.paused:
            self._stop_clock()
            self.paused = True

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            self._since = self.clock()

    def finish(self) -> list[dict[str, Any]]:
        """The steps as stored: title, minutes, who, notes and minutes used."""
        self._stop_clock()
        return [
            {
                "title": s.title,
                "minutes": s.minutes,
                "who": s.who,
                "notes": self.notes[i].strip(),
                "minutes_used": round(self.used[i] / 60, 1),
            }
            for i, s in enumerate(self.steps)
        ]


def clock_text(seconds: float) -> str:
    """``4:05 left``, or ``1:10 over`` once the step has run over."""
    whole = int(abs(seconds))
    return f"{whole // 60}:{whole % 60:02d} {'left' if seconds >= 0 else 'over'}"

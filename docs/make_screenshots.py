"""Regenerate the README screenshots from a fresh demo community.

    python docs/make_screenshots.py

Runs the app headless at 80x24 (what a person on a small terminal sees) and saves
SVGs with Textual's save_screenshot.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from plc_tui.app import PLCApp
from plc_tui.demo import build_demo
from plc_tui.plugins import get_host
from plc_tui.runtime import Runtime

OUT = Path(__file__).parent / "screenshots"

# (file name, login to view as, keys to press after the dashboard appears)
SHOTS: list[tuple[str, str, list[str]]] = [
    ("dashboard", "dreyes", []),
    ("community", "dreyes", ["c", "down", "down", "down"]),
    ("surveys", "tnguyen", ["1"]),
    ("take-survey", "tnguyen", ["1", "down", "enter", "down", "enter", "ctrl+n"]),
    ("results", "dreyes", ["1", "m", "down", "down", "r"]),
    ("goals", "dreyes", ["2"]),
    ("goal-detail", "tnguyen", ["2", "enter"]),
]


async def shoot(data: Path, name: str, login: str, keys: list[str]) -> None:
    runtime = Runtime(data, host=get_host(), login=login)
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.3)
        app.save_screenshot(filename=f"{name}.svg", path=str(OUT))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "demo"
        build_demo(Runtime(data, host=get_host(), login="demoadmin", create=True))
        for name, login, keys in SHOTS:
            asyncio.run(shoot(data, name, login, keys))
            print(f"wrote {OUT / name}.svg")


if __name__ == "__main__":
    main()

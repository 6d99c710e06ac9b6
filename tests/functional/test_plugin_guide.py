"""The plugin guide's example is a real plugin: it loads, shows a card and a screen."""

from __future__ import annotations

import re
from pathlib import Path

from plc_tui import plugins
from plc_tui.app import PLCApp
from plc_tui.plugins import PluginHost
from plc_tui.widgets.module_card import ModuleCard
from tests.conftest import make_runtime, seed_community

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def guide_example() -> str:
    return re.search(r"```python\n(.*?)```", GUIDE.read_text("utf-8"), re.S).group(1)


async def test_the_guide_example_works_as_a_folder_plugin(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "walks.py").write_text(guide_example(), "utf-8")
    host = PluginHost(use_entry_points=False, folders=[folder])
    plugins.set_host(host)
    runtime = seed_community(make_runtime(data_dir, host))
    with runtime.context("walks").transaction() as tables:
        tables.table("walks").insert({"room": "[b]Room 12[/b]"})

    assert host.load().infos["walks"].status == "ok"
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        card = app.screen.query_one("#card-walks", ModuleCard)
        assert card.card is not None
        assert card.card.lines == ("1 learning walks this term",)
        await pilot.press("1")
        await pilot.pause()
        assert type(app.screen).__name__ == "WalksScreen"
        shown = [str(s.content) for s in app.screen.query("Static")]
        assert "[b]Room 12[/b]" in shown


def test_the_guides_testing_example_passes_against_its_first_example(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text("utf-8"), re.S)
    testing_example = next(b for b in blocks if "plc_community" in b and "def test_" in b)
    (tmp_path / "walks.py").write_text(guide_example(), "utf-8")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text('pytest_plugins = ["plc_tui.testing.fixtures"]\n')
    (tests / "test_walks.py").write_text(testing_example, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    env.pop("PLC_PLUGINS_DIR", None)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "asyncio_mode=auto",
            str(tests),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert "2 passed" in run.stdout

"""`plc plugin new`: a plugin a school can start from, whose own tests pass and
which plc finds dropped into a plugin folder (installed: test_wheel.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plc_tui import plugins


def test_a_new_plugin_has_everything_it_promises(run_cli, tmp_path: Path) -> None:
    made = run_cli("plugin", "new", "learning_walks", "--dir", str(tmp_path), db=False)
    assert made.exit_code == 0, made.stderr
    root = tmp_path / "plc-learning-walks"
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert files == [
        "README.md",
        "learning_walks/__init__.py",
        "learning_walks/screen.py",
        "pyproject.toml",
        "tests/conftest.py",
        "tests/test_learning_walks.py",
    ]
    pyproject = (root / "pyproject.toml").read_text()
    assert '[project.entry-points.plc_tui]\nlearning_walks = "learning_walks"' in pyproject
    source = (root / "learning_walks" / "__init__.py").read_text()
    # Only the public API: no plc internals, no TinyDB.
    imports = [ln for ln in source.splitlines() if ln.startswith(("import ", "from "))]
    assert all("plc_tui.api" in ln or "plc_tui" not in ln for ln in imports), imports
    assert "tinydb" not in source.lower()
    again = run_cli("plugin", "new", "learning_walks", "--dir", str(tmp_path), db=False)
    assert again.exit_code == 1 and "already exists" in again.stderr


@pytest.mark.parametrize("name", ["Walks", "core", "class", "9lives", "walks-2", "x" * 41])
def test_a_name_plc_cannot_use_is_refused(run_cli, tmp_path: Path, name: str) -> None:
    refused = run_cli("plugin", "new", name, "--dir", str(tmp_path), db=False)
    assert refused.exit_code == 1 and "cannot name a plugin" in refused.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_its_own_tests_pass_and_plc_finds_it_in_a_plugin_folder(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    run_cli("plugin", "new", "walks", "--dir", str(tmp_path), db=False)
    root = tmp_path / "plc-walks"
    env = {**os.environ, "PYTHONPATH": str(root)}
    own = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root / "tests")],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=300,
    )
    assert own.returncode == 0, own.stdout + own.stderr
    assert "4 passed" in own.stdout

    monkeypatch.setenv("PLC_PLUGINS_DIR", str(root))
    plugins.set_host(None)
    listed = json.loads(run_cli("plugins", "--format", "json", db=False).output)
    walks = next(p for p in listed if p["name"] == "walks")
    assert walks["status"] == "ok" and walks["source"].startswith("folder ")
    assert run_cli("init", "--name", "School").exit_code == 0
    assert run_cli("walks", "add", "Visited room 12").exit_code == 0
    assert "Visited room 12" in run_cli("walks", "list").output

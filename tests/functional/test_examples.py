"""The example school plugins in examples/: their own tests pass against this plc,
and each is one `pip install` away (test_wheel.py installs one from a fresh venv)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow
@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()))
def test_an_example_plugins_own_tests_pass(example: str) -> None:
    root = EXAMPLES / example
    assert (root / "pyproject.toml").exists() and (root / "README.md").exists()
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("PLC_PLUGINS_DIR", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root / "tests")],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]

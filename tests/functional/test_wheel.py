"""The wheel installs core and built-in plugins under namespaced names only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_lists_plugins(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # Built from a clean copy: a build/ folder left by an earlier build would
    # hide a package missing from pyproject's list.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            "build", "dist", "*.egg-info", ".git", ".venv", ".ci-venv", "__pycache__", ".*cache"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        check=True,
    )
    (wheel,) = dist.glob("plc_tui-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    top_level = {name.split("/")[0] for name in names}
    # Every source file is in the wheel: a package missing from pyproject's list
    # would only fail when a person opens the screen it holds.
    for folder, package in (("plc_tui", "plc_tui"), ("plugins", "plc_plugins")):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".tcss") and "__pycache__" not in path.parts:
                inside = path.relative_to(ROOT / folder).as_posix()
                assert f"{package}/{inside}" in names, f"{folder}/{inside} is not packaged"
    assert {"plc_tui", "plc_plugins"} <= top_level
    assert not top_level & {"plugins", "surveys", "smart_goals", "norms", "reflections", "tests"}

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(wheel)], check=True)
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    env.pop("PLC_PLUGINS_DIR", None)

    def installed() -> list[dict[str, str]]:
        """What `plc plugins` lists in the fresh venv."""
        shown = subprocess.run(
            [str(venv / "bin" / "plc"), "plugins", "--format", "json"],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=True,
        )
        return json.loads(shown.stdout)

    listed = installed()
    builtin = sorted(p["name"] for p in listed if p["source"] == "built-in")
    expected = sorted(
        line.split("=")[0].strip()
        for line in (ROOT / "pyproject.toml")
        .read_text()
        .split("[project.entry-points.plc_tui]")[1]
        .split("[")[0]
        .splitlines()
        if "=" in line
    )
    assert builtin == expected
    assert all(p["status"] == "ok" for p in listed)

    # A plugin made with `plc plugin new`, installed into the same fresh venv.
    made = subprocess.run(
        [str(venv / "bin" / "plc"), "plugin", "new", "walks", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "Made the plugin walks" in made.stdout
    subprocess.run([str(pip), "install", "-q", str(tmp_path / "plc-walks")], check=True)
    listed = installed()
    walks = next(p for p in listed if p["name"] == "walks")
    assert (walks["source"], walks["status"]) == ("package plc-walks", "ok")

    # Each example school plugin installs with one command.
    examples = ROOT / "examples"
    for example, dist in (
        ("team_roles", "plc-team-roles"),
        ("timed_protocols", "plc-timed-protocols"),
    ):
        subprocess.run([str(pip), "install", "-q", str(examples / example)], check=True)
        listed = installed()
        found = next(p for p in listed if p["name"] == example)
        assert (found["source"], found["status"]) == (f"package {dist}", "ok")

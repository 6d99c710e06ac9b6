"""Real OS users for tests of a shared server: who can be made here, and a copy of
this environment they can run (DESIGN.md: the default python lives where other
users cannot read it)."""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import subprocess
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import plc_tui

SKIP_PACKAGES = ("ruff", "hypothesis", "_pytest", "pytest", "syrupy", "pip", "setuptools")


def can_create_users() -> bool:
    return (
        os.geteuid() == 0
        and shutil.which("useradd") is not None
        and Path("/usr/bin/python3").exists()
    )


def run_root(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


def copy_environment(base: Path) -> Path:
    """A venv other users can run: the system python with this env's packages."""
    venv = base / "venv"
    subprocess.run(
        ["/usr/bin/python3", "-m", "venv", "--without-pip", str(venv)],
        check=True,
        capture_output=True,
    )
    target = Path(
        subprocess.run(
            [
                str(venv / "bin/python"),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    source = Path(sysconfig.get_paths()["purelib"])
    for entry in source.iterdir():
        name = entry.name
        if name.startswith(("__editable__", "_virtualenv")) or name.endswith(".pth"):
            continue
        if name.split("-")[0].lower() in SKIP_PACKAGES or name == "__pycache__":
            continue
        dest = target / name
        if entry.is_dir():
            shutil.copytree(entry, dest, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(entry, dest)
    # This checkout itself, under the names the package installs.
    project = Path(plc_tui.__file__).resolve().parent.parent
    ignore = shutil.ignore_patterns("__pycache__", "__snapshots__")
    if not (target / "plc_tui").exists():
        shutil.copytree(project / "plc_tui", target / "plc_tui", ignore=ignore)
    if not (target / "plc_plugins").exists():
        shutil.copytree(project / "plugins", target / "plc_plugins", ignore=ignore)
    # Compiled now, as pip compiles an install: the users cannot write here, and
    # compiling every module on every command would be most of what is measured.
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "compileall", "-q", str(target)],
        check=True,
        capture_output=True,
    )
    for path in [base, *base.rglob("*")]:
        mode = 0o755 if path.is_dir() else 0o644
        if path.is_file() and os.access(path, os.X_OK):
            mode = 0o755
        if not path.is_symlink():
            os.chmod(path, mode)
    return venv / "bin" / "python"


@dataclass
class Server:
    base: Path
    python: Path
    gid: int

    def run(
        self,
        user: str,
        *args: str,
        db: Path | None = None,
        umask: int = 0o022,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(user, *args, db=db), **self.as_user(user, umask), timeout=timeout
        )

    def command(self, user: str, *args: str, db: Path | None = None) -> list[str]:
        argv = [str(self.python), "-m", "plc_tui"]
        if db is not None:
            argv += ["--db", str(db)]
        return argv + list(args)

    def as_user(self, user: str, umask: int = 0o022) -> dict[str, Any]:
        info = pwd.getpwnam(user)
        return {
            "user": info.pw_uid,
            "group": info.pw_gid,
            "extra_groups": [self.gid],
            "umask": umask,
            "cwd": info.pw_dir,
            "env": {
                "HOME": info.pw_dir,
                "PATH": "/usr/bin:/bin",
                "LANG": "C.UTF-8",
                "USER": user,
                "LOGNAME": user,
            },
            "capture_output": True,
            "text": True,
        }

    def read_as(self, user: str, path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["cat", str(path)], **self.as_user(user))

    def shared_folder(self, name: str) -> Path:
        """A folder prepared by a root admin: group `plc`, setgid, group-writable."""
        folder = self.base / "srv" / name
        folder.mkdir(parents=True)
        os.chmod(folder.parent, 0o755)
        os.chown(folder, 0, self.gid)
        os.chmod(folder, 0o2770)
        return folder


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (result.args, result.stdout, result.stderr)
    return result.stdout


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    assert result.stderr.startswith("plc: error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    return result.stderr


@contextlib.contextmanager
def real_users(group: str, users: tuple[str, ...], prefix: str) -> Iterator[Server]:
    """``users`` made with ``useradd`` in ``group``, and a copy of this environment
    they can run, removed again afterwards; skips where users cannot be made."""
    if not can_create_users():
        pytest.skip("needs root, useradd and /usr/bin/python3 to create real users")
    created_group = False
    try:
        grp.getgrnam(group)
    except KeyError:
        run_root("groupadd", group)
        created_group = True
    for user in users:
        try:
            pwd.getpwnam(user)
        except KeyError:
            run_root("useradd", "-m", "-s", "/bin/sh", "-G", group, user)
    base = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(base, 0o755)
    try:
        yield Server(base, copy_environment(base), grp.getgrnam(group).gr_gid)
    finally:
        shutil.rmtree(base, ignore_errors=True)
        for user in users:
            subprocess.run(["userdel", "-r", user], capture_output=True)
        if created_group:
            subprocess.run(["groupdel", group], capture_output=True)

"""The recommended deployment, end to end: a service account owns the community,
the system's OpenSSH lets members in with their keys, and plc's forced command
serves each as themselves.

A real ``sshd`` (Debian's openssh-server, which CI installs) runs on a loopback
port with a config of its own, and the real ``ssh`` client connects. Members
need no account of their own on the server. Runs as root (CI does); skipped
where users cannot be created or sshd is missing.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.os_users import can_create_users, copy_environment, run_root

pytestmark = pytest.mark.slow

SVC = "plcsvct"
SSHD = Path("/usr/sbin/sshd")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SshServer:
    base: Path
    python: Path
    port: int
    data: Path
    home: Path

    def key(self, name: str) -> Path:
        return self.base / "keys" / name

    def make_key(self, name: str) -> Path:
        path = self.key(name)
        path.parent.mkdir(exist_ok=True)
        run_root(
            "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop", "-f", str(path)
        )
        os.chmod(path.with_suffix(".pub"), 0o644)
        return path

    def ssh_argv(self, key: str, *command: str, tty: bool = False) -> list[str]:
        return [
            "ssh",
            "-tt" if tty else "-T",
            "-p",
            str(self.port),
            "-i",
            str(self.key(key)),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "SendEnv=LANG",
            f"{SVC}@127.0.0.1",
            *(["--", *command] if command else []),
        ]

    def ssh(
        self, key: str, *command: str, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "LANG": "C.UTF-8"}
        return subprocess.run(
            self.ssh_argv(key, *command),
            input=input,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    def as_service(self, *args: str) -> subprocess.CompletedProcess[str]:
        """plc run on the server by its admin, as the service account."""
        info = pwd.getpwnam(SVC)
        return subprocess.run(
            [str(self.python), "-m", "plc_tui", "--db", str(self.data), *args],
            user=info.pw_uid,
            group=info.pw_gid,
            cwd=info.pw_dir,
            env={"HOME": info.pw_dir, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "USER": SVC},
            umask=0o022,
            capture_output=True,
            text=True,
            timeout=120,
        )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (result.args, result.stdout, result.stderr)
    return result.stdout


def _start_sshd(base: Path, port: int, authorized_keys: Path) -> subprocess.Popen[bytes]:
    etc = base / "sshd"
    etc.mkdir()
    run_root("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(etc / "host_key"))
    config = etc / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {etc / 'host_key'}",
                f"PidFile {etc / 'sshd.pid'}",
                f"AuthorizedKeysFile {authorized_keys}",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                f"AllowUsers {SVC}",
                "AcceptEnv LANG LC_*",
                "",
            ]
        )
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    process = subprocess.Popen(
        [str(SSHD), "-D", "-f", str(config), "-E", str(etc / "sshd.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return process
        if process.poll() is not None:
            break
        time.sleep(0.1)
    log = (etc / "sshd.log").read_text() if (etc / "sshd.log").exists() else ""
    process.kill()
    raise RuntimeError(f"sshd did not start: {log}")


@pytest.fixture(scope="module")
def server() -> Iterator[SshServer]:
    if not can_create_users() or not SSHD.exists() or not shutil.which("ssh"):
        pytest.skip("needs root, useradd, /usr/bin/python3, sshd and ssh")
    try:
        pwd.getpwnam(SVC)
    except KeyError:
        run_root("useradd", "-m", "-s", "/bin/sh", SVC)
    run_root("usermod", "-p", "*", SVC)  # unlocked, with no password: keys only
    home = Path(pwd.getpwnam(SVC).pw_dir)
    base = Path(tempfile.mkdtemp(prefix="plc-sshd-"))
    os.chmod(base, 0o755)
    sshd = None
    try:
        python = copy_environment(base)
        server = SshServer(base, python, free_port(), home / "school", home)
        ok(server.as_service("init", "--name", "Maple Grove", "--admin-name", "Service"))
        ok(server.as_service("team", "add", "Grade 3"))
        ok(server.as_service("member", "add", "alice", "--name", "Alice Ng", "--role", "coach"))
        ok(server.as_service("member", "add", "bob", "--name", "Bob Ruiz", "--team", "Grade 3"))
        for who in ("alice", "bob", "stranger"):
            server.make_key(who)
        for who in ("alice", "bob"):
            ok(server.as_service("ssh-keys", "add", who, str(server.key(who)) + ".pub"))
        sshd = _start_sshd(base, server.port, home / ".ssh" / "authorized_keys")
        yield server
    finally:
        if sshd is not None:
            sshd.terminate()
            sshd.wait(timeout=10)
        subprocess.run(["pkill", "-KILL", "-u", SVC], capture_output=True)
        subprocess.run(["userdel", "-r", SVC], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_the_data_is_the_service_accounts_alone(server: SshServer) -> None:
    assert server.data.stat().st_mode & 0o777 == 0o700
    lines = (server.home / ".ssh" / "authorized_keys").read_text().splitlines()
    assert sum(",restrict,pty ssh-ed25519 " in line for line in lines) == 2


def test_a_members_key_runs_a_command_as_that_member(server: SshServer) -> None:
    alice = json.loads(ok(server.ssh("alice", "whoami", "--format", "json")))
    assert (alice["login"], alice["role"]) == ("alice", "coach")
    bob = json.loads(ok(server.ssh("bob", "plc", "whoami", "--format", "json")))
    assert (bob["login"], bob["teams"]) == ("bob", ["Grade 3"])


def test_a_member_writes_as_themselves_and_reads_back_over_ssh(server: SshServer) -> None:
    parts = json.dumps({"entry": "Grade 3 walk: strong starts."})
    rid = ok(
        server.ssh("alice", "reflect", "new", "--template", "journal", "--file", "-", input=parts)
    )
    shown = ok(server.ssh("alice", "reflect", "show", rid.strip()))
    assert "strong starts" in shown
    refused = server.ssh("bob", "reflect", "show", rid.strip())
    assert refused.returncode == 1 and "plc: error:" in refused.stderr


def test_an_unknown_key_is_refused(server: SshServer) -> None:
    refused = server.ssh("stranger", "whoami")
    assert refused.returncode == 255 and "Permission denied" in refused.stderr


def test_identity_options_in_the_ssh_command_are_refused(server: SshServer) -> None:
    refused = server.ssh("bob", "--as", SVC, "whoami")
    assert refused.returncode == 2
    assert "--as cannot be given over SSH" in refused.stderr
    db = server.ssh("bob", "--db", "/tmp", "whoami")
    assert db.returncode == 2 and "--db cannot be given over SSH" in db.stderr


def test_the_key_gives_plc_and_not_a_shell(server: SshServer) -> None:
    shell = server.ssh("bob", "cat", "/etc/passwd")
    assert shell.returncode == 2 and "No such command 'cat'" in shell.stderr
    assert "root:" not in shell.stdout
    files = server.ssh("bob", "keys", "backup", str(server.home / ".ssh" / "authorized_keys2"))
    assert files.returncode == 1 and "cannot open files on the server" in files.stderr
    assert not (server.home / ".ssh" / "authorized_keys2").exists()


def test_a_removed_key_is_refused_at_once(server: SshServer) -> None:
    server.make_key("carol")
    ok(server.as_service("member", "add", "carol", "--name", "Carol Diaz"))
    ok(server.as_service("ssh-keys", "add", "carol", str(server.key("carol")) + ".pub"))
    assert json.loads(ok(server.ssh("carol", "whoami", "--format", "json")))["login"] == "carol"
    ok(server.as_service("ssh-keys", "remove", "carol"))
    refused = server.ssh("carol", "whoami")
    assert refused.returncode == 255 and "Permission denied" in refused.stderr


# -- the app, in a real terminal -----------------------------------------------


class Tmux:
    def __init__(self, socket_name: str) -> None:
        self.socket = socket_name

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True)

    def screen(self, target: str) -> str:
        return self("capture-pane", "-p", "-t", target).stdout

    def wait_for(self, target: str, text: str, seconds: float = 40) -> str:
        deadline = time.monotonic() + seconds
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen(target)
            if text in shown:
                return shown
            time.sleep(0.3)
        raise AssertionError(f"{text!r} never showed; the screen was:\n{shown}")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    if not shutil.which("tmux"):
        pytest.skip("needs tmux")
    t = Tmux(f"plc-ssh-{os.getpid()}")
    yield t
    t("kill-server")


def _service_processes() -> list[str]:
    found = subprocess.run(["pgrep", "-a", "-u", SVC], capture_output=True, text=True).stdout
    return [line for line in found.splitlines() if "plc_tui" in line]


def open_app(tmux: Tmux, server: SshServer, who: str, window: str) -> None:
    command = " ".join(server.ssh_argv(who, tty=True))
    if window == "a":
        tmux("new-session", "-d", "-s", "a", "-x", "80", "-y", "24", "-e", "LANG=C.UTF-8", command)
    else:
        tmux("new-window", "-t", "a", "-n", window, "-e", "LANG=C.UTF-8", command)


def test_a_members_key_opens_the_app_as_them_and_quitting_leaves_nothing(
    server: SshServer, tmux: Tmux
) -> None:
    open_app(tmux, server, "alice", "a")
    screen = tmux.wait_for("a", "Alice Ng")
    assert "Maple Grove" in screen
    tmux("send-keys", "-t", "a", "q")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (
        _service_processes() or tmux("has-session", "-t", "a").returncode == 0
    ):
        time.sleep(0.3)
    assert _service_processes() == []


def test_a_dropped_connection_leaves_no_process_behind(server: SshServer, tmux: Tmux) -> None:
    open_app(tmux, server, "bob", "a")
    tmux.wait_for("a", "Bob Ruiz")
    assert _service_processes()
    tmux("kill-server")  # the terminal goes away, as a closed laptop lid would
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _service_processes():
        time.sleep(0.3)
    assert _service_processes() == []


def test_removing_a_key_ends_the_session_it_opened(server: SshServer, tmux: Tmux) -> None:
    server.make_key("dave")
    ok(server.as_service("member", "add", "dave", "--name", "Dave Kim"))
    ok(server.as_service("ssh-keys", "add", "dave", str(server.key("dave")) + ".pub"))
    open_app(tmux, server, "dave", "a")
    tmux("set-option", "-t", "a", "remain-on-exit", "on")
    tmux.wait_for("a", "Dave Kim")
    ok(server.as_service("ssh-keys", "remove", "dave"))
    deadline = time.monotonic() + 30
    said = ""
    while time.monotonic() < deadline and "has ended; ask an admin" not in said:
        time.sleep(0.3)
        # The whole pane and its history, lines joined: the message wraps at 80.
        shown = tmux("capture-pane", "-p", "-J", "-S", "-100", "-t", "a").stdout
        said = shown.replace("\n", "")
    assert "plc: error: your access was removed" in said
    assert "has ended; ask an admin" in said
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _service_processes():
        time.sleep(0.3)
    assert _service_processes() == []

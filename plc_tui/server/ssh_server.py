"""``plc serve ssh``: plc's own SSH server, for a server whose sshd cannot be set up.

Each connection is authenticated by a member's key (the same ``plc ssh-keys``
table the system's sshd uses), and each session runs ``plc ssh-session
--member LOGIN`` in a process of its own: in a pseudo-terminal of its own for
the app (resized with the client's window), or with plain pipes for a command
(``ssh -p 2222 server survey list``). So a session served here is confined
exactly as one served by the system's sshd. Passwords, keyboard-interactive
login, port forwarding, agent forwarding and SFTP are refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from ..errors import PLCError

log = logging.getLogger("plc.serve.ssh")

_CLIENT_ENV = {"LANG", "LC_ALL", "LC_CTYPE", "NO_COLOR", "COLORTERM"}
_LOCALE = re.compile(r"^[A-Za-z0-9_.@-]{1,40}$")
_DROPPED_ENV = (
    "SSH_",
    "PLC_DB",
    "TERM",
    "LANG",
    "LC_",
    "NO_COLOR",
    "COLORTERM",
    "COLUMNS",
    "LINES",
)


@dataclass
class ServeSettings:
    """How `plc serve ssh` listens and whom it serves."""

    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 2222
    host_key: Path = Path("ssh_host_ed25519_key")
    max_sessions: int = 40
    idle_minutes: float = 30.0
    python: str = sys.executable


@dataclass
class Session:
    """One open SSH session: whom it serves, from where, running what."""

    member: str
    peer: str
    command: str
    fingerprint: str = ""
    started: float = field(default_factory=time.monotonic)
    last_input: float = field(default_factory=time.monotonic)


def load_or_make_host_key(path: Path) -> tuple[asyncssh.SSHKey, bool]:
    """The server's host key, made on first start (0600); ``(key, made_now)``."""
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise PLCError(
                f"the host key {path} can be read by others (mode {mode:o}); "
                f"run `chmod 600 {path}` (or delete it to make a new one)."
            )
        try:
            return asyncssh.read_private_key(str(path)), False
        except (OSError, asyncssh.KeyImportError) as exc:
            raise PLCError(
                f"cannot read the host key {path}: {exc}; delete it to make a new one."
            ) from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="plc serve ssh")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key.export_private_key())
    return key, True


def _set_size(fd: int, width: int, height: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height or 24, width or 80, 0, 0))


def _take_terminal() -> None:
    # Runs in the child after setsid(): make the PTY its controlling terminal, so
    # the kernel tells the app (SIGWINCH) when the window is resized.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PlcSshServer:
    """Accepts members' keys and runs one ``plc ssh-session`` per SSH session."""

    def __init__(self, settings: ServeSettings, lookup: Callable[[], dict[str, str]]) -> None:
        self.settings = settings
        self._lookup = lookup  # fingerprint -> login, read fresh for every login
        self._storage_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plc-keys")
        self.sessions: dict[int, Session] = {}
        self._children: set[int] = set()
        self._acceptor: asyncssh.SSHAcceptor | None = None

    # -- asyncssh's server callbacks, one object per connection -----------------------

    def connection_factory(self) -> asyncssh.SSHServer:
        server = self

        class Connection(asyncssh.SSHServer):
            def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
                self.conn = conn
                peer = conn.get_extra_info("peername") or ("?", 0)
                self.peer = f"{peer[0]}:{peer[1]}"

            def begin_auth(self, username: str) -> bool:
                return True

            def password_auth_supported(self) -> bool:
                return False

            def kbdint_auth_supported(self) -> bool:
                return False

            def public_key_auth_supported(self) -> bool:
                return True

            async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
                fingerprint = key.get_fingerprint("sha256")
                loop = asyncio.get_running_loop()
                try:
                    keys = await loop.run_in_executor(server._storage_thread, server._lookup)
                except PLCError as exc:
                    log.error("%s could not read the keys: %s", self.peer, exc.message)
                    return False
                login = keys.get(fingerprint)
                if login is None:
                    log.info("refused %s: unknown key %s", self.peer, fingerprint)
                    return False
                self.conn.set_extra_info(plc_member=login, plc_fingerprint=fingerprint)
                return True

            def auth_completed(self) -> None:
                # Logged here: a client offers a key once to ask, then again signed.
                login = self.conn.get_extra_info("plc_member")
                fingerprint = self.conn.get_extra_info("plc_fingerprint")
                log.info("%s came in as %s (key %s)", self.peer, login, fingerprint)

        return Connection()

    # -- sessions ---------------------------------------------------------------------

    async def handle(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        member = process.get_extra_info("plc_member")
        peer = process.get_extra_info("peername") or ("?", 0)
        command = process.command or ""
        session = Session(member, f"{peer[0]}:{peer[1]}", command)
        session.fingerprint = process.get_extra_info("plc_fingerprint")
        if len(self.sessions) >= self.settings.max_sessions:
            log.warning("refused a session for %s: %d sessions already", member, len(self.sessions))
            process.stderr.write(
                f"plc: error: the server is serving {len(self.sessions)} sessions, its most; "
                "try again in a few minutes.\r\n".encode()
            )
            process.exit(1)
            return
        key = id(process)
        self.sessions[key] = session
        what = f"runs {command!r}" if command else "opens the app"
        log.info("%s %s (%d session(s))", member, what, len(self.sessions))
        code = 1
        try:
            if process.term_type:
                code = await self._run_in_terminal(process, session)
            else:
                code = await self._run_with_pipes(process, session)
        except Exception:  # a broken session must never stop the server
            log.exception("session of %s failed", member)
        finally:
            del self.sessions[key]
            seconds = time.monotonic() - session.started
            log.info("%s left after %.0f s (exit %s)", member, seconds, code)
            with contextlib.suppress(OSError, asyncssh.Error):
                process.exit(code)

    def _argv(self, member: str, fingerprint: str) -> list[str]:
        return [
            self.settings.python,
            "-m",
            "plc_tui",
            "--db",
            str(self.settings.data_dir),
            "ssh-session",
            "--member",
            member,
            "--key",
            fingerprint,
        ]

    def _env(self, process: asyncssh.SSHServerProcess[bytes], session: Session) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_ENV)}
        env["LANG"] = "C.UTF-8"
        for name, value in (process.env or {}).items():
            name = name.decode() if isinstance(name, bytes) else str(name)
            value = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
            if name in _CLIENT_ENV and _LOCALE.match(value):
                env[name] = value
        if process.term_type:
            env["TERM"] = process.term_type
        env["SSH_ORIGINAL_COMMAND"] = session.command
        env["SSH_CONNECTION"] = session.peer
        return env

    async def _run_in_terminal(
        self, process: asyncssh.SSHServerProcess[bytes], session: Session
    ) -> int:
        leader, follower = os.openpty()
        width, height = process.term_size[:2]
        _set_size(leader, width, height)
        try:
            child = subprocess.Popen(
                self._argv(session.member, session.fingerprint),
                stdin=follower,
                stdout=follower,
                stderr=follower,
                env=self._env(process, session),
                start_new_session=True,
                preexec_fn=_take_terminal,
                close_fds=True,
            )
        finally:
            os.close(follower)
        self._children.add(child.pid)
        loop = asyncio.get_running_loop()
        ended = asyncio.Event()

        def readable() -> None:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO once the app has exited
                data = b""
            if not data:
                loop.remove_reader(leader)
                ended.set()
                return
            process.stdout.write(data)

        async def keys_in() -> None:
            while True:
                try:
                    data = await process.stdin.read(4096)
                except asyncssh.TerminalSizeChanged as change:
                    _set_size(leader, change.width, change.height)
                    continue
                except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                    continue
                if not data:
                    return
                session.last_input = time.monotonic()
                with contextlib.suppress(OSError):
                    os.write(leader, data)

        loop.add_reader(leader, readable)
        reading = asyncio.create_task(keys_in())
        waiting = asyncio.create_task(ended.wait())
        idle = asyncio.create_task(self._idle(session))
        try:
            done, _ = await asyncio.wait(
                {reading, waiting, idle}, return_when=asyncio.FIRST_COMPLETED
            )
            if idle in done:
                process.stdout.write(
                    f"\r\nplc: closed after {self.settings.idle_minutes:g} minutes without a "
                    "key pressed.\r\n".encode()
                )
        finally:
            for task in (reading, waiting, idle):
                task.cancel()
            loop.remove_reader(leader)
            code = await self._end(child)
            os.close(leader)
        return code

    async def _run_with_pipes(
        self, process: asyncssh.SSHServerProcess[bytes], session: Session
    ) -> int:
        child = await asyncio.create_subprocess_exec(
            *self._argv(session.member, session.fingerprint),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._env(process, session),
            start_new_session=True,
        )
        self._children.add(child.pid)
        assert child.stdin and child.stdout and child.stderr

        async def copy_in() -> None:
            assert child.stdin
            try:
                while data := await process.stdin.read(65536):
                    session.last_input = time.monotonic()
                    child.stdin.write(data)
                    await child.stdin.drain()
            except (asyncssh.Error, BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with contextlib.suppress(OSError):
                    child.stdin.close()

        async def copy_out(source: asyncio.StreamReader, target: Any) -> None:
            while data := await source.read(65536):
                target.write(data)

        feeding = asyncio.create_task(copy_in())
        output = asyncio.gather(
            copy_out(child.stdout, process.stdout), copy_out(child.stderr, process.stderr)
        )
        idle = asyncio.create_task(self._idle(session))
        finished = asyncio.create_task(child.wait())
        try:
            done, _ = await asyncio.wait({finished, idle}, return_when=asyncio.FIRST_COMPLETED)
            if idle in done:
                process.stderr.write(
                    f"plc: error: closed after {self.settings.idle_minutes:g} minutes without "
                    "input.\n".encode()
                )
            else:
                await output
        finally:
            feeding.cancel()
            idle.cancel()
            output.cancel()
            code = await self._end_async(child)
        return code

    async def _idle(self, session: Session) -> None:
        limit = self.settings.idle_minutes * 60
        while True:
            left = session.last_input + limit - time.monotonic()
            if left <= 0:
                log.info(
                    "%s was idle for %g minutes; closed", session.member, self.settings.idle_minutes
                )
                return
            await asyncio.sleep(min(left, 5.0))

    async def _end(self, child: subprocess.Popen[bytes]) -> int:
        """Stop the session's process group (hang-up first, as a terminal closing
        does) and reap it; returns its exit code."""
        loop = asyncio.get_running_loop()
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGHUP)
            try:
                await loop.run_in_executor(None, child.wait, 5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                await loop.run_in_executor(None, child.wait)
        self._children.discard(child.pid)
        return child.returncode if child.returncode is not None else 1

    async def _end_async(self, child: asyncio.subprocess.Process) -> int:
        if child.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGHUP)
            try:
                await asyncio.wait_for(child.wait(), 5)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                await child.wait()
        self._children.discard(child.pid)
        code = child.returncode if child.returncode is not None else 1
        return code if code >= 0 else 128 - code

    # -- running ----------------------------------------------------------------------

    async def start(self, host_key: asyncssh.SSHKey) -> asyncssh.SSHAcceptor:
        self._acceptor = await asyncssh.create_server(
            self.connection_factory,
            self.settings.host,
            self.settings.port,
            server_host_keys=[host_key],
            process_factory=self.handle,
            encoding=None,
            line_editor=False,
            allow_scp=False,
            agent_forwarding=False,
            x11_forwarding=False,
            login_timeout=60,
            keepalive_interval=30,
            keepalive_count_max=4,
        )
        return self._acceptor

    def stop_children(self) -> None:
        for pid in list(self._children):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGHUP)

    async def close(self) -> None:
        if self._acceptor is not None:
            self._acceptor.close()
            await self._acceptor.wait_closed()
        self.stop_children()
        self._storage_thread.shutdown(wait=False)

"""``plc serve ssh`` and ``plc serve web``: plc serving members from the service
account, when the system's sshd cannot be set up for it."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from logging.handlers import QueueHandler, QueueListener
from pathlib import Path
from queue import Queue

import click
from platformdirs import user_data_dir, user_log_dir

from .. import community
from ..errors import PLCError
from ..runtime import Runtime
from ..server.ssh_keys import SshKeys, check_service_folder
from .state import CliState, pass_state


@click.group()
def serve() -> None:
    """Serve plc to members from this (service) account: `ssh` is plc's own SSH
    server, for when the system's sshd cannot be set up (see `plc ssh-keys`)."""


def _open_log(path: Path) -> QueueListener:
    """Log to ``path`` (0600: who came in when is the admin's to read) and the
    console, from a thread of its own: a console that stops reading (a full pipe, a
    terminal paused with ctrl+s) must never stop the server's sessions."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    form = logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S")
    handlers: list[logging.Handler] = [
        logging.FileHandler(path, encoding="utf-8"),
        logging.StreamHandler(),
    ]
    for handler in handlers:
        handler.setFormatter(form)
    queue: Queue[logging.LogRecord] = Queue()
    listener = QueueListener(queue, *handlers)
    listener.start()
    logger = logging.getLogger("plc.serve")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(QueueHandler(queue))
    return listener


log_option = click.option(
    "--log",
    "log_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Who connected when (default: plc's log folder); also printed.",
)


def _service_community(state: CliState) -> tuple[Runtime, str]:
    """The community this account serves, and its name; its folder is made the
    account's alone (0700) first, as the service-account deployment needs."""
    runtime = state.runtime()
    with runtime.storage.read() as tx:
        name = community.community_name(tx)
    made_private = check_service_folder(
        runtime.data_dir, runtime.raw_storage.sharing.mode, fix=True
    )
    if made_private:
        click.echo(made_private)
    return runtime, name


@serve.command("ssh")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=2222, show_default=True)
@click.option(
    "--host-key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The server's key, made on first start (default: in plc's data folder).",
)
@click.option(
    "--max-sessions",
    type=click.IntRange(1, 2000),
    default=40,
    show_default=True,
    help="Sessions at once; more are told to try again.",
)
@click.option(
    "--idle-minutes",
    type=click.FloatRange(min=0.01),
    default=30.0,
    show_default=True,
    help="Close a session after this long without input.",
)
@log_option
@pass_state
def serve_ssh(
    state: CliState,
    host: str,
    port: int,
    host_key: Path | None,
    max_sessions: int,
    idle_minutes: float,
    log_file: Path | None,
) -> None:
    """Serve plc over SSH: each member comes in with their key
    (`ssh -p PORT SERVER`) and gets the app, or runs a command, as themselves."""
    try:
        from ..server.ssh_server import PlcSshServer, ServeSettings, load_or_make_host_key
    except ImportError:
        raise PLCError(
            "plc serve ssh needs asyncssh: install plc with its server extra, "
            "`pip install 'plc[server]'`."
        ) from None
    runtime, name = _service_community(state)
    keys = SshKeys(runtime.storage, None)
    known = len(keys.all_keys())
    key_path = host_key or Path(user_data_dir("plc")) / "ssh_host_ed25519_key"
    key, made = load_or_make_host_key(key_path)
    log_path = log_file or Path(user_log_dir("plc")) / "serve-ssh.log"
    listener = _open_log(log_path)
    settings = ServeSettings(
        data_dir=runtime.data_dir,
        host=host,
        port=port,
        host_key=key_path,
        max_sessions=max_sessions,
        idle_minutes=idle_minutes,
    )
    server = PlcSshServer(settings, lambda: {r["fingerprint"]: r["login"] for r in keys.all_keys()})
    click.echo(
        f"{'Made' if made else 'Using'} the host key {key_path}: "
        f"{key.get_fingerprint('sha256')} (members see it the first time they connect)."
    )
    import asyncio  # here: every other command starts faster without it

    if not known:
        click.echo("No member has a key yet: add one with `plc ssh-keys add LOGIN KEYFILE`.")
    try:
        asyncio.run(
            _run(
                server,
                key,
                f"Serving {name} on {host}:{port} to {known} key(s); "
                f"log: {log_path}. Ctrl+C stops.",
            )
        )
    except OSError as exc:
        raise PLCError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port "
            "(ports below 1024 need root)."
        ) from None
    finally:
        listener.stop()  # writes what is still queued


async def _run(server: object, key: object, started: str) -> None:
    import asyncio

    from ..server.ssh_server import PlcSshServer

    assert isinstance(server, PlcSshServer)
    await server.start(key)  # type: ignore[arg-type]
    click.echo(started)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        with contextlib.suppress(Exception):
            await server.close()
        logging.getLogger("plc.serve").info("stopped")


@serve.command("web")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--header",
    default="X-Remote-User",
    show_default=True,
    help="The header your signing-in proxy sets to the member's login.",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address people open, when it is the proxy's (e.g. https://plc.school.example).",
)
@log_option
@pass_state
def serve_web(
    state: CliState,
    host: str,
    port: int,
    header: str,
    public_url: str | None,
    log_file: Path | None,
) -> None:
    """Serve the app in browsers, behind a proxy that signs people in.

    Each browser gets plc as the member the proxy names in --header; without
    it, or for someone who is not a member, the page is refused.
    """
    try:
        from ..server.web_server import MemberWebServer
    except ImportError:
        raise PLCError(
            "plc serve web needs textual-serve: install plc with its server extra, "
            "`pip install 'plc[server]'`."
        ) from None
    runtime, name = _service_community(state)
    storage = runtime.storage

    def members() -> set[str]:
        with storage.read() as tx:
            return {m.login for m in community.list_members(tx)}

    log_path = log_file or Path(user_log_dir("plc")) / "serve-web.log"
    listener = _open_log(log_path)
    server = MemberWebServer(
        runtime.data_dir,
        members,
        host=host,
        port=port,
        header=header,
        public_url=public_url,
        title=f"plc — {name}",
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"plc: warning: listening on {host}: anyone who reaches port {port} directly can "
            f"name any member in {header}. Keep it on 127.0.0.1 behind the proxy.",
            err=True,
        )
    click.echo(
        f"Serving {name} on http://{host}:{port} to members named by the {header} header; "
        f"log: {log_path}. Ctrl+C stops."
    )
    try:
        server.serve()
    except OSError as exc:
        raise PLCError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port."
        ) from None
    finally:
        listener.stop()

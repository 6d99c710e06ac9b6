"""``plc serve web``: the app in a browser, through textual-serve, behind a proxy
that signs people in.

plc does no passwords of its own on the web: an authenticating reverse proxy
(the school's single sign-on, or basic auth in nginx) sets a header naming the
person, and each browser connection runs ``plc web-session --member LOGIN`` in a
process of its own, confined as an SSH session is. A request without the
header, or naming someone who is not a member, is refused with 403: the page,
the websocket the app runs over, and downloads alike.

Only textual-serve's public names are used: ``Server`` (its ``handle_index``,
``handle_websocket`` and ``handle_download`` routes) and ``AppService``. The
message loop is the protocol textual-serve's own websocket handler speaks.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from ..errors import PLCError

log = logging.getLogger("plc.serve.web")

DEFAULT_HEADER = "X-Remote-User"


def _int(text: str, default: int) -> int:
    try:
        return max(10, min(int(text), 1000))
    except ValueError:
        return default


class MemberWebServer(Server):
    """A textual-serve server that runs one confined plc per signed-in member."""

    def __init__(
        self,
        data_dir: Path,
        members: Callable[[], set[str]],
        *,
        host: str,
        port: int,
        header: str = DEFAULT_HEADER,
        public_url: str | None = None,
        title: str = "plc",
        python: str = sys.executable,
    ) -> None:
        self.base_command = [python, "-m", "plc_tui", "--db", str(data_dir), "web-session"]
        super().__init__(
            shlex.join(self.base_command), host=host, port=port, title=title, public_url=public_url
        )
        self.header = header
        self._members = members  # read fresh for every request: a removal counts at once
        self._storage_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plc-members")
        self.sessions = 0

    async def member_of(self, request: web.Request) -> str:
        login = request.headers.get(self.header, "").strip()
        peer = request.remote or "?"
        if not login:
            log.info("refused %s %s: no %s header", peer, request.path, self.header)
            raise web.HTTPForbidden(
                text=f"plc: sign in first (no {self.header} header came from the proxy).\n"
            )
        loop = asyncio.get_running_loop()
        try:
            members = await loop.run_in_executor(self._storage_thread, self._members)
        except PLCError as exc:
            log.error("could not read the members: %s", exc.message)
            raise web.HTTPServiceUnavailable(text=f"plc: {exc.message}\n") from None
        if login not in members:
            log.info("refused %s %s: %r is not a member", peer, request.path, login[:64])
            raise web.HTTPForbidden(
                text="plc: you are not a member of this community; ask an admin.\n"
            )
        return login

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        await self.member_of(request)
        return await super().handle_index(request)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        await self.member_of(request)
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        member = await self.member_of(request)  # refused before the upgrade
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width", "80"), 80)
        height = _int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        self.sessions += 1
        log.info("%s came in as %s (%d session(s))", request.remote or "?", member, self.sessions)
        service = AppService(
            shlex.join([*self.base_command, "--member", member]),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        try:
            await service.start(width, height)
            await self._relay(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # one broken session must not stop the server
            log.exception("session of %s failed", member)
        finally:
            await service.stop()
            self.sessions -= 1
            log.info("%s left", member)
        return websocket

    @staticmethod
    async def _relay(websocket: web.WebSocketResponse, service: AppService) -> None:
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            envelope = message.json()
            kind = envelope[0]
            if kind == "stdin":
                await service.send_bytes(envelope[1].encode("utf-8"))
            elif kind == "resize":
                await service.set_terminal_size(envelope[1]["width"], envelope[1]["height"])
            elif kind == "ping":
                await websocket.send_json(["pong", envelope[1]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

"""`plc serve web`: the app in a browser behind a signing-in proxy. Started as a
real process; the proxy is played by the test setting the header, a browser by
aiohttp's client and by Debian's headless Chromium."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from plc_tui.runtime import Runtime
from tests.conftest import log_with
from tests.png import read_png

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

pytestmark = pytest.mark.slow

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _web_sessions(data_dir: Path) -> list[str]:
    found = subprocess.run(["pgrep", "-af", "web-session"], capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if str(data_dir) in line]


@pytest.fixture
def web(runtime: Runtime, data_dir: Path, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start `plc serve web`; returns its base URL."""
    os.chmod(data_dir, 0o700)
    started: list[subprocess.Popen[str]] = []

    def start(*options: str) -> str:
        port = _free_port()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "plc_tui",
                "--db",
                str(data_dir),
                "serve",
                "web",
                "--port",
                str(port),
                "--log",
                str(tmp_path / "web.log"),
                *options,
            ],
            # A file, not a pipe: a pipe nobody reads fills up and stops the server.
            stdout=(tmp_path / f"web-{port}.out").open("a"),
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return f"http://127.0.0.1:{port}"
            assert process.poll() is None, (tmp_path / f"web-{port}.out").read_text()
            time.sleep(0.2)
        raise AssertionError("plc serve web did not start")

    yield start
    for process in started:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


async def _get(url: str, headers: dict[str, str]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as response:
        return response.status, await response.text()


async def _app_text(base: str, headers: dict[str, str], until: str, seconds: float = 40) -> str:
    """What the app draws for a browser, as plain text, once ``until`` shows."""
    ws_url = base.replace("http", "ws") + "/ws?width=80&height=24"
    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url, headers=headers) as ws:
        await ws.send_json(["resize", {"width": 80, "height": 24}])
        seen = b""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                message = await ws.receive(timeout=1)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data
                if until.encode() in ANSI.sub(b"", seen):
                    break
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
        return ANSI.sub(b"", seen).decode(errors="replace")


def test_no_header_or_a_stranger_is_refused_everywhere(web, tmp_path: Path) -> None:
    base = web()
    status, body = asyncio.run(_get(base + "/", {}))
    assert status == 403 and "sign in first" in body
    status, body = asyncio.run(_get(base + "/", {"X-Remote-User": "mallory"}))
    assert status == 403 and "not a member" in body
    status, body = asyncio.run(_get(base + "/", {"X-Remote-User": "t1; rm -rf /"}))
    assert status == 403
    for headers in ({}, {"X-Remote-User": "mallory"}):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            asyncio.run(_app_text(base, headers, "anything", seconds=3))
        assert refused.value.status == 403
    status, body = asyncio.run(_get(base + "/", {"X-Remote-User": "t1"}))
    assert status == 200 and "<html" in body.lower()
    log = log_with(tmp_path / "web.log", "no X-Remote-User header", "'mallory' is not a member")
    assert "no X-Remote-User header" in log and "'mallory' is not a member" in log


def test_each_browser_gets_the_app_as_the_member_the_proxy_names(web, data_dir: Path) -> None:
    base = web()
    coach = asyncio.run(_app_text(base, {"X-Remote-User": "coach1"}, "Casey Coach"))
    assert "Casey Coach" in coach and "coach" in coach
    teacher = asyncio.run(_app_text(base, {"X-Remote-User": "t1"}, "Teacher t1"))
    assert "Teacher t1" in teacher and "Casey Coach" not in teacher
    deadline = time.monotonic() + 15
    while _web_sessions(data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _web_sessions(data_dir) == []  # closing the page ends its plc


def test_the_header_name_is_the_admins_choice_and_a_removed_member_is_out(web, run_cli) -> None:
    base = web("--header", "X-Forwarded-User")
    status, _ = asyncio.run(_get(base + "/", {"X-Remote-User": "t2"}))
    assert status == 403
    status, _ = asyncio.run(_get(base + "/", {"X-Forwarded-User": "t2"}))
    assert status == 200
    assert run_cli("member", "remove", "t2").exit_code == 0
    status, body = asyncio.run(_get(base + "/", {"X-Forwarded-User": "t2"}))
    assert status == 403 and "not a member" in body


# -- a real browser ------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The page asks a font host for a web font: resolve nothing but loopback.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--window-size=1000,560",
]


async def _screenshot(url: str, headers: dict[str, str], out: Path) -> str:
    """Open ``url`` in headless Chromium with ``headers`` (as the proxy would add
    them), wait for the app's first bytes, and save a screenshot; returns the
    page's state."""
    port = _free_port()
    profile = tempfile.mkdtemp(prefix="plc-chromium-")
    browser = subprocess.Popen(
        [
            CHROMIUM or "chromium",
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={port}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as http:
            pages: list[dict[str, str]] = []
            for _ in range(150):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                        pages = [t for t in await response.json() if t["type"] == "page"]
                except aiohttp.ClientError:
                    pages = []
                if pages:
                    break
                await asyncio.sleep(0.1)
            assert pages, "Chromium's DevTools never answered"
            async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                ids = itertools.count(1)

                async def call(method: str, **params: object) -> dict[str, object]:
                    n = next(ids)
                    await ws.send_json({"id": n, "method": method, "params": params})
                    async for message in ws:
                        data = json.loads(message.data)
                        if data.get("id") == n:
                            assert "error" not in data, data
                            return data["result"]
                    raise AssertionError("DevTools closed")

                await call("Network.enable")
                await call("Network.setExtraHTTPHeaders", headers=headers)
                await call("Page.enable")
                await call("Page.navigate", url=url)
                state = ""
                deadline = time.monotonic() + 40
                while time.monotonic() < deadline:
                    result = await call(
                        "Runtime.evaluate",
                        returnByValue=True,
                        expression="document.body ? (document.body.classList.contains("
                        "'-first-byte') ? 'app' : document.body.innerText.slice(0, 100)) : ''",
                    )
                    state = result["result"].get("value", "")  # type: ignore[union-attr]
                    if state == "app" or "plc:" in state:
                        break
                    await asyncio.sleep(0.2)
                await asyncio.sleep(2.0)  # the app draws, and the page fades in
                shot = await call("Page.captureScreenshot", format="png")
                out.write_bytes(base64.b64decode(shot["data"]))  # type: ignore[arg-type]
                return state
    finally:
        browser.terminate()
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_a_real_browser_shows_the_dashboard(web, tmp_path: Path) -> None:
    base = web()
    shot = tmp_path / "dashboard.png"
    assert asyncio.run(_screenshot(base + "/", {"X-Remote-User": "coach1"}, shot)) == "app"
    width, height, rows = read_png(shot.read_bytes())
    assert width == 1000 and height > 300
    # The app's dark theme fills the page, with lines of light text on it: the
    # dashboard's cards, not the white page of a refusal.
    pixels = [row[i : i + 3] for row in rows[::4] for i in range(0, len(row), 12)]
    dark = sum(1 for p in pixels if max(p) < 60)
    light = sum(1 for p in pixels if min(p) > 150)
    assert dark > len(pixels) * 0.6, "the page is not the app's dark screen"
    assert light > len(pixels) * 0.005, "no text on the screen"
    refused = tmp_path / "refused.png"
    state = asyncio.run(_screenshot(base + "/", {}, refused))
    assert "sign in first" in state

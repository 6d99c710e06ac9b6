"""Markup and escape codes typed by people reach other people's screens as plain text.

Every name, title, option and answer below is what a member could type. Each
screen that shows it is opened at 80x24 and its text compared: the brackets
appear literally, nothing is styled by them, no escape code survives, and no
screen crashes on unbalanced markup.
"""

from __future__ import annotations

import html
import re
from datetime import date

from plc_plugins.smart_goals.screens.goal_detail_screen import GoalDetailScreen
from plc_plugins.smart_goals.screens.goal_form_screen import GoalFormScreen
from plc_plugins.smart_goals.service import Goals
from plc_plugins.surveys.screens.builder_screen import BuilderScreen
from plc_plugins.surveys.screens.results_screen import ResultsScreen
from plc_plugins.surveys.screens.take_screen import TakeSurveyScreen
from plc_plugins.surveys.service import Surveys
from textual.widgets import Static

from plc_tui import community
from plc_tui.app import PLCApp
from plc_tui.runtime import Runtime
from tests.conftest import shown_text

EVIL = "[bold red]Evil[/] [link=http://x]here[/link] [/unbalanced \x1b[2J\x1b]0;title\x07"
SHOWN = "[bold red]Evil[/] [link=http://x]here[/link] [/unbalanced"


def visible(app: PLCApp) -> str:
    """The text on screen, from Textual's own SVG screenshot (styles dropped)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def seed(runtime: Runtime) -> tuple[int, int]:
    runtime.today = lambda: date(2026, 11, 24)
    with runtime.storage.transaction() as tx:
        community.edit_member(tx, "t1", name=EVIL)
        team = community.add_team(tx, name="[i]Team[/i]")
        community.edit_member(tx, "t1", add_teams=[team.id])
    runtime.refresh_member()
    surveys = Surveys(runtime.context("surveys"))
    sid = surveys.create(
        {
            "title": EVIL,
            "description": EVIL,
            "threshold": 3,
            "questions": [
                {"id": "q1", "type": "single", "text": EVIL, "options": [EVIL, "[b]two"]},
                {"id": "q2", "type": "long_text", "text": "Why?", "help": EVIL},
            ],
        }
    )
    surveys.open(sid)
    for login in ("t1", "t2", "t3"):
        runtime.login = login
        runtime.refresh_member()
        Surveys(runtime.context("surveys")).submit(sid, {"q1": "[b]two", "q2": EVIL})
    runtime.login = "t1"
    runtime.refresh_member()
    gid = Goals(runtime.context("smart_goals")).add(
        {
            "team": "grade-3",
            "title": EVIL,
            "specific": {"what": EVIL, "for_whom": EVIL},
            "measurable": {"unit": "[%]"},
        }
    )
    return sid, gid


async def test_every_screen_shows_user_text_literally(runtime: Runtime) -> None:
    sid, gid = seed(runtime)
    seen: dict[str, str] = {}
    app = PLCApp(runtime)  # as t1, whose name is the markup
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        seen["dashboard"] = visible(app)
        await pilot.press("1")
        seen["surveys"] = visible(app)
        for name, screen in [
            ("take", TakeSurveyScreen(runtime.context("surveys"), sid)),
            ("goal", GoalDetailScreen(runtime.context("smart_goals"), gid)),
            ("goal form", GoalFormScreen(runtime.context("smart_goals"), gid)),
        ]:
            app.push_screen(screen)
            await pilot.pause()
            seen[name] = visible(app)
        take_text = shown_text(app.screen_stack[-3].query_one("#take-question", Static), 110)
    runtime.login = "admin1"
    runtime.refresh_member()
    app = PLCApp(runtime)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        seen["community"] = visible(app)
        for name, screen in [
            ("results", ResultsScreen(runtime.context("surveys"), sid)),
            ("builder", BuilderScreen(runtime.context("surveys"), sid)),
        ]:
            app.push_screen(screen)
            await pilot.pause()
            seen[name] = visible(app)
        assert not app._notifications  # nothing failed on the way

    for where, text in seen.items():
        assert "0;title" not in text and "\x1b" not in text, where
    # Interpreted markup would have eaten the brackets (or crashed on "[/unbalanced").
    assert "[bold red]Evil[/]" in seen["dashboard"]  # the signed-in member's name
    assert "[i]Team[/i]" in seen["dashboard"] and "[i]Team[/i]" in seen["community"]
    assert SHOWN[:30] in seen["surveys"]
    assert SHOWN in take_text
    assert "[b]two" in seen["take"]
    assert "[b]two" in seen["results"]
    assert "[bold red]Evil[/]" in seen["builder"]
    assert "[bold red]Evil[/]" in seen["goal"] and "Unit: [%]" in seen["goal"]
    assert "[bold red]Evil[/]" in seen["goal form"]


async def test_community_name_in_the_header_is_plain(data_dir, host) -> None:
    from tests.conftest import make_runtime

    runtime = make_runtime(data_dir, host)
    with runtime.storage.transaction() as tx:
        community.init_community(
            tx, name="[b]Maple[/b] \x1b[31mGrove", admin_login="admin1", admin_name="[u]Ann"
        )
    runtime.refresh_member()
    app = PLCApp(runtime)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        text = visible(app)
    assert "[b]Maple[/b] Grove" in text
    assert "[u]Ann" in text

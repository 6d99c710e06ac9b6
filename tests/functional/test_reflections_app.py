"""Reflections in the app, by keyboard with Pilot at 80x24: a leader writes a 5-15
report, shares it, and their coach replies."""

from __future__ import annotations

from datetime import date

import pytest
from plc_plugins.reflections.screens.editor_screen import EditorScreen
from plc_plugins.reflections.screens.reflection_screen import ReflectionScreen
from plc_plugins.reflections.screens.reflections_screen import ReflectionsScreen
from plc_plugins.reflections.screens.share_modal import ShareModal
from plc_plugins.reflections.service import Reflections
from textual.widgets import DataTable

from plc_tui.app import PLCApp
from plc_tui.runtime import Runtime
from plc_tui.widgets.confirm_modal import ConfirmModal
from tests.conftest import burst, shown_text, until

TODAY = date(2026, 11, 24)


def as_login(runtime: Runtime, login: str) -> Runtime:
    runtime.login = login
    runtime.refresh_member()
    return runtime


def showing(app: PLCApp, kind: type) -> bool:
    return isinstance(app.screen, kind) and app.screen.is_mounted


def rows(app: PLCApp) -> list[list[str]]:
    table = next(app.screen.query("#journal").results(DataTable), None)
    if table is None:
        return []
    return [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]


@pytest.fixture
def keyed(runtime: Runtime) -> Runtime:
    runtime.today = lambda: TODAY
    for login in ("admin1", "coach1", "t1", "t2", "t3"):
        runtime.sealing(login).ensure_key()
    return runtime


async def test_a_leader_writes_a_5_15_report_and_shares_it_with_a_coach(keyed: Runtime) -> None:
    app = PLCApp(as_login(keyed, "admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        card = shown_text(app.screen.query_one("#card-reflections"))
        assert "Your 5-15 report is due" in card
        await pilot.press("4")
        await until(pilot, lambda: showing(app, ReflectionsScreen))
        detail = shown_text(app.screen.query_one("#journal-detail"))
        assert "Private to you" in detail and "admins included" in detail
        await pilot.press("n", "1")  # the 5-15 report
        await until(pilot, lambda: showing(app, EditorScreen))
        await burst(pilot, *"I waited before answering.")
        await pilot.press("tab")
        await burst(pilot, *"Ask one question, then wait.")
        await until(pilot, lambda: "9 words" in shown_text(app.screen.query_one("#editor-title")))
        label = shown_text(app.screen.query_one("#label-achievement"))
        assert "Achievement  4 words" in label
        await pilot.press("ctrl+s")
        await until(pilot, lambda: showing(app, ReflectionScreen))
        await until(
            pilot, lambda: "private to you" in shown_text(app.screen.query_one("#reflection-title"))
        )
        text = shown_text(app.screen.query_one("#reflection-text"))
        assert "Achievement\nI waited before answering." in text
        await pilot.press("s")
        await until(pilot, lambda: showing(app, ShareModal))
        await pilot.press("space", "ctrl+s")  # Casey Coach, the only coach
        await until(pilot, lambda: showing(app, ReflectionScreen))
        await until(
            pilot,
            lambda: (
                "shared with Casey Coach" in shown_text(app.screen.query_one("#reflection-title"))
            ),
        )

    coach = Reflections(as_login(keyed, "coach1").context("reflections"))
    (shared,) = coach.shared_with_me()
    assert shared["parts"] == {
        "achievement": "I waited before answering.",
        "plans": "Ask one question, then wait.",
    }


async def test_the_coach_replies_and_the_author_sees_a_new_comment(keyed: Runtime) -> None:
    author = Reflections(as_login(keyed, "t1").context("reflections"))
    rid = author.write("5-15", {"achievement": "Tried the tuning protocol."})
    author.share(rid, "coach1")
    app = PLCApp(as_login(keyed, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        card = shown_text(app.screen.query_one("#card-reflections"))
        assert "1 shared with you, 1 to read or answer" in card
        await pilot.press("4")  # nothing of their own yet: what was shared with them
        await until(pilot, lambda: showing(app, ReflectionsScreen) and len(rows(app)) == 1)
        assert rows(app)[0][2] == "Teacher t1"
        await pilot.press("enter")
        await until(pilot, lambda: showing(app, ReflectionScreen))
        assert app.screen.check_action("share", ()) is False  # not theirs to share
        await pilot.press("c")
        await burst(pilot, *"How did the team take it?")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: showing(app, ReflectionScreen))
        await until(
            pilot,
            lambda: (
                "How did the team take it?" in shown_text(app.screen.query_one("#reflection-text"))
            ),
        )
    app = PLCApp(as_login(keyed, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        card = shown_text(app.screen.query_one("#card-reflections"))
        assert "1 new comment from your coach" in card
        await pilot.press("4")
        await until(pilot, lambda: showing(app, ReflectionsScreen) and len(rows(app)) == 1)
        assert rows(app)[0][3] == "1 (1 new)"


async def test_an_unsaved_report_comes_back_as_a_draft(keyed: Runtime) -> None:
    app = PLCApp(as_login(keyed, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: showing(app, ReflectionsScreen))
        await pilot.press("n", "1")
        await until(pilot, lambda: showing(app, EditorScreen))
        await burst(pilot, *"Half a thought")
        await pilot.pause(2)  # the draft is kept a moment after the last key
        await pilot.press("escape")
        await until(pilot, lambda: showing(app, ConfirmModal))
        await pilot.press("enter")
        await until(pilot, lambda: showing(app, ReflectionsScreen))
        await pilot.press("n", "1")
        await until(pilot, lambda: showing(app, EditorScreen))
        box = app.screen.query_one("#part-achievement")
        assert box.text == "Half a thought"
        assert any("unsaved draft" in n.message for n in app._notifications)
    service = Reflections(as_login(keyed, "coach1").context("reflections"))
    assert service.mine() == []  # a draft is not a reflection until saved


async def test_search_and_one_part_over_a_term(keyed: Runtime) -> None:
    service = Reflections(as_login(keyed, "coach1").context("reflections"))
    for day, challenge in (
        ("2026-10-01", "Time for data"),
        ("2026-10-15", "Trust"),
        ("2026-11-01", "Time"),
    ):
        service.write(
            "5-15", {"achievement": "Something", "challenges": challenge}, date.fromisoformat(day)
        )
    app = PLCApp(as_login(keyed, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: showing(app, ReflectionsScreen) and len(rows(app)) == 3)
        await pilot.press("f")
        await burst(pilot, *"chall")
        await pilot.press("enter", "ctrl+s")
        await until(pilot, lambda: showing(app, ReflectionsScreen))
        await until(pilot, lambda: rows(app) and rows(app)[0][4] == "Time")
        assert [r[4] for r in rows(app)] == ["Time", "Trust", "Time for data"]
        await pilot.press("slash")
        await burst(pilot, *"time")
        await until(pilot, lambda: len(rows(app)) == 2)
        await pilot.press("escape")
        await until(pilot, lambda: len(rows(app)) == 3)


async def test_an_admin_cannot_read_a_private_reflection(keyed: Runtime) -> None:
    author = Reflections(as_login(keyed, "t1").context("reflections"))
    author.write("journal", {"entry": "Private thoughts"})
    app = PLCApp(as_login(keyed, "admin1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: showing(app, ReflectionsScreen))
        await pilot.press("v")
        await pilot.pause(0.3)
        assert rows(app) == []


async def test_a_lost_key_is_said_on_the_card_with_what_to_do(keyed: Runtime) -> None:
    author = Reflections(as_login(keyed, "t1").context("reflections"))
    author.write("journal", {"entry": "Private thoughts"})
    (keyed.sealing("t1").keys.folder / "member-key.json").unlink()
    app = PLCApp(as_login(keyed, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        card = shown_text(app.screen.query_one("#card-reflections"))  # 76 columns
        assert "Your private key is missing from this computer." in card
        assert "Restore your backup: plc keys restore FILE" in card


async def test_unchoosing_a_coach_makes_this_one_private_even_with_a_standing_rule(
    keyed: Runtime,
) -> None:
    author = Reflections(as_login(keyed, "t1").context("reflections"))
    older = author.write("5-15", {"achievement": "Older"}, date(2026, 11, 1))
    author.share_template("5-15", "coach1")
    rid = author.write("5-15", {"achievement": "Newer"})
    app = PLCApp(as_login(keyed, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ReflectionScreen(keyed.context("reflections"), rid))
        await until(pilot, lambda: showing(app, ReflectionScreen))
        await pilot.press("s")
        await until(pilot, lambda: showing(app, ShareModal))
        await pilot.press("space", "ctrl+s")  # this reflection: Casey Coach off
        await until(pilot, lambda: showing(app, ReflectionScreen))
        await until(pilot, lambda: any("private to you" in n.message for n in app._notifications))
    coach = Reflections(as_login(keyed, "coach1").context("reflections"))
    assert [r["id"] for r in coach.shared_with_me()] == [older]


async def test_a_reflection_unshared_while_the_coach_reads_it_closes_with_a_message(
    keyed: Runtime,
) -> None:
    author = Reflections(as_login(keyed, "t1").context("reflections"))
    rid = author.write("5-15", {"achievement": "Soon private again"})
    author.share(rid, "coach1")
    app = PLCApp(as_login(keyed, "coach1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: showing(app, ReflectionsScreen) and len(rows(app)) == 1)
        await pilot.press("enter")
        await until(pilot, lambda: showing(app, ReflectionScreen))
        Reflections(as_login(keyed, "t1").context("reflections")).unshare(rid, "coach1")
        as_login(keyed, "coach1")
        app.screen.refresh_data()  # as after the comment dialog closes, or a change arrives
        await until(pilot, lambda: showing(app, ReflectionsScreen))
        assert any("private to its author" in n.message for n in app._notifications)


async def test_the_editor_says_who_will_read_a_new_report(keyed: Runtime) -> None:
    Reflections(as_login(keyed, "t1").context("reflections")).share_template("5-15", "coach1")
    app = PLCApp(as_login(keyed, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(EditorScreen(keyed.context("reflections"), "5-15"))
        await until(pilot, lambda: showing(app, EditorScreen))
        title = shown_text(app.screen.query_one("#editor-title"))
        assert "5-15 report · 0 words · shared with Casey Coach" in title
        # Typed and saved in one burst: every key typed before ctrl+s is in the report.
        await burst(pilot, *"All of this", "ctrl+s")
        await until(pilot, lambda: showing(app, ReflectionScreen))
    (row,) = Reflections(as_login(keyed, "t1").context("reflections")).mine()
    assert row["parts"] == {"achievement": "All of this"}


async def test_tab_goes_round_the_parts_and_no_typing_is_lost(keyed: Runtime) -> None:
    app = PLCApp(as_login(keyed, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(EditorScreen(keyed.context("reflections"), "5-15"))
        await until(pilot, lambda: showing(app, EditorScreen))
        parts = ["achievement", "plans", "challenges", "opportunities"]
        for n, part in enumerate(parts):
            await burst(pilot, *part[:4])
            if n < len(parts) - 1:
                await pilot.press("tab")
        await pilot.press("tab")  # from the last part: round to the first, nowhere else
        assert app.focused is app.screen.query_one("#part-achievement")
        await burst(pilot, *"!", "ctrl+s")
        await until(pilot, lambda: showing(app, ReflectionScreen))
    (row,) = Reflections(as_login(keyed, "t1").context("reflections")).mine()
    assert row["parts"] == {
        "achievement": "achi!",
        "plans": "plan",
        "challenges": "chal",
        "opportunities": "oppo",
    }


async def test_a_part_near_its_length_limit_says_how_much_is_left(keyed: Runtime) -> None:
    from textual.widgets import TextArea

    app = PLCApp(as_login(keyed, "t1"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(EditorScreen(keyed.context("reflections"), "5-15"))
        await until(pilot, lambda: showing(app, EditorScreen))
        box = app.screen.query_one("#part-plans", TextArea)
        box.text = "word " * 1_000  # 5,000 characters: nothing said
        await pilot.pause()
        assert "characters" not in shown_text(app.screen.query_one("#label-plans"))
        box.text = "word " * 1_700
        await until(pilot, lambda: "characters" in shown_text(app.screen.query_one("#label-plans")))
        assert "8,500 of 10,000 characters" in shown_text(app.screen.query_one("#label-plans"))

"""Saving an export from the app: asked where, never replaced silently."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from plc_plugins.surveys.service import Surveys
from textual.pilot import Pilot
from textual.widgets import Input, Static

from plc_tui.app import PLCApp
from plc_tui.errors import PLCError
from plc_tui.runtime import Runtime
from plc_tui.widgets.save_file_modal import SaveFileModal, write_file
from tests.conftest import shown_text

PULSE = {
    "title": "Grade 3 pulse",
    "threshold": 3,
    "audience": {},
    "questions": [{"id": "norms", "type": "likert", "text": "We kept our norms."}],
}


async def until_saved(pilot: Pilot[None], path: Path) -> None:
    for _ in range(60):
        await pilot.pause(0.05)
        if any(f"to {path}" in n.message for n in pilot.app._notifications):
            return
    notes = [n.message for n in pilot.app._notifications]
    raise AssertionError(f"no notice that {path} was saved: {notes}")


@pytest.fixture
def sid(runtime: Runtime) -> int:
    runtime.today = lambda: date(2026, 11, 24)
    service = Surveys(runtime.context("surveys"))
    sid = service.create(PULSE)
    service.open(sid)
    for login in ("t1", "t2", "t3"):
        runtime.login = login
        runtime.refresh_member()
        Surveys(runtime.context("surveys")).submit(sid, {"norms": 4})
    runtime.login = "admin1"
    runtime.refresh_member()
    return sid


async def test_an_export_goes_where_the_person_says_and_replacing_asks(
    runtime: Runtime, sid: int
) -> None:
    downloads = Path.home() / "Downloads"
    downloads.mkdir()
    target = downloads / f"survey-{sid}.csv"
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "m", "s")
        assert isinstance(app.screen, SaveFileModal)
        assert app.screen.query_one("#save-path", Input).value == str(target)
        await pilot.press("enter")
        await until_saved(pilot, target)
        assert target.read_text("utf-8").startswith("response")
        target.write_text("kept", "utf-8")
        await pilot.press("s", "enter")  # the file exists: asked, not replaced
        modal = app.screen
        assert isinstance(modal, SaveFileModal)
        assert "already exists" in shown_text(modal.query_one("#save-warning", Static), 200)
        assert target.read_text("utf-8") == "kept"
        await pilot.press("enter")  # replace, as asked
        await pilot.pause(0.3)
        assert target.read_text("utf-8").startswith("response")
        assert not list(downloads.glob(".*.part"))


async def test_a_folder_that_does_not_exist_is_said_and_nothing_is_written(
    runtime: Runtime, sid: int
) -> None:
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "m", "s")
        field = app.screen.query_one("#save-path", Input)
        field.value = str(Path.home() / "no such folder" / "x.csv")
        await pilot.press("enter")
        assert isinstance(app.screen, SaveFileModal)
        assert "does not exist" in shown_text(app.screen.query_one("#save-warning", Static), 200)
        await pilot.press("escape")
        assert not isinstance(app.screen, SaveFileModal)
    assert not (Path.home() / "no such folder").exists()


def test_write_file_is_all_or_nothing_and_refuses_to_replace(tmp_path: Path) -> None:
    target = tmp_path / "goals.md"
    write_file(target, "first", replace=False)
    with pytest.raises(PLCError, match="already exists"):
        write_file(target, "second", replace=False)
    assert target.read_text() == "first"
    blocker = tmp_path / "a file"
    blocker.write_text("")
    with pytest.raises(PLCError, match="does not exist"):
        write_file(blocker / "goals.md", "x", replace=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a file", "goals.md"]


def test_a_private_export_is_readable_by_its_owner_alone(tmp_path: Path) -> None:
    import stat

    shared, private = tmp_path / "goals.md", tmp_path / "reflection.md"
    write_file(shared, "goals", replace=False)
    write_file(private, "my reflection", replace=False, private=True)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(shared.stat().st_mode) & 0o044  # others may read a goals sheet


async def test_a_session_served_over_ssh_saves_no_file_on_the_server(
    runtime: Runtime, sid: int
) -> None:
    from plc_tui.server import confinement

    confinement.confine("admin1", "SSH")
    downloads = Path.home() / "Downloads"
    downloads.mkdir()
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "m", "s")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, SaveFileModal)  # not even asked where
        notes = [n.message for n in app._notifications]
        assert any("cannot save files on the server" in n for n in notes), notes
        assert any("ssh plc@SERVER help" in n for n in notes), notes
    assert list(downloads.iterdir()) == []
    with pytest.raises(PLCError, match="cannot open files on the server"):
        write_file(downloads / "x.csv", "text", replace=False)

"""`plc keys ...`: a member's key for private text, its backup and its loss."""

from __future__ import annotations

import stat
from pathlib import Path

from plc_tui.runtime import Runtime


def test_back_up_lose_and_restore_a_key(run_cli, runtime: Runtime, tmp_path: Path) -> None:
    shown = run_cli("keys", "show", login="t1")
    assert shown.exit_code == 0 and shown.output.startswith("Your key: ")
    fingerprint = shown.output.splitlines()[0].removeprefix("Your key: ")
    backup = tmp_path / "key.txt"
    saved = run_cli("keys", "backup", str(backup), login="t1")
    assert saved.exit_code == 0, saved.stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    again = run_cli("keys", "backup", str(backup), login="t1")
    assert again.exit_code == 1 and "already exists" in again.stderr  # never replaced

    runtime.sealing("t1").keys.delete("member-key")  # a wiped home folder
    lost = run_cli("keys", "show", login="t1")
    assert lost.exit_code == 1 and "plc keys restore FILE" in lost.stderr
    assert lost.stderr.count("\n") == 1
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not a key\n")
    refused = run_cli("keys", "restore", str(wrong), login="t1")
    assert refused.exit_code == 1 and "not a plc key backup" in refused.stderr
    restored = run_cli("keys", "restore", str(backup), login="t1")
    assert restored.exit_code == 0 and fingerprint in restored.output
    assert run_cli("keys", "show", login="t1").output.startswith(f"Your key: {fingerprint}")


def test_a_new_key_asks_first_and_replaces_the_published_one(run_cli, runtime: Runtime) -> None:
    before = run_cli("keys", "show", login="t2").output.splitlines()[0]
    declined = run_cli("keys", "new", login="t2", input="n\n")
    assert declined.exit_code == 1
    assert run_cli("keys", "show", login="t2").output.splitlines()[0] == before
    made = run_cli("keys", "new", "--yes", login="t2")
    assert made.exit_code == 0 and made.output.startswith("Your new key: ")
    assert run_cli("keys", "show", login="t2").output.splitlines()[0] != before

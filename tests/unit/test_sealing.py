"""Sealed text: readable by its readers alone, even to someone reading the files."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from plc_tui.errors import PermissionDenied, ValidationError
from plc_tui.runtime import Runtime
from plc_tui.sealing import KeyMissing, fingerprint

SECRET = "I keep avoiding the hard conversation with the Grade 4 team"


def every_data_file(data_dir: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in data_dir.rglob("*") if p.is_file()
    )


def test_a_value_sealed_to_two_readers_opens_for_them_alone(
    runtime: Runtime, data_dir: Path
) -> None:
    coach = runtime.sealing("coach1")
    coach.ensure_key()  # the coach has opened plc once
    author = runtime.sealing("t1")
    envelope = author.seal({"text": SECRET}, ["t1", "coach1"])
    assert author.open(envelope) == {"text": SECRET}
    assert coach.open(envelope) == {"text": SECRET}
    runtime.sealing("admin1").ensure_key()
    with pytest.raises(PermissionDenied, match="not shared with you"):
        runtime.sealing("admin1").open(envelope)
    with runtime.storage.transaction() as tx:
        tx.table("core", "community").insert({"envelope": envelope})  # as a plugin stores it
    assert SECRET not in every_data_file(data_dir)
    assert "hard conversation" not in every_data_file(data_dir)
    assert author.readers(envelope) == ["coach1", "t1"]


def test_a_reader_removed_cannot_open_what_is_sealed_again(runtime: Runtime) -> None:
    runtime.sealing("coach1").ensure_key()
    author = runtime.sealing("t1")
    envelope = author.seal({"text": SECRET}, ["t1", "coach1"])
    envelope = runtime.sealing("coach1").add_item(envelope, "What would help you start it?")
    resealed = author.reseal(envelope, ["t1"])
    assert author.open(resealed) == {"text": SECRET}
    assert author.open_items(resealed) == [("coach1", "What would help you start it?")]
    with pytest.raises(PermissionDenied):
        runtime.sealing("coach1").open(resealed)
    # The value itself is under a new key: the coach's old key opens nothing new.
    assert resealed["value"] != envelope["value"]


def test_sealing_to_someone_without_a_key_says_who_must_open_plc(runtime: Runtime) -> None:
    with pytest.raises(ValidationError, match="coach1 has no key yet"):
        runtime.sealing("t1").seal({"text": SECRET}, ["t1", "coach1"])
    with pytest.raises(ValidationError, match="could not read back yourself"):
        runtime.sealing("t1").seal({"text": SECRET}, ["coach1"])


def test_the_private_key_is_the_members_alone_and_can_be_backed_up(runtime: Runtime) -> None:
    sealing = runtime.sealing("t1")
    public = sealing.ensure_key()
    key_file = sealing.keys.folder / "member-key.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(sealing.keys.folder.stat().st_mode) == 0o700
    envelope = sealing.seal({"text": SECRET}, ["t1"])
    backup = sealing.backup()
    key_file.unlink()  # a lost laptop, a wiped home folder
    with pytest.raises(KeyMissing, match="plc keys restore FILE"):
        sealing.open(envelope)
    with pytest.raises(KeyMissing, match="plc keys restore FILE"):
        sealing.ensure_key()  # no silent new key: what was sealed would be lost
    other = runtime.sealing("t2")
    other.ensure_key()
    with pytest.raises(ValidationError, match="not your published key"):
        sealing.restore(other.backup())
    with pytest.raises(ValidationError, match="not a plc key backup"):
        sealing.restore("hello")
    assert sealing.restore(backup) == public
    assert sealing.open(envelope) == {"text": SECRET}
    assert len(fingerprint(public)) == 19


def test_a_new_key_after_a_loss_leaves_old_values_unreadable_and_says_so(
    runtime: Runtime,
) -> None:
    sealing = runtime.sealing("t1")
    sealing.ensure_key()
    envelope = sealing.seal({"text": SECRET}, ["t1"])
    (sealing.keys.folder / "member-key.json").unlink()
    sealing.new_key()
    with pytest.raises(KeyMissing, match="older key"):
        sealing.open(envelope)
    fresh = sealing.seal({"text": "new"}, ["t1"])
    assert sealing.open(fresh) == {"text": "new"}


def test_another_members_key_only_on_a_demo(runtime: Runtime) -> None:
    with pytest.raises(PermissionDenied, match="theirs alone"):
        runtime.context("reflections").sealing_for("t1")


def test_a_start_with_the_published_key_here_does_not_load_pynacl(
    runtime: Runtime, data_dir: Path
) -> None:
    import json
    import os
    import subprocess
    import sys

    from plc_tui.sealing import KEY_DOCUMENT

    coach = runtime.sealing("coach1")
    public = coach.ensure_key()
    doc = coach.keys.get(KEY_DOCUMENT)
    assert doc is not None and "public" in doc  # what a start compares with
    script = (
        "import json, sys\n"
        "from plc_tui.plugins import PluginHost\n"
        "from plc_tui.runtime import Runtime\n"
        "host = PluginHost(use_entry_points=False)\n"
        f"runtime = Runtime({str(data_dir)!r}, host=host, login='coach1')\n"
        "public = runtime.sealing().ensure_key()\n"
        "print(json.dumps([public.hex(), 'nacl' in sys.modules]))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy()
    )
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout) == [public.hex(), False]

"""A community moved to another folder, or restored on another server, keeps its
members' private keys and unfinished answers: their folders are named by the
community's id, kept in its own files, not by where the data directory is."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tinydb import Query

from plc_tui.private_store import community_key, private_root
from plc_tui.runtime import Runtime


@pytest.fixture
def keyed(runtime: Runtime) -> Runtime:
    """Every seeded member has opened plc once (so has a key)."""
    for login in ("admin1", "coach1", "t1", "t2", "t3"):
        runtime.sealing(login).ensure_key()
    return runtime


def _community_doc(data_dir: Path) -> dict:
    docs = json.loads((data_dir / "core" / "community.json").read_text("utf-8"))["_default"]
    return next(iter(docs.values()))


def _private_reflection(run_cli, tmp_path: Path) -> str:
    parts = tmp_path / "parts.json"
    parts.write_text(json.dumps({"achievement": "Waited for answers.", "plans": "Ask why."}))
    made = run_cli("reflect", "new", "--file", str(parts), login="t1")
    assert made.exit_code == 0, made.stderr
    return made.stdout.strip()


def _show_at(run_cli, path: Path, rid: str):
    return run_cli("--db", str(path), "reflect", "show", rid, login="t1", db=False)


def _as_older_plc_left_it(runtime: Runtime, data_dir: Path, old_path: Path) -> None:
    """The community as a plc before community ids wrote it: no id (schema 1), and
    each member's private folder named by the data directory's path then."""
    cid = _community_doc(data_dir)["id"]
    with runtime.storage.transaction() as tx:
        tx.table("core", "community").update(lambda doc: doc.pop("id"))
        tx.table("core", "schema").update({"version": 1}, Query().key == "core/community")
    (private_root() / f"community-{cid}").rename(private_root() / community_key(old_path))


def test_a_moved_community_opens_what_was_sealed_before(
    run_cli, keyed: Runtime, data_dir: Path, tmp_path: Path
) -> None:
    rid = _private_reflection(run_cli, tmp_path)
    cid = _community_doc(data_dir)["id"]
    assert (private_root() / f"community-{cid}" / "t1" / "_keys" / "member-key.json").exists()

    moved = tmp_path / "new-disk" / "plc"
    moved.parent.mkdir()
    shutil.move(data_dir, moved)
    shown = _show_at(run_cli, moved, rid)
    assert shown.exit_code == 0, shown.stderr
    assert "Waited for answers." in shown.output
    assert _community_doc(moved)["id"] == cid
    assert not (private_root() / community_key(moved)).exists()


def test_an_older_communitys_private_folders_are_renamed_to_its_new_id(
    run_cli, keyed: Runtime, data_dir: Path, tmp_path: Path
) -> None:
    rid = _private_reflection(run_cli, tmp_path)
    _as_older_plc_left_it(keyed, data_dir, old_path=data_dir)
    assert "id" not in _community_doc(data_dir)

    shown = _show_at(run_cli, data_dir, rid)
    assert shown.exit_code == 0, shown.stderr
    assert "Waited for answers." in shown.output
    cid = _community_doc(data_dir)["id"]  # given by the migration to schema 2
    assert (private_root() / f"community-{cid}" / "t1" / "_keys" / "member-key.json").exists()
    assert not (private_root() / community_key(data_dir)).exists()


def test_a_community_moved_before_it_had_an_id_finds_its_members_keys(
    run_cli, keyed: Runtime, data_dir: Path, tmp_path: Path
) -> None:
    rid = _private_reflection(run_cli, tmp_path)
    _as_older_plc_left_it(keyed, data_dir, old_path=tmp_path / "where-it-was")
    # A namesake's key in another community, found first: not theirs, so not taken.
    other = private_root() / "0000000000000000" / "t1" / "_keys"
    other.mkdir(parents=True)
    theirs = private_root() / community_key(tmp_path / "where-it-was") / "t1" / "_keys"
    key = json.loads((theirs / "member-key.json").read_text("utf-8"))
    decoy = {**key, "public": "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="}
    (other / "member-key.json").write_text(json.dumps(decoy), "utf-8")

    shown = _show_at(run_cli, data_dir, rid)
    assert shown.exit_code == 0, shown.stderr
    assert "Waited for answers." in shown.output
    cid = _community_doc(data_dir)["id"]
    adopted = private_root() / f"community-{cid}" / "t1" / "_keys" / "member-key.json"
    assert json.loads(adopted.read_text("utf-8"))["public"] == key["public"]
    assert (theirs / "member-key.json").exists()  # copied, not taken from the other folder


def test_a_lost_key_is_still_reported_when_no_folder_holds_it(
    run_cli, keyed: Runtime, data_dir: Path, tmp_path: Path
) -> None:
    rid = _private_reflection(run_cli, tmp_path)
    cid = _community_doc(data_dir)["id"]
    (private_root() / f"community-{cid}" / "t1" / "_keys" / "member-key.json").unlink()
    shown = _show_at(run_cli, data_dir, rid)
    assert shown.exit_code == 1
    assert "plc keys restore FILE" in shown.stderr and shown.stderr.count("\n") == 1

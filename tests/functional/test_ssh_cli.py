"""`plc ssh-keys` and `plc ssh-session`, in process: who a key lets in, and what a
member who came in over SSH can and cannot reach.

The same flows against a real sshd, as real OS users, are in test_ssh_server.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from plc_tui.runtime import Runtime
from plc_tui.server.ssh_keys import BLOCK_BEGIN
from tests.unit.test_ssh_keys import ed25519_line


@pytest.fixture
def service(runtime: Runtime, data_dir: Path, tmp_path: Path) -> Path:
    """The community as a service account keeps it; returns its authorized_keys."""
    os.chmod(data_dir, 0o700)
    return tmp_path / "home" / ".ssh" / "authorized_keys"


def key_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.pub"
    path.write_text(ed25519_line(f"{name}@laptop") + "\n")
    return path


def session(run_cli, monkeypatch, member: str, command: str, input: str | None = None):
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", command)
    return run_cli("ssh-session", "--member", member, login="svc", input=input)


def test_an_admin_adds_lists_and_removes_keys(run_cli, service: Path, tmp_path: Path) -> None:
    service.parent.mkdir(parents=True)
    service.write_text("ssh-ed25519 AAAAkeptline admin@desk\n")
    ak = ("--authorized-keys", str(service))
    added = run_cli("ssh-keys", "add", "t1", str(key_file(tmp_path, "t1")), *ak)
    assert added.exit_code == 0, added.stderr
    assert "for t1" in added.output and "lets in 1 key(s)" in added.output
    run_cli("ssh-keys", "add", "coach1", str(key_file(tmp_path, "coach1")), *ak)
    lines = service.read_text().splitlines()
    assert lines[0] == "ssh-ed25519 AAAAkeptline admin@desk"  # the account's own key stays
    assert lines[1] == BLOCK_BEGIN
    assert sum("ssh-session --member t1" in ln for ln in lines) == 1
    assert sum("ssh-session --member coach1" in ln for ln in lines) == 1

    listed = json.loads(run_cli("ssh-keys", "list", "--format", "json").output)
    assert [(r["login"], r["added_by"], r["member"]) for r in listed] == [
        ("coach1", "admin1", True),
        ("t1", "admin1", True),
    ]
    table = run_cli("ssh-keys", "list").output
    assert listed[1]["fingerprint"] in table  # whole, to copy into `remove`

    removed = run_cli("ssh-keys", "remove", listed[1]["fingerprint"], *ak)
    assert removed.exit_code == 0 and "(t1)" in removed.output
    text = service.read_text()
    assert "--member t1" not in text and "--member coach1" in text
    assert text.startswith("ssh-ed25519 AAAAkeptline")


def test_keys_are_refused_for_the_wrong_person_or_the_wrong_key(
    run_cli, service: Path, tmp_path: Path
) -> None:
    ak = ("--authorized-keys", str(service))
    pub = str(key_file(tmp_path, "t1"))
    teacher = run_cli("ssh-keys", "add", "t1", pub, *ak, login="t1")
    assert teacher.exit_code == 1 and "it takes an admin" in teacher.stderr
    unknown = run_cli("ssh-keys", "add", "nobody", pub, *ak)
    assert unknown.exit_code == 1 and "no member with login 'nobody'" in unknown.stderr
    assert run_cli("ssh-keys", "add", "t1", pub, *ak).exit_code == 0
    twice = run_cli("ssh-keys", "add", "t2", pub, *ak)
    assert twice.exit_code == 1 and "already t1's" in twice.stderr
    private = tmp_path / "id_ed25519"
    private.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nxx\n")
    leaked = run_cli("ssh-keys", "add", "t2", str(private), *ak)
    assert leaked.exit_code == 1 and "never share it" in leaked.stderr
    assert service.read_text().count("ssh-session") == 1


def test_a_folder_others_can_open_is_made_private_when_the_first_key_is_added(
    run_cli, runtime: Runtime, data_dir: Path, tmp_path: Path
) -> None:
    os.chmod(data_dir, 0o755)
    ak = ("--authorized-keys", str(tmp_path / "ak"))
    added = run_cli("ssh-keys", "add", "t1", str(key_file(tmp_path, "t1")), *ak)
    assert added.exit_code == 0 and "private to this account (it was 755)" in added.output
    assert data_dir.stat().st_mode & 0o777 == 0o700


def test_a_community_shared_with_a_group_takes_no_ssh_keys(
    run_cli, runtime: Runtime, tmp_path: Path
) -> None:
    runtime.raw_storage.share("group", os.getgid())
    added = run_cli("ssh-keys", "add", "t1", str(key_file(tmp_path, "t1")))
    assert added.exit_code == 1 and "shared with a group" in added.stderr


def test_a_session_runs_the_command_as_the_member_the_key_names(run_cli, service, monkeypatch):
    shown = session(run_cli, monkeypatch, "t1", "whoami --format json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.output)["login"] == "t1"
    typed_plc = session(run_cli, monkeypatch, "coach1", "plc whoami --format json")
    assert json.loads(typed_plc.output)["role"] == "coach"
    # The member's role decides, as in the app: a teacher adds no one.
    added = session(run_cli, monkeypatch, "t1", "member add t9 --name Nine")
    assert added.exit_code == 1 and "it takes an admin" in added.stderr


@pytest.mark.parametrize(
    "command",
    ["--as admin1 whoami", "whoami --db=/tmp", "--demo survey list", "--debug whoami"],
)
def test_a_session_refuses_options_that_change_who_or_where(
    run_cli, service, monkeypatch, command: str
) -> None:
    refused = session(run_cli, monkeypatch, "t1", command)
    assert refused.exit_code == 2
    assert "cannot be given over SSH" in refused.stderr


@pytest.mark.parametrize("command", ["demo", "init --name X", "ssh-session --member admin1"])
def test_a_session_refuses_the_servers_own_commands(run_cli, service, monkeypatch, command):
    refused = session(run_cli, monkeypatch, "admin1", command)
    assert refused.exit_code == 2 and "run on the server by its admin" in refused.stderr


def test_a_session_names_no_file_on_the_server(
    run_cli, service, monkeypatch, tmp_path: Path
) -> None:
    target = tmp_path / "authorized_keys2"
    for command in (
        f"keys backup {target}",
        f"goal export -o {target}",
        f"survey import {tmp_path / 'service-secret.json'}",
        f"ssh-keys sync --authorized-keys {target}",
    ):
        refused = session(run_cli, monkeypatch, "admin1", command)
        assert refused.exit_code != 0, command
        assert "cannot open files on the server" in refused.stderr, (command, refused.stderr)
    assert not target.exists()
    # stdin and stdout are the way in and out.
    backup = session(run_cli, monkeypatch, "t1", "keys backup -")
    assert backup.exit_code == 0 and backup.output.startswith("plc key backup")


def test_a_session_starts_no_editor_but_takes_text_on_stdin(run_cli, service, monkeypatch):
    monkeypatch.setenv("EDITOR", "sh -c 'touch /tmp/plc-editor-ran'")
    refused = session(run_cli, monkeypatch, "coach1", "reflect new --template journal")
    assert refused.exit_code == 1 and "cannot start an editor" in refused.stderr
    written = session(
        run_cli,
        monkeypatch,
        "coach1",
        "reflect new --template journal --file -",
        input=json.dumps({"entry": "Walked grade 3 rooms."}),
    )
    assert written.exit_code == 0, written.stderr
    mine = session(run_cli, monkeypatch, "coach1", "reflect list --format json")
    assert len(json.loads(mine.output)) == 1
    theirs = session(run_cli, monkeypatch, "t1", "reflect list --format json")
    assert json.loads(theirs.output) == []


def test_a_removed_members_key_opens_nothing(run_cli, service, monkeypatch) -> None:
    assert run_cli("member", "remove", "t2").exit_code == 0
    refused = session(run_cli, monkeypatch, "t2", "whoami")
    assert refused.exit_code == 1 and "not a member of Test School" in refused.stderr


def test_a_session_without_a_command_or_terminal_says_how_to_connect(
    run_cli, service, monkeypatch
) -> None:
    refused = session(run_cli, monkeypatch, "t1", "")
    assert refused.exit_code == 1 and "needs a terminal" in refused.stderr


def test_a_session_refuses_a_folder_others_can_open(run_cli, service, data_dir, monkeypatch):
    os.chmod(data_dir, 0o755)
    refused = session(run_cli, monkeypatch, "t1", "whoami")
    assert refused.exit_code == 1 and "chmod 700" in refused.stderr


def test_help_over_ssh_shows_what_a_member_can_run(run_cli, service, monkeypatch) -> None:
    shown = session(run_cli, monkeypatch, "t1", "help")
    assert shown.exit_code == 0
    text = " ".join(shown.output.split())
    assert "plc over SSH" in text and "quote a value with spaces twice" in text
    for hidden in ("--as", "--db", "--demo", "--debug", " demo ", " init ", "ssh-session"):
        assert hidden not in shown.output, hidden
    assert " survey " in shown.output and " whoami " in shown.output
    one = session(run_cli, monkeypatch, "t1", "help goal")
    assert one.exit_code == 0 and "check-in" in one.output
    # Outside a session the full help is back.
    assert "--as LOGIN" in run_cli("--help").output


def test_a_removed_key_opens_nothing_even_with_the_forced_command(
    run_cli, service: Path, tmp_path: Path, monkeypatch
) -> None:
    ak = ("--authorized-keys", str(service))
    run_cli("ssh-keys", "add", "t1", str(key_file(tmp_path, "t1")), *ak)
    line = next(ln for ln in service.read_text().splitlines() if "--member t1" in ln)
    fingerprint = line.split("--key ", 1)[1].split('"', 1)[0]
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "whoami")
    argv = ("ssh-session", "--member", "t1", "--key", fingerprint)
    assert run_cli(*argv, login="svc").exit_code == 0
    run_cli("ssh-keys", "remove", "t1", *ak)
    refused = run_cli(*argv, login="svc")
    assert refused.exit_code == 1 and "this key was removed" in refused.stderr


async def test_removing_the_key_ends_a_running_app_session(
    runtime: Runtime, service: Path, tmp_path: Path
) -> None:
    from plc_tui.app import PLCApp
    from plc_tui.server import confinement
    from plc_tui.server.ssh_keys import SshKeys, parse_public_key

    key = parse_public_key(key_file(tmp_path, "t1").read_text())
    SshKeys(runtime.storage, runtime.member).add("t1", key)
    runtime.login, runtime.served_key = "t1", key.fingerprint
    runtime.refresh_member()
    confinement.confine("t1", "SSH")
    app = PLCApp(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        runtime.login = "admin1"  # the admin, elsewhere, removes the key
        runtime.refresh_member()
        SshKeys(runtime.storage, runtime.member).remove("t1")
        runtime.login = "t1"
        for _ in range(60):
            await pilot.pause(0.1)
            if app.return_code is not None:
                break
    assert app.return_code == 1


def test_init_for_a_service_account_keeps_the_folder_private(run_cli, tmp_path: Path) -> None:
    data = tmp_path / "school"
    made = run_cli("--db", str(data), "init", "--name", "X", "--service-account", db=False)
    assert made.exit_code == 0 and "Only this account can open it" in made.output
    assert data.stat().st_mode & 0o777 == 0o700
    clash = run_cli(
        "--db",
        str(tmp_path / "b"),
        "init",
        "--name",
        "X",
        "--service-account",
        "--shared",
        "group",
        db=False,
    )
    assert clash.exit_code == 2

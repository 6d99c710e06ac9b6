"""Members' SSH keys: what is taken as a key, and the authorized_keys plc writes."""

from __future__ import annotations

import base64
import os
import shutil
import stat
import struct
import subprocess
from pathlib import Path

import pytest

from plc_tui.errors import PLCError, ValidationError
from plc_tui.server.ssh_keys import (
    BLOCK_BEGIN,
    BLOCK_END,
    merge,
    parse_public_key,
    session_command,
    write_authorized_keys,
)


def ed25519_line(comment: str = "tia@laptop", seed: bytes | None = None) -> str:
    kind = b"ssh-ed25519"
    raw = seed or os.urandom(32)
    blob = struct.pack(">I", len(kind)) + kind + struct.pack(">I", len(raw)) + raw
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}".rstrip()


def test_a_pub_file_is_read_with_its_comment_and_fingerprint(tmp_path: Path) -> None:
    line = ed25519_line()
    key = parse_public_key(line + "\n")
    assert key.kind == "ssh-ed25519" and key.comment == "tia@laptop"
    assert key.line == " ".join(line.split()[:2])
    assert key.fingerprint.startswith("SHA256:") and not key.fingerprint.endswith("=")
    if shutil.which("ssh-keygen"):
        pub = tmp_path / "k.pub"
        pub.write_text(line + "\n")
        printed = subprocess.run(
            ["ssh-keygen", "-lf", str(pub)], capture_output=True, text=True, check=True
        ).stdout
        assert printed.split()[1] == key.fingerprint


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n", "private key"),
        ("", "no public key"),
        ("# only a comment\n", "no public key"),
        ('command="sh" ' + ed25519_line(), "starts with options"),
        ("ssh-dss AAAA", "not an SSH public key type"),
        ("ssh-ed25519", "data is missing"),
        ("ssh-ed25519 !!!notbase64", "damaged"),
        ("ssh-rsa " + ed25519_line().split()[1], "damaged"),  # says one type, holds another
        (ed25519_line() + "\n" + ed25519_line(), "several keys"),
        ("x" * 20_000, "too long"),
    ],
)
def test_what_is_not_one_public_key_is_refused_with_a_reason(text: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        parse_public_key(text)


def test_a_comment_with_escape_codes_is_kept_plain() -> None:
    key = parse_public_key(ed25519_line("\x1b[31mred\x1b[0m\x07 me"))
    assert "\x1b" not in key.comment and "\x07" not in key.comment


def test_merge_replaces_only_plcs_block_and_keeps_every_other_line() -> None:
    mine = "ssh-ed25519 AAAAown admin@desk"
    before = f"{mine}\n{BLOCK_BEGIN}\nold line\n{BLOCK_END}\n# a note\n"
    after = merge(before, [BLOCK_BEGIN, "new line", BLOCK_END])
    assert after == f"{mine}\n{BLOCK_BEGIN}\nnew line\n{BLOCK_END}\n# a note\n"
    assert merge(mine + "\n", [BLOCK_BEGIN, BLOCK_END]) == f"{mine}\n{BLOCK_BEGIN}\n{BLOCK_END}\n"
    with pytest.raises(PLCError, match="no end line"):
        merge(f"{BLOCK_BEGIN}\nhalf\n", [BLOCK_BEGIN, BLOCK_END])


def test_authorized_keys_is_written_private_with_a_forced_restricted_command(
    tmp_path: Path,
) -> None:
    key = parse_public_key(ed25519_line())
    row = {"login": "tia.lopez", "kind": key.kind, "data": key.data, "fingerprint": key.fingerprint}
    path = tmp_path / "home" / ".ssh" / "authorized_keys"
    data = tmp_path / "the data"
    assert write_authorized_keys(path, [row], data) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    line = path.read_text().splitlines()[1]
    options, rest = line.split('",restrict,pty ', 1)
    assert options.startswith('command="')
    assert f"ssh-session --member tia.lopez --key {key.fingerprint}" in options
    assert f"--db '{data.resolve()}'" in options  # a space in the path stays one argument
    assert rest.startswith(key.line)
    assert not list(path.parent.glob(".authorized_keys.*"))  # no temporary file left


def test_a_path_authorized_keys_cannot_quote_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PLCError, match="quote or backslash"):
        session_command(tmp_path / 'odd"name', "t1", "SHA256:x")

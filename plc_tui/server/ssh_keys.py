"""Members' SSH keys, and the service account's ``authorized_keys`` they become.

The recommended deployment on a shared server is a service account that owns the
data; people come in with ``ssh plc@server`` and their own key. Each key is kept
in the community (``core/ssh_keys``) with the login it stands for, and plc writes
one line per key into a block of the account's ``authorized_keys`` that it
manages (the gitolite and Gitea model)::

    command="<python> -m plc_tui --db DIR ssh-session --member LOGIN",restrict,pty KEY

``restrict`` turns off forwarding, agent and X11; ``pty`` gives back the one
thing the app needs, a terminal. Lines outside the block are kept as they are.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import shlex
import struct
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import Query

from .. import community
from ..community import Member
from ..errors import NotFound, PLCError, ValidationError
from ..permissions import require
from ..storage import Storage
from ..text import strip_controls

TABLE = ("core", "ssh_keys")
KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
BLOCK_BEGIN = "# >>> plc ssh-keys: written by plc; change with `plc ssh-keys`, not here >>>"
BLOCK_END = "# <<< plc ssh-keys <<<"
MAX_KEY_TEXT = 16_384  # an RSA 16384-bit key is about 2.8 KB; anything longer is not one key


@dataclass(frozen=True)
class PublicKey:
    """One OpenSSH public key, as in ``id_ed25519.pub``."""

    kind: str
    data: str
    comment: str = ""

    @property
    def fingerprint(self) -> str:
        """As ``ssh-keygen -lf`` prints it: ``SHA256:`` and unpadded base64."""
        digest = hashlib.sha256(base64.b64decode(self.data)).digest()
        return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")

    @property
    def line(self) -> str:
        return f"{self.kind} {self.data}"


def parse_public_key(text: str) -> PublicKey:
    """The one public key in ``text`` (the contents of a ``.pub`` file).

    Refuses a private key, several keys, a line with ``authorized_keys`` options
    (``command=...`` would let the key's owner choose what runs) and anything
    whose base64 does not hold the key type it claims.
    """
    if len(text) > MAX_KEY_TEXT:
        raise ValidationError("that is too long for a public key; give the .pub file.")
    if "PRIVATE KEY" in text:
        raise ValidationError(
            "that is a private key: never share it. Give the public half, the .pub file "
            "(e.g. ~/.ssh/id_ed25519.pub)."
        )
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if not lines:
        raise ValidationError(
            "no public key there; give the .pub file, e.g. ~/.ssh/id_ed25519.pub "
            "(make one with `ssh-keygen -t ed25519`)."
        )
    if len(lines) > 1:
        raise ValidationError("that holds several keys; add them one at a time.")
    fields = lines[0].split(None, 2)
    if fields[0] not in KEY_TYPES:
        if len(fields) > 1 and fields[1] in KEY_TYPES:
            options = strip_controls(fields[0])[:40]
            raise ValidationError(
                f"that line starts with options ({options}); give the key alone, as in the "
                ".pub file."
            )
        raise ValidationError(
            f"{strip_controls(fields[0])[:40]!r} is not an SSH public key type; give the .pub file "
            "(types: ed25519, rsa, ecdsa)."
        )
    if len(fields) < 2:
        raise ValidationError("the key's data is missing; give the whole line of the .pub file.")
    kind, data = fields[0], fields[1]
    try:
        blob = base64.b64decode(data, validate=True)
        (length,) = struct.unpack(">I", blob[:4])
        named = blob[4 : 4 + length].decode("ascii")
    except (binascii.Error, struct.error, UnicodeDecodeError, ValueError):
        raise ValidationError("the key's data is damaged; copy the .pub file again.") from None
    if named != kind or len(blob) < 4 + length + 16:
        raise ValidationError("the key's data is damaged; copy the .pub file again.")
    comment = strip_controls(fields[2]).strip()[:100] if len(fields) > 2 else ""
    return PublicKey(kind, data, comment)


def key_table_doc(login: str, key: PublicKey, added_by: str) -> dict[str, Any]:
    return {
        "login": login,
        "kind": key.kind,
        "data": key.data,
        "comment": key.comment,
        "fingerprint": key.fingerprint,
        "added": datetime.now(UTC).isoformat(timespec="seconds"),
        "added_by": added_by,
    }


class SshKeys:
    """The community's SSH keys, changed by admins."""

    def __init__(self, storage: Storage, member: Member | None) -> None:
        self.storage = storage
        self.member = member

    def add(self, login: str, key: PublicKey) -> dict[str, Any]:
        require(self.member, "community.admin")
        assert self.member is not None
        with self.storage.transaction() as tx:
            owner = community.find_member(tx, login)
            table = tx.table(*TABLE)
            existing = table.get(Query().fingerprint == key.fingerprint)
            if existing is not None:
                whose = existing["login"]
                raise ValidationError(
                    f"that key ({key.fingerprint}) is already "
                    + ("theirs" if whose == owner.login else f"{whose}'s")
                    + "; one key opens plc as one member."
                )
            doc = key_table_doc(owner.login, key, self.member.login)
            table.insert(doc)
        return doc

    def remove(self, what: str) -> list[dict[str, Any]]:
        """Remove the key with fingerprint ``what``, or every key of login ``what``."""
        require(self.member, "community.admin")
        with self.storage.transaction() as tx:
            table = tx.table(*TABLE)
            wanted = "SHA256:" + what.removeprefix("SHA256:")
            found = table.search(Query().fingerprint == wanted) or table.search(
                Query().login == what
            )
            if not found:
                raise NotFound(
                    f"no key with fingerprint or login {what!r}; see `plc ssh-keys list`."
                )
            table.remove(doc_ids=[d.doc_id for d in found])
        return [dict(d) for d in found]

    def list(self) -> list[dict[str, Any]]:
        require(self.member, "community.admin")
        with self.storage.read() as tx:
            rows = [dict(d) for d in tx.table(*TABLE).all()]
            members = {m.login for m in community.list_members(tx)}
        for row in rows:
            row["member"] = row["login"] in members
        return sorted(rows, key=lambda r: (r["login"], r["added"]))

    def all_keys(self) -> list[dict[str, Any]]:
        """Every key, for writing ``authorized_keys`` (no permission needed: the
        service account itself writes the file)."""
        with self.storage.read() as tx:
            members = {m.login for m in community.list_members(tx)}
            rows = [dict(d) for d in tx.table(*TABLE).all()]
        # A removed member's keys stay listed for the admin but open nothing.
        return sorted((r for r in rows if r["login"] in members), key=lambda r: r["fingerprint"])


# -- authorized_keys -------------------------------------------------------------


def default_authorized_keys() -> Path:
    return Path.home() / ".ssh" / "authorized_keys"


def session_command(data_dir: Path, login: str, fingerprint: str) -> str:
    """The forced command for one of ``login``'s keys: this very plc, on this
    community; the key's fingerprint lets a running session end when it is removed."""
    argv = [sys.executable, "-m", "plc_tui", "--db", str(Path(data_dir).resolve())]
    command = shlex.join([*argv, "ssh-session", "--member", login, "--key", fingerprint])
    if '"' in command or "\\" in command:
        raise PLCError(
            "plc's path or the data folder's path has a quote or backslash, which "
            "authorized_keys cannot hold; install plc and keep the data in plain paths."
        )
    return command


def managed_block(rows: Iterable[dict[str, Any]], data_dir: Path) -> list[str]:
    lines = [BLOCK_BEGIN]
    for row in rows:
        command = session_command(data_dir, row["login"], row["fingerprint"])
        note = f" plc:{row['login']}"
        lines.append(f'command="{command}",restrict,pty {row["kind"]} {row["data"]}{note}')
    lines.append(BLOCK_END)
    return lines


def merge(existing: str, block: list[str]) -> str:
    """``existing`` with its plc block replaced by ``block`` (added at the end when
    there was none); every other line kept as it was."""
    kept: list[str] = []
    inside = False
    placed = False
    for line in existing.splitlines():
        if line.strip() == BLOCK_BEGIN:
            inside = True
            if not placed:
                kept.extend(block)
                placed = True
            continue
        if inside:
            if line.strip() == BLOCK_END:
                inside = False
            continue
        kept.append(line)
    if inside:
        raise PLCError(
            "the plc block in authorized_keys has no end line; fix the file by hand "
            f"(the block ends with {BLOCK_END!r}) and run `plc ssh-keys sync`."
        )
    if not placed:
        kept.extend(block)
    return "\n".join(kept) + "\n"


def write_authorized_keys(path: Path, rows: Iterable[dict[str, Any]], data_dir: Path) -> int:
    """Rewrite plc's block of ``path`` whole or not at all (a temporary file renamed
    into place, 0600, its folder 0700 as sshd's StrictModes wants); returns how
    many keys it holds."""
    rows = list(rows)
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            existing = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            existing = ""
        text = merge(existing, managed_block(rows, data_dir))
        fd, temp = tempfile.mkstemp(prefix=".authorized_keys.", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o600)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PLCError(
            f"cannot write {path}: {exc.strerror or exc}; run this as the service account "
            "that people ssh into, or give --authorized-keys."
        ) from None
    return len(rows)


def check_service_folder(data_dir: Path, sharing_mode: str, *, fix: bool) -> str | None:
    """Make sure only this account can open the data folder (the point of a
    service account). With ``fix``, a folder others can open is made 0700 and
    the change is returned as a sentence; without, that is an error."""
    if sharing_mode != "umask":
        raise PLCError(
            f"this community is shared with a group ({sharing_mode}), so its members run plc "
            "as themselves; SSH keys serve a service account's own, private community."
        )
    st = data_dir.stat()
    if st.st_uid != os.getuid():
        raise PLCError(
            f"{data_dir} belongs to another account; run plc as the service account that "
            "owns it (e.g. `sudo -u plc plc ...`)."
        )
    if st.st_mode & 0o077 == 0:
        return None
    if not fix:
        raise PLCError(
            f"other accounts can open {data_dir} (mode {st.st_mode & 0o777:o}); make it the "
            f"service account's alone with `chmod 700 {shlex.quote(str(data_dir))}`."
        )
    os.chmod(data_dir, 0o700)
    return f"Made {data_dir} private to this account (it was {st.st_mode & 0o777:o})."

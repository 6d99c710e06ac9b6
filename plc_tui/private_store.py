"""A member's own documents, kept where only they can read them.

In a shared group folder every member can read every data file, so what must
stay with one person (a draft of an anonymous survey, later private keys) lives
in that person's user data folder instead: folders ``0700``, files ``0600``,
written atomically. Where one OS account serves many members (the demo, a
service account behind SSH), each member has a folder of their own in it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from .errors import StorageError, ValidationError

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_COMMUNITY_ID = re.compile(r"^[0-9a-f]{16,64}$")


def private_root() -> Path:
    return Path(user_data_dir("plc")) / "private"


def community_key(data_dir: Path) -> str:
    """The name an older plc gave a community's private folder: its data
    directory, hashed (so moving the community lost it; see :func:`community_folder`)."""
    return hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]


def community_folder(data_dir: Path, community_id: str | None) -> Path:
    """The member's private folder for one community, named by the community's id.

    The id is kept in the community's own files, so a community moved to another
    folder or restored on another server finds its members' keys and unfinished
    answers where they were; a copy shares them with the original. The folder an
    older plc named by the data directory's path is renamed to this one the first
    time it is looked for (each member's own process, in their own home folder).
    Without an id (data not yet migrated) the old name is kept.
    """
    root = private_root()
    by_path = root / community_key(data_dir)
    if community_id is None:
        return by_path
    if not _COMMUNITY_ID.match(community_id):
        raise StorageError(f"the community id {community_id!r} in core/community.json is damaged.")
    by_id = root / f"community-{community_id}"
    if not by_id.exists() and by_path.is_dir():
        try:
            os.rename(by_path, by_id)
        except OSError:
            # Another of this member's processes renamed it first, or it cannot be
            # renamed (then it is used where it is).
            if not by_id.exists():
                return by_path
    return by_id


class PrivateStore:
    """JSON documents by key, readable by the member's OS account alone."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        if not isinstance(key, str) or not _KEY.match(key):
            raise ValidationError(f"private key {key!r} is not allowed: use letters, digits, . _ -")
        return self.folder / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The document stored under ``key``, or ``None``."""
        path = self._path(key)
        try:
            return json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise StorageError(f"cannot read your private file {path}: {exc}.") from None

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Store ``value`` (JSON) under ``key``, replacing what was there."""
        path = self._path(key)
        payload = json.dumps(value, ensure_ascii=False, allow_nan=False).encode()
        try:
            self._make_folder()
            tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.plc-tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(payload)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
        except OSError as exc:
            raise StorageError(
                f"cannot write your private file {path}: {exc.strerror}; free some space "
                f"or check your home folder's permissions."
            ) from None

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def keys(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.json"))

    def _make_folder(self) -> None:
        # Every level is made 0700 whatever the umask: the folder names say which
        # community and member the files belong to.
        missing = []
        current = self.folder
        while not current.exists():
            missing.append(current)
            current = current.parent
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)

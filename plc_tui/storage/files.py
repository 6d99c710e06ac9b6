"""Every operating-system call storage makes on the data directory, in one place.

Why one place: the modes a shared folder needs are set here on every file and
folder plc creates, whatever the umask of the person running it (in the way of
git's ``core.sharedRepository``); temporary files get unguessable names and are
opened with ``O_EXCL | O_NOFOLLOW``, so a link planted in the folder is never
written through; an ``OSError`` becomes a :class:`StorageError` that names the
file and says what to do; and the fault-injection tests can make any one call
fail by replacing this module's ``os``.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import StorageError

TMP_SUFFIX = ".plc-tmp"
SETTINGS_FILE = ".plc.settings"
SHARING_MODES = ("umask", "group", "all")
_SHARED_MODES = {"group": (0o660, 0o2770), "all": (0o664, 0o2775)}  # (files, folders)

_OPEN_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_OPEN_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@dataclass(frozen=True)
class Sharing:
    """Who may read and write what plc creates in a data directory.

    ``umask``: the modes the creator's umask gives (a personal community).
    ``group``: folders ``2770`` and files ``0660``, all in the data directory's
    group, so every member of that group can read and write whatever anyone
    made. ``all``: as ``group``, and readable by every user of the machine.
    """

    mode: str = "umask"
    gid: int | None = None

    @property
    def file_mode(self) -> int:
        shared = _SHARED_MODES.get(self.mode)
        return shared[0] if shared else 0o666 & ~current_umask()

    @property
    def dir_mode(self) -> int:
        shared = _SHARED_MODES.get(self.mode)
        return shared[1] if shared else 0o777 & ~current_umask()

    @property
    def shared(self) -> bool:
        return self.mode in _SHARED_MODES

    def as_dict(self) -> dict[str, Any]:
        return {"shared": self.mode}


def sharing_of(root: Path) -> Sharing:
    """The sharing recorded in ``root``, or detected from its mode.

    A folder an admin prepared for a group (setgid and group-writable) is
    shared with its group even before ``plc init`` records it.
    """
    try:
        st = os.stat(root)
    except OSError:
        return Sharing()
    mode = None
    try:
        with open(root / SETTINGS_FILE, encoding="utf-8") as fh:
            recorded = json.load(fh).get("shared")
        if recorded in SHARING_MODES:
            mode = recorded
    except (OSError, ValueError, AttributeError):
        pass
    if mode is None:
        detected = st.st_mode & stat.S_ISGID and st.st_mode & stat.S_IWGRP
        mode = "group" if detected else "umask"
    return Sharing(mode, st.st_gid if mode != "umask" else None)


# -- errors -------------------------------------------------------------------

_WHAT = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EIO: "the disk reported an input/output error",
    errno.ELOOP: "it is a symbolic link, which plc never follows",
    errno.ENOENT: "it does not exist",
    errno.EEXIST: "it already exists",
}
_WHAT_TO_DO = {
    errno.ENOSPC: "free some space on that disk (or ask an admin to), then try again",
    errno.EDQUOT: "free some space or ask an admin for a larger quota, then try again",
    errno.EROFS: "ask an admin to make the data directory writable again",
    errno.EACCES: "ask an admin to run `plc db repair`, which fixes the folder's permissions",
    errno.EPERM: "ask an admin to run `plc db repair`, which fixes the folder's permissions",
    errno.EIO: "ask an admin to check the disk, then run `plc db check`",
    errno.ELOOP: "ask an admin to remove the link and run `plc db check`",
}


def failure(exc: OSError, path: Path | str, doing: str, *, changed: bool = False) -> StorageError:
    """A one-line :class:`StorageError` for ``exc``: what failed, on which file, what to do."""
    code = exc.errno if exc.errno is not None else -1
    what = _WHAT.get(code, exc.strerror or str(exc))
    todo = _WHAT_TO_DO.get(code, "try again, and run `plc db check` if it keeps failing")
    state = "" if changed else " Nothing was changed."
    error = StorageError(f"cannot {doing} {path}: {what}.{state} To fix it: {todo}.")
    error.errno = code  # type: ignore[attr-defined]
    return error


# -- folders ------------------------------------------------------------------


def make_dirs(folder: Path, root: Path, sharing: Sharing, *, private: bool = False) -> None:
    """Create ``folder`` and its missing parents below ``root`` with the shared mode."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current == root or current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue  # another process made it first; its mode is theirs to set
        except OSError as exc:
            raise failure(exc, path, "create the folder") from None
        set_mode(path, 0o700 if private else sharing.dir_mode, sharing)


def set_mode(path: Path, mode: int, sharing: Sharing) -> None:
    """Give what this process just created the shared mode (the umask is not asked)."""
    try:
        if sharing.gid is not None and os.stat(path).st_gid != sharing.gid:
            os.chown(path, -1, sharing.gid)
        os.chmod(path, mode)
    except OSError as exc:
        raise failure(exc, path, "set the permissions of") from None


# -- files --------------------------------------------------------------------


def write_temp(
    final: Path, payload: bytes, sharing: Sharing, *, mode: int | None = None, sync: bool = True
) -> Path:
    """Write ``payload`` to a new temporary file beside ``final``; returns its path.

    The name is unguessable and the file is created exclusively, so nothing
    planted in the folder can redirect the write.
    """
    tmp = final.with_name(f".{final.name}.{secrets.token_hex(8)}{TMP_SUFFIX}")
    wanted = sharing.file_mode if mode is None else mode
    try:
        fd = os.open(tmp, _OPEN_NEW, 0o600)
    except OSError as exc:
        raise failure(exc, final.parent, "write a new file in") from None
    try:
        try:
            if sharing.gid is not None:
                os.fchown(fd, -1, sharing.gid)
            os.fchmod(fd, wanted)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise failure(exc, final, "write") from None
    return tmp


def replace(src: Path, dst: Path, *, changed: bool = False) -> None:
    try:
        os.replace(src, dst)
    except OSError as exc:
        raise failure(exc, dst, "replace", changed=changed) from None


def remove(path: Path, *, changed: bool = False) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise failure(exc, path, "remove", changed=changed) from None


def remove_tree(folder: Path) -> None:
    """Remove ``folder`` and everything in it, ignoring what cannot be removed."""
    shutil.rmtree(folder, ignore_errors=True)


def copy_file(src: Path, dst: Path) -> None:
    """Copy the bytes of ``src`` to ``dst``; a failure is a one-line StorageError."""
    try:
        shutil.copyfile(src, dst)
    except OSError as exc:
        raise failure(exc, dst, "copy") from None


def fsync_dir(folder: Path, *, changed: bool = False) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        raise failure(exc, folder, "open the folder", changed=changed) from None
    try:
        os.fsync(fd)
    except OSError as exc:
        raise failure(exc, folder, "flush the folder", changed=changed) from None
    finally:
        os.close(fd)


_READ_CHUNK = 1 << 20


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``; raises FileNotFoundError, or StorageError for the rest."""
    try:
        fd = os.open(path, _OPEN_READ)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise failure(exc, path, "read") from None
    # os.read on the descriptor, not a file object: a listing reads a small cache
    # file per data file, and a buffered reader's set-up costs more than the read.
    try:
        # Its size and one byte more, in one read; a file growing meanwhile is
        # read to its end.
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) <= size:
            return data
        chunks = [data]
        while chunk := os.read(fd, _READ_CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise failure(exc, path, "read") from None
    finally:
        os.close(fd)


def open_lock(path: Path, sharing: Sharing) -> int:
    """An fd on the lock file, creating it with the shared mode if missing.

    ``flock`` works on a read-only descriptor, so a lock file someone created
    with a narrow umask still locks for everyone who can read it.
    """
    try:
        return os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise failure(exc, path, "open the lock file") from None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise failure(exc, path, "create the lock file") from None
    with contextlib.suppress(OSError):  # a file another process made is theirs to set
        if sharing.gid is not None:
            os.fchown(fd, -1, sharing.gid)
        os.fchmod(fd, sharing.file_mode)
    return fd


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()

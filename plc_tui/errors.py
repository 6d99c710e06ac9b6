"""Errors a person can act on.

Every error that reaches a person is a :class:`PLCError`: its message is one
line that says what went wrong and what to do. The CLI prints it on stderr and
exits non-zero; the app shows it as a notification.
"""

from __future__ import annotations

from pathlib import Path


def one_line(message: str) -> str:
    """``message`` with control characters shown as escapes (``\\n``, ``\\x1b``).

    Messages often quote what someone typed; a newline or an escape code in it
    must neither break the one-line contract nor reach the terminal raw.
    """
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in message
    )


class PLCError(Exception):
    """An error with a message meant for the person at the keyboard."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        message = one_line(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(PLCError):
    """Input that cannot be accepted as it is (too long, wrong type, missing)."""


class PermissionDenied(PLCError):
    """The signed-in member's role does not allow the action."""


class NotFound(PLCError):
    """A named record (member, team, survey, ...) does not exist."""


class StorageError(PLCError):
    """The data directory cannot be used (missing, unreadable, not writable)."""


class DatabaseLocked(StorageError):
    """Another process held the database lock for longer than the timeout."""


class LockBusy(DatabaseLocked):
    """The lock is held and this thread may not wait for it (the app's own thread).

    Reading again in a worker thread, where waiting is allowed, is always safe.
    """


class CorruptDataError(StorageError):
    """A data file could not be read. It is never overwritten."""

    def __init__(self, path: Path, relative: str, detail: str) -> None:
        self.path = path
        self.relative = relative
        self.detail = detail
        super().__init__(
            f"data file {path} is damaged ({detail}); plc left it untouched. "
            f"Run `plc db check` to see what is wrong and "
            f"`plc db restore --file {relative}` to bring back its last good copy."
        )


class TableError(StorageError):
    """A table cannot be brought to its declared schema; ``owner`` is the plugin
    (or ``core``) that declares it, so the runtime can disable that plugin alone."""

    def __init__(self, message: str, *, owner: str, key: str) -> None:
        super().__init__(message)
        self.owner = owner
        self.key = key


class SchemaTooNew(TableError):
    """Data was written by a newer version of plc or of a plugin."""


class MigrationFailed(TableError):
    """A plugin's migration raised; the transaction it ran in changed nothing."""


class NoCommunity(PLCError):
    """The data directory holds no community yet."""


class UnknownMember(PLCError):
    """The person running plc is not a member of the community."""

"""One running plc: its data directory, plugins and signed-in member.

The CLI and the app each make one :class:`Runtime`; the storage is opened
here and nowhere else, and declared tables are migrated on first use.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from tinydb import Query

from . import community
from .api import Event
from .community import CORE_TABLES, Member
from .config import Config
from .context import Context
from .errors import TableError, UnknownMember
from .plugins import PluginHost
from .private_store import PrivateStore, community_folder
from .sealing import Sealing
from .storage import Storage, TableSpec


def _stderr_notify(message: str, severity: str) -> None:
    prefix = {"error": "error: ", "warning": "warning: "}.get(severity, "")
    print(f"plc: {prefix}{message}", file=sys.stderr)


class Runtime:
    def __init__(
        self,
        data_dir: Path,
        *,
        host: PluginHost,
        login: str,
        config: Config | None = None,
        create: bool = False,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.host = host
        self.login = login
        self.config = config or Config()
        self.today = today
        self.app: Any = None
        self.notifier: Callable[[str, str], None] = _stderr_notify
        self._create = create
        self._storage: Storage | None = None
        self._raw_storage: Storage | None = None
        self._member: Member | None = None
        self._member_loaded = False
        self._contexts: dict[str, Context] = {}
        self._private_folder: Path | None = None
        # The SSH key fingerprint a served session came in with (plc ssh-session).
        self.served_key: str | None = None

    # -- storage --------------------------------------------------------------

    @property
    def raw_storage(self) -> Storage:
        """The data directory opened without migrating it (for `plc db`, which must
        work on a folder whose files are damaged)."""
        if self._raw_storage is None:
            self._raw_storage = Storage(self.data_dir, create=self._create)
        return self._raw_storage

    @property
    def storage(self) -> Storage:
        """The data directory, every declared table at its declared version and rules."""
        if self._storage is None:
            storage = self.raw_storage
            while True:
                try:
                    storage.migrate(self.table_specs())
                    break
                except TableError as exc:
                    # A plugin's table that cannot be brought up to date (its
                    # migration raised, or newer data than it knows) disables that
                    # plugin, named, and plc goes on without it; the core's stops plc.
                    if exc.owner == "core" or exc.owner not in self.host.infos:
                        raise
                    self.host.disable(exc.owner, exc.message, exc)
            self._storage = storage
        return self._storage

    def table_specs(self) -> list[TableSpec]:
        return CORE_TABLES + self.host.table_specs()

    # -- who ------------------------------------------------------------------

    @property
    def member(self) -> Member | None:
        if not self._member_loaded:
            with self.storage.read() as tx:
                self._member = community.get_member(tx, self.login)
            self._member_loaded = True
        return self._member

    def refresh_member(self) -> None:
        self._member_loaded = False

    def reload_member(self) -> Member | None:
        """Read the signed-in member again; on an error the one known before stays.

        In a session served for an SSH key (``served_key``), a key that has been
        removed counts as no member: the session is over."""
        with self.storage.read() as tx:
            member = community.get_member(tx, self.login)
            if member is not None and self.served_key is not None:
                keys = tx.table("core", "ssh_keys")
                if not keys.search(Query().fingerprint == self.served_key):
                    member = None
        self._member, self._member_loaded = member, True
        return member

    def require_member(self) -> Member:
        """The signed-in member, or a clear error for an unknown login."""
        with self.storage.read() as tx:
            name = community.community_name(tx)
        member = self.member
        if member is None:
            raise UnknownMember(
                f"you (login {self.login!r}) are not a member of {name}. Ask an admin "
                f'to run: plc member add {self.login} --name "Your Name" --role teacher'
            )
        return member

    # -- plugins --------------------------------------------------------------

    def context(self, plugin: str) -> Context:
        ctx = self._contexts.get(plugin)
        if ctx is None:
            ctx = self._contexts[plugin] = Context(self, plugin)
        return ctx

    def call(self, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call ``hook`` on every plugin, each with its own ``ctx``."""
        return self.host.call(hook, lambda name: {**kwargs, "ctx": self.context(name)})

    def emit(self, event: Event) -> None:
        tx = self.storage.current
        if tx is not None and tx.writable:
            tx.after_commit.append(lambda: self.dispatch(event))
        else:
            self.dispatch(event)

    def dispatch(self, event: Event) -> None:
        self.call("on_event", event=event)

    def private_folder(self) -> Path:
        """This OS account's private folder for the community (see
        :func:`~plc_tui.private_store.community_folder`); looked up once."""
        if self._private_folder is not None:
            return self._private_folder
        with self.storage.read() as tx:
            cid = community.community_id(tx)
        folder = community_folder(self.data_dir, cid)
        if cid is not None:  # before `plc init` there is no id to keep yet
            self._private_folder = folder
        return folder

    def private_store(self, plugin: str, login: str | None = None) -> PrivateStore:
        """The private documents of ``login`` (default: the signed-in member) for ``plugin``."""
        who = login or self.login
        return PrivateStore(self.private_folder() / who / plugin)

    def sealing(self, login: str | None = None) -> Sealing:
        """Sealing and opening as ``login`` (default: the signed-in member), with
        their key from their own user data folder."""
        who = login or self.login
        keys = PrivateStore(self.private_folder() / who / "_keys")
        return Sealing(self.storage, keys, who)

    def notify(self, message: str, severity: str = "information") -> None:
        self.notifier(message, severity)

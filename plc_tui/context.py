"""The services a plugin is handed: one :class:`Context` per plugin.

A plugin never imports core internals; everything it may touch comes through
its context: the signed-in member, the community directory, permission
checks, its own tables, ``emit`` and ``notify``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from tinydb.table import Document as TinyDocument
from tinydb.table import Table as TinyTable

from . import community, permissions
from . import school_year as school_year_mod
from .api import Event, QuestionType, Template
from .community import Member, Team
from .errors import PermissionDenied, PLCError
from .private_store import PrivateStore
from .sealing import Sealing
from .storage import TableSpec, Transaction

if TYPE_CHECKING:
    from .runtime import Runtime


def _ids(docs: Mapping[str, Any]) -> list[int]:
    return sorted(int(key) for key in docs)


def _with_ids(docs: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    return tuple({**doc, "id": int(key)} for key, doc in docs.items())


class PluginTables:
    """A plugin's own declared tables inside one transaction or read view."""

    def __init__(self, tx: Transaction, namespace: str, specs: dict[str, TableSpec]) -> None:
        self._tx = tx
        self._namespace = namespace
        self._specs = specs

    def _spec(self, name: str) -> TableSpec:
        spec = self._specs.get(name)
        if spec is None:
            raise LookupError(
                f"plugin {self._namespace!r} has no table {name!r}; declare it in "
                f"register_tables (declared: {', '.join(sorted(self._specs)) or 'none'})"
            )
        return spec

    def table(self, name: str, partition: str | int | None = None) -> TinyTable:
        """The TinyDB table ``name`` (one partition of it, if partitioned)."""
        self._place(name, partition)
        return self._tx.table(self._namespace, name, None if partition is None else str(partition))

    def _place(self, name: str, partition: str | int | None) -> None:
        spec = self._spec(name)
        if spec.partitioned and partition is None:
            raise LookupError(f"table {name!r} is partitioned: pass partition=...")
        if not spec.partitioned and partition is not None:
            raise LookupError(f"table {name!r} is not partitioned")

    def summary(
        self,
        name: str,
        key: str,
        compute: Callable[[Mapping[str, Mapping[str, Any]]], Any],
        partition: str | int | None = None,
        *,
        keep: bool = True,
    ) -> Any:
        """``compute(documents)`` for one file of a table, kept beside the file.

        ``documents`` maps each document id (as text) to the document; ``compute``
        must not change them and returns JSON data. plc keeps the value with the
        signature of the file it came from and computes it again only after the
        file changed, so a listing of many large partitions (how many answers each
        survey has) reads none of them. ``key`` names the value: give each summary
        of a table its own. ``keep=False`` keeps the value in this process's memory
        only (objects built from a file and asked for often; need not be JSON).
        """
        self._place(name, partition)
        part = None if partition is None else str(partition)
        return self._tx.summary(self._namespace, name, part, key, compute, keep=keep)

    def documents(
        self, name: str, partition: str | int | None = None
    ) -> Sequence[Mapping[str, Any]]:
        """Every document of one file of a table, each with its id under ``"id"``.

        In a read view (``ctx.read()``) the documents are shared by every reader
        of this version of the file, in this process: read them, never change
        them. A board, a card and a list that each read a district's thousands of
        documents then copy none of them, and the file is read again only after
        it changed. In a transaction they are the caller's own copies, to change
        and write back through :meth:`table`.
        """
        if self.writable:
            return [{**doc, "id": doc.doc_id} for doc in self.table(name, partition).all()]
        return self.summary(name, "plc:documents", _with_ids, partition, keep=False)

    def document(
        self, name: str, doc_id: int, partition: str | int | None = None
    ) -> TinyDocument | None:
        """Document ``doc_id`` of one file of a table (your own copy, its id in
        ``doc_id`` as from ``table.get``), or ``None``.

        Where the file is not read yet, only this document is parsed: plc keeps
        where each document sits in each version of a file. For a command that
        needs one record of hundreds (the survey being answered) and reads nothing
        else of that file; in a transaction it sees the transaction's own changes.
        """
        self._place(name, partition)
        part = None if partition is None else str(partition)
        doc = self._tx.document(self._namespace, name, part, int(doc_id))
        return None if doc is None else TinyDocument(doc, doc_id=int(doc_id))

    def drop(self, name: str, partition: str | int) -> None:
        """Delete one partition of a partitioned table when the transaction commits."""
        self._place(name, partition)
        self._tx.drop(self._namespace, name, str(partition))

    def partition_of(self, name: str, doc_id: int) -> str | None:
        """Which partition of the partitioned table ``name`` holds document
        ``doc_id``, or ``None``: each partition's ids are kept as a summary
        beside it, so finding one record among years of them reads none."""
        for partition in self.partitions(name):
            if doc_id in self.summary(name, "plc:ids", _ids, partition):
                return partition
        return None

    def move(
        self,
        name: str,
        to: str,
        by_partition: Mapping[str | int, Iterable[TinyDocument]],
    ) -> list[int]:
        """Move documents of the table ``name`` into partitions of the partitioned
        table ``to`` (``{partition: documents}``), keeping their ids, in this
        transaction. Returns the ids moved; with none, nothing is written."""
        moved: list[int] = []
        for partition, docs in by_partition.items():
            docs = list(docs)
            target = self.table(to, partition)
            target.insert_multiple(TinyDocument(dict(d), doc_id=d.doc_id) for d in docs)
            moved += [d.doc_id for d in docs]
        if moved:
            self.table(name).remove(doc_ids=moved)
        return moved

    def partitions(self, name: str) -> list[str]:
        """The partition keys of a partitioned table that hold data."""
        if not self._spec(name).partitioned:
            raise LookupError(f"table {name!r} is not partitioned")
        return self._tx.partitions(self._namespace, name)

    @property
    def writable(self) -> bool:
        return self._tx.writable


class Directory:
    """Read access to the community: its name, teams and members."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    @property
    def name(self) -> str:
        with self._runtime.storage.read() as tx:
            return community.community_name(tx)

    def teams(self) -> list[Team]:
        with self._runtime.storage.read() as tx:
            return community.list_teams(tx)

    def team(self, name_or_id: str) -> Team:
        """A team by id or name; raises NotFound with the list of teams."""
        with self._runtime.storage.read() as tx:
            return community.find_team(tx, name_or_id)

    def members(self, team: str | None = None) -> list[Member]:
        with self._runtime.storage.read() as tx:
            return community.list_members(tx, team=team)

    def member(self, login: str) -> Member | None:
        with self._runtime.storage.read() as tx:
            return community.get_member(tx, login)

    def names(self) -> dict[str, str]:
        """Every member's name by login, without reading the members."""
        with self._runtime.storage.read() as tx:
            return community.member_names(tx)

    def rosters(self) -> dict[str, list[str]]:
        """The logins on each team, by team id (each by name), without reading the
        members."""
        with self._runtime.storage.read() as tx:
            return community.rosters(tx)

    def count(self, *, roles: Iterable[str] = (), teams: Iterable[str] = ()) -> int:
        """How many members have one of ``roles`` and are on one of ``teams``
        (either empty: any), without reading the members."""
        with self._runtime.storage.read() as tx:
            return community.count_members(tx, roles=roles, teams=teams)


class Context:
    """Everything one plugin may use; handed to hooks as ``ctx``."""

    def __init__(self, runtime: Runtime, plugin: str) -> None:
        self._runtime = runtime
        self.plugin = plugin
        self.community = Directory(runtime)

    # -- who ------------------------------------------------------------------

    @property
    def member(self) -> Member | None:
        """The signed-in member (``None`` only before ``plc init``)."""
        return self._runtime.member

    def require_member(self) -> Member:
        """The signed-in member, or a clear error telling them to ask an admin."""
        member = self._runtime.member
        return member if member is not None else self._runtime.require_member()

    def can(self, action: str, *, team: str | None = None) -> bool:
        """See :mod:`plc_tui.permissions` for the actions."""
        return permissions.can(self.member, action, team=team)

    def require(self, action: str, *, team: str | None = None) -> None:
        """Raise PermissionDenied with a clear message unless allowed."""
        permissions.require(self.member, action, team=team)

    # -- data -----------------------------------------------------------------

    def _specs(self) -> dict[str, TableSpec]:
        return {s.name: s for s in self._runtime.table_specs() if s.namespace == self.plugin}

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PluginTables]:
        """Read-modify-write the plugin's tables, all or nothing, under the lock."""
        with self._runtime.storage.transaction() as tx:
            yield PluginTables(tx, self.plugin, self._specs())

    @contextlib.contextmanager
    def read(self) -> Iterator[PluginTables]:
        """A consistent read-only view of the plugin's tables."""
        with self._runtime.storage.read() as tx:
            yield PluginTables(tx, self.plugin, self._specs())

    def today(self) -> date:
        return self._runtime.today()

    @property
    def private(self) -> PrivateStore:
        """The signed-in member's own documents for this plugin, kept in their user
        data folder (mode 0600) where no other member can read them: for what must
        not sit in the shared files, such as a draft of an anonymous survey."""
        return self._runtime.private_store(self.plugin)

    def private_for(self, login: str) -> PrivateStore:
        """Another member's private documents: only on a demo community, where one
        account plays every member (e.g. to leave a draft for a demo teacher)."""
        with self._runtime.storage.read() as tx:
            if not community.is_demo(tx):
                raise PermissionDenied("another member's private documents are theirs alone.")
        return self._runtime.private_store(self.plugin, login)

    @property
    def sealing(self) -> Sealing:
        """Seal text to the people who may read it, and open what was sealed to the
        signed-in member (see :mod:`plc_tui.sealing`): for private text that sits
        in the shared files, such as a reflection shared with one coach."""
        return self._runtime.sealing()

    def sealing_for(self, login: str) -> Sealing:
        """Sealing as another member: only on a demo community, where one account
        plays every member (to write a demo leader's reflections)."""
        with self._runtime.storage.read() as tx:
            if not community.is_demo(tx):
                raise PermissionDenied("another member's key is theirs alone.")
        return self._runtime.sealing(login)

    # -- others ---------------------------------------------------------------

    def emit(self, name: str, **data: Any) -> None:
        """Tell every plugin ``name`` happened, once the current transaction commits."""
        login = self.member.login if self.member else None
        self._runtime.emit(Event(name=name, data=data, source=self.plugin, actor=login))

    def emit_anonymous(self, name: str, **data: Any) -> None:
        """As :meth:`emit`, with no actor: for what must not be linked to a person
        (an answer to an anonymous survey). Put nothing in ``data`` that names them."""
        self._runtime.emit(Event(name=name, data=data, source=self.plugin, actor=None))

    def notify(self, message: str, *, severity: str = "information") -> None:
        """A toast in the app, a line on stderr in the CLI. Plain text only."""
        self._runtime.notify(message, severity)

    def templates(self, kind: str | None = None) -> list[Template]:
        return self._runtime.host.templates(kind)

    def question_types(self) -> dict[str, QuestionType]:
        return self._runtime.host.question_types()

    def service(self, name: str) -> Any:
        """Another plugin's service (see ``register_services``), for this member.

        Raises ``PLCError`` naming what is missing when no working plugin offers it.
        """
        offered = self._runtime.host.services().get(name)
        if offered is None:
            raise PLCError(
                f"no plugin offers the {name!r} service: the plugin that provides it is "
                "missing or failed to load; see `plc plugins`."
            )
        plugin, service = offered
        return service.make(self._runtime.context(plugin))

    def push_screen(self, screen: Any) -> None:
        """Show a screen (app only; raises RuntimeError from the CLI)."""
        if self._runtime.app is None:
            raise RuntimeError("push_screen needs the app; this is the command line")
        self._runtime.app.push_screen(screen)

    @property
    def school_year_starts(self) -> tuple[int, int]:
        """``(month, day)`` the school year starts on: ``school_year_starts =
        "MM-DD"`` at the top of the config file, or 1 August."""
        return school_year_mod.year_starts(self._runtime.config.extra.get("school_year_starts"))

    def school_year(self, day: date | None = None) -> int:
        """The school year ``day`` (default: today) falls in, named by the year it
        starts in (``2026`` for 2026-27; ``school_year_label`` writes it)."""
        return school_year_mod.school_year(day or self.today(), self.school_year_starts)

    @property
    def settings(self) -> dict[str, Any]:
        """The ``[plugins.<name>]`` table of the config file, if any."""
        section = self._runtime.config.extra.get("plugins", {})
        value = section.get(self.plugin, {}) if isinstance(section, dict) else {}
        return dict(value) if isinstance(value, dict) else {}

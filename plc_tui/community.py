"""The community directory: the community itself, its teams and members.

Plain Python over storage transactions; the CLI, the app and plugins share it.
Core collections live in the ``core`` namespace.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tinydb import Query

from .errors import NoCommunity, NotFound, ValidationError
from .storage import TableSpec, Transaction
from .text import clean

ROLES = ("admin", "coach", "teacher")
ROLE_TITLES = {"admin": "Admin", "coach": "Coach", "teacher": "Teacher"}

NAME_MAX = 80
TEAM_NAME_MAX = 60
DESCRIPTION_MAX = 300
_LOGIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}$")


def _with_id(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "id": doc.get("id") or new_community_id()}


CORE_TABLES = [
    # Schema 2: the community has an id, which names its members' private folders
    # (see plc_tui.private_store.community_folder), so moving it loses nothing.
    TableSpec("core", "community", version=2, migrations={2: _with_id}),
    TableSpec("core", "members"),
    TableSpec("core", "teams"),
    # Members' public keys (see plc_tui.sealing): their private halves stay in
    # each member's own user data folder.
    TableSpec("core", "keys"),
    # Members' SSH public keys, for a service account's authorized_keys
    # (see plc_tui.server.ssh_keys).
    TableSpec("core", "ssh_keys"),
]


@dataclass(frozen=True)
class Team:
    """A team (grade level, department, leadership team, ...)."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Member:
    """A person in the community, known by their login on the server."""

    login: str
    name: str
    role: str
    teams: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_leader(self) -> bool:
        """Coaches and admins lead: they build surveys and see all teams."""
        return self.role in ("admin", "coach")

    def in_team(self, team_id: str) -> bool:
        return team_id in self.teams


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_login(login: str) -> str:
    if not isinstance(login, str) or not _LOGIN.match(login):
        raise ValidationError(
            f"login {login!r} is not valid: use the person's user name on this server "
            f"(letters, digits, . _ - @; up to 64 characters)."
        )
    return login


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"role {role!r} is not one of: {', '.join(ROLES)}.")
    return role


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:40] or "team"


def _member_from(doc: dict[str, Any]) -> Member:
    return Member(
        login=doc["login"],
        name=doc.get("name") or doc["login"],
        role=doc.get("role", "teacher"),
        teams=tuple(doc.get("teams", ())),
    )


def _team_from(doc: dict[str, Any]) -> Team:
    return Team(id=doc["id"], name=doc["name"], description=doc.get("description", ""))


# -- community ---------------------------------------------------------------


def community_info(tx: Transaction) -> dict[str, Any] | None:
    docs = tx.table("core", "community").all()
    return dict(docs[0]) if docs else None


def new_community_id() -> str:
    return secrets.token_hex(8)


def community_id(tx: Transaction) -> str | None:
    """The community's id (``None`` when there is no community yet)."""
    info = community_info(tx)
    return str(info["id"]) if info and info.get("id") else None


def community_name(tx: Transaction) -> str:
    info = community_info(tx)
    if info is None:
        raise NoCommunity(
            "this data directory holds no community yet; create one with "
            '`plc init --name "Your school"` or try `plc demo`.'
        )
    return info["name"]


def init_community(
    tx: Transaction, *, name: str, admin_login: str, admin_name: str, demo: bool = False
) -> Member:
    """Create the community with its first admin (the person running ``plc init``)."""
    if community_info(tx) is not None:
        raise ValidationError(
            f"a community already exists here ({community_name(tx)}); nothing was changed."
        )
    name = clean(name, field="Community name", max_length=NAME_MAX)
    tx.table("core", "community").insert(
        {"name": name, "id": new_community_id(), "created": _now(), "demo": demo}
    )
    return add_member(tx, login=admin_login, name=admin_name, role="admin")


def is_demo(tx: Transaction) -> bool:
    info = community_info(tx)
    return bool(info and info.get("demo"))


# -- teams -------------------------------------------------------------------


def list_teams(tx: Transaction) -> list[Team]:
    return sorted(
        (_team_from(d) for d in tx.table("core", "teams").all()), key=lambda t: t.name.lower()
    )


def find_team(tx: Transaction, name_or_id: str) -> Team:
    """A team by id or by name (case-insensitive)."""
    key = name_or_id.strip().casefold()
    for team in list_teams(tx):
        if team.id == key or team.name.casefold() == key:
            return team
    names = ", ".join(t.name for t in list_teams(tx)) or "none yet"
    raise NotFound(f"no team called {name_or_id!r}; teams: {names}.")


def add_team(tx: Transaction, *, name: str, description: str = "") -> Team:
    name = clean(name, field="Team name", max_length=TEAM_NAME_MAX)
    description = clean(
        description, field="Description", max_length=DESCRIPTION_MAX, required=False
    )
    existing = list_teams(tx)
    if any(t.name.casefold() == name.casefold() for t in existing):
        raise ValidationError(f"a team called {name!r} already exists.")
    base = slugify(name)
    ids = {t.id for t in existing}
    team_id, n = base, 2
    while team_id in ids:
        team_id, n = f"{base}-{n}", n + 1
    tx.table("core", "teams").insert(
        {"id": team_id, "name": name, "description": description, "created": _now()}
    )
    return Team(team_id, name, description)


# -- members -----------------------------------------------------------------


def _members_by_name(docs: Any) -> tuple[Member, ...]:
    members = (_member_from(d) for d in docs.values())
    return tuple(sorted(members, key=lambda m: (m.name.casefold(), m.login)))


def _ids_by_login(docs: Any) -> dict[str, int]:
    return {d["login"]: int(key) for key, d in docs.items()}


def _profiles(docs: Any) -> list[list[Any]]:
    counts = Counter(
        (d.get("role", "teacher"), tuple(sorted(d.get("teams", ())))) for d in docs.values()
    )
    return [[role, list(teams), n] for (role, teams), n in sorted(counts.items())]


def count_members(tx: Transaction, *, roles: Iterable[str] = (), teams: Iterable[str] = ()) -> int:
    """How many members have one of ``roles`` and are on one of ``teams`` (either
    empty: any), counted from how many share each role and set of teams, which is
    kept beside the members' file: a survey list counts each audience without
    reading a district's members."""
    roles, teams = set(roles), set(teams)
    return sum(
        n
        for role, on, n in tx.summary("core", "members", None, "profiles-1", _profiles)
        if (not roles or role in roles) and (not teams or teams.intersection(on))
    )


def _names(docs: Any) -> dict[str, str]:
    return {d["login"]: d.get("name") or d["login"] for d in docs.values()}


def member_names(tx: Transaction) -> dict[str, str]:
    """Every member's name by login, kept beside the members' file (screens that
    show who wrote what need names, not whole members)."""
    return dict(tx.summary("core", "members", None, "names-1", _names))


def _rosters(docs: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in _members_by_name(docs):
        for team in m.teams:
            out.setdefault(team, []).append(m.login)
    return out


def rosters(tx: Transaction) -> dict[str, list[str]]:
    """The logins on each team (team id to logins, by name), kept beside the
    members' file."""
    kept = tx.summary("core", "members", None, "rosters-1", _rosters)
    return {team: list(logins) for team, logins in kept.items()}


def list_members(tx: Transaction, *, team: str | None = None) -> list[Member]:
    # Members are frozen: one list per version of members.json serves every screen.
    members = tx.summary("core", "members", None, "by-name", _members_by_name, keep=False)
    if team is not None:
        return [m for m in members if team in m.teams]
    return list(members)


def get_member(tx: Transaction, login: str) -> Member | None:
    if tx.writable:
        # Members may be changing in this transaction (many added in a row): look
        # this one up rather than rebuild the index after every change.
        doc = tx.table("core", "members").get(Query().login == login)
        return _member_from(doc) if doc else None
    # One member read alone (a command signs in one person of a district's many),
    # found by an index of logins kept beside the file.
    doc_id = tx.summary("core", "members", None, "ids-by-login", _ids_by_login).get(login)
    doc = None if doc_id is None else tx.document("core", "members", None, doc_id)
    return None if doc is None else _member_from(doc)


def find_member(tx: Transaction, login: str) -> Member:
    member = get_member(tx, login)
    if member is None:
        raise NotFound(f"no member with login {login!r}; see `plc member list`.")
    return member


def add_member(
    tx: Transaction,
    *,
    login: str,
    name: str,
    role: str,
    teams: list[str] | tuple[str, ...] = (),
) -> Member:
    login = check_login(login)
    name = clean(name, field="Name", max_length=NAME_MAX)
    role = check_role(role)
    team_ids = sorted({find_team(tx, t).id for t in teams})
    if get_member(tx, login) is not None:
        raise ValidationError(f"{login!r} is already a member; change them with `plc member edit`.")
    tx.table("core", "members").insert(
        {"login": login, "name": name, "role": role, "teams": team_ids, "created": _now()}
    )
    return Member(login, name, role, tuple(team_ids))


def edit_member(
    tx: Transaction,
    login: str,
    *,
    name: str | None = None,
    role: str | None = None,
    add_teams: list[str] | tuple[str, ...] = (),
    remove_teams: list[str] | tuple[str, ...] = (),
) -> Member:
    member = find_member(tx, login)
    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = clean(name, field="Name", max_length=NAME_MAX)
    if role is not None:
        fields["role"] = check_role(role)
        if member.role == "admin" and role != "admin" and _admin_count(tx) == 1:
            raise ValidationError(f"{login} is the only admin; make someone else admin first.")
    teams = set(member.teams)
    teams |= {find_team(tx, t).id for t in add_teams}
    teams -= {find_team(tx, t).id for t in remove_teams}
    fields["teams"] = sorted(teams)
    tx.table("core", "members").update(fields, Query().login == login)
    return find_member(tx, login)


def remove_member(tx: Transaction, login: str) -> Member:
    member = find_member(tx, login)
    if member.role == "admin" and _admin_count(tx) == 1:
        raise ValidationError(f"{login} is the only admin; make someone else admin first.")
    tx.table("core", "members").remove(Query().login == login)
    return member


def _admin_count(tx: Transaction) -> int:
    return sum(1 for m in list_members(tx) if m.role == "admin")

"""Changing who is in the community: members and teams, with the permission each needs.

One place for the rules, so that ``plc member ...``, ``plc team ...`` and the
community screen can never disagree: admins add, rename, re-role and remove
members; coaches and admins create teams and put people in them.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import community, permissions
from .community import Member, Team
from .storage import Storage


class Membership:
    """Member and team changes made by ``actor`` (``None`` when no one is known)."""

    def __init__(self, storage: Storage, actor: Member | None) -> None:
        self.storage = storage
        self.actor = actor

    def add_member(
        self, login: str, name: str, role: str = "teacher", teams: Iterable[str] = ()
    ) -> tuple[Member, list[str]]:
        """Add a member; return them and the names of their teams."""
        permissions.require(self.actor, "community.admin")
        with self.storage.transaction() as tx:
            added = community.add_member(tx, login=login, name=name, role=role, teams=list(teams))
            return added, [community.find_team(tx, t).name for t in added.teams]

    def edit_member(
        self,
        login: str,
        *,
        name: str | None = None,
        role: str | None = None,
        add_teams: Iterable[str] = (),
        remove_teams: Iterable[str] = (),
    ) -> tuple[Member, list[str]]:
        """Change a member; a name or role takes an admin, teams a coach or admin."""
        if name is not None or role is not None:
            permissions.require(self.actor, "community.admin")
        else:
            permissions.require(self.actor, "teams.manage")
        with self.storage.transaction() as tx:
            current = community.find_member(tx, login)
            # Unchanged fields are not written, so a coach may save a form that
            # shows a name and role they are not allowed to change.
            changed = community.edit_member(
                tx,
                login,
                name=None if name == current.name else name,
                role=None if role == current.role else role,
                add_teams=list(add_teams),
                remove_teams=list(remove_teams),
            )
            return changed, [community.find_team(tx, t).name for t in changed.teams]

    def set_teams(self, login: str, teams: Iterable[str]) -> tuple[Member, list[str]]:
        """Put a member in exactly ``teams`` (ids or names)."""
        permissions.require(self.actor, "teams.manage")
        with self.storage.transaction() as tx:
            current = community.find_member(tx, login)
            wanted = {community.find_team(tx, t).id for t in teams}
            changed = community.edit_member(
                tx,
                login,
                add_teams=sorted(wanted - set(current.teams)),
                remove_teams=sorted(set(current.teams) - wanted),
            )
            return changed, [community.find_team(tx, t).name for t in changed.teams]

    def remove_member(self, login: str) -> Member:
        """Remove a member; their past records stay."""
        permissions.require(self.actor, "community.admin")
        with self.storage.transaction() as tx:
            return community.remove_member(tx, login)

    def add_team(self, name: str, description: str = "") -> Team:
        """Create a team."""
        permissions.require(self.actor, "teams.manage")
        with self.storage.transaction() as tx:
            return community.add_team(tx, name=name, description=description)

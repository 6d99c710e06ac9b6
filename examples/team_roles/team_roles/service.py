"""Team roles over plc's storage: profiles and role assignments, with plc's
permissions (everyone answers for themselves; a team sees its own balance)."""

from __future__ import annotations

from typing import Any

from plc_tui.api import Context, Team, ValidationError, where

from .roles import ROLES, Balance, Profile, balance, check_answers, profile, suggest


class TeamRoles:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def save_answers(self, answers: dict[str, Any]) -> Profile:
        member = self.ctx.require_member()
        try:
            clean = check_answers(answers)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        with self.ctx.transaction() as tables:
            table = tables.table("profiles")
            doc = {"login": member.login, "answers": clean, "date": self.ctx.today().isoformat()}
            if table.get(where("login") == member.login):
                table.update(doc, where("login") == member.login)
            else:
                table.insert(doc)
        return profile(clean)

    def profiles(self) -> dict[str, Profile]:
        with self.ctx.read() as tables:
            return {d["login"]: profile(d["answers"]) for d in tables.table("profiles").all()}

    def mine(self) -> Profile | None:
        return self.profiles().get(self.ctx.require_member().login)

    def teams(self) -> list[Team]:
        """The teams whose balance this member may see."""
        return [t for t in self.ctx.community.teams() if self.ctx.can("team.view", team=t.id)]

    def team_balance(self, team: str) -> tuple[Team, Balance, dict[str, str]]:
        found = self.ctx.community.team(team)
        self.ctx.require("team.view", team=found.id)
        logins = [m.login for m in self.ctx.community.members(team=found.id)]
        with self.ctx.read() as tables:
            assigned = {
                d["role"]: d["login"]
                for d in tables.table("assignments").search(where("team") == found.id)
            }
        return found, balance(self.profiles(), logins), assigned

    def assign(
        self, team: str, role: str | None = None, login: str | None = None
    ) -> dict[str, str]:
        """Give ``role`` to ``login``, or every role as :func:`suggest` proposes."""
        found = self.ctx.community.team(team)
        self.ctx.require("team.edit", team=found.id)
        logins = [m.login for m in self.ctx.community.members(team=found.id)]
        if role is None:
            chosen = suggest(self.profiles(), logins)
            if not chosen:
                raise ValidationError("no one in this team has taken the roles check yet.")
        else:
            if role not in ROLES:
                raise ValidationError(f"no role {role!r}; roles: {', '.join(ROLES)}.")
            if login not in logins:
                raise ValidationError(f"{login!r} is not in {found.name}.")
            chosen = {role: login}
        with self.ctx.transaction() as tables:
            table = tables.table("assignments")
            for each_role, each_login in chosen.items():
                table.remove((where("team") == found.id) & (where("role") == each_role))
                table.insert({"team": found.id, "role": each_role, "login": each_login})
        return chosen

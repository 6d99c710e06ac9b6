"""Norms: a team's norms agreement, adopted by consensus and kept alive.

Teams write norms as commitments; every member agrees (or the team's own
consensus rule); the adopted norms form the team's charter with a version; a
change needs agreement again, and a new member is asked to agree to the
current charter. At meetings the team checks itself against its norms, each
member rating each norm 1-5 anonymously, on the surveys module's
``surveys.team_checks`` service. A built-in plc module written only against the
public plugin API (:mod:`plc_tui.api`).

Settings (``[plugins.norms]`` in the config file): ``check_weeks`` (default 4),
the weeks between norms checks, after which the dashboard reminds the team.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from plc_tui.api import Card, Context, Module, PaletteCommand, Table, Template, hookimpl
from plc_tui.cli_helpers import lazy_group

if TYPE_CHECKING:
    import click

# The module's services, templates and screens are imported where they are used:
# `plc survey list` loads every plugin, and needs little of each.

__version__ = "0.1.0"


def open_screen(ctx: Context, team: str | None = None, then: str | None = None) -> Any:
    """The member's own team's charter, or the overview of every team they see;
    ``then`` is an action to run on the charter once shown (``"check"``)."""
    from .screens.charter_screen import CharterScreen
    from .screens.norms_screen import NormsScreen
    from .service import Norms

    service = Norms(ctx)
    if team is None:
        teams = service.my_teams()
        if len(teams) != 1:
            return NormsScreen(ctx)
        team = teams[0].id
    return CharterScreen(ctx, team, then=then)


def dashboard_card(ctx: Context) -> Card:
    from .service import Norms

    service = Norms(ctx)
    member = service.member
    todo = service.to_do()
    names = {t.id: t.name for t in ctx.community.teams()}
    # The team is named wherever the member could wonder which one.
    several = len(member.teams) > 1 or len({team for team, _, _ in todo}) > 1
    lines = [f"{names.get(team, team)}: {what}" if several else what for team, what, _ in todo]
    lines = [line[:1].upper() + line[1:] for line in lines[:2]]
    if len(todo) > 2:
        lines.append(f"… and {len(todo) - 2} more")
    rows = service.overview()
    if (member.is_leader and not member.teams) or len(rows) > 3:
        adopted = sum(1 for r in rows if r["version"])
        proposals = sum(r["open"] for r in rows)
        line = f"{adopted} of {len(rows)} teams have adopted norms"
        if proposals:
            line += f"; {proposals} proposal{'s' if proposals != 1 else ''} open"
        lines.append(line)
    else:
        for row in rows:
            if member.in_team(row["team"]) or len(rows) == 1:
                prefix = f"{row['name']}: " if len(rows) > 1 else ""
                if row["version"]:
                    lines.append(
                        f"{prefix}{row['norms']} norm{'s' if row['norms'] != 1 else ''}, "
                        f"version {row['version']}, "
                        f"agreed by {row['agreed']} of {row['members']}"
                    )
                else:
                    lines.append(f"{prefix}no norms yet: propose the first, or the starters")
    if not rows:
        lines.append("Join a team to agree on its norms.")
    return Card(lines=tuple(lines), attention=len(todo))


@hookimpl
def register_modules(register: Callable[[Module], None]) -> None:
    register(
        Module(
            id="norms",
            title="Norms",
            description="The team's norms: agree by consensus, check how well we keep them",
            open_screen=open_screen,
            dashboard_card=dashboard_card,
            order=30,
        )
    )


@hookimpl
def register_tables(register: Callable[[Table], None]) -> None:
    register(Table("charters"))
    register(Table("proposals"))


@hookimpl
def register_templates(register: Callable[[Template], None]) -> None:
    from .templates import NORMS_TEMPLATES

    for template in NORMS_TEMPLATES:
        register(template)


@hookimpl
def register_commands(cli: click.Group, get_context: Callable[[], Context]) -> None:
    def add_commands(group: click.Group) -> None:
        from .commands import register

        register(group, get_context)

    # The commands (and the service behind them) are imported when `plc norms` is
    # used, not for every other command.
    lazy_group(
        cli,
        "norms",
        "Norms: propose, agree, keep the team's charter and its history.",
        add_commands,
    )


@hookimpl
def register_palette_commands(register: Callable[[PaletteCommand], None], ctx: Context) -> None:
    member = ctx.member
    if member is None or not (member.teams or member.is_leader):
        return
    from .service import Norms

    todo = Norms(ctx).to_do()

    def first(kind: str) -> str | None:
        return next((team for team, what, _ in todo if what.startswith(kind)), None)

    if first("agree") or first("vote"):
        team = first("agree") or first("vote")
        register(
            PaletteCommand(
                "Agree on norms",
                "Read your team's norms and proposals; agree or object",
                lambda ctx: ctx.push_screen(open_screen(ctx, team)),
            )
        )
    if member.teams:
        team = first("rate") or first("norms check") or member.teams[0]
        register(
            PaletteCommand(
                "Norms check",
                "Rate how well your team kept each norm, anonymously",
                lambda ctx: ctx.push_screen(open_screen(ctx, team, then="check")),
            )
        )
        register(
            PaletteCommand(
                "Propose a norm",
                "A new commitment for your team's charter",
                lambda ctx: ctx.push_screen(open_screen(ctx, member.teams[0], then="propose")),
            )
        )
    register(
        PaletteCommand(
            "Norms charter",
            "Your team's norms, who agreed, and the norms checks",
            lambda ctx: ctx.push_screen(open_screen(ctx)),
        )
    )


@hookimpl(trylast=True)  # after the surveys module, whose service records the checks
def populate_demo(ctx: Context, size: str, rng: random.Random, today: date) -> None:
    from .demo import populate

    populate(ctx, size, rng, today)

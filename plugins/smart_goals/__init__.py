"""SMART goals: team goals set from student data, agreed together, monitored, celebrated.

SMART here means Specific, Measurable, Ambitious, Reflective and Timely. A team
proposes a goal (from a template or from scratch), the live SMART check says
what is missing, the team agrees by consensus, checks in with a measured value
and its confidence, reviews at its checkpoints, and celebrates when the goal is
met. A built-in plc module written only against the public plugin API
(:mod:`plc_tui.api`); a school's plugin could replace it.

Settings (``[plugins.smart_goals]`` in the config file): ``stale_days`` (default
21), the days without a check-in after which a goal is at risk.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from plc_tui.api import Card, Context, Module, PaletteCommand, Service, Table, Template, hookimpl
from plc_tui.cli_helpers import lazy_group

if TYPE_CHECKING:
    import click

# The module's services, templates and screens are imported where they are used:
# `plc survey list` loads every plugin, and needs little of each.

__version__ = "0.1.0"

STATUS_ORDER = ("off track", "at risk", "on track", "met", "proposed")


def _open_screen(ctx: Context, **kwargs: Any) -> Any:
    from .screens.goals_screen import GoalsScreen

    return GoalsScreen(ctx, **kwargs)


def dashboard_card(ctx: Context) -> Card:
    from .service import Goals

    service = Goals(ctx)
    member = service.member
    todo = service.reminders()
    several = len({r.team for r in todo}) > 1
    lines = [f"{r.team}: {r.text}" if several else r.text for r in todo[:2]]
    counts = service.summary()
    total = sum(counts.values())
    if not total:
        lines.append(
            "No goals this year: start one from a template with your team."
            if member.teams or member.is_leader
            else "Join a team to set goals with it."
        )
    else:
        parts = ", ".join(f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s])
        if member.is_leader:
            scope = "across all teams"
        else:
            scope = "for your teams" if len(member.teams) > 1 else "for your team"
        lines.append(f"{total} goal{'s' if total != 1 else ''} this year {scope}: {parts}")
    return Card(lines=tuple(lines), attention=len(todo))


@hookimpl
def register_modules(register: Callable[[Module], None]) -> None:
    register(
        Module(
            id="goals",
            title="SMART goals",
            description="Team goals from student data: agree, check in, review, celebrate",
            open_screen=_open_screen,
            dashboard_card=dashboard_card,
            order=20,
        )
    )


@hookimpl
def register_tables(register: Callable[[Table], None]) -> None:
    register(Table("goals"))
    register(Table("past_goals", partitioned=True))
    register(Table("checkins", partitioned=True))


@hookimpl
def register_templates(register: Callable[[Template], None]) -> None:
    from .templates import GOAL_TEMPLATES

    for template in GOAL_TEMPLATES:
        register(template)


@hookimpl
def register_commands(cli: click.Group, get_context: Callable[[], Context]) -> None:
    def add_commands(group: click.Group) -> None:
        from .commands import register

        register(group, get_context)

    # The commands (and the service behind them) are imported when `plc goal` is
    # used, not for every other command.
    lazy_group(
        cli,
        "goal",
        "SMART goals: propose, agree, check in, and print the team's goal sheet.",
        add_commands,
    )


@hookimpl
def register_palette_commands(register: Callable[[PaletteCommand], None], ctx: Context) -> None:
    from .service import Goals

    member = ctx.member
    if member is None:
        return
    rows = [r for r in Goals(ctx).list() if member.in_team(r.team)]
    if any(r.state == "agreed" for r in rows):

        def check_in(ctx: Context) -> None:
            due = [r for r in Goals(ctx).reminders() if r.kind == "check-in"]
            ctx.push_screen(_open_screen(ctx, goal_id=due[0].goal if due else None))

        register(
            PaletteCommand(
                "Check in on a goal", "Record the latest measure for your team's goal", check_in
            )
        )
    if any(r.state == "proposed" and r.my_vote is None for r in rows):

        def agree(ctx: Context) -> None:
            due = [r for r in Goals(ctx).reminders() if r.kind == "agree"]
            ctx.push_screen(_open_screen(ctx, goal_id=due[0].goal if due else None))

        register(
            PaletteCommand(
                "Agree on a proposed goal", "Read a goal your team proposed; agree or object", agree
            )
        )
    if member.teams or member.is_leader:

        def new_goal(ctx: Context) -> None:
            ctx.push_screen(_open_screen(ctx, new=True))

        register(PaletteCommand("New SMART goal", "Propose a goal for your team", new_goal))


@hookimpl
def register_services(register: Callable[[Service], None]) -> None:
    from .progress import GoalProgress

    register(
        Service(
            "smart_goals.progress",
            GoalProgress,
            "Check-ins on the calling member's goals since a date (for reflections)",
        )
    )


@hookimpl
def populate_demo(ctx: Context, size: str, rng: random.Random, today: date) -> None:
    from .demo import populate

    populate(ctx, size, rng, today)

"""Leadership reflections: the 5-15 report and reflective practice, private by default.

A leader's reflective journal (seed 004): the 5-15 report every two weeks
(Achievement, Plans, Challenges, Opportunities), the self-directed learning
cycle, a reflection on the PLC's 11 essential characteristics, or a free entry.
Each reflection is sealed to its author (``ctx.sealing``): in a shared data
folder no one else can read it, admins included. The author shares one, or all
of a template, with a coach, who can read and comment; stopping sharing seals
it again without them. A built-in plc module written only against the public
plugin API (:mod:`plc_tui.api`).

Settings (``[plugins.reflections]`` in the config file): ``every_days`` (default
14), the days between 5-15 reports, after which the dashboard reminds the leader.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from plc_tui.api import (
    Card,
    Context,
    KeyMissing,
    Module,
    PaletteCommand,
    Table,
    Template,
    hookimpl,
)
from plc_tui.cli_helpers import lazy_group

if TYPE_CHECKING:
    import click

    from .service import Reflections

# The module's services, templates and screens are imported where they are used:
# `plc survey list` loads every plugin, and needs little of each.

__version__ = "0.1.0"


@hookimpl
def register_tables(register: Callable[[Table], None]) -> None:
    # No kept history: an old version would still be sealed to a coach after the
    # author stopped sharing with them.
    register(Table("reflections", history=False))
    register(Table("shares"))


@hookimpl
def register_templates(register: Callable[[Template], None]) -> None:
    from .templates import REFLECTION_TEMPLATES

    for template in REFLECTION_TEMPLATES:
        register(template)


@hookimpl
def register_commands(cli: click.Group, get_context: Callable[[], Context]) -> None:
    def add_commands(group: click.Group) -> None:
        from .commands import register

        register(group, get_context)

    # The commands (and the service behind them) are imported when `plc reflect` is
    # used, not for every other command.
    lazy_group(
        cli,
        "reflect",
        "Reflections: your 5-15 reports and journal, private unless you share them.",
        add_commands,
    )


def open_screen(ctx: Context, shared: bool | None = None, write: str | None = None) -> Any:
    """The member's journal, or what was shared with them (a coach whose own
    journal is empty and who has reflections to read starts there); with
    ``write``, the editor for that template."""
    from .screens.editor_screen import EditorScreen
    from .screens.reflections_screen import ReflectionsScreen
    from .service import Reflections

    if write:
        return EditorScreen(ctx, write)
    if shared is None:
        service = Reflections(ctx)
        shared = not service.mine() and bool(service.shared_with_me())
    return ReflectionsScreen(ctx, shared=shared)


def dashboard_card(ctx: Context) -> Card:
    from .service import Reflections

    try:
        return _card(Reflections(ctx))
    except KeyMissing:
        # Said on the card, where the member looks, with what to do, in lines that fit.
        return Card(
            lines=(
                "Your private key is missing from this computer.",
                "Restore your backup: plc keys restore FILE",
                "(or plc keys new: what was sealed to the old key stays unreadable)",
            ),
            attention=1,
        )


def _card(service: Reflections) -> Card:
    lines = []
    attention = 0
    for due in service.due():
        if due["overdue"]:
            attention += 1
            last = f" (last {due['last']})" if due["last"] else ""
            lines.append(f"Your {due['title']} is due{last}")
        else:
            lines.append(f"Next {due['title']} due {due['due']}")
    mine = service.comment_counts(shared=False)
    new = sum(unseen for _, unseen in mine.values())
    if new:
        attention += 1
        lines.append(f"{new} new comment{'s' if new != 1 else ''} from your coach")
    shared = service.comment_counts(shared=True)
    if mine or shared:
        service.ctx.sealing.check_key()  # counted unopened: say now if they could not be
    if shared:
        unseen = sum(1 for comments, new in shared.values() if new or not comments)
        line = f"{len(shared)} shared with you"
        if unseen:
            line += f", {unseen} to read or answer"
        lines.append(line)
    if not mine:
        lines.append("Private to you unless you share one with a coach.")
    else:
        lines.append(
            f"{len(mine)} reflection{'s' if len(mine) != 1 else ''}, private unless shared"
        )
    return Card(lines=tuple(lines), attention=attention)


@hookimpl
def register_modules(register: Callable[[Module], None]) -> None:
    register(
        Module(
            id="reflections",
            title="Reflections",
            description="Your 5-15 reports and journal, private; share one with a coach",
            open_screen=open_screen,
            dashboard_card=dashboard_card,
            order=40,
        )
    )


@hookimpl
def register_palette_commands(register: Callable[[PaletteCommand], None], ctx: Context) -> None:
    if ctx.member is None:
        return
    register(
        PaletteCommand(
            "Write a 5-15 report",
            "Achievement, Plans, Challenges, Opportunities: 15 minutes, private",
            lambda ctx: ctx.push_screen(open_screen(ctx, write="5-15")),
        )
    )
    register(
        PaletteCommand(
            "Reflections shared with me",
            "Read and comment on what leaders shared with you",
            lambda ctx: ctx.push_screen(open_screen(ctx, shared=True)),
        )
    )


@hookimpl(trylast=True)  # after the goals module: reports start from its check-ins
def populate_demo(ctx: Context, size: str, rng: random.Random, today: date) -> None:
    from .demo import populate

    populate(ctx, size, rng, today)

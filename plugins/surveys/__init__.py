"""Surveys: needs surveys built, taken and read, with real anonymity.

A built-in plc module written only against the public plugin API
(:mod:`plc_tui.api`); a school's plugin could replace it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from plc_tui.api import Card, Context, Module, PaletteCommand, Service, Table, hookimpl
from plc_tui.cli_helpers import lazy_group

if TYPE_CHECKING:
    import click

# The module's services, templates and screens are imported where they are used:
# `plc survey list` loads every plugin, and needs little of each.

__version__ = "0.1.0"


def _open_screen(ctx: Context) -> Any:
    from .screens.surveys_screen import SurveysScreen

    return SurveysScreen(ctx)


def dashboard_card(ctx: Context) -> Card:
    from .service import Surveys

    service = Surveys(ctx)
    todo = service.to_answer()
    lines = []
    for row in todo[:2]:
        closes = f", closes {row.closes}" if row.closes else ""
        lines.append(f"{row.title} ({row.my_status}{closes})")
    if not todo:
        lines.append("You have answered every open survey.")
    if ctx.can("lead"):
        counts = service.state_counts()
        open_count, drafts = counts["open"], counts["draft"]
        # Survey drafts a leader is building (in Manage), not answers half given.
        lines.append(
            f"{open_count} open, {drafts} survey draft{'s' if drafts != 1 else ''} to finish "
            "building"
        )
    return Card(lines=tuple(lines), attention=len(todo))


@hookimpl
def register_modules(register: Callable[[Module], None]) -> None:
    register(
        Module(
            id="surveys",
            title="Surveys",
            description="Needs surveys and feedback: answer, build, read results",
            open_screen=_open_screen,
            dashboard_card=dashboard_card,
            order=10,
        )
    )


@hookimpl
def register_tables(register: Callable[[Table], None]) -> None:
    register(Table("surveys"))
    register(Table("past_surveys", partitioned=True))
    # Answers and who answered: no earlier versions kept, and no file shows which
    # answer came last (see answers.py).
    register(Table("answers", partitioned=True, history=False, keep_order=False))
    register(Table("responses", partitioned=True, history=False))
    register(Table("participation", partitioned=True, history=False))
    register(Table("drafts", partitioned=True, history=False))


@hookimpl
def register_question_types(register: Callable[[Any], None]) -> None:
    from .question_types import BUILTIN_TYPES

    for qtype in BUILTIN_TYPES:
        register(qtype)


@hookimpl
def register_templates(register: Callable[[Any], None]) -> None:
    from .templates import SURVEY_TEMPLATES

    for template in SURVEY_TEMPLATES:
        register(template)


@hookimpl
def register_commands(cli: click.Group, get_context: Callable[[], Context]) -> None:
    def add_commands(group: click.Group) -> None:
        from .commands import register

        register(group, get_context)

    # The commands (and the service behind them) are imported when `plc survey` is
    # used, not for every other command.
    lazy_group(cli, "survey", "Needs surveys: build, open, answer, and read results.", add_commands)


@hookimpl
def register_palette_commands(register: Callable[[PaletteCommand], None], ctx: Context) -> None:
    def take_next(ctx: Context) -> None:
        from .screens.take_screen import TakeSurveyScreen
        from .service import Surveys

        todo = Surveys(ctx).to_answer()
        if not todo:
            ctx.notify("You have answered every open survey.")
            return
        ctx.push_screen(TakeSurveyScreen(ctx, todo[0].id))

    register(
        PaletteCommand("Answer my next survey", "Open the first survey waiting for you", take_next)
    )
    if ctx.can("lead"):

        def build(ctx: Context) -> None:
            from .screens.builder_screen import BuilderScreen

            ctx.push_screen(BuilderScreen(ctx))

        register(PaletteCommand("New survey", "Build a survey from scratch or a template", build))


@hookimpl
def populate_demo(ctx: Context, size: str, rng: random.Random, today: date) -> None:
    from .demo import populate

    populate(ctx, size, rng, today)


@hookimpl
def register_services(register: Callable[[Service], None]) -> None:
    from .team_checks import TeamChecks

    register(
        Service(
            "surveys.team_checks",
            TeamChecks,
            "A team rates statements on one scale, anonymously; results per statement",
        )
    )

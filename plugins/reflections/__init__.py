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

from collections.abc import Callable

import click

from plc_tui.api import Context, Table, Template, hookimpl

from .templates import REFLECTION_TEMPLATES

__version__ = "0.1.0"


@hookimpl
def register_tables(register: Callable[[Table], None]) -> None:
    # No kept history: an old version would still be sealed to a coach after the
    # author stopped sharing with them.
    register(Table("reflections", history=False))
    register(Table("shares"))


@hookimpl
def register_templates(register: Callable[[Template], None]) -> None:
    for template in REFLECTION_TEMPLATES:
        register(template)


@hookimpl
def register_commands(cli: click.Group, get_context: Callable[[], Context]) -> None:
    from .commands import register

    register(cli, get_context)

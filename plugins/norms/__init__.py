"""Norms: a team's norms agreement, adopted by consensus and kept alive.

Teams write norms as commitments; every member agrees (or the team's own
consensus rule); the adopted norms form the team's charter with a version; a
change needs agreement again, and a new member is asked to agree to the
current charter. A built-in plc module written only against the public plugin
API (:mod:`plc_tui.api`).

This first part is the charter and its CLI (``plc norms``); the app's screens
and the norms check follow.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from plc_tui.api import Context, Table, Template, hookimpl

from .templates import NORMS_TEMPLATES

__version__ = "0.1.0"


@hookimpl
def register_tables(register: Callable[[Table], None]) -> None:
    register(Table("charters"))
    register(Table("proposals"))


@hookimpl
def register_templates(register: Callable[[Template], None]) -> None:
    for template in NORMS_TEMPLATES:
        register(template)


@hookimpl
def register_commands(cli: click.Group, get_context: Callable[[], Context]) -> None:
    from .commands import register

    register(cli, get_context)

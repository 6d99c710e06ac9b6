"""Team roles: a short self-assessment of the four team roles and of discovery and
delivery skills, each team's balance, and roles given by strength.

An example plc plugin, written against plc's public API alone."""

from __future__ import annotations

import json

import click

from plc_tui.api import Card, Context, Module, Table, Template, hookimpl
from plc_tui.cli_helpers import echo_json, echo_plain, echo_table, format_option, read_json

from .roles import ROLES, SKILLS, STATEMENTS
from .service import TeamRoles

__version__ = "0.1.0"


@hookimpl
def register_tables(register):
    register(Table("profiles"))
    register(Table("assignments"))


@hookimpl
def register_templates(register):
    register(
        Template(
            kind="protocol",
            id="roles-conversation",
            title="Team roles conversation",
            description="Share your roles check, look at the balance, give each job to a strength.",
            body={
                "steps": [
                    {
                        "title": "Share",
                        "minutes": 10,
                        "prompt": "Each reads their strongest roles.",
                    },
                    {"title": "Balance", "minutes": 10, "prompt": "Which role does no one hold?"},
                    {"title": "Assign", "minutes": 10, "prompt": "Who leads which role this term?"},
                ]
            },
        )
    )


def card(ctx: Context) -> Card | None:
    mine = TeamRoles(ctx).mine()
    if mine is None:
        return Card(lines=("Take the 2-minute roles check",), attention=1)
    strengths = ", ".join(ROLES[r] for r in mine.strengths)
    return Card(lines=(f"Your strengths: {strengths}", f"You lean to {mine.lean}"))


def open_screen(ctx: Context):
    from .screen import TeamRolesScreen

    return TeamRolesScreen(ctx)


@hookimpl
def register_modules(register):
    register(
        Module(
            id="team_roles",
            title="Team roles",
            description="Who builds, thinks, invents and solves: your team's balance",
            open_screen=open_screen,
            dashboard_card=card,
        )
    )


@hookimpl
def register_commands(cli, get_context):
    @cli.group()
    def roles():
        """Team roles: take the check, see a team's balance, give roles by strength."""

    @roles.command("statements")
    def statements():
        """The statements to rate from 1 (not like me) to 5 (very like me)."""
        for sid, text, _kind in STATEMENTS:
            echo_plain(f"{sid}  {text}")

    @roles.command("assess")
    @click.option("--answers", required=True, help='JSON {"r1": 4, ...}; - for stdin.')
    def assess(answers):
        """Save your answers to the roles check."""
        found = TeamRoles(get_context()).save_answers(read_json(answers, "the answers"))
        strengths = ", ".join(ROLES[r] for r in found.strengths)
        echo_plain(f"Your strengths: {strengths}; you lean to {found.lean}.")

    @roles.command("balance")
    @click.option("--team", help="Team name or id (default: your first team).")
    @format_option()
    def show_balance(team, output_format):
        """Which roles a team has as strengths, which it lacks, and who leads each."""
        service = TeamRoles(get_context())
        if team is None:
            teams = service.teams()
            if not teams:
                raise click.UsageError("you are in no team; give --team.")
            team = teams[0].id
        found, bal, assigned = service.team_balance(team)
        names = {m.login: m.name for m in get_context().community.members()}
        if output_format == "json":
            echo_json(
                {
                    "team": found.name,
                    "roles": {r: bal.by_role[r] for r in ROLES},
                    "missing": bal.missing,
                    "assigned": assigned,
                    "discovery": bal.discovery,
                    "delivery": bal.delivery,
                    "not_assessed": bal.not_assessed,
                }
            )
            return
        echo_table(
            ["ROLE", "A STRENGTH OF", "LEADS IT"],
            [
                [
                    ROLES[r],
                    ", ".join(names.get(m, m) for m in bal.by_role[r]) or "no one yet",
                    names.get(assigned.get(r, ""), "-"),
                ]
                for r in ROLES
            ],
        )
        echo_plain(
            f"{SKILLS['discovery']}: {len(bal.discovery)}, {SKILLS['delivery']}: "
            f"{len(bal.delivery)}; not assessed yet: {len(bal.not_assessed)}"
        )

    @roles.command("assign")
    @click.option("--team", required=True, help="Team name or id.")
    @click.argument("role", required=False, type=click.Choice(list(ROLES)))
    @click.argument("login", required=False)
    def assign(team, role, login):
        """Give ROLE to LOGIN, or with neither, each role to the strongest fit."""
        if (role is None) != (login is None):
            raise click.UsageError("give a ROLE and a LOGIN, or neither.")
        chosen = TeamRoles(get_context()).assign(team, role, login)
        click.echo(json.dumps(chosen))

"""Timed protocols: run a structured meeting protocol (Tuning, Consultancy, or any
plugin's protocol template) step by step with a countdown, take notes per step,
and keep them for the team.

An example plc plugin, written against plc's public API alone."""

from __future__ import annotations

import click

from plc_tui.api import Card, Context, Module, Table, hookimpl, one_line
from plc_tui.cli_helpers import echo_json, echo_plain, echo_table, format_option, read_json

from .service import Protocols
from .templates import PROTOCOLS

__version__ = "0.1.0"


@hookimpl
def register_tables(register):
    register(Table("sessions"))


@hookimpl
def register_templates(register):
    for template in PROTOCOLS:
        register(template)


def card(ctx: Context) -> Card:
    service = Protocols(ctx)
    member = ctx.require_member()
    held = sum(len(service.sessions(t)) for t in member.teams)
    return Card(
        lines=(
            f"{len(service.available())} protocols ready to run",
            f"{held} sessions kept for your teams",
        )
    )


def open_screen(ctx: Context):
    from .screen import ProtocolsScreen

    return ProtocolsScreen(ctx)


@hookimpl
def register_modules(register):
    register(
        Module(
            id="timed_protocols",
            title="Timed protocols",
            description="Run Tuning or Consultancy step by step, on time, with notes",
            open_screen=open_screen,
            dashboard_card=card,
        )
    )


def _team(ctx: Context, team: str | None) -> str:
    if team:
        return team
    mine = ctx.require_member().teams
    if len(mine) != 1:
        raise click.UsageError("give --team (you are in none, or in more than one).")
    return mine[0]


@hookimpl
def register_commands(cli, get_context):
    @cli.group()
    def protocols():
        """Timed protocols: the protocols, and the notes teams kept."""

    @protocols.command("list")
    @format_option()
    def list_(output_format):
        """The protocols you can run, with their steps."""
        found = Protocols(get_context()).available()
        if output_format == "json":
            echo_json([{"id": t.id, "title": t.title, "steps": t.body["steps"]} for t in found])
            return
        for template in found:
            minutes = sum(s["minutes"] for s in template.body["steps"])
            echo_plain(
                f"{template.id}: {template.title} ({len(template.body['steps'])} steps, "
                f"{minutes:g} minutes)"
            )

    @protocols.command("record")
    @click.option("--team", help="Team name or id (default: your team).")
    @click.option("--protocol", "protocol_id", required=True, help="See `plc protocols list`.")
    @click.option("--notes", required=True, help='JSON {"step title": "notes"}; - for stdin.')
    def record(team, protocol_id, notes):
        """Keep the notes of a protocol the team ran away from plc."""
        ctx = get_context()
        sid = Protocols(ctx).record(_team(ctx, team), protocol_id, read_json(notes, "the notes"))
        click.echo(sid)

    @protocols.command("sessions")
    @click.option("--team", help="Team name or id (default: your team).")
    @format_option()
    def sessions(team, output_format):
        """A team's protocol sessions, newest first."""
        ctx = get_context()
        rows = Protocols(ctx).sessions(_team(ctx, team))
        if output_format == "json":
            echo_json(rows)
            return
        echo_table(
            ["ID", "DATE", "PROTOCOL", "FACILITATOR"],
            [[r["id"], r["date"], r["title"], r["facilitator"]] for r in rows],
        )

    @protocols.command("show")
    @click.argument("session_id")
    def show(session_id):
        """One session's notes, step by step."""
        found = Protocols(get_context()).session(session_id)
        echo_plain(f"{found['title']}, {found['date']} (facilitator {found['facilitator']})")
        for step in found["steps"]:
            used = f"{step['minutes_used']:g} of {step['minutes']:g} min"
            echo_plain(f"- {step['title']} ({step['who']}, {used})")
            for line in (step["notes"] or "(no notes)").splitlines():
                echo_plain(f"    {one_line(line)}")

"""``plc goal ...``: the scriptable form of everything in the SMART goals module.

The JSON goal format is documented in :mod:`plc_plugins.smart_goals.model`;
``--format json`` output is a stable contract.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from plc_tui.api import Context, PLCError, one_line, parse_school_year
from plc_tui.api import school_year_label as label
from plc_tui.cli_helpers import (
    echo_json,
    echo_plain,
    echo_table,
    echo_templates,
    format_option,
    read_json,
)

from .export import latest_line, smart_lines
from .model import format_number, with_unit
from .service import Goals
from .status import percent

YEAR_HELP = "An ended school year, e.g. 2024-25 (see `plc goal years`); default: this one."


def _year(service: Goals, value: str | None) -> int | None:
    """The school year asked for, refusing one later than this one."""
    if value is None:
        return None
    year = parse_school_year(value)
    if year > service.this_year():
        raise PLCError(
            f"the {label(year)} school year has not started; this one is "
            f"{label(service.this_year())}."
        )
    return year


def _write(text: str, output: str | None, what: str) -> None:
    if not output:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, "utf-8")
    except OSError as exc:
        raise PLCError(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"Wrote {what} to {output}")


def register(goal: click.Group, get_context: Callable[[], Context]) -> None:
    """Add the `plc goal` commands to ``goal`` (made in ``__init__``, lazily)."""

    def goals() -> Goals:
        return Goals(get_context())

    @goal.command("list")
    @click.option("--team", help="One team (name or id); default: your teams, or all for leaders.")
    @click.option("--year", "year", metavar="YEAR", help=YEAR_HELP)
    @click.option(
        "--find",
        "find",
        default="",
        metavar="WORDS",
        help="Only goals with every one of these words in their title, team or status.",
    )
    @format_option()
    def list_(team: str | None, year: str | None, find: str, output_format: str) -> None:
        """This school year's goals with today's status and the reason for it."""
        service = goals()
        shown = _year(service, year)
        rows = [r for r in service.list(team, shown) if r.matches(find)]
        if output_format == "json":
            echo_json([r.as_dict() for r in rows])
            return
        if not rows and find.strip():
            click.echo(f"No goals match “{one_line(find.strip())}”.")
            return
        if not rows:
            if shown is None or shown >= service.this_year():
                click.echo("No goals this school year. Start one with `plc goal templates`.")
            else:
                click.echo(f"No goals in the {label(shown)} school year.")
            return
        echo_table(
            ["ID", "TEAM", "TITLE", "STATUS", "PROGRESS", "DEADLINE", "WHY"],
            [
                [
                    r.id,
                    r.team_name,
                    r.title,
                    r.status,
                    percent(r.progress) if r.state != "proposed" else "-",
                    r.deadline or "-",
                    r.reason,
                ]
                for r in rows
            ],
            max_cell=44,
        )

    @goal.command("show")
    @click.argument("goal_id")
    @format_option()
    def show(goal_id: str, output_format: str) -> None:
        """A goal: its SMART parts and check, status, consensus, actions and check-ins."""
        service = goals()
        data = service.detail(goal_id)
        if output_format == "json":
            echo_json(data)
            return
        _print_goal(data, service.names())

    @goal.command("add")
    @click.option(
        "--file",
        "file",
        required=True,
        metavar="FILE",
        help="The goal as JSON (see `plc goal template`); - for stdin.",
    )
    def add(file: str) -> None:
        """Propose a goal for a team; prints its id."""
        service = goals()
        gid = service.add(read_json(file, "the goal"))
        click.echo(gid)
        gaps = [r.hint for r in service.check(service.get(gid)) if not r.met]
        if gaps:
            service.ctx.notify(
                f"goal {gid} is not SMART yet: {'; '.join(gaps)}.", severity="warning"
            )

    @goal.command("update")
    @click.argument("goal_id")
    @click.option("--file", "file", required=True, metavar="FILE", help="JSON; - for stdin.")
    def update(goal_id: str, file: str) -> None:
        """Replace a goal with FILE (start from `plc goal export-definition ID`)."""
        goal = goals().update(goal_id, read_json(file, "the goal"))
        echo_plain(f"Updated goal {goal['id']} ({goal['title']}).")

    @goal.command("export-definition")
    @click.argument("goal_id")
    def export_definition(goal_id: str) -> None:
        """Print a goal as JSON in the format `plc goal add` and `update` read."""
        echo_json(goals().export_goal(goal_id))

    @goal.command("delete")
    @click.argument("goal_id")
    def delete(goal_id: str) -> None:
        """Withdraw a proposed goal (agreed goals are kept)."""
        goal = goals().delete(goal_id)
        echo_plain(f"Withdrew proposed goal {goal['id']} ({goal['title']}).")

    @goal.command("agree")
    @click.argument("goal_id")
    def agree(goal_id: str) -> None:
        """Agree to a proposed goal; it becomes active once the team agrees."""
        service = goals()
        result = service.agree(goal_id)
        if result.reached:
            click.echo(
                f"Goal {goal_id} is agreed ({len(result.agreed)} of {len(result.members)}): "
                f"it is active now. Check in with `plc goal check-in {goal_id} --value V`."
            )
        else:
            echo_plain(
                f"You agreed to goal {goal_id}; it stays proposed "
                f"({result.summary(service.names())})."
            )

    @goal.command("object")
    @click.argument("goal_id")
    @click.option("--reason", required=True, help="Why, and what would make it work for you.")
    def object_(goal_id: str, reason: str) -> None:
        """Object to a proposed goal, with a reason; it stays proposed."""
        goals().object(goal_id, reason)
        click.echo(
            f"You objected to goal {goal_id}; it stays proposed until the team changes it "
            f"or you agree."
        )

    @goal.command("check-in")
    @click.argument("goal_id")
    @click.option("--value", required=True, help="The measured value, e.g. 68 (for 68%).")
    @click.option("--confidence", default="3", show_default=True, help="1 (low) to 5 (high).")
    @click.option("--note", default="", help="What the team noticed.")
    @click.option("--date", "on", help="When it was measured (default today), e.g. 2026-11-20.")
    def check_in(goal_id: str, value: str, confidence: str, note: str, on: str | None) -> None:
        """Record a measured value and the team's confidence for an agreed goal."""
        service = goals()
        status = service.check_in(goal_id, value, confidence, note, on)
        goal = service.get(goal_id)
        unit = (goal.get("measurable") or {}).get("unit")
        latest = status.latest or {}
        echo_plain(
            f"Checked in on goal {goal['id']}: latest {with_unit(latest.get('value'), unit)} "
            f"on {latest.get('date')}."
        )
        if status.status == "met":
            echo_plain(f"Goal met! {status.reason}. Celebrate it with your team.")
        else:
            echo_plain(f"Status: {status.status} ({status.reason}).")

    @goal.command("done")
    @click.argument("goal_id")
    @click.argument("step", type=int)
    @click.option("--undo", is_flag=True, help="Mark the step as not done.")
    def done(goal_id: str, step: int, undo: bool) -> None:
        """Mark action step STEP (numbered as in `plc goal show`) as done."""
        action = goals().set_action_done(goal_id, step, not undo)
        echo_plain(f"Step {step} ({action['text']}) is {'done' if action['done'] else 'open'}.")

    @goal.command("evidence")
    @click.argument("goal_id")
    @click.argument("text")
    def evidence(goal_id: str, text: str) -> None:
        """Note a piece of evidence for a goal (student work, a data file, ...)."""
        goals().add_evidence(goal_id, text)
        click.echo(f"Added evidence to goal {goal_id}.")

    @goal.command("reminders")
    @format_option()
    def reminders(output_format: str) -> None:
        """What needs you: goals to agree on, check-ins, checkpoints, your action steps."""
        found = goals().reminders()
        if output_format == "json":
            echo_json([r.as_dict() for r in found])
            return
        if not found:
            click.echo("Nothing needs you on your team's goals right now.")
            return
        echo_table(["GOAL", "TEAM", "WHAT"], [[r.goal, r.team, r.text] for r in found], max_cell=70)

    @goal.command("export")
    @click.option("--team", help="One team (name or id); default: every team you can see.")
    @click.option("--year", "year", metavar="YEAR", help=YEAR_HELP)
    @click.option(
        "--format",
        "output_format",
        type=click.Choice(["md", "csv"]),
        default="md",
        show_default=True,
        help="md: the goal sheet to print; csv: one row per goal.",
    )
    @click.option(
        "--output", "-o", type=click.Path(dir_okay=False), help="Write to a file instead."
    )
    def export(team: str | None, year: str | None, output_format: str, output: str | None) -> None:
        """A team's goal sheet: the SMART parts, action steps, progress and status."""
        service = goals()
        shown = _year(service, year)
        if output_format == "csv":
            _write(service.export_csv(team, shown), output, "the goals")
        else:
            _write(service.export_markdown(team, shown), output, "the goal sheet")

    @goal.command("years")
    def years() -> None:
        """The school years with goals, this one first (for `--year`)."""
        service = goals()
        this_year = service.this_year()
        for year in service.years():
            click.echo(f"{label(year)}{'  (this school year)' if year == this_year else ''}")

    @goal.command("templates")
    @format_option()
    def templates(output_format: str) -> None:
        """Goal templates to start from (see `plc goal template ID`)."""
        echo_templates(goals().templates(), output_format, max_cell=70)

    @goal.command("template")
    @click.argument("template_id")
    @click.option("--team", help="The team the goal is for (name or id).")
    def template(template_id: str, team: str | None) -> None:
        """Print a template as goal JSON to fill in and add with `plc goal add --file`."""
        echo_json(goals().template_draft(template_id, team))


def _print_goal(data: dict[str, Any], names: dict[str, str]) -> None:
    unit = data["measurable"].get("unit")
    echo_plain(f"Goal {data['id']}: {data['title']}")
    owners = ", ".join(names.get(o, o) for o in data["owners"]) or "-"
    echo_plain(f"Team: {data['team']}    Owners: {owners}")
    echo_plain(f"Status: {data['status']} ({data['reason']})")
    consensus = data["consensus"]
    if data["state"] == "proposed":
        echo_plain(
            f"Consensus: {len(consensus['agreed'])} of {len(consensus['members'])} agreed, "
            f"{consensus['needed']} needed"
            + (
                f"; waiting for {', '.join(names.get(m, m) for m in consensus['waiting'])}"
                if consensus["waiting"]
                else ""
            )
        )
        for objection in consensus["objections"]:
            who = names.get(objection["member"], objection["member"])
            echo_plain(f"  Objection from {who}: {objection['reason']}")
    else:
        echo_plain(f"Agreed on {data['agreed_on']}")

    echo_plain("\nSMART check")
    for letter in data["smart"]:
        echo_plain(f"  [{'x' if letter['met'] else ' '}] {letter['hint'] or letter['name']}")
    echo_plain("")
    for part, text in smart_lines(data):
        echo_plain(f"{part:<11} {text or '-'}")

    if data["actions"]:
        echo_plain("\nAction steps")
        for n, action in enumerate(data["actions"], start=1):
            owner = names.get(action.get("owner") or "", action.get("owner") or "")
            extra = ", ".join(
                x for x in (owner, f"due {action['due']}" if action["due"] else "") if x
            )
            echo_plain(
                f"  {n}. [{'x' if action['done'] else ' '}] {action['text']}"
                + (f" ({extra})" if extra else "")
            )
    if data["evidence"]:
        echo_plain("\nEvidence")
        for item in data["evidence"]:
            echo_plain(f"  - {item['text']}" + (f" ({item['date']})" if item.get("date") else ""))

    progress = latest_line(unit, data["latest"], data["progress"], data["expected"])
    echo_plain(f"\nLatest progress: {progress}")
    if data["checkins"]:
        echo_table(
            ["DATE", "VALUE", "CONFIDENCE", "BY", "NOTE"],
            [
                [
                    c["date"],
                    with_unit(c["value"], unit) if unit else format_number(c["value"]),
                    f"{c['confidence']}/5",
                    names.get(c.get("by", ""), c.get("by", "")),
                    c.get("note", ""),
                ]
                for c in data["checkins"]
            ],
            max_cell=50,
        )

"""``plc norms ...``: a team's norms agreement from the command line.

``--format json`` output is a stable contract.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import click

from plc_tui.api import Context
from plc_tui.cli_helpers import echo_json, echo_plain, format_option, read_json

from .model import category_name
from .service import Norms


def register(group: click.Group, get_context: Callable[[], Context]) -> None:
    """Add the `plc norms` commands to ``group`` (made in ``__init__``, lazily)."""

    def norms() -> Norms:
        return Norms(get_context())

    @group.command("show")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    @click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json", "md"]),
        default="text",
        show_default=True,
    )
    def show(team: str | None, output_format: str) -> None:
        """The team's adopted norms, open proposals and who has yet to agree."""
        service = norms()
        team_id = service.team(team).id
        if output_format == "md":
            click.echo(service.markdown(team_id), nl=False)
            return
        charter = service.charter(team_id)
        proposals = service.proposals(team_id)
        names = service.ctx.community.names()
        waiting = service.waiting_for(team_id)
        if output_format == "json":
            schedule = service.check_schedule(team_id, charter) if charter["norms"] else None
            echo_json(
                {
                    "team": team_id,
                    "next_check": schedule and schedule["due"],
                    "open_check": schedule and schedule["open"] and schedule["open"]["id"],
                    "version": charter["version"],
                    "share": charter.get("share", 1.0),
                    "norms": charter["norms"],
                    "waiting": waiting,
                    "proposals": [
                        {
                            **{k: p[k] for k in ("id", "kind", "norm", "text", "category")},
                            "tally": service.tally(p, charter).as_dict(),
                        }
                        for p in proposals
                    ],
                }
            )
            return
        if charter["norms"]:
            echo_plain(f"Norms, version {charter['version']}:")
            for norm in charter["norms"]:
                echo_plain(f"  {norm['id']}. {norm['text']}  ({category_name(norm['category'])})")
        else:
            echo_plain(
                "No norms adopted yet. `plc norms starters --team T` proposes a starter set."
            )
        if waiting:
            echo_plain(f"Yet to agree: {', '.join(names.get(w, w) for w in waiting)}")
        if charter["norms"]:
            schedule = service.check_schedule(team_id, charter)
            if schedule["open"]:
                echo_plain(f"Norms check open until {schedule['open']['closes']}.")
            elif schedule["due"] <= service.ctx.today().isoformat():
                echo_plain(f"A norms check is due (since {schedule['due']}).")
            else:
                echo_plain(f"Next norms check due {schedule['due']}.")
        for p in proposals:
            tally = service.tally(p, charter)
            what = {
                "add": "Add",
                "edit": f"Change norm {p['norm']} to",
                "remove": "Remove",
                "rule": "New rule:",
            }[p["kind"]]
            echo_plain(f"Proposal {p['id']}: {what} “{p['text']}” — {tally.summary(names)}")

    @group.command("propose")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    @click.option(
        "--category",
        required=True,
        help="time, listening, confidentiality, "
        "decisions, participation, expectations, or your own.",
    )
    @click.argument("text")
    def propose(team: str | None, category: str, text: str) -> None:
        """Propose a new norm; prints the proposal id."""
        click.echo(norms().propose(team, text, category))

    @group.command("change")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    @click.argument("norm")
    @click.argument("text")
    def change(team: str | None, norm: str, text: str) -> None:
        """Propose new words for adopted norm NORM (the team agrees again)."""
        click.echo(norms().propose_change(team, norm, text))

    @group.command("remove")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    @click.argument("norm")
    def remove(team: str | None, norm: str) -> None:
        """Propose removing adopted norm NORM (the team agrees first)."""
        click.echo(norms().propose_removal(team, norm))

    @group.command("starters")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    @click.option(
        "--set",
        "set_id",
        default="starter",
        show_default=True,
        help="Which set of norms (see --list); a school's plugin may add its own.",
    )
    @click.option("--list", "list_sets", is_flag=True, help="List the sets and stop.")
    def starters(team: str | None, set_id: str, list_sets: bool) -> None:
        """Propose a set of norms, one proposal each, for the team to adapt or agree."""
        service = norms()
        sets = service.starter_sets()
        if list_sets:
            for template in sets:
                echo_plain(f"{template.id}  {template.title}: {template.description}")
            return
        chosen = next((t for t in sets if t.id == set_id), None)
        if chosen is None:
            known = ", ".join(t.id for t in sets) or "none"
            raise click.UsageError(f"there is no set of norms {set_id!r}; sets: {known}.")
        ids = service.propose_many(team, chosen.body["norms"])
        for pid, norm in zip(ids, chosen.body["norms"], strict=True):
            echo_plain(f"{pid}  {norm['text']}")

    @group.command("agree")
    @click.argument("proposal", required=False)
    @click.option("--charter", "team", help="Agree to this team's current charter instead.")
    def agree(proposal: str | None, team: str | None) -> None:
        """Agree to PROPOSAL, or with --charter TEAM to the team's current norms."""
        service = norms()
        if team:
            version = service.agree_to_charter(team)
            echo_plain(f"You agreed to version {version} of the norms.")
            return
        if not proposal:
            raise click.UsageError("give a proposal id, or --charter TEAM.")
        tally = service.agree(proposal)
        done = "Adopted: the norms have a new version." if tally.reached else "Thank you."
        echo_plain(f"{done} {tally.summary()}")

    @group.command("object")
    @click.argument("proposal")
    @click.option("--reason", required=True, help="Why, so the team can respond.")
    def object_(proposal: str, reason: str) -> None:
        """Object to PROPOSAL, saying why; it stays open."""
        norms().object(proposal, reason)
        echo_plain("Your objection is recorded; the proposal stays open.")

    @group.command("comment")
    @click.argument("proposal")
    @click.argument("text")
    def comment(proposal: str, text: str) -> None:
        """Comment on PROPOSAL."""
        norms().comment(proposal, text)
        echo_plain("Comment added.")

    @group.command("check")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    @click.option(
        "--ratings",
        "ratings_file",
        required=True,
        help='A JSON file like {"1": 4, "2": 5, "comment": "..."}: each norm\'s id and how '
        "well the team kept it, 1 (not at all) to 5 (fully); - reads stdin.",
    )
    def check(team: str | None, ratings_file: str) -> None:
        """Rate how well the team kept each norm (anonymous; opens a check if none is)."""
        raw = read_json(ratings_file, "the ratings")
        if not isinstance(raw, dict):
            raise click.UsageError('ratings must be a JSON object like {"1": 4, "2": 5}.')
        comment = str(raw.pop("comment", "") or "")
        check_id = norms().rate(team, raw, comment)
        echo_plain(f"Thank you: your ratings are in norms check {check_id} (anonymous).")

    @group.command("close")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    def close(team: str | None) -> None:
        """Close the team's open norms check, so its results show."""
        closed = norms().close_check(team)
        echo_plain(
            f"Norms check {closed['id']} is closed with {closed['responses']} "
            f"rating{'s' if closed['responses'] != 1 else ''}; "
            "`plc norms results` shows them."
        )

    @group.command("record")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    @click.option(
        "--sheets",
        "sheets_file",
        required=True,
        help='A JSON file listing one unnamed sheet per person: [{"1": 4, "2": 5, '
        '"comment": "..."}, ...]; - reads stdin.',
    )
    @click.option(
        "--date",
        "held_on",
        type=click.DateTime(["%Y-%m-%d"]),
        help="The meeting's date (default today).",
    )
    def record(team: str | None, sheets_file: str, held_on: datetime | None) -> None:
        """Record a norms check held on paper at a meeting (no names are kept)."""
        raw = read_json(sheets_file, "the rating sheets")
        if not isinstance(raw, list):
            raise click.UsageError('sheets must be a JSON list like [{"1": 4}, {"1": 5}].')
        service = norms()
        day = held_on.date() if held_on else service.ctx.today()
        check_id = service.record_check(team, day, raw)
        echo_plain(f"Recorded {len(raw)} sheets as norms check {check_id} of {day}.")

    @group.command("results")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    @format_option()
    def results(team: str | None, output_format: str) -> None:
        """How well the team kept each norm, check by check, lowest first."""
        rows = norms().check_results(team)
        if output_format == "json":
            echo_json(rows)
            return
        if not any(r["trend"] for r in rows):
            echo_plain("No norms check yet: `plc norms check --team T --ratings FILE` starts one.")
            return
        echo_plain("How well the team kept each norm, 1 to 5, lowest first (- fewer than 3 rated):")
        for row in rows:
            means = "  ".join(
                f"{t['date']}: " + ("-" if t["mean"] is None else f"{t['mean']:.1f}")
                for t in row["trend"]
            )
            echo_plain(f"{row['norm']}. {row['text']}\n   {means}")

    @group.command("rule")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    @click.option(
        "--percent",
        type=click.IntRange(50, 100),
        required=True,
        help="The share of members who must agree for a norm to be adopted (default 100).",
    )
    def rule(team: str | None, percent: int) -> None:
        """Propose a consensus rule for the team's norms (the team agrees to it first)."""
        pid = norms().set_share(team, percent)
        echo_plain(f"Proposal {pid}: the new rule counts once the team agrees to it.")

    @group.command("history")
    @click.option("--team", help="Team name or id (default: your team, if you are in one).")
    @format_option()
    def history(team: str | None, output_format: str) -> None:
        """Every version of the team's norms: when, and what changed."""
        service = norms()
        charter = service.charter(service.team(team).id)  # a missing --team is said here
        if output_format == "json":
            echo_json(charter["history"])
            return
        if not charter["history"]:
            echo_plain("No versions yet.")
        for entry in reversed(charter["history"]):  # newest first, as in the app
            echo_plain(f"Version {entry['version']}, {entry['date']}: {entry['change']}")

"""``plc norms ...``: a team's norms agreement from the command line.

``--format json`` output is a stable contract.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from plc_tui.api import Context
from plc_tui.cli_helpers import echo_json, echo_plain, format_option

from .model import category_name
from .service import Norms
from .templates import STARTER_NORMS


def register(cli: click.Group, get_context: Callable[[], Context]) -> None:
    def norms() -> Norms:
        return Norms(get_context())

    @cli.group("norms")
    def group() -> None:
        """Norms: propose, agree, keep the team's charter and its history."""

    @group.command("show")
    @click.option("--team", required=True, help="Team name or id.")
    @click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json", "md"]),
        default="text",
        show_default=True,
    )
    def show(team: str, output_format: str) -> None:
        """The team's adopted norms, open proposals and who has yet to agree."""
        service = norms()
        team_id = service.team(team).id
        if output_format == "md":
            click.echo(service.markdown(team), nl=False)
            return
        charter = service.charter(team_id)
        proposals = service.proposals(team_id)
        names = {m.login: m.name for m in service.ctx.community.members()}
        waiting = service.waiting_for(team_id)
        if output_format == "json":
            echo_json(
                {
                    "team": team_id,
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
        for p in proposals:
            tally = service.tally(p, charter)
            what = {"add": "Add", "edit": f"Change norm {p['norm']} to", "remove": "Remove"}[
                p["kind"]
            ]
            echo_plain(f"Proposal {p['id']}: {what} “{p['text']}” — {tally.summary(names)}")

    @group.command("propose")
    @click.option("--team", required=True, help="Team name or id.")
    @click.option(
        "--category",
        required=True,
        help="time, listening, confidentiality, "
        "decisions, participation, expectations, or your own.",
    )
    @click.argument("text")
    def propose(team: str, category: str, text: str) -> None:
        """Propose a new norm; prints the proposal id."""
        click.echo(norms().propose(team, text, category))

    @group.command("change")
    @click.option("--team", required=True, help="Team name or id.")
    @click.argument("norm")
    @click.argument("text")
    def change(team: str, norm: str, text: str) -> None:
        """Propose new words for adopted norm NORM (the team agrees again)."""
        click.echo(norms().propose_change(team, norm, text))

    @group.command("remove")
    @click.option("--team", required=True, help="Team name or id.")
    @click.argument("norm")
    def remove(team: str, norm: str) -> None:
        """Propose removing adopted norm NORM (the team agrees first)."""
        click.echo(norms().propose_removal(team, norm))

    @group.command("starters")
    @click.option("--team", required=True, help="Team name or id.")
    def starters(team: str) -> None:
        """Propose the starter set of norms, one proposal each, to adapt or agree."""
        service = norms()
        for norm in STARTER_NORMS:
            pid = service.propose(team, norm["text"], norm["category"])
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

    @group.command("history")
    @click.option("--team", required=True, help="Team name or id.")
    @format_option()
    def history(team: str, output_format: str) -> None:
        """Every version of the team's norms: when, and what changed."""
        service = norms()
        charter = service.charter(service.team(team).id)
        if output_format == "json":
            echo_json(charter["history"])
            return
        if not charter["history"]:
            echo_plain("No versions yet.")
        for entry in charter["history"]:
            echo_plain(f"Version {entry['version']}, {entry['date']}: {entry['change']}")

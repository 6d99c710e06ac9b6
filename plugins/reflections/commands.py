"""``plc reflect ...``: write, find, share and export reflections from the command line.

``--format json`` output is a stable contract.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from plc_tui.api import Context, ValidationError
from plc_tui.cli_helpers import (
    echo_json,
    echo_plain,
    echo_table,
    edit_text,
    format_option,
    read_json,
)

from .service import Reflections, words

EDITOR_HINT = "# Lines starting with # are left out. Save and close the editor when done.\n"


def _first_line(row: dict[str, Any]) -> str:
    text = next((t for t in row["parts"].values() if t.strip()), "")
    line = " ".join(text.split())
    return line if len(line) <= 50 else line[:49] + "…"


def _parts_from_editor(service: Reflections, template: Any) -> dict[str, str]:
    """Ask for each part in the person's $EDITOR, with the prompt as a guide."""
    parts = {}
    for part in template.body["parts"]:
        start = f"# {part['title']}: {part['prompt']}\n{EDITOR_HINT}\n"
        if part["id"] == "achievement":
            previous = service.previous(template.id)
            if previous and previous["parts"].get("plans"):
                plans = "\n".join(f"#   {line}" for line in previous["parts"]["plans"].splitlines())
                start += f"# Your plans last time ({previous['date']}):\n{plans}\n\n"
        edited = edit_text(start, extension=".md")
        if edited is None:
            raise click.Abort()
        text = "\n".join(line for line in edited.splitlines() if not line.startswith("#"))
        parts[part["id"]] = text.strip()
    return parts


def register(group: click.Group, get_context: Callable[[], Context]) -> None:
    """Add the `plc reflect` commands to ``group`` (made in ``__init__``, lazily)."""

    def reflections() -> Reflections:
        return Reflections(get_context())

    @group.command("templates")
    @format_option()
    def templates(output_format: str) -> None:
        """The kinds of reflection you can write, and their parts."""
        rows = reflections().templates()
        if output_format == "json":
            echo_json(
                [
                    {"id": t.id, "title": t.title, "parts": [p["id"] for p in t.body["parts"]]}
                    for t in rows
                ]
            )
            return
        for t in rows:
            echo_plain(f"{t.id}  {t.title}: {', '.join(p['id'] for p in t.body['parts'])}")

    @group.command("new")
    @click.option("--template", "template_id", default="5-15", show_default=True)
    @click.option(
        "--file",
        "parts_file",
        help='A JSON file of the parts, like {"achievement": "...", "plans": "..."}; - '
        "reads stdin. Without it, each part opens in $EDITOR.",
    )
    @click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Default today.")
    def new(template_id: str, parts_file: str | None, on: datetime | None) -> None:
        """Write a reflection (private unless you share its template); prints its id."""
        service = reflections()
        template = service.template(template_id)
        if parts_file:
            parts = read_json(parts_file, "the parts file")
        else:
            parts = _parts_from_editor(service, template)
        rid = service.write(template.id, parts, on.date() if on else None)
        click.echo(rid)
        shared = service.get(rid)["shared_with"]
        # On stderr: stdout is the id alone, for scripts.
        click.echo(
            f"Shared with {', '.join(shared)} (every {template.title})."
            if shared
            else "Private to you.",
            err=True,
        )

    @group.command("list")
    @format_option()
    @click.option("--template", "template_id", help="Only this template (see `templates`).")
    @click.option("--search", "text", default="", help="Words that must all appear.")
    @click.option("--part", help="Search and show only this part (e.g. challenges).")
    @click.option("--shared", is_flag=True, help="Those shared with you, not your own.")
    def list_(
        output_format: str, template_id: str | None, text: str, part: str | None, shared: bool
    ) -> None:
        """Your reflections (or those shared with you), newest first."""
        service = reflections()
        if template_id:
            service.template(template_id)
        if part:
            part = service.part_id(part)
        rows = service.search(text, part=part, template=template_id, shared=shared)
        unseen = service.unseen_counts(rows)
        if output_format == "json":
            echo_json(
                [
                    {
                        "id": r["id"],
                        "author": r["author"],
                        "template": r["template"],
                        "date": r["date"],
                        "shared_with": r["shared_with"],
                        "comments": len(r["comments"]),
                        "new_comments": unseen[r["id"]],
                        "parts": {part: r["parts"].get(part, "")} if part else r["parts"],
                    }
                    for r in rows
                ]
            )
            return
        if not rows:
            echo_plain("No reflections match." if (text or part or template_id) else "None yet.")
            return
        if part:
            for r in rows:
                echo_plain(f"{r['id']}  {r['date']}  {r['template']}")
                for line in r["parts"].get(part, "").splitlines():
                    echo_plain(f"    {line}")
            return
        names = service.ctx.community.names()
        echo_table(
            ["ID", "DATE", "TEMPLATE", "AUTHOR" if shared else "SHARED WITH", "COMMENTS", "BEGINS"],
            [
                [
                    str(r["id"]),
                    r["date"],
                    r["template"],
                    names.get(r["author"], r["author"])
                    if shared
                    else ", ".join(r["shared_with"]) or "-",
                    f"{len(r['comments'])}"
                    + (f" ({unseen[r['id']]} new)" if unseen[r["id"]] else ""),
                    _first_line(r),
                ]
                for r in rows
            ],
        )

    @group.command("show")
    @click.argument("rid")
    @click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json", "md"]),
        default="text",
        show_default=True,
    )
    def show(rid: str, output_format: str) -> None:
        """One reflection, with its comments (marks them read)."""
        service = reflections()
        row = service.get(rid)
        service.mark_seen(row["id"], len(row["comments"]))
        if output_format == "json":
            echo_json(row)
            return
        text = service.markdown([row])
        if output_format == "md":
            click.echo(text, nl=False)
            return
        total = sum(words(t) for t in row["parts"].values())
        echo_plain(text.rstrip())
        shared = ", ".join(row["shared_with"]) or "no one (private)"
        echo_plain(f"\n{total} words · shared with {shared}")

    @group.command("share")
    @click.argument("rid", required=False)
    @click.option("--with", "coach", required=True, help="The coach's login.")
    @click.option(
        "--template", "template_id", help="Every reflection of this template, from now on."
    )
    def share(rid: str | None, coach: str, template_id: str | None) -> None:
        """Share reflection RID (or every one of --template) with a coach."""
        service = reflections()
        if template_id and rid:
            raise click.UsageError("give a reflection id or --template, not both.")
        if template_id:
            count = service.share_template(template_id, coach)
            echo_plain(f"Shared {count} now, and every new one of {template_id}, with {coach}.")
            return
        if not rid:
            raise click.UsageError("give a reflection id, or --template T.")
        coaches = service.share(rid, coach)
        echo_plain(f"Reflection {rid} is shared with {', '.join(coaches)}.")

    @group.command("unshare")
    @click.argument("rid", required=False)
    @click.option("--with", "coach", required=True, help="The coach's login.")
    @click.option("--template", "template_id", help="Stop sharing every one of this template.")
    def unshare(rid: str | None, coach: str, template_id: str | None) -> None:
        """Stop sharing reflection RID (or --template) with a coach."""
        service = reflections()
        if template_id and rid:
            raise click.UsageError("give a reflection id or --template, not both.")
        if template_id:
            count = service.unshare_template(template_id, coach)
            echo_plain(f"{count} {template_id} reflections are no longer shared with {coach}.")
            return
        if not rid:
            raise click.UsageError("give a reflection id, or --template T.")
        left = service.unshare(rid, coach)
        echo_plain(
            f"Reflection {rid} is no longer shared with {coach}"
            + (f"; still with {', '.join(left)}." if left else "; it is private again.")
        )

    @group.command("comment")
    @click.argument("rid")
    @click.argument("text")
    def comment(rid: str, text: str) -> None:
        """Comment on a reflection shared with you (or reply on your own)."""
        reflections().comment(rid, text)
        echo_plain("Comment added; only the author and the coaches it is shared with see it.")

    @group.command("due")
    @format_option()
    def due(output_format: str) -> None:
        """When your next 5-15 report is due."""
        rows = reflections().due()
        if output_format == "json":
            echo_json(rows)
            return
        for r in rows:
            when = "due now" if r["overdue"] else f"due {r['due']}"
            last = f" (last {r['last']})" if r["last"] else " (none yet)"
            echo_plain(f"{r['title']}: {when}{last}")

    @group.command("export")
    @click.argument("rids", nargs=-1)
    @click.option("--template", "template_id", help="Every reflection of this template.")
    @click.option("--shared", is_flag=True, help="Those shared with you, not your own.")
    def export(rids: tuple[str, ...], template_id: str | None, shared: bool) -> None:
        """Reflections as Markdown (given ids, a template, or all of yours)."""
        service = reflections()
        if rids:
            rows = [service.get(r) for r in rids]
        else:
            rows = service.search(template=template_id, shared=shared)
        if not rows:
            raise ValidationError("there are no reflections to export.")
        click.echo(service.markdown(rows), nl=False)

    @group.command("delete")
    @click.argument("rid")
    @click.option("--yes", is_flag=True, help="Do not ask first.")
    def delete(rid: str, yes: bool) -> None:
        """Delete one of your reflections (it cannot be brought back)."""
        if not yes:
            click.confirm(
                f"Delete reflection {rid}? It cannot be brought back.", abort=True, err=True
            )
        reflections().delete(rid)
        echo_plain(f"Reflection {rid} is deleted.")

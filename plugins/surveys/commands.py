"""``plc survey ...``: the scriptable form of everything in the surveys module.

The JSON shapes here are a stable contract, documented in the README.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from plc_tui.api import Context, PLCError, parse_school_year, school_year_label
from plc_tui.cli_helpers import (
    echo_json,
    echo_plain,
    echo_table,
    echo_templates,
    format_option,
    parse_json,
    read_json,
    read_text,
)
from plc_tui.text import counted, one_line

from .service import Surveys


def register(survey: click.Group, get_context: Callable[[], Context]) -> None:
    """Add the `plc survey` commands to ``survey`` (made in ``__init__``, lazily)."""

    def surveys() -> Surveys:
        return Surveys(get_context())

    @survey.command("list")
    @click.option("--all", "everything", is_flag=True, help="Every survey (coaches and admins).")
    @click.option(
        "--year",
        metavar="YEAR",
        help="The surveys that closed in an earlier school year, e.g. 2024-25 "
        "(see `plc survey years`); default: open ones and this year's.",
    )
    @format_option()
    def list_(everything: bool, year: str | None, output_format: str) -> None:
        """Open surveys addressed to you, with your status, and this school year's
        published results (or --all)."""
        service = surveys()
        this_year = service.ctx.school_year()
        shown = None if year is None else parse_school_year(year)
        if shown is not None and shown > this_year:
            raise PLCError(
                f"the {school_year_label(shown)} school year has not started; this one is "
                f"{school_year_label(this_year)}."
            )
        rows = service.rows(everything=everything, year=shown)
        if output_format == "json":
            echo_json([r.as_dict() for r in rows])
            return
        if not rows:
            if shown is not None and shown < this_year:
                click.echo(f"No surveys closed in the {school_year_label(shown)} school year.")
            else:
                click.echo(
                    "No open surveys for you right now." if not everything else "No surveys yet."
                )
            return
        echo_table(
            ["ID", "TITLE", "WAVE", "STATE", "CLOSES", "YOU", "RESPONSES"],
            [
                [
                    r.id,
                    r.title,
                    r.wave,
                    r.state,
                    r.closes or "-",
                    r.my_status or "-",
                    f"{r.responses}/{r.invited}",
                ]
                for r in rows
            ],
        )

    @survey.command("years")
    def years() -> None:
        """The school years surveys closed in, this one first (for `--year`)."""
        service = surveys()
        this_year = service.ctx.school_year()
        for year in service.years():
            note = "  (this school year)" if year == this_year else ""
            click.echo(f"{school_year_label(year)}{note}")

    @survey.command("templates")
    @format_option()
    def templates(output_format: str) -> None:
        """Survey templates you can start from."""
        echo_templates(surveys().templates(), output_format, max_cell=60)

    @survey.command("new")
    @click.option(
        "--template",
        "template_id",
        required=True,
        help="A template id (see `plc survey templates`).",
    )
    @click.option("--title", help="Title for the new survey.")
    def new(template_id: str, title: str | None) -> None:
        """Create a draft survey from a template; prints its id."""
        click.echo(surveys().create_from_template(template_id, title))

    @survey.command("import")
    @click.argument("file")
    def import_(file: str) -> None:
        """Create a draft survey from FILE (- for stdin): a plc JSON definition or a
        LimeSurvey .lss file; prints its id, and on stderr what LimeSurvey had that
        plc could not keep."""
        from . import lss

        text = read_text(file, "the survey definition", max_bytes=lss.MAX_BYTES)
        if not lss.is_lss(text):
            click.echo(surveys().create(parse_json(text, "the survey definition")))
            return
        imported = lss.import_lss(text)
        click.echo(surveys().create(imported.definition))
        for line in imported.report:
            click.echo(f"plc: import: {one_line(line)}", err=True)
        if imported.report:
            click.echo(
                f"plc: import: {len(imported.report)} thing(s) from LimeSurvey were changed or "
                "left out (listed above); the survey is a draft: check it before opening it.",
                err=True,
            )

    @survey.command("update")
    @click.argument("survey_id")
    @click.argument("file")
    def update(survey_id: str, file: str) -> None:
        """Replace a draft survey's definition with FILE (JSON, or - for stdin)."""
        surveys().update(survey_id, read_json(file, "the survey definition"))
        click.echo(f"Updated survey {survey_id}.")

    @survey.command("export-definition")
    @click.argument("survey_id")
    @click.option(
        "--format",
        "output_format",
        type=click.Choice(["json", "lss"]),
        default="json",
        show_default=True,
        help="lss: a LimeSurvey file (what LimeSurvey cannot hold is listed on stderr).",
    )
    @click.option(
        "--output", "-o", type=click.Path(dir_okay=False), help="Write to a file (never replaced)."
    )
    def export_definition(survey_id: str, output_format: str, output: str | None) -> None:
        """Print a survey's definition (importable with `plc survey import`)."""
        from plc_tui.widgets.save_file_modal import write_file

        from . import lss

        if output_format == "json":
            text = json.dumps(
                surveys().export_definition(survey_id), indent=2, ensure_ascii=False, default=str
            )
            report: list[str] = []
        else:
            stored = surveys().get(survey_id)
            exported = lss.export_lss(stored, survey_id=100000 + int(stored["id"]))
            text, report = exported.text, exported.report
        if output:
            write_file(Path(output), text + "\n", replace=False)
            click.echo(f"Wrote survey {survey_id} to {output}")
        else:
            click.echo(text)
        for line in report:
            click.echo(f"plc: export: {one_line(line)}", err=True)

    @survey.command("show")
    @click.argument("survey_id")
    @format_option()
    def show(survey_id: str, output_format: str) -> None:
        """Show a survey's questions."""
        service = surveys()
        survey = service.get(survey_id)
        if output_format == "json":
            echo_json(
                service.export_definition(survey_id)
                | {"id": survey["id"], "status": survey["status"], "wave": survey["wave"]}
            )
            return
        echo_plain(
            f"{survey['id']}  {survey['title']}  (wave {survey['wave']}, {survey['status']}, "
            f"{'anonymous' if survey['anonymous'] else 'named'})"
        )
        section = None
        for q in survey["questions"]:
            if q.get("section") and q["section"] != section:
                section = q["section"]
                echo_plain(f"\n{section}")
            extra = f" [{', '.join(q['options'])}]" if q.get("options") else ""
            flag = "" if q["required"] else " (optional)"
            echo_plain(f"  {q['id']}: {one_line(q['text'])} <{q['type']}>{extra}{flag}")

    @survey.command("open")
    @click.argument("survey_id")
    def open_(survey_id: str) -> None:
        """Open a survey for answers."""
        s = surveys().open(survey_id)
        echo_plain(
            f"Survey {s['id']} ({s['title']}) is open"
            + (f" until {s['closes']}." if s.get("closes") else ".")
        )

    @survey.command("close")
    @click.argument("survey_id")
    def close(survey_id: str) -> None:
        """Close a survey; no more answers are taken."""
        s = surveys().close(survey_id)
        echo_plain(f"Survey {s['id']} ({s['title']}) is closed.")

    @survey.command("publish")
    @click.argument("survey_id")
    @click.option("--undo", is_flag=True, help="Hide the results from members again.")
    def publish(survey_id: str, undo: bool) -> None:
        """Let the people asked see the results (still only above the threshold)."""
        s = surveys().publish(survey_id, not undo)
        echo_plain(
            f"Results of survey {s['id']} are {'published' if s['published'] else 'not published'}."
        )

    @survey.command("repeat")
    @click.argument("survey_id")
    def repeat(survey_id: str) -> None:
        """Start a new wave of a survey (same questions) as a draft; prints its id."""
        click.echo(surveys().repeat(survey_id))

    @survey.command("delete")
    @click.argument("survey_id")
    def delete(survey_id: str) -> None:
        """Delete a draft survey (open and closed surveys are kept)."""
        s = surveys().delete_draft(survey_id)
        echo_plain(f"Deleted draft survey {s['id']} ({s['title']}).")

    @survey.command("respond")
    @click.argument("survey_id")
    @click.option(
        "--answers",
        "answers_file",
        required=True,
        metavar="FILE",
        help='JSON like {"q1": 4, "q2": "More planning time"}; - for stdin.',
    )
    @click.option("--draft", is_flag=True, help="Save as a draft instead of submitting.")
    def respond(survey_id: str, answers_file: str, draft: bool) -> None:
        """Answer a survey as yourself (one submission per person)."""
        answers = read_json(answers_file, "the answers")
        service = surveys()
        if draft:
            service.save_draft(survey_id, answers)
            click.echo(f"Saved a draft of survey {survey_id}.")
        else:
            service.submit(survey_id, answers)
            click.echo(f"Submitted survey {survey_id}. Thank you.")

    @survey.command("results")
    @click.argument("survey_id")
    @click.option("--breakdown", type=click.Choice(["team", "role"]), help="Split by team or role.")
    @format_option("text", "json")
    def results(survey_id: str, breakdown: str | None, output_format: str) -> None:
        """Results per question; hidden below the survey's threshold."""
        data = surveys().results(survey_id, breakdown=breakdown)
        if output_format == "json":
            echo_json(data)
            return
        _print_results(data, surveys().get(survey_id))

    @survey.command("export")
    @click.argument("survey_id")
    @click.option(
        "--format", "output_format", type=click.Choice(["csv"]), default="csv", show_default=True
    )
    @click.option(
        "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file."
    )
    def export(survey_id: str, output_format: str, output: str | None) -> None:
        """One row per response, one column per question id."""
        text = surveys().export_csv(survey_id)
        if output:
            Path(output).write_text(text, "utf-8")
            click.echo(f"Wrote {text.count(chr(10)) - 1} responses to {output}")
        else:
            click.echo(text, nl=False)


def _print_results(data: dict[str, Any], survey: dict[str, Any]) -> None:
    from .results_text import question_lines, score_line

    echo_plain(
        f"{data['title']} (wave {data['wave']}): "
        f"{counted(data['responses'], 'response', 'responses')} from "
        f"{data['invited']} asked ({data['response_rate']}%)"
    )
    if data.get("hidden"):
        echo_plain(f"Results are hidden: {data['reason']}.")
    else:
        for section in data.get("sections", []):
            echo_plain(score_line(section).plain.rstrip("\n"))
        section = ""
        for number, q in enumerate(data["questions"], 1):
            if q.get("section") and q["section"] != section:
                section = q["section"]
                echo_plain(f"\n== {section} ==")
            echo_plain("")
            for line in question_lines(q, 74, number):
                echo_plain(line.plain)
    echo_plain("\nResponse rate by team:")
    for team in data["teams"]:
        echo_plain(f"  {team['team']}: {team['responded']}/{team['invited']} ({team['rate']}%)")

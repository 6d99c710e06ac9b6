"""Goal sheets to print or share: Markdown (the way PLCs print them) and CSV.

Everything a person typed is flattened to one line and escaped, so it cannot
break the Markdown table it sits in nor become a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from plc_tui.text import one_line

from .consensus import Tally
from .model import format_number, with_unit
from .status import GoalStatus, percent

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\|<*_`[]"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = tuple[dict[str, Any], GoalStatus, Tally]


def md(value: Any) -> str:
    """User text as one line of Markdown that renders as typed."""
    return one_line(value).translate(_MD_SPECIAL)


def _cell(value: Any) -> str:
    text = one_line(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def smart_lines(goal: dict[str, Any]) -> list[tuple[str, str]]:
    """The five SMART parts as (label, plain text), shared by the sheet and ``show``."""
    s = goal.get("specific") or {}
    m = goal.get("measurable") or {}
    a = goal.get("ambitious") or {}
    r = goal.get("reflective") or {}
    t = goal.get("timely") or {}

    def labelled(label: str, value: Any) -> str:
        return f"{label}: {value}" if value else ""

    unit = m.get("unit")
    numbers = (
        f"{with_unit(m.get('baseline'), unit)} → {with_unit(m.get('target'), unit)}"
        if m.get("baseline") is not None or m.get("target") is not None
        else ""
    )
    metric = " ".join(x for x in (f"{m['metric']}:" if m.get("metric") else "", numbers) if x)
    window = (
        f"{t.get('start') or '?'} to {t.get('deadline') or '?'}"
        if t.get("start") or t.get("deadline")
        else ""
    )
    checkpoints = ", ".join(t.get("checkpoints") or [])
    return [
        ("Specific", _join(s.get("what", ""), labelled("for", s.get("for_whom")))),
        ("Measurable", _join(metric, labelled("data source", m.get("data_source")))),
        ("Ambitious", _join(a.get("why_stretch", ""), labelled("data", a.get("data")))),
        ("Reflective", _join(r.get("how", ""), labelled("when", r.get("when")))),
        ("Timely", _join(window, labelled("review checkpoints", checkpoints))),
    ]


def latest_line(
    unit: str | None,
    latest: dict[str, Any] | None,
    progress: float | None,
    expected: float | None,
) -> str:
    """``68% on 2026-11-10 (confidence 4 of 5): 33% of the way ...``."""
    if not latest:
        return "No check-in yet."
    return (
        f"{with_unit(latest['value'], unit)} on {latest['date']} "
        f"(confidence {latest['confidence']} of 5): {percent(progress)} of the way "
        f"to the target, {percent(expected)} expected by now."
    )


def markdown(
    rows: list[Row],
    *,
    team_names: dict[str, str],
    names: dict[str, str],
    community: str,
    today: date,
) -> str:
    teams: dict[str, list[Row]] = {}
    for row in rows:
        teams.setdefault(row[0]["team"], []).append(row)
    if not teams:
        return f"# SMART goals\n\n{md(community)} · {today.isoformat()}\n\nNo goals yet.\n"
    out: list[str] = []
    for team_id in sorted(teams, key=lambda t: team_names.get(t, t).casefold()):
        out.append(f"# {md(team_names.get(team_id, team_id))}: SMART goals")
        out.append("")
        out.append(f"{md(community)} · printed {today.isoformat()}")
        for goal, status, votes in teams[team_id]:
            out += ["", f"## Goal {goal['id']}: {md(goal['title'])}", ""]
            why = "" if goal["state"] == "proposed" else f" ({md(status.reason)})"
            out.append(f"**Status:** {status.status}{why}  ")
            owners = ", ".join(md(names.get(o, o)) for o in goal.get("owners") or [])
            out.append(f"**Owners:** {owners or '-'}  ")
            if goal["state"] == "proposed":
                out.append(
                    f"**Consensus:** {len(votes.agreed)} of {len(votes.members)} agreed, "
                    f"{votes.needed} needed  "
                )
                for login, reason in votes.objections:
                    out.append(f"**Objection from {md(names.get(login, login))}:** {md(reason)}  ")
            else:
                out.append(
                    f"**Agreed:** {goal.get('agreed_on') or '-'} "
                    f"({len(votes.agreed)} of {len(votes.members)} members)"
                )
            out += ["", "| SMART | |", "| --- | --- |"]
            for label, text in smart_lines(goal):
                out.append(f"| **{label}** | {md(text) or '-'} |")
            line = latest_line(
                (goal.get("measurable") or {}).get("unit"),
                status.latest,
                status.progress,
                status.expected,
            )
            out += ["", f"**Latest progress:** {md(line)}"]
            actions = goal.get("actions") or []
            if actions:
                out += ["", "### Action steps", "", "| Done | Action | Owner | Due |"]
                out.append("| --- | --- | --- | --- |")
                for action in actions:
                    owner = names.get(action.get("owner") or "", action.get("owner") or "")
                    out.append(
                        f"| {'yes' if action.get('done') else ' '} | {md(action['text'])} | "
                        f"{md(owner) or '-'} | {action.get('due') or '-'} |"
                    )
            evidence = goal.get("evidence") or []
            if evidence:
                out += ["", "### Evidence", ""]
                out += [
                    f"- {md(e['text'])}" + (f" ({e['date']})" if e.get("date") else "")
                    for e in evidence
                ]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


CSV_HEADER = [
    "id",
    "team",
    "title",
    "state",
    "status",
    "reason",
    "metric",
    "baseline",
    "target",
    "unit",
    "latest",
    "latest_date",
    "confidence",
    "progress_pct",
    "expected_pct",
    "start",
    "deadline",
    "owners",
    "actions_done",
    "actions_total",
    "data_source",
]


def csv_text(rows: list[Row], *, team_names: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for goal, status, _votes in rows:
        m = goal.get("measurable") or {}
        t = goal.get("timely") or {}
        latest = status.latest or {}
        actions = goal.get("actions") or []

        def pct(fraction: float | None) -> str:
            return "" if fraction is None else str(round(fraction * 100))

        writer.writerow(
            [
                goal["id"],
                _cell(team_names.get(goal["team"], goal["team"])),
                _cell(goal["title"]),
                goal["state"],
                status.status,
                _cell(status.reason),
                _cell(m.get("metric", "")),
                "" if m.get("baseline") is None else format_number(m["baseline"]),
                "" if m.get("target") is None else format_number(m["target"]),
                _cell(m.get("unit", "")),
                "" if latest.get("value") is None else format_number(latest["value"]),
                latest.get("date", ""),
                latest.get("confidence", ""),
                pct(status.progress),
                pct(status.expected),
                t.get("start") or "",
                t.get("deadline") or "",
                _cell(" ".join(goal.get("owners") or [])),
                sum(1 for a in actions if a.get("done")),
                len(actions),
                _cell(m.get("data_source", "")),
            ]
        )
    return buffer.getvalue()

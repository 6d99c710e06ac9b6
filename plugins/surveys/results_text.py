"""Survey results as text: what the results screen and ``plc survey results`` print.

Plain Rich text, no Textual: a question's chart, mean and trend; a grid as a
table of means and shares, lowest first; free text once with its count; a
section's score with its teams.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from plc_tui.api import one_line, plain
from plc_tui.text import wrap_cells
from plc_tui.widgets.bar_chart import bar_chart


def _texts(label: str, texts: list[str]) -> list[Any]:
    """Free text, the same words once with how many wrote them."""
    counts: dict[str, int] = {}
    for text in texts:
        key = one_line(text)
        counts[key] = counts.get(key, 0) + 1
    lines: list[Any] = [plain(label, style="underline")] if label else []
    for text, count in counts.items():
        lines.append(plain(f"• {text}" + (f"  (×{count})" if count > 1 else "")))
    return lines


def _grid_rows(q: dict[str, Any], width: int) -> list[Any]:
    """A grid as a compact table: mean, share at each point, the favourable end,
    how many said not applicable, the statement (the weakest first, a reversed
    statement counted as its score counts it)."""
    shown = [r for r in q["rows"] if "counts" in r]
    if not shown:
        return [plain(f"  {row['text']}: {row.get('reason', 'hidden')}") for row in q["rows"]]
    first = shown[0]
    points = len(first["counts"])
    na = any("not_applicable" in r for r in shown)
    legend = "  ".join(f"{c['value']} {c['label']}" for c in first["counts"])
    lines: list[Any] = [plain(legend, style="dim")]
    head = " mean" + "".join(f"{n:>5}" for n in range(1, points + 1)) + "   top"
    head += "  n/a" if na else ""
    lines.append(plain(head + "  statement", style="bold"))
    room = max(width - len(head) - 2, 12)
    for row in q["rows"]:
        if row.get("hidden"):
            lines.append(plain(f"  hidden  {one_line(row['text'], room)} ({row['reason']})"))
            continue
        mean = f"{row['mean']:>5.2f}" if "mean" in row else "    -"
        shares = "".join(f"{c['percent']:>4}%" for c in row["counts"])
        top = f"{row['top_box']['percent']:>5}%"
        extra = f"{row.get('not_applicable', 0):>5}" if na else ""
        text = ("(r) " if row.get("reverse") else "") + one_line(row["text"])
        # The statement wraps under itself rather than being cut: it is what
        # the numbers are about.
        wrapped = wrap_cells(text, room)
        lines.append(plain(f"{mean}{shares}{top}{extra}  {wrapped[0]}"))
        lines.extend(plain(" " * (len(head) + 2) + more) for more in wrapped[1:])
    top_label = first["top_box"]["label"]
    reversed_note = (
        "; (r): reversed, a high mean is weak" if any(r.get("reverse") for r in q["rows"]) else ""
    )
    lines.append(plain(f"top: {top_label}{reversed_note}", style="dim"))
    return lines


def question_lines(q: dict[str, Any], width: int, number: int) -> list[Text]:
    """One question's results as lines of text (the screen and the CLI show them)."""
    parts: list[Any] = [plain(f"{number}. {q['text']}", style="bold")]
    if q.get("hidden"):
        parts.append(plain(f"Hidden: {q['reason']}.", style="italic yellow"))
        return parts
    if "counts" in q:
        parts.append(
            bar_chart([(c["label"], c["count"]) for c in q["counts"]], width=width, total=q["n"])
        )
    stats = []
    if "mean" in q:
        stats.append(f"mean {q['mean']}  median {q['median']}")
    if "top_box" in q:
        stats.append(f"{q['top_box']['percent']}% {q['top_box']['label']}")
    stats.append(f"n = {q['n']}")
    parts.append(plain("  ·  ".join(stats), style="dim"))
    if "trend" in q:
        t = q["trend"]
        arrow = "▲" if t["change"] > 0 else ("▼" if t["change"] < 0 else "=")
        parts.append(
            plain(
                f"{arrow} {t['change']:+} since wave {t['previous_wave']} "
                f"(mean {t['previous_mean']})",
                style="green" if t["change"] > 0 else ("red" if t["change"] < 0 else ""),
            )
        )
    if "ranking" in q:
        for n, row in enumerate(q["ranking"], 1):
            parts.append(
                plain(
                    f"{n}. {row['label']}  (mean rank {row['mean_rank']}, "
                    f"first for {row['first_choice']})"
                )
            )
    if "rows" in q:
        parts.extend(_grid_rows(q, width))
    if "answers" in q:
        parts.extend(_texts("", q["answers"]))
    if q.get("other_answers"):
        parts.extend(_texts("Other:", q["other_answers"]))
    if q.get("comments"):
        parts.extend(_texts("Comments:", q["comments"]))
    if "breakdown" in q:
        b = q["breakdown"]
        if b.get("hidden"):
            parts.append(plain(f"Breakdown hidden: {b['reason']}.", style="italic yellow"))
        else:
            parts.append(plain(f"By {b['by']}:", style="underline"))
            for group, summary in b["groups"].items():
                if "mean" in summary:
                    detail = f"mean {summary['mean']}"
                else:
                    detail = ", ".join(
                        f"{c['label']} {c['count']}" for c in summary.get("counts", [])
                    )
                parts.append(plain(f"  {one_line(group, 24)}: n={summary['n']}  {detail}"))
    return parts


TEAMS_SHOWN = 6


def score_line(section: dict[str, Any]) -> Text:
    """A section's score: what school climate reports lead with."""
    line = Text(f"  {section['title']}: ", style="bold")
    if section.get("hidden"):
        line.append(f"score hidden ({section['reason']})\n", style="italic yellow")
        return line
    line.append(f"{section['mean']} of {section['points']}")
    line.append(f"  (n = {section['n']}, {section['items']} items)", style="dim")
    if "trend" in section:
        t = section["trend"]
        line.append(f"  {t['change']:+} since wave {t['previous_wave']}")
    line.append("\n")
    teams = section.get("teams")
    if isinstance(teams, dict) and teams.get("hidden"):
        line.append(f"      per team: hidden ({teams['reason']})\n", style="dim")
    elif isinstance(teams, dict):
        # The weakest first: that is where a leader looks; all of them are in the
        # JSON (plc survey results --format json).
        ordered = sorted(teams.items(), key=lambda item: item[1]["mean"])
        for team, score in ordered[:TEAMS_SHOWN]:
            line.append(f"      {one_line(team, 40)}: {score['mean']} (n = {score['n']})\n")
        if len(ordered) > TEAMS_SHOWN:
            line.append(
                f"      … {len(ordered) - TEAMS_SHOWN} more teams, higher; all in "
                "`plc survey results ID --format json`\n",
                style="dim",
            )
    return line

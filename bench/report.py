"""The results as a table and as BENCHMARKS.md.

Every scenario hands back a :class:`Section`: its rows (one figure each, with the
target and whether it is met) and a few paragraphs saying what was measured and
how. The verdict is decided by the scenario, against the target as the issue
wrote it; this module only prints it, so a missed target cannot be softened here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Row:
    scenario: str  # what was measured, e.g. "cold start to first paint, district vs small"
    plc: str  # plc's figure, e.g. "1.21 s"
    baseline: str  # the baseline's, with what it is, e.g. "1.10 s (small demo)"
    figure: str  # what the target is about: a ratio ("1.10×") or an absolute time
    target: str  # as the issue wrote it, e.g. "≤ 1.1×"; "report" when there is none
    met: bool | None  # None: reported only
    runs: str = ""  # e.g. "median of 15"

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "-"
        return "yes" if self.met else "MISSED"


@dataclass
class Section:
    number: str  # "1", "2", ... or "context"
    title: str
    rows: list[Row]
    details: list[str] = field(default_factory=list)  # markdown paragraphs
    seconds: float = 0.0  # how long the scenario took, setup included


HEADER = "| # | scenario | plc | baseline | figure | target | met | runs |"
RULE = "| --- | --- | ---: | ---: | ---: | ---: | :---: | --- |"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(sections: list[Section]) -> str:
    lines = [HEADER, RULE]
    for section in sections:
        for row in section.rows:
            cells = [
                section.number,
                row.scenario,
                row.plc,
                row.baseline,
                row.figure,
                row.target,
                "**MISSED**" if row.met is False else row.verdict,
                row.runs,
            ]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def summary(sections: list[Section]) -> str:
    """How many of the issue's targets are met; the context rows' earlier targets apart."""
    judged = [r for s in sections for r in s.rows if r.met is not None]
    issue = [r for r in judged if not r.scenario.endswith("(context)")]
    earlier = [r for r in judged if r.scenario.endswith("(context)")]
    text = f"{sum(r.met for r in issue)} of {len(issue)} targets met"
    text += f", {sum(not r.met for r in issue)} missed"
    if earlier:
        text += (
            f" (context rows: {sum(r.met for r in earlier)} of {len(earlier)} earlier targets met)"
        )
    return text + "."


def document(
    sections: list[Section],
    machine: dict[str, str],
    *,
    command: str,
    elapsed: float,
    quick: bool,
    notes: list[str],
) -> str:
    """The whole of BENCHMARKS.md: it is rewritten by every run, never merged."""
    out = [
        "# Benchmarks",
        "",
        f"Written by `{command}` from the repository root; run it again to reproduce"
        f" every number here (this run took {elapsed / 60:.0f} min). Each figure is the"
        " median of several runs (and the"
        " p95 where the target says p95); a ratio compares plc with a baseline measured"
        " in the same run, so it travels between machines better than the absolute"
        " times, which are shown beside it. Targets are the issue's, as written; a"
        " target that is not met says MISSED.",
        "",
    ]
    if quick:
        out += [
            "**This is a quick run** (`--quick`, the CI smoke test): fewer samples and"
            " smaller stand-ins for the district data, as each section says. Its verdicts"
            " show that the harness works, not whether plc meets the targets.",
            "",
        ]
    out += [f"**{summary(sections)}**", "", table(sections), ""]
    out += [f"- {note}" for note in notes]
    if notes:
        out.append("")
    for section in sections:
        label = "Context" if section.number == "context" else section.number
        out += [f"## {label}. {section.title}", ""]
        for paragraph in section.details:
            out += [paragraph, ""]
        if section.seconds >= 0.5:  # the memory scenario reads other scenarios' children
            out += [f"Took {section.seconds:.0f} s, data set-up included.", ""]
    if HISTORY.exists():
        # Kept by hand, not measured by this run: what each fix changed, and the
        # profile that showed its cause.
        out += [HISTORY.read_text("utf-8").strip(), ""]
    out += ["## Machine and run", ""]
    out += [f"- {key}: {value}" for key, value in machine.items()]
    out += [f"- command: `{command}`", f"- run time: {elapsed:.0f} s ({elapsed / 60:.1f} min)", ""]
    return "\n".join(out)


HISTORY = Path(__file__).with_name("HISTORY.md")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)  # a run stopped half-way leaves the last complete file

"""Horizontal bar charts as plain Rich text, for results in any module."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from ..text import one_line

FULL = "█"
PARTIALS = " ▏▎▍▌▋▊▉"


def bar(fraction: float, width: int) -> str:
    """A bar ``fraction`` (0..1) of ``width`` cells, with eighth-cell precision."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (PARTIALS[part] if part else "")
    return text.ljust(width)


def bar_chart(
    rows: Sequence[tuple[str, int]],
    *,
    width: int = 72,
    label_width: int | None = None,
    style: str = "cyan",
    total: int | None = None,
) -> Text:
    """One line per ``(label, count)``: label, bar, count and percentage of ``total``.

    ``total`` defaults to the sum of the counts; pass the number of people when
    one person can be counted in several rows (multiple choice). Labels are user
    text: they are shown plain and shortened to fit.
    """
    if total is None:
        total = sum(count for _, count in rows)
    labels = [one_line(label) for label, _ in rows]
    label_width = label_width or min(max((len(lbl) for lbl in labels), default=0), 28)
    numbers_width = 11  # " 123  100%"
    bar_width = max(width - label_width - numbers_width - 2, 5)
    peak = max((count for _, count in rows), default=0)
    out = Text()
    for (_, count), label in zip(rows, labels, strict=True):
        pct = round(100 * count / total) if total else 0
        out.append(one_line(label, label_width).ljust(label_width) + "  ")
        out.append(bar(count / peak if peak else 0, bar_width), style=style)
        out.append(f"{count:>4}  {pct:>3}%\n")
    out.rstrip()
    return out

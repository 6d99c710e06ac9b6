"""Norms as a team writes them: a commitment, in a category.

Seeds 001 and 004 put trust, mutual respect and structured protocols at the
heart of a PLC: norms are written as commitments ("We start and end on time"),
grouped by what they govern. Plain Python.
"""

from __future__ import annotations

from typing import Any

from plc_tui.api import ValidationError, clean

NORM_MAX = 300
COMMENT_MAX = 1000
REASON_MAX = 500
CATEGORY_MAX = 40
CATEGORIES = {
    "time": "Time",
    "listening": "Listening",
    "confidentiality": "Confidentiality",
    "decisions": "Decision making",
    "participation": "Participation",
    "expectations": "Expectations",
}


def parse_category(value: Any) -> str:
    """A category key (``time``), a category's name ("Decision making"), or a
    custom category of the team's own (kept as typed)."""
    text = clean(value, field="Category", max_length=CATEGORY_MAX)
    folded = text.casefold()
    for key, name in CATEGORIES.items():
        if folded in (key, name.casefold()):
            return key
    return text


def category_name(key: str) -> str:
    return CATEGORIES.get(key, key)


def parse_text(value: Any) -> str:
    text = clean(value, field="The norm", max_length=NORM_MAX)
    if len(text) < 5:
        raise ValidationError("a norm is a commitment in words, like 'We start and end on time'.")
    return text

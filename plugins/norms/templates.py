"""The starter set of norms a team can adapt (seed 001: time, listening,
confidentiality, decision making, participation, expectations)."""

from __future__ import annotations

from plc_tui.api import Template

STARTER_NORMS = [
    {"text": "We start and end our meetings on time.", "category": "time"},
    {"text": "We listen to understand, not to reply.", "category": "listening"},
    {
        "text": "What is said in the room stays in the room; what is learned leaves it.",
        "category": "confidentiality",
    },
    {
        "text": "We reach decisions by consensus and support them once made.",
        "category": "decisions",
    },
    {"text": "Everyone takes part; we make room for every voice.", "category": "participation"},
    {
        "text": "We come prepared, with the student data we agreed to bring.",
        "category": "expectations",
    },
    {
        "text": "We keep student learning at the centre of every discussion.",
        "category": "expectations",
    },
]

NORMS_TEMPLATES = [
    Template(
        "norms",
        "starter",
        "Starter norms",
        "Seven commitments on time, listening, confidentiality, decisions, participation",
        {"norms": STARTER_NORMS},
    )
]

"""Reflection templates (seed 004): the 5-15 report, the self-directed learning
cycle, the PLC's 11 essential characteristics, and a free journal entry.

A template's body: ``parts`` (``{"id", "title", "prompt"}``, in order) and
``every_days`` (the cadence a reminder follows, or ``None``). A school's plugin
adds its own with ``register_templates`` (kind ``"reflection"``).
"""

from __future__ import annotations

from plc_tui.api import Template

FIVE_FIFTEEN = Template(
    "reflection",
    "5-15",
    "5-15 report",
    "Every two weeks: 15 minutes to write, 5 to read",
    {
        "every_days": 14,
        "parts": [
            {
                "id": "achievement",
                "title": "Achievement",
                "prompt": "What have I learnt, over the last 2 weeks, about myself, as a "
                "leader, and my leadership?",
            },
            {
                "id": "plans",
                "title": "Plans",
                "prompt": "What is it that I need to learn next to further improve myself, "
                "as a leader, and my leadership capital?",
            },
            {
                "id": "challenges",
                "title": "Challenges",
                "prompt": "What might stop me from being successful with this learning? "
                "(Interferences, barriers)",
            },
            {
                "id": "opportunities",
                "title": "Opportunities",
                "prompt": "What other issues or aspects have I recently noticed that I might "
                "want to come back to at a later date?",
            },
        ],
    },
)

LEARNING_CYCLE = Template(
    "reflection",
    "learning-cycle",
    "Self-directed learning cycle",
    "How near is my True Self to my Ideal Self? Four steps",
    {
        "every_days": None,
        "parts": [
            {
                "id": "ideal_self",
                "title": "Ideal Self",
                "prompt": "Step 1: the leader I want to be. What would people see me do?",
            },
            {
                "id": "true_self",
                "title": "True Self",
                "prompt": "Step 2: the leader I am now. Where am I near my Ideal Self, and "
                "where far from it?",
            },
            {
                "id": "learning_agenda",
                "title": "Learning Agenda",
                "prompt": "Step 3: what I will learn to close the gap, and how.",
            },
            {
                "id": "new_ways",
                "title": "New Ways",
                "prompt": "Step 4: what I will try, practise and keep doing.",
            },
        ],
    },
)

CHARACTERISTICS = [
    ("norms", "An agreed set of social norms"),
    ("learning", "Agreed principles around effective professional learning"),
    ("collective", "A collective responsibility for every pupil"),
    ("improvement", "A commitment to continual improvement"),
    ("protocols", "Structured learning protocols"),
    ("inquiry", "Processes for reflective inquiry"),
    ("storytelling", "Professional storytelling at the heart of the process"),
    ("action", "Group and individual actions clearly identified"),
    ("impact", "Rigorous focus on impact"),
    ("inclusive", "Inclusive membership"),
    ("trust", "Mutual trust, support and respect"),
]

ESSENTIALS = Template(
    "reflection",
    "plc-essentials",
    "The PLC's 11 essential characteristics",
    "Where our community stands on each, with evidence",
    {
        "every_days": None,
        "parts": [
            {
                "id": key,
                "title": f"{n}. {title}",
                "prompt": "Where do we stand, and what is the evidence? (leave empty to skip)",
            }
            for n, (key, title) in enumerate(CHARACTERISTICS, 1)
        ],
    },
)

JOURNAL = Template(
    "reflection",
    "journal",
    "Journal entry",
    "Anything worth thinking through",
    {
        "every_days": None,
        "parts": [{"id": "entry", "title": "Entry", "prompt": "What is on your mind?"}],
    },
)

REFLECTION_TEMPLATES = [FIVE_FIFTEEN, LEARNING_CYCLE, ESSENTIALS, JOURNAL]

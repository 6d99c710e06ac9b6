"""The protocols this plugin brings; any plugin's ``protocol`` template runs too."""

from __future__ import annotations

from plc_tui.api import Template

TUNING = Template(
    kind="protocol",
    id="tuning",
    title="Tuning protocol",
    description="A presenter shares work; the team gives warm and cool feedback.",
    body={
        "steps": [
            {
                "title": "Introduction",
                "minutes": 2,
                "who": "facilitator",
                "prompt": "Goals, norms and the time for each step.",
            },
            {
                "title": "Presentation",
                "minutes": 10,
                "who": "presenter",
                "prompt": "The work, its context, and the focusing question.",
            },
            {
                "title": "Clarifying questions",
                "minutes": 5,
                "who": "participants",
                "prompt": "Brief questions of fact, with brief answers.",
            },
            {
                "title": "Examining the work",
                "minutes": 10,
                "who": "participants",
                "prompt": "Look at the student work in silence; note warm and cool feedback.",
            },
            {
                "title": "Warm and cool feedback",
                "minutes": 10,
                "who": "participants",
                "prompt": "Strengths first, then gaps, on the focusing question. "
                "The presenter listens.",
            },
            {
                "title": "Reflection",
                "minutes": 5,
                "who": "presenter",
                "prompt": "What did you hear? What will you try?",
            },
            {
                "title": "Debrief",
                "minutes": 3,
                "who": "everyone",
                "prompt": "How did the protocol go for us?",
            },
        ]
    },
)

CONSULTANCY = Template(
    kind="protocol",
    id="consultancy",
    title="Consultancy protocol",
    description="A presenter brings a dilemma; the team thinks it through aloud.",
    body={
        "steps": [
            {
                "title": "Presenting the dilemma",
                "minutes": 5,
                "who": "presenter",
                "prompt": "The dilemma and the question for the group.",
            },
            {
                "title": "Clarifying questions",
                "minutes": 5,
                "who": "participants",
                "prompt": "Questions of fact only.",
            },
            {
                "title": "Probing questions",
                "minutes": 10,
                "who": "participants",
                "prompt": "Questions that help the presenter think more deeply.",
            },
            {
                "title": "Discussion",
                "minutes": 15,
                "who": "participants",
                "prompt": "The group talks about the dilemma; "
                "the presenter listens and takes notes.",
            },
            {
                "title": "Presenter's response",
                "minutes": 5,
                "who": "presenter",
                "prompt": "What struck you? What are your next steps?",
            },
            {
                "title": "Debrief",
                "minutes": 5,
                "who": "everyone",
                "prompt": "How did the protocol serve us?",
            },
        ]
    },
)

PROTOCOLS = (TUNING, CONSULTANCY)

"""Survey templates, registered through ``register_templates`` (kind ``survey``).

Each body is a survey definition in the import format. The wording comes from
the practice plc serves: leaders who "survey the learning community often to
learn of and understand their needs", the eleven essential characteristics of a
PLC, meeting feedback, and a team's check on its own norms.
"""

from __future__ import annotations

from typing import Any

from plc_tui.api import Template

TOPICS = [
    "Using student data to plan",
    "Formative assessment",
    "Differentiation",
    "Supporting English learners",
    "Literacy across subjects",
    "Classroom routines and behaviour",
    "Technology in teaching",
    "Coaching and peer observation",
]

NEEDS = {
    "title": "PLC needs survey",
    "description": (
        "Help us understand what you need to teach children well. Answers are "
        "anonymous and shown only for groups of five or more."
    ),
    "anonymous": True,
    "threshold": 5,
    "sections": [
        {
            "title": "Time",
            "questions": [
                {
                    "id": "time_collab",
                    "type": "likert",
                    "text": "We have enough time to collaborate as a team.",
                },
                {
                    "id": "time_hours",
                    "type": "number",
                    "min": 0,
                    "max": 20,
                    "required": False,
                    "text": "About how many hours a month does your team meet?",
                },
            ],
        },
        {
            "title": "Resources",
            "questions": [
                {
                    "id": "resources",
                    "type": "likert",
                    "text": "I have the materials and resources I need for our team's goals.",
                },
            ],
        },
        {
            "title": "Support from leaders",
            "questions": [
                {
                    "id": "leader_time",
                    "type": "likert",
                    "text": "Leaders protect our PLC time and attend when they can.",
                },
                {
                    "id": "leader_listen",
                    "type": "likert",
                    "text": "Leaders frankly discuss the problems and barriers we face.",
                },
            ],
        },
        {
            "title": "Collaboration",
            "questions": [
                {
                    "id": "collab_trouble",
                    "type": "likert",
                    "text": "Our team troubleshoots together to help all students learn.",
                },
                {
                    "id": "collab_rating",
                    "type": "rating",
                    "min": 0,
                    "max": 10,
                    "labels": ["Not at all", "Completely"],
                    "text": "How well does your team work together right now?",
                },
            ],
        },
        {
            "title": "Professional learning",
            "questions": [
                {
                    "id": "topics",
                    "type": "multi",
                    "options": TOPICS,
                    "min_select": 1,
                    "max_select": 3,
                    "text": "Which topics would help you most this term? (up to 3)",
                },
                {
                    "id": "priorities",
                    "type": "ranking",
                    "options": [
                        "More planning time",
                        "Coaching",
                        "Resources",
                        "Professional learning",
                    ],
                    "text": "Rank what would help your team most.",
                },
                {
                    "id": "coach_followup",
                    "type": "yes_no",
                    "text": "Would you like a coach to follow up with your team?",
                },
                {
                    "id": "coach_notes",
                    "type": "long_text",
                    "required": False,
                    "show_if": {"question": "coach_followup", "equals": True},
                    "text": "What should the coach know before they visit?",
                },
                {
                    "id": "support",
                    "type": "long_text",
                    "required": False,
                    "text": "What support do you need from leaders?",
                },
            ],
        },
    ],
}

CHARACTERISTICS = [
    ("norms", "We have an agreed set of social norms."),
    ("principles", "We have agreed principles about effective professional learning."),
    ("collective", "We take collective responsibility for every pupil: your class is my class."),
    ("improvement", "We are committed to continual improvement."),
    ("protocols", "We use structured learning protocols in our meetings."),
    ("inquiry", "We have processes for reflective inquiry."),
    ("storytelling", "Professional storytelling is at the heart of how we learn."),
    ("actions", "Group and individual actions are clearly identified."),
    ("impact", "We keep a rigorous focus on impact and results."),
    ("inclusive", "Our membership is inclusive."),
    ("trust", "We have mutual trust, support and respect."),
]

SELF_ASSESSMENT = {
    "title": "PLC self-assessment: the 11 essential characteristics",
    "description": "How near is our team to a great learning community? Rate each statement.",
    "anonymous": True,
    "threshold": 5,
    "questions": [
        {"id": cid, "type": "likert", "text": text, "section": "Essential characteristics"}
        for cid, text in CHARACTERISTICS
    ]
    + [
        {
            "id": "next_focus",
            "type": "single",
            "section": "Next steps",
            "options": [text.rstrip(".") for _, text in CHARACTERISTICS],
            "text": "Which characteristic should we work on next?",
        },
        {
            "id": "why",
            "type": "long_text",
            "required": False,
            "section": "Next steps",
            "text": "Why that one? What would it look like?",
        },
    ],
}

MEETING_PULSE = {
    "title": "Meeting feedback pulse",
    "description": "Two minutes after a PLC meeting, so the next one is better.",
    "anonymous": True,
    "threshold": 5,
    "questions": [
        {
            "id": "useful",
            "type": "rating",
            "min": 0,
            "max": 10,
            "text": "How useful was today's meeting for your teaching?",
        },
        {"id": "norms_kept", "type": "likert", "text": "We kept to our norms."},
        {"id": "voices", "type": "likert", "text": "Everyone's voice was heard."},
        {
            "id": "next_steps",
            "type": "single",
            "options": ["Yes, clearly", "Partly", "No"],
            "text": "Did we agree on next steps?",
        },
        {"id": "keep", "type": "short_text", "required": False, "text": "One thing to keep."},
        {"id": "change", "type": "short_text", "required": False, "text": "One thing to change."},
    ],
}

NORMS_CHECK = {
    "title": "Norms check",
    "description": "Are we living the norms we agreed? Be honest; answers are anonymous.",
    "anonymous": True,
    "threshold": 5,
    "questions": [
        {"id": "on_time", "type": "likert", "text": "We start and end on time."},
        {"id": "listen", "type": "likert", "text": "We listen to understand, not to reply."},
        {"id": "intentions", "type": "likert", "text": "We assume good intentions."},
        {"id": "students", "type": "likert", "text": "We keep student learning at the centre."},
        {"id": "consensus", "type": "likert", "text": "We reach decisions by consensus."},
        {"id": "revisit", "type": "yes_no", "text": "Should we revisit our norms?"},
        {
            "id": "which",
            "type": "long_text",
            "required": False,
            "show_if": {"question": "revisit", "equals": True},
            "text": "Which norm needs attention, and what would help?",
        },
    ],
}

SCHOOL_CLIMATE: dict[str, Any] = {
    "title": "School climate for teachers",
    "description": (
        "Twelve minutes on how our teams work, how leaders support them and how we "
        "focus on learning. Named so each team can read its own scores; results show "
        "only for groups of five or more."
    ),
    "anonymous": False,
    "threshold": 5,
    "sections": [
        {
            "title": "Collaboration",
            "description": "Think of your team's work over the last four weeks.",
            "score": True,
            "questions": [
                {
                    "id": "collab",
                    "type": "grid",
                    "text": "How often does your team...",
                    "scale": "frequency",
                    "not_applicable": True,
                    "rows": [
                        {"id": "work", "text": "look at student work together"},
                        {"id": "plan", "text": "plan units and lessons together"},
                        {"id": "data", "text": "use common assessment data to decide next steps"},
                        {"id": "observe", "text": "observe each other teach"},
                        {
                            "id": "alone",
                            "text": "leave decisions about teaching to each teacher alone",
                            "reverse": True,
                        },
                    ],
                }
            ],
        },
        {
            "title": "Leadership support",
            "description": "School and team leaders, this term.",
            "score": True,
            "questions": [
                {
                    "id": "leaders",
                    "type": "grid",
                    "text": "How often do leaders...",
                    "scale": "frequency",
                    "rows": [
                        {"id": "time", "text": "protect time for collaboration"},
                        {"id": "act", "text": "act on what teams tell them"},
                        {"id": "share", "text": "share decisions with the people they affect"},
                        {"id": "visit", "text": "join team meetings to learn, not to check"},
                    ],
                }
            ],
        },
        {
            "title": "Focus on learning",
            "score": True,
            "questions": [
                {
                    "id": "learning",
                    "type": "grid",
                    "text": "How often do we...",
                    "scale": "frequency",
                    "rows": [
                        {"id": "clear", "text": "agree on what students must learn"},
                        {"id": "respond", "text": "respond together when students struggle"},
                        {"id": "extend", "text": "extend learning for students who are ready"},
                        {
                            "id": "blame",
                            "text": "explain low results by students' backgrounds",
                            "reverse": True,
                        },
                    ],
                }
            ],
        },
        {
            "title": "About you",
            "questions": [
                {
                    "id": "valued",
                    "type": "likert",
                    "text": "I feel my professional judgement is valued here.",
                    "scale": "agreement4",
                },
                {
                    "id": "stay",
                    "type": "likert",
                    "text": "I would recommend this school as a place to work.",
                    "scale": "agreement4",
                },
                {
                    "id": "role",
                    "type": "single",
                    "text": "Your main role",
                    "options": [
                        {"code": "class", "label": "Classroom teacher"},
                        {"code": "special", "label": "Special education teacher"},
                        {"code": "aide", "label": "Teaching assistant"},
                    ],
                    "other": True,
                },
                {
                    "id": "improve",
                    "type": "long_text",
                    "required": False,
                    "text": "One thing that would make collaboration here better",
                },
            ],
        },
    ],
}

SURVEY_TEMPLATES = [
    Template(
        "survey",
        "needs",
        NEEDS["title"],
        "Time, resources, support from leaders, collaboration, learning topics",
        NEEDS,
    ),
    Template(
        "survey",
        "self-assessment",
        SELF_ASSESSMENT["title"],
        "Rate the team against the 11 essential characteristics of a PLC",
        SELF_ASSESSMENT,
    ),
    Template(
        "survey",
        "meeting-pulse",
        MEETING_PULSE["title"],
        "A two-minute check after a meeting",
        MEETING_PULSE,
    ),
    Template(
        "survey",
        "norms-check",
        NORMS_CHECK["title"],
        "How well the team keeps its agreed norms",
        NORMS_CHECK,
    ),
    Template(
        "survey",
        "school-climate",
        SCHOOL_CLIMATE["title"],
        "Three frequency grids with section scores, a 4-point scale and 'other' answers",
        SCHOOL_CLIMATE,
    ),
]

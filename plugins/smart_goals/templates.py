"""Goal templates, registered through ``register_templates`` (kind ``goal``).

Each body is a goal in the import format (see :mod:`.model`) without a team and
dates, plus ``weeks``: how long such a goal usually runs. The baseline, the
target and the data behind them are left empty on purpose: a SMART goal is set
from the team's own student data, and the SMART check asks for them.
"""

from __future__ import annotations

from typing import Any

from plc_tui.api import Template

READING: dict[str, Any] = {
    "title": "Reading proficiency at benchmark",
    "weeks": 30,
    "specific": {
        "what": "Reading comprehension at grade level, taught through daily small-group "
        "guided reading",
        "for_whom": "Every student in our grade, with a focus on those below benchmark",
    },
    "measurable": {
        "metric": "Students at or above benchmark",
        "unit": "%",
        "data_source": "Universal reading screener (fall, winter and spring benchmarks)",
    },
    "ambitious": {"why_stretch": "", "data": ""},
    "reflective": {
        "how": "Bring running records to PLC, compare groups and adjust instruction together",
        "when": "Every other PLC meeting, and a full review at each checkpoint",
    },
    "actions": [
        {"text": "Group students by screener results and running records"},
        {"text": "Daily 20-minute guided reading groups in every classroom"},
        {"text": "Re-assess students below benchmark every three weeks"},
    ],
}

ATTENDANCE: dict[str, Any] = {
    "title": "Reduce chronic absence",
    "weeks": 26,
    "specific": {
        "what": "Fewer students missing 10% or more of school days, through family outreach "
        "and a warm start to every day",
        "for_whom": "Students in our grade who were chronically absent last year or this fall",
    },
    "measurable": {
        "metric": "Students chronically absent (missed 10% or more of days so far)",
        "unit": "%",
        "data_source": "Attendance report from the student information system, monthly",
    },
    "ambitious": {"why_stretch": "", "data": ""},
    "reflective": {
        "how": "Review the monthly attendance report and each family contact together",
        "when": "First PLC meeting of every month",
    },
    "actions": [
        {"text": "Call the family after a student's second absence in a month"},
        {"text": "Greet every student at the door; morning meeting for everyone"},
        {"text": "Monthly attendance celebration for classes that improve"},
    ],
}

FORMATIVE: dict[str, Any] = {
    "title": "Common formative assessment every week",
    "weeks": 18,
    "specific": {
        "what": "Use a common exit ticket each week and regroup students on what it shows",
        "for_whom": "Every classroom in our team, so every student gets help the next day",
    },
    "measurable": {
        "metric": "Weeks in which every teacher gave the common exit ticket and regrouped",
        "unit": "%",
        "data_source": "The team's exit-ticket tracker, reviewed at PLC",
    },
    "ambitious": {"why_stretch": "", "data": ""},
    "reflective": {
        "how": "Sort student work from the exit tickets together and plan the reteach",
        "when": "Every PLC meeting, first 15 minutes",
    },
    "actions": [
        {"text": "Write the exit tickets for the next unit together"},
        {"text": "Agree on what counts as 'got it', 'almost' and 'not yet'"},
        {"text": "Plan one reteach group per class each week"},
    ],
}

MATH_FLUENCY: dict[str, Any] = {
    "title": "Math fact fluency",
    "weeks": 24,
    "specific": {
        "what": "Fluency with multiplication facts to 10 x 10, through daily practice and games",
        "for_whom": "Every student in our grade, with extra practice for those not yet fluent",
    },
    "measurable": {
        "metric": "Students fluent (90% correct, within 3 seconds a fact)",
        "unit": "%",
        "data_source": "Monthly timed fact check, same form in every class",
    },
    "ambitious": {"why_stretch": "", "data": ""},
    "reflective": {
        "how": "Chart each class's fact-check results and share what worked",
        "when": "After each monthly fact check",
    },
    "actions": [
        {"text": "Ten minutes of fact practice and games every day"},
        {"text": "Give the same fact check in every class each month"},
        {"text": "Small-group strategy lessons for students not yet fluent"},
    ],
}

WRITING: dict[str, Any] = {
    "title": "Writing rubric scores",
    "weeks": 20,
    "specific": {
        "what": "Argument writing: a clear claim backed by evidence from texts",
        "for_whom": "Every student in our grade or course",
    },
    "measurable": {
        "metric": "Students scoring 3 or more of 4 on the common writing rubric",
        "unit": "%",
        "data_source": "Common writing task, scored together at PLC",
    },
    "ambitious": {"why_stretch": "", "data": ""},
    "reflective": {
        "how": "Score student writing together, calibrate, and pick the next mini-lessons",
        "when": "After each common writing task",
    },
    "actions": [
        {"text": "Score one common writing task together to calibrate"},
        {"text": "Teach the mini-lessons the scores point to"},
    ],
}

GOAL_TEMPLATES = [
    Template(
        "goal",
        "reading-proficiency",
        "Reading proficiency",
        "Raise the share of students reading at benchmark",
        READING,
    ),
    Template(
        "goal",
        "attendance",
        "Chronic absence",
        "Lower the share of students who miss 10% or more of school days",
        ATTENDANCE,
    ),
    Template(
        "goal",
        "formative-assessment",
        "Formative assessment",
        "Use a common exit ticket every week and act on it the next day",
        FORMATIVE,
    ),
    Template(
        "goal",
        "math-fact-fluency",
        "Math fact fluency",
        "Raise the share of students fluent with their multiplication facts",
        MATH_FLUENCY,
    ),
    Template(
        "goal",
        "writing-rubric",
        "Writing",
        "Raise the share of students at 3 or more on the common writing rubric",
        WRITING,
    ),
]

"""LimeSurvey .lss files: every question type in both layouts, conditions, the
report of what is not kept, and plc -> .lss -> plc."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from plc_plugins.surveys.definition import parse_definition
from plc_plugins.surveys.lss import export_lss, import_lss, is_lss
from plc_plugins.surveys.question_types import BUILTIN_TYPES
from plc_plugins.surveys.templates import SCHOOL_CLIMATE

from plc_tui.community import Team
from plc_tui.errors import ValidationError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "lss"
TYPES = {t.name: t for t in BUILTIN_TYPES}
LAYOUTS = ["every_type_ls3.lss", "every_type_ls6.lss"]


def imported(name: str) -> tuple[dict[str, Any], list[str]]:
    result = import_lss((FIXTURES / name).read_text("utf-8"))
    return parse_definition(result.definition, TYPES, []), result.report


def by_id(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for q in definition["questions"]}


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_limesurvey_type_becomes_a_plc_question_or_a_line_in_the_report(
    name: str,
) -> None:
    definition, report = imported(name)
    q = by_id(definition)
    assert definition["title"] == "Every type & more"
    assert definition["anonymous"] is False
    assert [s["title"] for s in definition["sections"]] == ["About you", "Work"]
    expected = {
        "role": "single", "school": "single", "level": "single", "gender": "single",
        "mentor": "yes_no", "years": "number", "joined": "date", "nick": "short_text",
        "story": "long_text", "huge": "long_text", "intro": "text_block", "mood": "likert",
        "subjects": "multi", "tools": "multi", "collab": "grid", "afive": "grid",
        "aten": "grid", "ayun": "grid", "aisd": "grid", "bycol": "grid", "dual": "grid",
        "counts_SQ001": "number", "counts_SQ002": "number", "names_SQ001": "short_text",
        "names_SQ002": "short_text", "rank": "ranking", "follow": "short_text",
        "weird": "short_text", "onrow": "short_text", "viacond": "short_text",
    }  # fmt: skip
    assert {qid: question["type"] for qid, question in q.items()} == expected
    assert q["role"]["text"] == "Your role"  # HTML made plain
    assert q["role"]["codes"] == ["A1", "A2"] and q["role"]["other"] == "Something else"
    assert len(q["school"]["options"]) == 25
    assert q["level"]["comment"] and q["tools"]["comment"]
    assert (q["years"]["min"], q["years"]["max"]) == (0, 50)
    assert q["subjects"]["codes"] == ["SQ001", "SQ002"] and q["subjects"]["min_select"] == 1
    assert q["collab"]["labels"] == ["Never", "Rarely", "Sometimes", "Often", "Always"]
    assert [r["id"] for r in q["collab"]["rows"]] == ["SQ001", "SQ002"]
    assert len(q["aten"]["labels"]) == 10
    assert q["nick"]["required"] is False and q["role"]["required"] is True
    joined = " ".join(report)
    for lost in (
        "upload",
        "calc",
        "lang",
        "nums",
        "texts",
        "secret",
        "weird",
        "dual",
        "bycol",
        "nick",
        "tools",
    ):
        assert lost in joined, lost


@pytest.mark.parametrize("name", LAYOUTS)
def test_relevance_equations_and_old_conditions_become_conditions(name: str) -> None:
    definition, report = imported(name)
    q = by_id(definition)
    assert q["story"]["show_if"] == {"question": "mentor", "in": [True]}
    assert q["huge"]["show_if"] == {"question": "story", "answered": True}
    assert q["follow"]["show_if"] == {
        "all": [
            {"question": "subjects", "includes": ["SQ001"]},
            {"question": "years", "gte": 5},
        ]
    }
    assert q["onrow"]["show_if"] == {
        "any": [
            {"question": "collab", "row": "SQ001", "in": [4]},
            {"question": "collab", "row": "SQ001", "in": [5]},
        ]
    }
    assert "show_if" not in q["weird"]
    assert any("weird" in line and "always asked" in line for line in report)
    work = next(s for s in definition["sections"] if s["title"] == "Work")
    assert work["show_if"] == {"question": "role", "in": ["A1"]}
    if name == "every_type_ls3.lss":  # LimeSurvey 2's conditions table
        assert q["viacond"]["show_if"] == {"question": "mentor", "in": [True]}


def test_a_plc_survey_goes_to_limesurvey_and_back_with_its_structure() -> None:
    teams = [Team("grade-3", "Grade 3")]
    original = parse_definition(
        {
            **SCHOOL_CLIMATE,
            "sections": [
                *SCHOOL_CLIMATE["sections"],
                {
                    "title": "Follow-up",
                    "show_if": {"question": "role", "equals": "special"},
                    "questions": [
                        {
                            "id": "why",
                            "type": "long_text",
                            "text": "Why?",
                            "show_if": {
                                "any": [
                                    {"question": "collab", "row": "observe", "lte": 2},
                                    {"question": "valued", "equals": 1},
                                ]
                            },
                        }
                    ],
                },
            ],
        },
        TYPES,
        teams,
    )
    exported = export_lss({**original, "id": 7})
    assert is_lss(exported.text)
    assert any("section score" in line for line in exported.report)
    back = parse_definition(import_lss(exported.text).definition, TYPES, teams)
    assert [s["title"] for s in back["sections"]] == [s["title"] for s in original["sections"]]
    before, after = by_id(original), by_id(back)
    assert after["collab"]["labels"] == before["collab"]["labels"]
    assert [r["text"] for r in after["collab"]["rows"]] == [
        r["text"] for r in before["collab"]["rows"]
    ]
    assert after["role"]["options"] == before["role"]["options"]
    assert after["role"]["other"] == before["role"]["other"]
    assert after["valued"]["options"][0] == "Strongly disagree"  # a scale comes back a list
    follow = back["sections"][-1]
    assert follow["show_if"] == {"question": "role", "in": [after["role"]["codes"][1]]}
    assert after["why"]["show_if"] == {
        "any": [
            {"question": "collab", "row": "observe", "lte": 2},
            {"question": "valued", "in": ["1"]},
        ]
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not xml at all", "not a readable LimeSurvey file"),
        (
            "<document><LimeSurveyDocType>Label set</LimeSurveyDocType></document>",
            "holds no survey",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">'
            '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
            "<document><LimeSurveyDocType>&d;</LimeSurveyDocType></document>",
            "LimeSurvey",
        ),
    ],
)
def test_a_file_that_is_not_a_limesurvey_survey_is_refused_in_one_line(
    text: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        import_lss(text)
    assert "\n" not in info.value.message

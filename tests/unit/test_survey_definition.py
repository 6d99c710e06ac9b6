"""Survey definitions and the built-in question types: parsing, validation, conditions."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from plc_plugins.surveys.definition import (
    export_definition,
    parse_definition,
    shown_questions,
    validate_answers,
)
from plc_plugins.surveys.question_types import BUILTIN_TYPES
from plc_plugins.surveys.service import Surveys
from plc_plugins.surveys.templates import SURVEY_TEMPLATES

from plc_tui.community import Team
from plc_tui.errors import ValidationError
from plc_tui.runtime import Runtime

TYPES = {t.name: t for t in BUILTIN_TYPES}
TEAMS = [Team("grade-3", "Grade 3"), Team("grade-4", "Grade 4")]
TEAM_NAMES = {t.id: t.name for t in TEAMS}

README_EXAMPLE = {
    "title": "Needs",
    "anonymous": True,
    "threshold": 5,
    "audience": {"teams": ["Grade 3"]},
    "questions": [
        {"id": "q1", "type": "likert", "text": "I have time to collaborate"},
        {"id": "q2", "type": "long_text", "text": "What support do you need?", "required": False},
    ],
}


def parse(raw: dict[str, Any]) -> dict[str, Any]:
    return parse_definition(raw, TYPES, TEAMS)


def survey(*questions: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"title": "T", **top, "questions": list(questions)}


def refused(raw: dict[str, Any], *fragments: str) -> str:
    with pytest.raises(ValidationError) as info:
        parse(raw)
    message = info.value.message
    for fragment in fragments:
        assert fragment in message, message
    return message


def question(qtype: str, **fields: Any) -> dict[str, Any]:
    """One parsed question of ``qtype`` (settings checked like a real definition)."""
    return parse(survey({"id": "q", "type": qtype, "text": "Q?", **fields}))["questions"][0]


def answer(q: dict[str, Any], value: Any) -> Any:
    return TYPES[q["type"]].validate(q, value)


def bad_answer(q: dict[str, Any], value: Any, *fragments: str) -> None:
    with pytest.raises(ValidationError) as info:
        answer(q, value)
    for fragment in fragments:
        assert fragment in info.value.message, info.value.message


# -- the README contract -----------------------------------------------------------


def test_readme_example_parses_with_team_name_resolved_to_id() -> None:
    parsed = parse(README_EXAMPLE)
    assert parsed["title"] == "Needs"
    assert parsed["anonymous"] is True
    assert parsed["threshold"] == 5
    assert parsed["audience"] == {"teams": ["grade-3"], "roles": []}
    assert [q["id"] for q in parsed["questions"]] == ["q1", "q2"]
    assert [q["type"] for q in parsed["questions"]] == ["likert", "long_text"]
    assert parsed["questions"][0]["required"] is True
    assert parsed["questions"][1]["required"] is False
    assert parsed["opens"] is None and parsed["closes"] is None


def test_readme_example_parses_against_a_real_community(runtime: Runtime) -> None:
    parsed = Surveys(runtime.context("surveys")).parse(copy.deepcopy(README_EXAMPLE))
    assert parsed["audience"]["teams"] == ["grade-3"]


def test_defaults_are_anonymous_threshold_five_everyone() -> None:
    parsed = parse(survey({"type": "yes_no", "text": "Ok?"}))
    assert parsed["anonymous"] is True
    assert parsed["threshold"] == 5
    assert parsed["audience"] == {"teams": [], "roles": []}
    assert parsed["questions"][0]["id"] == "q1"  # ids default to the position


def test_sections_flatten_into_questions_with_their_section() -> None:
    parsed = parse(
        {
            "title": "S",
            "sections": [
                {"title": "Time", "questions": [{"id": "a", "type": "likert", "text": "A"}]},
                {"title": "Help", "questions": [{"id": "b", "type": "yes_no", "text": "B"}]},
            ],
        }
    )
    assert [(q["id"], q["section"]) for q in parsed["questions"]] == [("a", "Time"), ("b", "Help")]


# -- clear errors ------------------------------------------------------------------


def test_unknown_type_lists_the_known_types() -> None:
    message = refused(survey({"id": "q1", "type": "slider", "text": "X"}), "q1", "'slider'")
    for name in TYPES:
        assert name in message


def test_choice_question_without_options() -> None:
    refused(survey({"id": "pick", "type": "single", "text": "X"}), "pick", "options")
    refused(
        survey({"id": "pick", "type": "multi", "text": "X", "options": ["only"]}),
        "pick",
        "at least 2",
    )


def test_duplicate_option_is_refused_case_insensitively() -> None:
    refused(
        survey({"id": "pick", "type": "single", "text": "X", "options": ["Math", "math"]}),
        "pick",
        "same option twice",
    )


def test_duplicate_question_id() -> None:
    refused(
        survey(
            {"id": "a", "type": "likert", "text": "X"}, {"id": "a", "type": "likert", "text": "Y"}
        ),
        "question a",
        "used twice",
    )


@pytest.mark.parametrize("threshold", [2, 1, 0, -5, True, "5", 4.5])
def test_threshold_is_never_below_three(threshold: Any) -> None:
    refused(survey({"type": "likert", "text": "X"}, threshold=threshold), "threshold", "at least 3")


def test_threshold_three_is_allowed() -> None:
    assert parse(survey({"type": "likert", "text": "X"}, threshold=3))["threshold"] == 3


def test_closes_before_opens() -> None:
    refused(
        survey({"type": "likert", "text": "X"}, opens="2026-12-05", closes="2026-11-24"),
        "closes (2026-11-24) is before opens (2026-12-05)",
    )


def test_bad_date() -> None:
    refused(survey({"type": "likert", "text": "X"}, closes="next friday"), "closes", "not a date")


def test_show_if_must_refer_to_an_earlier_question() -> None:
    later = survey(
        {
            "id": "a",
            "type": "long_text",
            "text": "Why?",
            "show_if": {"question": "b", "equals": True},
        },
        {"id": "b", "type": "yes_no", "text": "Ok?"},
    )
    refused(later, "question a", "earlier question", "'b'")
    unknown = survey(
        {"id": "a", "type": "yes_no", "text": "Ok?"},
        {
            "id": "b",
            "type": "long_text",
            "text": "Why?",
            "show_if": {"question": "zz", "equals": True},
        },
    )
    refused(unknown, "question b", "earlier question", "'zz'")
    itself = survey(
        {"id": "a", "type": "yes_no", "text": "Ok?", "show_if": {"question": "a", "equals": True}},
    )
    refused(itself, "earlier question")


def test_show_if_value_must_be_a_possible_answer() -> None:
    raw = survey(
        {"id": "a", "type": "likert", "text": "Time?"},
        {
            "id": "b",
            "type": "long_text",
            "text": "Why?",
            "show_if": {"question": "a", "in": [1, 7]},
        },
    )
    refused(raw, "question b", "show_if value 7", "not a possible answer to a")
    choice = survey(
        {"id": "a", "type": "single", "text": "Pick", "options": ["Red", "Blue"]},
        {
            "id": "b",
            "type": "long_text",
            "text": "Why?",
            "show_if": {"question": "a", "equals": "Green"},
        },
    )
    refused(choice, "question b", "'Green'", "not a possible answer to a")


def test_show_if_values_are_normalised() -> None:
    parsed = parse(
        survey(
            {"id": "a", "type": "likert", "text": "Time?"},
            {
                "id": "b",
                "type": "long_text",
                "text": "Why?",
                "show_if": {"question": "a", "in": ["Strongly disagree", "2"]},
            },
        )
    )
    assert parsed["questions"][1]["show_if"] == {"question": "a", "in": [1, 2]}


def test_unknown_team_in_audience_names_the_teams() -> None:
    refused(
        survey({"type": "likert", "text": "X"}, audience={"teams": ["Grade 9"]}),
        "'Grade 9'",
        "Grade 3",
        "Grade 4",
    )


def test_unknown_role_in_audience() -> None:
    refused(survey({"type": "likert", "text": "X"}, audience={"roles": ["parent"]}), "roles")


def test_audience_team_by_id_or_any_case() -> None:
    parsed = parse(
        survey(
            {"type": "likert", "text": "X"}, audience={"teams": ["grade-4", "GRADE 3", "Grade 4"]}
        )
    )
    assert parsed["audience"]["teams"] == ["grade-3", "grade-4"]


def test_unknown_top_level_field() -> None:
    refused(
        survey({"type": "likert", "text": "X"}, deadline="2026-12-01"), "unknown field", "deadline"
    )


def test_unknown_question_field() -> None:
    refused(
        survey({"id": "a", "type": "likert", "text": "X", "colour": "red"}), "question a", "colour"
    )


def test_question_settings_that_do_not_belong_to_the_type() -> None:
    refused(
        survey({"id": "a", "type": "likert", "text": "X", "options": ["a", "b"]}),
        "question a",
        "does not take options",
    )


def test_escape_codes_are_stripped_and_markup_kept_literal() -> None:
    parsed = parse(
        {
            "title": "\x1b[31mRed\x1b[0m title",
            "questions": [
                {
                    "id": "a",
                    "type": "single",
                    "text": "[bold]Loud[/bold] \x1b]0;pwned\x07question",
                    "options": ["[red]One[/red]", "Two\x1b[2J"],
                },
            ],
        }
    )
    assert parsed["title"] == "Red title"
    q = parsed["questions"][0]
    assert q["text"] == "[bold]Loud[/bold] question"
    assert q["options"] == ["[red]One[/red]", "Two"]
    assert "\x1b" not in repr(parsed)


def test_question_text_longer_than_300_is_refused() -> None:
    refused(survey({"id": "a", "type": "likert", "text": "x" * 301}), "too long", "301", "300")
    assert len(question("likert", text="x" * 300)["text"]) == 300


def test_empty_question_text_is_refused() -> None:
    refused(
        survey({"id": "a", "type": "likert", "text": "   "}), "question a text", "cannot be empty"
    )


def test_no_questions() -> None:
    refused({"title": "T", "questions": []}, "at least one question")
    refused({"title": "T"}, "list of questions")


# -- the nine types ----------------------------------------------------------------


def test_all_nine_types_are_built_in() -> None:
    assert set(TYPES) == {
        "likert",
        "single",
        "multi",
        "rating",
        "number",
        "short_text",
        "long_text",
        "ranking",
        "yes_no",
        "grid",
        "date",
        "text_block",
    }


def test_likert() -> None:
    q = question("likert")
    assert [answer(q, v) for v in (1, 2, 3, 4, 5)] == [1, 2, 3, 4, 5]
    assert answer(q, "Agree") == 4
    assert answer(q, "strongly AGREE") == 5
    assert answer(q, "3") == 3
    bad_answer(q, 6, "from 1 (Strongly disagree) to 5 (Strongly agree)", "not 6")
    bad_answer(q, 0, "not 0")
    bad_answer(q, "Maybe", "must be a point from 1 (Strongly disagree) to 5")
    bad_answer(q, True)


def test_likert_with_own_labels() -> None:
    q = question("likert", labels=["Never", "Rarely", "Sometimes", "Often", "Always"])
    assert answer(q, "often") == 4
    bad_answer(q, "Agree")
    assert question("likert", labels=["Low", "High"])["labels"] == ["Low", "High"]
    with pytest.raises(ValidationError, match="2 to 11 texts"):
        question("likert", labels=["Only"])
    with pytest.raises(ValidationError, match="2 to 11 texts"):
        question("likert", labels=[str(n) for n in range(12)])


def test_single_matches_options_case_insensitively() -> None:
    q = question("single", options=["Math", "Reading"])
    assert answer(q, "math") == "Math"
    assert answer(q, "  READING ") == "Reading"
    bad_answer(q, "Science", "'Science' is not one of: Math, Reading")
    bad_answer(q, 1, "one of")


def test_multi_enforces_min_and_max_selections() -> None:
    q = question("multi", options=["A", "B", "C", "D"], min_select=2, max_select=3)
    assert answer(q, ["c", "A"]) == ["A", "C"]  # in option order, canonical spelling
    bad_answer(q, ["A"], "choose at least 2", "you chose 1")
    bad_answer(q, ["A", "B", "C", "D"], "choose at most 3", "you chose 4")
    bad_answer(q, ["A", "a"], "twice")
    bad_answer(q, ["A", "Z"], "'Z'")


def test_multi_limits_must_fit_the_options() -> None:
    with pytest.raises(ValidationError, match="min_select and max_select"):
        question("multi", options=["A", "B"], min_select=2, max_select=1)
    with pytest.raises(ValidationError, match="min_select and max_select"):
        question("multi", options=["A", "B"], max_select=3)


def test_multi_without_limits_allows_any_number() -> None:
    q = question("multi", options=["A", "B", "C"])
    assert answer(q, "B") == ["B"]
    assert answer(q, ["A", "B", "C"]) == ["A", "B", "C"]


def test_rating_bounds() -> None:
    ten = question("rating", min=0, max=10)
    assert answer(ten, 0) == 0 and answer(ten, 10) == 10 and answer(ten, "7") == 7
    bad_answer(ten, 11, "from 0 to 10", "not 11")
    bad_answer(ten, -1, "from 0 to 10")
    five = question("rating")
    assert (five["min"], five["max"]) == (1, 5)
    assert answer(five, 1) == 1
    bad_answer(five, 0, "from 1 to 5", "not 0")
    bad_answer(five, 6, "from 1 to 5")
    bad_answer(five, 2.5, "whole number")
    nine = question("rating", min=1, max=9)
    assert answer(nine, 9) == 9
    bad_answer(nine, 10, "from 1 to 9")
    with pytest.raises(ValidationError, match="from 0 or 1 up to a top point of at most 10"):
        question("rating", min=2, max=7)
    with pytest.raises(ValidationError, match="from 0 or 1 up to a top point of at most 10"):
        question("rating", min=0, max=11)


def test_number_min_and_max() -> None:
    q = question("number", min=0, max=20)
    assert answer(q, 0) == 0
    assert answer(q, "12") == 12
    assert answer(q, "2.5") == 2.5
    bad_answer(q, -1, "at least 0")
    bad_answer(q, 21, "at most 20")
    bad_answer(q, "lots", "must be a number")
    bad_answer(q, True, "must be a number")
    bad_answer(q, float("nan"), "must be a number")
    with pytest.raises(ValidationError, match="min is larger than max"):
        question("number", min=5, max=1)
    unbounded = question("number")
    assert answer(unbounded, -1000) == -1000


def test_short_text_limit_and_single_line() -> None:
    q = question("short_text")
    assert answer(q, "  Keep the agenda  ") == "Keep the agenda"
    assert answer(q, "x" * 200) == "x" * 200
    bad_answer(q, "x" * 201, "too long", "200")
    assert "\n" not in answer(q, "one\ntwo")


def test_long_text_keeps_lines_and_limit() -> None:
    q = question("long_text")
    assert answer(q, "First line\nSecond line") == "First line\nSecond line"
    assert answer(q, "a\r\nb") == "a\nb"
    assert answer(q, "\x1b[31mred\x1b[0m") == "red"
    assert len(answer(q, "y" * 5000)) == 5000
    bad_answer(q, "y" * 5001, "too long", "5,000")


def test_ranking_must_be_a_permutation() -> None:
    q = question("ranking", options=["Time", "Coaching", "Resources"])
    assert answer(q, ["resources", "Time", "coaching"]) == ["Resources", "Time", "Coaching"]
    bad_answer(q, ["Time", "Coaching"], "rank every option exactly once")
    bad_answer(q, ["Time", "Time", "Coaching"], "exactly once")
    bad_answer(q, ["Time", "Coaching", "Resources", "Time"], "exactly once")
    bad_answer(q, "Time", "from most to least important")


def test_yes_no() -> None:
    q = question("yes_no")
    assert answer(q, "yes") is True
    assert answer(q, "No") is False
    assert answer(q, True) is True
    assert answer(q, False) is False
    bad_answer(q, "maybe", "yes or no")
    bad_answer(q, 1, "yes or no")


# -- conditions --------------------------------------------------------------------

CONDITIONAL = {
    "title": "Follow-up",
    "questions": [
        {"id": "want", "type": "yes_no", "text": "Would you like a coach visit?"},
        {
            "id": "when",
            "type": "single",
            "text": "When?",
            "options": ["Mornings", "Afternoons"],
            "show_if": {"question": "want", "equals": True},
        },
        {
            "id": "notes",
            "type": "long_text",
            "text": "What should they know?",
            "show_if": {"question": "when", "equals": "Mornings"},
        },
        {"id": "other", "type": "short_text", "text": "Anything else?", "required": False},
    ],
}


def check(answers: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    return validate_answers(parse(CONDITIONAL), answers, TYPES, partial=partial)


def test_answers_to_questions_not_asked_are_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="when is not asked with these answers"):
        check({"want": "no", "when": "Mornings", "notes": "hello"})


def test_a_draft_leaves_out_answers_an_earlier_change_hid() -> None:
    assert check({"want": "no", "when": "Mornings", "notes": "hello"}, partial=True) == {
        "want": False
    }


def test_hidden_required_questions_are_not_required() -> None:
    assert check({"want": False}) == {"want": False}


def test_shown_required_questions_are_required_and_listed() -> None:
    with pytest.raises(ValidationError) as info:
        check({"want": True})
    assert "please answer the required question(s): when." in info.value.message
    with pytest.raises(ValidationError) as info:
        check({"want": True, "when": "mornings"})
    assert "notes" in info.value.message
    with pytest.raises(ValidationError) as info:
        check({})
    assert "want" in info.value.message and "when" not in info.value.message


def test_shown_conditional_answers_are_kept() -> None:
    assert check({"want": "yes", "when": "mornings", "notes": "Line 1\nLine 2"}) == {
        "want": True,
        "when": "Mornings",
        "notes": "Line 1\nLine 2",
    }
    with pytest.raises(ValidationError, match="notes is not asked"):
        check({"want": True, "when": "Afternoons", "notes": "not asked"})


def test_nested_condition_hidden_parent_hides_child() -> None:
    definition = parse(CONDITIONAL)
    # "when" would say Mornings, but "when" itself is hidden, so "notes" is too.
    shown = shown_questions(definition, {"want": False, "when": "Mornings"})
    assert [q["id"] for q in shown] == ["want", "other"]
    with pytest.raises(ValidationError, match="when is not asked"):
        check({"want": False, "when": "Mornings"})


def test_drafts_may_leave_required_questions_empty() -> None:
    assert check({"want": True}, partial=True) == {"want": True}


def test_unknown_answer_key_and_bad_value_name_the_question() -> None:
    with pytest.raises(ValidationError, match="no question 'nope'"):
        check({"want": True, "nope": 1})
    with pytest.raises(ValidationError, match=r"when \(When\?\): 'Evenings' is not one of"):
        check({"want": True, "when": "Evenings", "notes": "x"})
    with pytest.raises(ValidationError, match="JSON object"):
        validate_answers(parse(CONDITIONAL), ["yes"], TYPES)


# -- templates and export ----------------------------------------------------------


@pytest.mark.parametrize("template", SURVEY_TEMPLATES, ids=lambda t: t.id)
def test_every_template_parses_and_round_trips(template: Any) -> None:
    assert template.kind == "survey"
    parsed = parse(copy.deepcopy(template.body))
    assert parsed["title"] == template.body["title"]
    assert len(parsed["questions"]) >= 2
    exported = export_definition(parsed, TEAM_NAMES)
    assert parse(copy.deepcopy(exported)) == parsed


def test_template_bodies_are_not_changed_by_parsing() -> None:
    before = copy.deepcopy([t.body for t in SURVEY_TEMPLATES])
    for template in SURVEY_TEMPLATES:
        parse(template.body)
    assert [t.body for t in SURVEY_TEMPLATES] == before


def test_export_round_trips_every_setting() -> None:
    raw = {
        "title": "Everything",
        "description": "Line one\nLine two",
        "anonymous": False,
        "threshold": 4,
        "audience": {"teams": ["Grade 4", "Grade 3"], "roles": ["teacher", "coach"]},
        "opens": "2026-11-24",
        "closes": "2026-12-05",
        "questions": [
            {
                "id": "l",
                "type": "likert",
                "text": "L",
                "help": "Be honest",
                "labels": ["Never", "Rarely", "Sometimes", "Often", "Always"],
            },
            {"id": "s", "type": "single", "text": "S", "options": ["A", "B"], "section": "Part 2"},
            {
                "id": "m",
                "type": "multi",
                "text": "M",
                "options": ["A", "B", "C"],
                "min_select": 0,
                "max_select": 2,
            },
            {
                "id": "r",
                "type": "rating",
                "text": "R",
                "min": 0,
                "max": 10,
                "labels": ["Low", "High"],
                "show_if": {"question": "l", "in": [1, 2]},
            },
            {"id": "n", "type": "number", "text": "N", "min": 0, "max": 40, "required": False},
            {"id": "st", "type": "short_text", "text": "ST", "required": False},
            {
                "id": "lt",
                "type": "long_text",
                "text": "LT",
                "show_if": {"question": "s", "equals": "B"},
            },
            {"id": "rk", "type": "ranking", "text": "RK", "options": ["X", "Y"]},
            {"id": "yn", "type": "yes_no", "text": "YN"},
        ],
    }
    parsed = parse(raw)
    exported = export_definition(parsed, TEAM_NAMES)
    assert exported["audience"]["teams"] == ["Grade 3", "Grade 4"]
    assert exported["questions"][6]["show_if"] == {"question": "s", "equals": "B"}
    assert exported["questions"][3]["show_if"] == {"question": "l", "in": [1, 2]}
    assert parse(copy.deepcopy(exported)) == parsed


def test_service_export_of_a_stored_survey_reimports_the_same(runtime: Runtime) -> None:
    service = Surveys(runtime.context("surveys"))
    sid = service.create_from_template("needs")
    exported = service.export_definition(sid)
    stored = service.get(sid)
    reparsed = service.parse(copy.deepcopy(exported))
    assert reparsed == {k: stored[k] for k in reparsed}


def test_threshold_is_never_more_than_results_could_ever_reach() -> None:
    refused(survey({"type": "likert", "text": "X"}, threshold=25 * 10**23), "threshold", "at most")
    assert parse(survey({"type": "likert", "text": "X"}, threshold=10_000))["threshold"] == 10_000

"""What real school instruments need: any scale, grids, other/comments, codes,
richer conditions, sections with scores, dates and text blocks."""

from __future__ import annotations

from typing import Any

import pytest
from plc_plugins.surveys.definition import (
    export_definition,
    parse_definition,
    shown_questions,
    validate_answers,
)
from plc_plugins.surveys.question_types import BUILTIN_TYPES, describe_answer
from plc_plugins.surveys.results import export_csv
from plc_plugins.surveys.service import Surveys

from plc_tui import community
from plc_tui.community import Team
from plc_tui.errors import ValidationError
from plc_tui.runtime import Runtime
from tests.conftest import ADMIN

TYPES = {t.name: t for t in BUILTIN_TYPES}
TEAMS = [Team("grade-3", "Grade 3"), Team("grade-4", "Grade 4")]


def parse(*questions: dict[str, Any], **top: Any) -> dict[str, Any]:
    raw = {"title": "T", **top}
    if "sections" not in top:
        raw["questions"] = list(questions)
    return parse_definition(raw, TYPES, TEAMS)


def check(definition: dict[str, Any], answers: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return validate_answers(definition, answers, TYPES, **kw)


FREQUENCY_GRID = {
    "id": "collab",
    "type": "grid",
    "text": "How often does your team...",
    "scale": "frequency",
    "not_applicable": True,
    "rows": [
        "Look at student work together",
        {"id": "plan", "text": "Plan lessons together"},
        {"id": "alone", "text": "Work alone on planning", "reverse": True},
    ],
}


# -- any scale -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "points", "top"),
    [
        ("agreement4", 4, "Agree or Strongly agree"),
        ("agreement7", 7, "Agree or Strongly agree"),
        ("frequency", 5, "Often or Always"),
        ("quality", 5, "Very good or Excellent"),
        ("yes_uncertain_no", 3, "Yes"),
    ],
)
def test_preset_scales_of_any_length(scale: str, points: int, top: str) -> None:
    q = parse({"id": "s", "type": "likert", "text": "S", "scale": scale})["questions"][0]
    assert len(q["labels"]) == points
    assert TYPES["likert"].validate(q, points) == points
    with pytest.raises(ValidationError, match=f"from 1 .* to {points}"):
        TYPES["likert"].validate(q, points + 1)
    summary = TYPES["likert"].aggregate(q, [points, points, 1])
    assert summary["top_box"] == {"label": top, "percent": 67}


def test_not_applicable_is_an_answer_kept_out_of_the_mean() -> None:
    q = parse(
        {"id": "s", "type": "likert", "text": "S", "scale": "frequency", "not_applicable": True}
    )["questions"][0]
    assert TYPES["likert"].validate(q, "Not applicable") == "na"
    summary = TYPES["likert"].aggregate(q, [5, 3, "na", "na"])
    assert (summary["n"], summary["mean"], summary["not_applicable"]) == (4, 4, 2)
    assert describe_answer(q, "na", TYPES) == "Not applicable"
    assert describe_answer(q, 4, TYPES) == "4 – Often"


def test_a_descending_scale_stores_the_same_points() -> None:
    q = parse({"id": "s", "type": "likert", "text": "S", "descending": True})["questions"][0]
    assert TYPES["likert"].validate(q, "Strongly agree") == 5
    from plc_plugins.surveys.scales import choices

    assert [value for _, value in choices(q)] == [5, 4, 3, 2, 1]


def test_an_unknown_scale_names_the_presets() -> None:
    with pytest.raises(ValidationError, match="scale 'often' is not one of: agreement"):
        parse({"id": "s", "type": "likert", "text": "S", "scale": "often"})


# -- grids -----------------------------------------------------------------------


def test_a_grid_takes_a_point_per_row_and_requires_every_row() -> None:
    d = parse(FREQUENCY_GRID)
    grid = d["questions"][0]
    assert [r["id"] for r in grid["rows"]] == ["r1", "plan", "alone"]
    assert check(d, {"collab": {"r1": 4, "plan": "Often", "alone": "na"}}) == {
        "collab": {"r1": 4, "plan": 4, "alone": "na"}
    }
    assert check(d, {"collab": [5, 4, 1]}) == {"collab": {"r1": 5, "plan": 4, "alone": 1}}
    with pytest.raises(ValidationError, match=r"collab \(rows plan, alone\)"):
        check(d, {"collab": {"r1": 4}})
    assert check(d, {"collab": {"r1": 4}}, partial=True) == {"collab": {"r1": 4}}
    with pytest.raises(ValidationError, match=r"row plan .*: must be a point from 1 .* to 5"):
        check(d, {"collab": {"r1": 4, "plan": 9, "alone": 1}})
    with pytest.raises(ValidationError, match="has no row 'zz'"):
        check(d, {"collab": {"zz": 4}})


def test_grid_results_are_per_row_lowest_mean_first() -> None:
    grid = parse(FREQUENCY_GRID)["questions"][0]
    summary = TYPES["grid"].aggregate(
        grid,
        [{"r1": 5, "plan": 2, "alone": "na"}, {"r1": 4, "plan": 1, "alone": 3}],
    )
    assert [row["id"] for row in summary["rows"]] == ["plan", "alone", "r1"]
    plan = summary["rows"][0]
    assert (plan["mean"], plan["n"]) == (1.5, 2)
    assert summary["rows"][1]["not_applicable"] == 1


def test_a_grid_needs_rows_with_distinct_ids() -> None:
    with pytest.raises(ValidationError, match='needs "rows"'):
        parse({"id": "g", "type": "grid", "text": "G"})
    with pytest.raises(ValidationError, match="used twice"):
        parse({"id": "g", "type": "grid", "text": "G", "rows": [{"id": "a", "text": "A"}] * 2})


# -- other, comments, codes --------------------------------------------------------


def test_other_please_specify_keeps_its_text_with_the_choice() -> None:
    d = parse(
        {"id": "role", "type": "single", "text": "Role", "options": ["Teacher"], "other": True},
        {
            "id": "subj",
            "type": "multi",
            "text": "Subjects",
            "options": ["Math", "Art"],
            "other": "Another subject",
        },
    )
    assert check(
        d,
        {
            "role": "_other",
            "role.other": "Librarian",
            "subj": ["Math", "_other"],
            "subj.other": "Music",
        },
    ) == {
        "role": "_other",
        "role.other": "Librarian",
        "subj": ["Math", "_other"],
        "subj.other": "Music",
    }
    assert (
        check(
            d,
            {
                "role": "Other",
                "role.other": "Nurse",
                "subj": "Another subject",
                "subj.other": "Drama",
            },
        )["role"]
        == "_other"
    )
    with pytest.raises(ValidationError, match=r"role.other \(say what 'Other, please specify'"):
        check(d, {"role": "_other", "subj": ["Math"]})
    with pytest.raises(ValidationError, match=r"role\.other is given, but role does not choose"):
        check(d, {"role": "Teacher", "role.other": "Nurse", "subj": ["Math"]})
    assert describe_answer(d["questions"][1], ["Math", "_other"], TYPES) == "Math, Another subject"


def test_a_comment_on_a_choice_is_optional_and_only_where_offered() -> None:
    d = parse(
        {"id": "s", "type": "likert", "text": "S", "comment": True},
        {"id": "y", "type": "yes_no", "text": "Y"},
    )
    assert check(d, {"s": 4, "s.comment": "Mostly", "y": True})["s.comment"] == "Mostly"
    assert check(d, {"s": 4, "y": True}) == {"s": 4, "y": True}
    with pytest.raises(ValidationError, match="question y has no 'comment' answer"):
        check(d, {"s": 4, "y": True, "y.comment": "x"})


def test_answer_codes_keep_waves_comparable_when_a_label_is_reworded() -> None:
    first = parse(
        {
            "id": "s",
            "type": "single",
            "text": "S",
            "options": [{"code": "A1", "label": "Maths"}, {"code": "A2", "label": "Art"}],
        }
    )
    second = parse(
        {
            "id": "s",
            "type": "single",
            "text": "S",
            "options": [
                {"code": "A1", "label": "Mathematics"},
                {"code": "A2", "label": "Visual art"},
            ],
        }
    )
    stored = check(first, {"s": "Maths"})["s"]
    assert stored == check(second, {"s": "Mathematics"})["s"] == "A1"
    counts = TYPES["single"].aggregate(second["questions"][0], [stored])["counts"]
    assert counts[0] == {"label": "Mathematics", "value": "A1", "count": 1, "percent": 100}
    exported = export_definition(second, {})
    assert exported["questions"][0]["options"][0] == {"code": "A1", "label": "Mathematics"}
    assert parse_definition(exported, TYPES, TEAMS)["questions"] == second["questions"]


def test_long_option_lists_are_accepted() -> None:
    schools = [f"School {n}" for n in range(1, 151)]
    q = parse({"id": "s", "type": "single", "text": "School", "options": schools})
    assert check(q, {"s": "school 120"}) == {"s": "School 120"}


# -- conditions ----------------------------------------------------------------------

ROLE_AND_SUBJECTS = [
    {"id": "subjects", "type": "multi", "text": "Subjects", "options": ["Math", "Art", "Other"]},
    {
        "id": "other_subject",
        "type": "short_text",
        "text": "Which other?",
        "show_if": {"question": "subjects", "equals": "Other"},
    },
    {"id": "years", "type": "number", "text": "Years teaching"},
    {
        "id": "mentor",
        "type": "yes_no",
        "text": "Mentor?",
        "show_if": {
            "any": [
                {"question": "years", "gte": 10},
                {
                    "all": [
                        {"question": "subjects", "includes": "Math"},
                        {"question": "years", "gt": 5},
                    ]
                },
            ]
        },
    },
    {
        "id": "no_art",
        "type": "short_text",
        "text": "Why no art?",
        "required": False,
        "show_if": {"question": "subjects", "excludes": "Art"},
    },
]


def test_a_follow_up_on_a_multiple_choice_answer_is_asked() -> None:
    d = parse(*ROLE_AND_SUBJECTS)
    shown = shown_questions(d, {"subjects": ["Math", "Other"], "years": 3})
    assert "other_subject" in [q["id"] for q in shown]
    shown = shown_questions(d, {"subjects": ["Math"], "years": 3})
    assert "other_subject" not in [q["id"] for q in shown]


@pytest.mark.parametrize(
    ("subjects", "years", "mentor_asked", "no_art_asked"),
    [
        (["Art"], 12, True, False),
        (["Math"], 6, True, True),
        (["Math"], 5, False, True),
        (["Art"], 6, False, False),
    ],
)
def test_comparisons_and_all_any_combine(
    subjects: list[str], years: int, mentor_asked: bool, no_art_asked: bool
) -> None:
    d = parse(*ROLE_AND_SUBJECTS)
    ids = [q["id"] for q in shown_questions(d, {"subjects": subjects, "years": years})]
    assert ("mentor" in ids, "no_art" in ids) == (mentor_asked, no_art_asked)


def test_not_equal_and_grid_rows_in_conditions() -> None:
    d = parse(
        FREQUENCY_GRID,
        {
            "id": "why",
            "type": "long_text",
            "text": "Why so rarely?",
            "show_if": {"question": "collab", "row": "plan", "lte": 2},
        },
        {"id": "role", "type": "single", "text": "Role", "options": ["Teacher", "Aide"]},
        {
            "id": "cert",
            "type": "yes_no",
            "text": "Certified?",
            "show_if": {"question": "role", "not": "Aide"},
        },
    )
    asked = shown_questions(d, {"collab": {"r1": 3, "plan": 2, "alone": 3}, "role": "Teacher"})
    assert {"why", "cert"} <= {q["id"] for q in asked}
    asked = shown_questions(d, {"collab": {"r1": 3, "plan": 4, "alone": 3}, "role": "Aide"})
    assert not {"why", "cert"} & {q["id"] for q in asked}


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"question": "later", "equals": 1}, "must refer to an earlier question"),
        ({"question": "nope", "equals": 1}, "not 'nope'"),
        ({"question": "subjects", "includes": "Music"}, "could never be true"),
        ({"question": "subjects", "gt": 2}, "compares numbers, scale points or dates"),
        ({"question": "years", "includes": 3}, "applies to multiple choice"),
        ({"question": "years", "equals": 1, "gt": 2}, "exactly one test"),
        ({"all": []}, "needs at least one condition"),
    ],
)
def test_conditions_that_cannot_work_are_refused_when_built(
    condition: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        parse(
            ROLE_AND_SUBJECTS[0],
            ROLE_AND_SUBJECTS[2],
            {"id": "q", "type": "yes_no", "text": "Q", "show_if": condition},
            {"id": "later", "type": "number", "text": "Later"},
        )


def test_a_condition_on_a_whole_section() -> None:
    d = parse(
        sections=[
            {
                "title": "About you",
                "questions": [
                    {
                        "id": "role",
                        "type": "single",
                        "text": "Role",
                        "options": ["Teacher", "Coach"],
                    }
                ],
            },
            {
                "title": "Coaching",
                "show_if": {"question": "role", "equals": "Coach"},
                "description": "For coaches only.",
                "questions": [
                    {"id": "c1", "type": "likert", "text": "C1"},
                    {"id": "c2", "type": "likert", "text": "C2"},
                ],
            },
        ]
    )
    assert [q["id"] for q in shown_questions(d, {"role": "Teacher"})] == ["role"]
    assert [q["id"] for q in shown_questions(d, {"role": "Coach"})] == ["role", "c1", "c2"]
    with pytest.raises(ValidationError, match="c1 is not asked"):
        check(d, {"role": "Teacher", "c1": 4})
    exported = export_definition(d, {})
    assert exported["sections"][1]["show_if"] == {"question": "role", "equals": "Coach"}
    assert parse_definition(exported, TYPES, TEAMS) == d


# -- sections, scores, size ------------------------------------------------------------


def test_a_scored_section_needs_one_scale() -> None:
    with pytest.raises(ValidationError, match="scales of 4 and 5 points"):
        parse(
            sections=[
                {
                    "title": "Climate",
                    "score": True,
                    "questions": [
                        {"id": "a", "type": "likert", "text": "A", "scale": "agreement4"},
                        {"id": "b", "type": "likert", "text": "B"},
                    ],
                }
            ]
        )
    with pytest.raises(ValidationError, match="no scale or grid questions"):
        parse(
            sections=[
                {
                    "title": "Words",
                    "score": True,
                    "questions": [{"id": "a", "type": "short_text", "text": "A"}],
                }
            ]
        )


def test_more_than_100_questions_when_sections_split_them() -> None:
    def many(prefix: str) -> list[dict[str, Any]]:
        return [{"id": f"{prefix}{n}", "type": "yes_no", "text": f"Q{n}"} for n in range(80)]

    d = parse(
        sections=[
            {"title": "One", "questions": many("a")},
            {"title": "Two", "questions": many("b")},
        ]
    )
    assert len(d["questions"]) == 160
    with pytest.raises(ValidationError, match="group them in sections"):
        parse(*many("a"), *many("b"))


def test_dates_and_text_blocks() -> None:
    d = parse(
        {"id": "intro", "type": "text_block", "text": "The next part is about your team."},
        {"id": "when", "type": "date", "text": "When did you join?", "min": "2000-01-01"},
    )
    assert d["questions"][0]["required"] is False
    assert check(d, {"when": " 2019-08-26 "}) == {"when": "2019-08-26"}
    with pytest.raises(ValidationError, match="on or after 2000-01-01"):
        check(d, {"when": "1999-12-31"})
    with pytest.raises(ValidationError, match="a date like 2026-12-05"):
        check(d, {"when": "last year"})
    with pytest.raises(ValidationError, match="intro is text to read"):
        check(d, {"intro": "hi", "when": "2019-08-26"})


# -- results: scores per team and wave, grid CSV, other texts -----------------------------

CLIMATE = {
    "title": "School climate",
    "anonymous": False,
    "threshold": 3,
    "sections": [
        {
            "title": "Collaboration",
            "score": True,
            "questions": [
                {**FREQUENCY_GRID},
                {
                    "id": "support",
                    "type": "likert",
                    "text": "I feel supported",
                    "scale": "frequency",
                    "not_applicable": True,
                },
            ],
        },
        {
            "title": "About you",
            "questions": [
                {
                    "id": "role",
                    "type": "single",
                    "text": "Role",
                    "options": ["Teacher"],
                    "other": True,
                },
            ],
        },
    ],
}


@pytest.fixture
def climate(runtime: Runtime) -> tuple[Runtime, int]:
    with runtime.storage.transaction() as tx:
        for n in range(4, 9):
            community.add_member(
                tx,
                login=f"t{n}",
                name=f"Teacher t{n}",
                role="teacher",
                teams=["Grade 3" if n < 6 else "Grade 4"],
            )
    runtime.login = ADMIN
    runtime.refresh_member()
    service = Surveys(runtime.context("surveys"))
    sid = service.create(CLIMATE)
    service.open(sid)
    return runtime, sid


def answer(runtime: Runtime, login: str, sid: int, answers: dict[str, Any]) -> None:
    runtime.login = login
    runtime.refresh_member()
    Surveys(runtime.context("surveys")).submit(sid, answers)


def test_section_scores_flip_reversed_items_and_break_down_by_team(
    climate: tuple[Runtime, int],
) -> None:
    runtime, sid = climate
    # Grade 3: t1, t2, t4, t5; Grade 4: t3, t6, t7, t8.
    for login in ("t1", "t2", "t4", "t3", "t6", "t7"):
        high = login in ("t1", "t2", "t4")
        answer(
            runtime,
            login,
            sid,
            {
                "collab": {
                    "r1": 5 if high else 2,
                    "plan": 5 if high else 2,
                    "alone": 1 if high else 4,
                },  # reversed: 1 counts as 5
                "support": 5 if high else "na" if login == "t7" else 2,
                "role": "Teacher" if login != "t3" else "_other",
                **({"role.other": "Librarian"} if login == "t3" else {}),
            },
        )
    runtime.login = ADMIN
    runtime.refresh_member()
    results = Surveys(runtime.context("surveys")).results(sid)
    [collab] = results["sections"]
    assert (collab["title"], collab["items"], collab["points"], collab["n"]) == (
        "Collaboration",
        4,
        5,
        6,
    )
    assert collab["mean"] == 3.5  # three people at 5, three at 2
    assert collab["teams"] == {"Grade 3": {"n": 3, "mean": 5}, "Grade 4": {"n": 3, "mean": 2}}
    role = next(q for q in results["questions"] if q["id"] == "role")
    assert role["other_answers"] == ["Librarian"]
    csv_text = export_csv(
        Surveys(runtime.context("surveys")).get(sid), _responses(runtime, sid), TYPES
    )
    header = csv_text.splitlines()[0].split(",")
    assert header[3:] == [
        "collab.r1",
        "collab.plan",
        "collab.alone",
        "support",
        "role",
        "role.other",
    ]


def _responses(runtime: Runtime, sid: int) -> list[dict[str, Any]]:
    from plc_plugins.surveys import store

    with runtime.context("surveys").read() as tables:
        return store.responses_of(tables, sid)


def test_scores_below_the_threshold_are_hidden(climate: tuple[Runtime, int]) -> None:
    runtime, sid = climate
    answer(runtime, "t1", sid, {"collab": [5, 5, 1], "support": 5, "role": "Teacher"})
    answer(runtime, "t2", sid, {"collab": [5, 5, 1], "support": 5, "role": "Teacher"})
    answer(runtime, "t3", sid, {"collab": ["na", "na", "na"], "support": "na", "role": "Teacher"})
    runtime.login = ADMIN
    runtime.refresh_member()
    [collab] = Surveys(runtime.context("surveys")).results(sid)["sections"]
    assert collab["hidden"] and collab["n"] == 2  # only not-applicable: no score


def test_questions_outside_sections_keep_no_heading_and_survive_export() -> None:
    d = parse(
        sections=[
            {"title": "", "questions": [{"id": "a", "type": "yes_no", "text": "A"}]},
            {
                "title": "Scored",
                "score": True,
                "questions": [{"id": "b", "type": "likert", "text": "B"}],
            },
            {"title": "", "questions": [{"id": "c", "type": "yes_no", "text": "C"}]},
        ]
    )
    assert [q["section"] for q in d["questions"]] == ["", "Scored", ""]
    exported = export_definition(d, {})
    assert [q["id"] for s in exported["sections"] for q in s["questions"]] == ["a", "b", "c"]
    assert parse_definition(exported, TYPES, TEAMS) == d
    with pytest.raises(ValidationError, match="no title; give it a title"):
        parse(
            sections=[
                {
                    "title": "",
                    "score": True,
                    "questions": [{"id": "a", "type": "likert", "text": "A"}],
                }
            ]
        )


def test_small_teams_show_together_or_not_at_all(climate: tuple[Runtime, int]) -> None:
    runtime, sid = climate
    with runtime.storage.transaction() as tx:
        community.add_team(tx, name="Grade 5")
        for login in ("f1", "f2"):
            community.add_member(tx, login=login, name=login, role="teacher", teams=["Grade 5"])
    runtime.login = ADMIN
    runtime.refresh_member()
    survey = Surveys(runtime.context("surveys"))
    sid = survey.create({**CLIMATE, "audience": {}})  # every team is asked
    survey.open(sid)
    high = {"collab": [5, 5, 1], "support": 5, "role": "Teacher"}
    for login in ("t1", "t2", "t4", "t3"):  # Grade 3: three people; Grade 4: one
        answer(runtime, login, sid, high)
    runtime.login = ADMIN
    runtime.refresh_member()
    [collab] = Surveys(runtime.context("surveys")).results(sid)["sections"]
    assert collab["teams"]["hidden"]
    assert "fewer than 3 together" in collab["teams"]["reason"]
    for login in ("f1", "f2"):  # Grade 5: two more; Grade 4 and 5 together make three
        answer(runtime, login, sid, high)
    runtime.login = ADMIN
    runtime.refresh_member()
    [collab] = Surveys(runtime.context("surveys")).results(sid)["sections"]
    assert collab["teams"] == {
        "Grade 3": {"n": 3, "mean": 5},
        "2 smaller teams together": {"n": 3, "mean": 5},
    }


def test_condition_values_are_said_in_the_question_s_words() -> None:
    from plc_plugins.surveys.question_types import value_words

    d = parse(
        {"id": "s", "type": "likert", "text": "S", "scale": "frequency"},
        {
            "id": "c",
            "type": "single",
            "text": "C",
            "options": [{"code": "A1", "label": "Math – Algebra"}, "Art"],
        },
    )
    say = value_words(d["questions"], TYPES)
    assert say({"question": "s"}, 2) == "Rarely"
    assert say({"question": "c"}, "A1") == "Math – Algebra"  # a dash in a label stays

"""Surveys in storage and their results: one answer per person, anonymity on disk,
minimum group sizes, breakdowns, response rates, trends, CSV and permissions.

The anonymity tests read the JSON files in the data directory directly, as anyone
with access to the shared folder could.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from plc_plugins.surveys.service import Surveys
from plc_plugins.surveys.store import AlreadySubmitted

from plc_tui import community
from plc_tui.errors import PermissionDenied, PLCError, ValidationError
from plc_tui.runtime import Runtime
from tests.conftest import ADMIN, make_runtime

TODAY = date(2026, 11, 24)

# Besides the fixture's t1, t2 (Grade 3) and t3 (Grade 4): five teachers per grade.
EXTRA = [
    ("g3a", "Quentin Marlowe", "Grade 3"),
    ("g3b", "Rosalind Vasquez", "Grade 3"),
    ("g3c", "Sebastian Okafor", "Grade 3"),
    ("g4a", "Ulrike Brennan", "Grade 4"),
    ("g4b", "Violet Nakamura", "Grade 4"),
    ("g4c", "Wendell Fairbanks", "Grade 4"),
    ("g4d", "Ximena Lindqvist", "Grade 4"),
]
GRADE_3 = ["t1", "t2", "g3a", "g3b", "g3c"]
GRADE_4 = ["t3", "g4a", "g4b", "g4c", "g4d"]
TEACHERS = GRADE_3 + GRADE_4
EVERYONE = [ADMIN, "coach1", *TEACHERS]


@pytest.fixture
def school(runtime: Runtime) -> Runtime:
    with runtime.storage.transaction() as tx:
        for login, name, team in EXTRA:
            community.add_member(tx, login=login, name=name, role="teacher", teams=[team])
    runtime.today = lambda: TODAY
    runtime.refresh_member()
    return runtime


def as_(runtime: Runtime, login: str) -> Surveys:
    """The surveys service as ``login`` (every service on this runtime follows it)."""
    runtime.login = login
    runtime.refresh_member()
    return Surveys(runtime.context("surveys"))


def new_survey(
    runtime: Runtime, *questions: dict[str, Any], open_it: bool = True, **top: Any
) -> int:
    service = as_(runtime, ADMIN)
    sid = service.create({"title": "Check-in", **top, "questions": list(questions)})
    if open_it:
        service.open(sid)
    return sid


def answer_as(runtime: Runtime, sid: int, pairs: list[tuple[str, dict[str, Any]]]) -> None:
    for login, answers in pairs:
        as_(runtime, login).submit(sid, answers)


def results(runtime: Runtime, sid: int, **kwargs: Any) -> dict[str, Any]:
    return as_(runtime, ADMIN).results(sid, **kwargs)


def question_result(res: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(q for q in res["questions"] if q["id"] == qid)


def surveys_dir(runtime: Runtime) -> Path:
    return runtime.data_dir / "surveys"


def raw_docs(path: Path) -> dict[str, dict[str, Any]]:
    """The documents of a TinyDB file, read straight from disk, in file order."""
    data = json.loads(path.read_text("utf-8"))
    # Beside the documents a file may hold only the mark of ids plc assigned.
    assert set(data) <= {"_default", "_plc"}
    assert set(data.get("_plc", {})) <= {"ids"}
    if "responses" in path.parts or "answers" in path.parts:
        assert "_plc" not in data or "member" in next(iter(data["_default"].values()), {})
    return data["_default"]


def answer_files(runtime: Runtime, sid: int) -> list[Path]:
    """The files that hold a survey's answers and roster (one until it has 256)."""
    return sorted((surveys_dir(runtime) / "answers").glob(f"{sid}-*.json"))


def raw_answers(runtime: Runtime, sid: int) -> tuple[list[dict[str, Any]], list[str]]:
    """A survey's responses, in file order, and its roster, read straight from disk."""
    responses: list[dict[str, Any]] = []
    roster: list[str] = []
    for path in answer_files(runtime, sid):
        for doc_id, doc in raw_docs(path).items():
            if doc_id == "1":
                roster.extend(doc["members"])
            else:
                responses.append(doc)
    return responses, roster


LIKERT = {"id": "q1", "type": "likert", "text": "We have time to collaborate."}
NOTE = {"id": "note", "type": "short_text", "text": "One thing to change.", "required": False}


# -- one submission per person ------------------------------------------------------


def test_second_submission_is_refused_clearly(school: Runtime) -> None:
    sid = new_survey(school, LIKERT)
    as_(school, "t1").submit(sid, {"q1": 4})
    with pytest.raises(AlreadySubmitted) as info:
        as_(school, "t1").submit(sid, {"q1": 2})
    assert f"already submitted survey {sid} (Check-in)" in info.value.message
    assert "one submission per person" in info.value.message
    with pytest.raises(AlreadySubmitted):
        as_(school, "t1").save_draft(sid, {"q1": 2})
    assert as_(school, ADMIN).get(sid)  # still there, still one response
    responses, roster = raw_answers(school, sid)
    assert [d["answers"] for d in responses] == [{"q1": 4}]
    assert roster == ["t1"]


def test_a_new_wave_can_be_answered_again(school: Runtime) -> None:
    sid = new_survey(school, LIKERT)
    as_(school, "t1").submit(sid, {"q1": 4})
    wave2 = as_(school, ADMIN).repeat(sid)
    as_(school, ADMIN).open(wave2)
    assert as_(school, "t1").status(wave2) == "not started"
    as_(school, "t1").submit(wave2, {"q1": 5})
    assert as_(school, "t1").status(wave2) == "submitted"


def test_draft_is_saved_resumed_and_deleted_on_submit(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, NOTE)
    me = as_(school, "t2")
    assert me.status(sid) == "not started"
    assert me.save_draft(sid, {"note": "More planning time"}) == {"note": "More planning time"}
    assert me.status(sid) == "draft"
    # Later, maybe another process: the draft is still there.
    later = Surveys(make_runtime(school.data_dir, school.host, login="t2").context("surveys"))
    assert later.draft(sid) == {"note": "More planning time"}
    me.save_draft(sid, {"q1": "agree", "note": "More planning time, please"})
    assert me.draft(sid) == {"q1": 4, "note": "More planning time, please"}
    assert [r.my_status for r in me.to_answer() if r.id == sid] == ["draft"]
    me.submit(sid, {**me.draft(sid)})
    assert me.draft(sid) == {}
    assert me.status(sid) == "submitted"
    assert all(r.id != sid for r in me.to_answer())
    assert school.private_store("surveys", "t2").keys() == []


def test_a_draft_an_older_plc_left_in_the_shared_files_is_moved_out(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, NOTE, anonymous=True, threshold=3)
    with school.storage.transaction() as tx:
        tx.table("surveys", "drafts", str(sid)).insert(
            {"member": "t2", "answers": {"note": "old draft"}, "saved": "2026-01-01"}
        )
    me = as_(school, "t2")
    assert me.status(sid) == "draft"
    assert me.draft(sid) == {"note": "old draft"}
    me.save_draft(sid, {"note": "old draft, edited"})
    assert "old draft" not in (surveys_dir(school) / "drafts" / f"{sid}.json").read_text()
    assert me.draft(sid) == {"note": "old draft, edited"}


def test_an_anonymous_submission_event_names_no_one(school: Runtime) -> None:
    seen = []
    school.dispatch = seen.append  # type: ignore[method-assign]
    anonymous = new_survey(school, LIKERT, anonymous=True, threshold=3)
    named = new_survey(school, LIKERT, anonymous=False, threshold=3)
    as_(school, "t1").submit(anonymous, {"q1": 4})
    as_(school, "t1").submit(named, {"q1": 4})
    submitted = [e for e in seen if e.name == "survey.submitted"]
    assert [(e.data, e.actor) for e in submitted] == [
        ({"survey": anonymous}, None),
        ({"survey": named}, "t1"),
    ]


def test_a_draft_does_not_need_required_answers_but_submit_does(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, NOTE)
    me = as_(school, "t1")
    me.save_draft(sid, {"note": "later"})
    with pytest.raises(ValidationError, match=r"required question\(s\): q1"):
        me.submit(sid, me.draft(sid))
    assert me.status(sid) == "draft"


# -- who can answer -----------------------------------------------------------------


def test_cannot_answer_a_survey_that_is_not_open(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, open_it=False)
    with pytest.raises(ValidationError, match="cannot be answered: it has not been opened yet"):
        as_(school, "t1").submit(sid, {"q1": 3})
    with pytest.raises(ValidationError, match="not been opened"):
        as_(school, "t1").save_draft(sid, {"q1": 3})
    as_(school, ADMIN).open(sid)
    as_(school, ADMIN).close(sid)
    with pytest.raises(ValidationError, match="cannot be answered: it is closed"):
        as_(school, "t1").submit(sid, {"q1": 3})


def test_cannot_answer_before_it_opens_or_after_it_closes(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, opens="2026-12-01", closes="2026-12-05")
    with pytest.raises(ValidationError, match="it opens on 2026-12-01"):
        as_(school, "t1").submit(sid, {"q1": 3})
    school.today = lambda: date(2026, 12, 3)
    as_(school, "t1").submit(sid, {"q1": 3})
    school.today = lambda: date(2026, 12, 6)
    with pytest.raises(ValidationError, match="it is closed"):
        as_(school, "t2").submit(sid, {"q1": 3})


def test_cannot_answer_a_survey_addressed_to_others(school: Runtime) -> None:
    grade3 = new_survey(school, LIKERT, audience={"teams": ["Grade 3"]})
    with pytest.raises(PLCError, match="not addressed to you"):
        as_(school, "t3").submit(grade3, {"q1": 3})
    as_(school, "t1").submit(grade3, {"q1": 3})
    coaches = new_survey(school, LIKERT, audience={"roles": ["coach", "admin"]})
    with pytest.raises(PLCError, match="not addressed to you"):
        as_(school, "t1").submit(coaches, {"q1": 3})
    as_(school, "coach1").submit(coaches, {"q1": 3})
    # And it is not listed for them.
    assert all(r.id != grade3 for r in as_(school, "t3").to_answer())
    assert any(r.id == grade3 for r in as_(school, "t2").to_answer())


# -- anonymity, read from the files themselves ------------------------------------------


def _texts(runtime: Runtime) -> list[str]:
    names = {m.login: m.name for m in runtime.context("surveys").community.members()}
    return [*names, *names.values()]


def test_anonymous_answers_on_disk_hold_nothing_about_who(school: Runtime) -> None:
    sid = new_survey(
        school,
        LIKERT,
        {"id": "why", "type": "long_text", "text": "What support do you need?", "required": False},
        anonymous=True,
        threshold=3,
    )
    order = ["g4b", "t1", ADMIN, "g3c", "coach1", "t3"]
    for n, login in enumerate(order):
        me = as_(school, login)
        if n % 2 == 0:  # half of them save a draft first
            me.save_draft(sid, {"why": f"Draft number {n}"})
        me.submit(sid, {"q1": 1 + n % 5, "why": f"Answer number {n}"})
    as_(school, "g3a").save_draft(sid, {"why": "still thinking"})  # never submitted

    (answers_path,) = answer_files(school, sid)  # a survey this size is one file
    docs = raw_docs(answers_path)
    roster = docs.pop("1")
    assert roster == {"members": sorted(order)}, "the roster is sorted, not in arrival order"
    text = json.dumps(docs, ensure_ascii=False)
    for who in _texts(school):
        assert who not in text, who
    assert len(docs) == len(order)
    for doc in docs.values():
        assert list(doc) == ["answers"]
        assert set(doc["answers"]) <= {"q1", "why"}
    whole = answers_path.read_text("utf-8")
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}", whole), "no dates or times"
    assert "submitted" not in whole and 'member"' not in whole and "saved" not in whole
    ids = [int(k) for k in json.loads(whole)["_default"]]
    assert ids == sorted(ids), "the file is kept in id order, not arrival order"
    ids.remove(1)
    assert all(1 < i < 2**53 for i in ids)
    assert len(set(ids)) == len(ids)
    assert not (surveys_dir(school) / "responses").exists()
    assert not (surveys_dir(school) / "participation").exists()

    # Drafts never sit in the shared files: not even the one never submitted.
    shared = "".join(p.read_text("utf-8") for p in school.data_dir.rglob("*.json"))
    assert "still thinking" not in shared and "Draft number" not in shared
    assert not (surveys_dir(school) / "drafts").exists()
    # It is in g3a's own private folder, which only their account can read ...
    mine = school.private_store("surveys", "g3a")
    assert mine.get(f"draft-{sid}")["answers"] == {"why": "still thinking"}
    for path in [mine.folder, *mine.folder.parents][:3]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    assert stat.S_IMODE((mine.folder / f"draft-{sid}.json").stat().st_mode) == 0o600
    # ... and the drafts of those who submitted were removed on submit.
    for login in order:
        assert school.private_store("surveys", login).get(f"draft-{sid}") is None


def test_file_order_of_anonymous_answers_is_not_arrival_order(school: Runtime) -> None:
    submitters = ["t1", "t2", "t3", "g3a", "g4a", "g4b"]
    orders = []
    for _ in range(6):
        sid = new_survey(
            school,
            {"id": "n", "type": "number", "text": "Arrival", "min": 0, "max": 99},
            anonymous=True,
            threshold=3,
        )
        for position, login in enumerate(submitters):
            as_(school, login).submit(sid, {"n": position})
        (path,) = answer_files(school, sid)
        ids = [int(k) for k in raw_docs(path)]
        assert ids == sorted(ids)
        responses, _ = raw_answers(school, sid)
        orders.append([d["answers"]["n"] for d in responses])
    assert all(sorted(o) == list(range(len(submitters))) for o in orders)
    # 6! orders per trial: the chance that all six trials keep arrival order is nil.
    assert any(o != list(range(len(submitters))) for o in orders)


def test_no_earlier_versions_of_answers_participation_or_drafts_are_kept(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, NOTE, anonymous=True, threshold=3)
    for login in ["t1", "t2", "t3", "g3a"]:
        me = as_(school, login)
        me.save_draft(sid, {"note": "first"})
        me.save_draft(sid, {"note": "second"})
        me.submit(sid, {"q1": 3})
    generations = school.data_dir / "backups" / "generations"
    kept = [p.relative_to(generations).as_posix() for p in generations.rglob("*") if p.is_file()]
    for table in ("answers", "drafts"):
        assert not [k for k in kept if k.startswith(f"surveys/{table}/")], (table, kept)
    assert answer_files(school, sid)
    # Other files do keep their generations: members.json was written twice.
    assert "core/members.json.1" in kept
    assert any(k.startswith("surveys/surveys.json.") for k in kept)
    for path in answer_files(school, sid):
        rel = path.relative_to(school.data_dir).as_posix()
        assert school.storage.generations_of(rel) == []


def test_named_surveys_store_who_answered(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, anonymous=False, threshold=3)
    answer_as(school, sid, [("t2", {"q1": 5}), ("t1", {"q1": 2})])
    docs, roster = raw_answers(school, sid)
    assert sorted((d["member"], d["answers"]) for d in docs) == [
        ("t1", {"q1": 2}),
        ("t2", {"q1": 5}),
    ]
    assert all("submitted" in d for d in docs)
    assert roster == ["t1", "t2"]


# -- results: the minimum group size ----------------------------------------------------


def test_results_hidden_below_threshold_and_shown_at_it(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, NOTE, threshold=5)
    answer_as(school, sid, [(who, {"q1": 4, "note": "x"}) for who in TEACHERS[:4]])
    res = results(school, sid)
    assert res["hidden"] is True
    assert res["responses"] == 4
    assert "4 responses so far" in res["reason"] and "at least 5" in res["reason"]
    for q in res["questions"]:
        assert q["hidden"] is True
        assert not {"counts", "mean", "answers", "n"} & set(q)
    answer_as(school, sid, [(TEACHERS[4], {"q1": 2, "note": "y"})])
    res = results(school, sid)
    assert res["hidden"] is False
    q1 = question_result(res, "q1")
    assert q1["n"] == 5 and "hidden" not in q1
    assert sorted(question_result(res, "note")["answers"]) == ["x", "x", "x", "x", "y"]


def test_a_question_answered_by_too_few_is_hidden_on_its_own(school: Runtime) -> None:
    sid = new_survey(
        school,
        LIKERT,
        NOTE,
        {"id": "why", "type": "long_text", "text": "Tell us more", "required": False},
        threshold=5,
    )
    answers = [{"q1": 3, "note": "keep", "why": "Mornings are hard"}] * 2 + [{"q1": 3}] * 4
    answer_as(school, sid, list(zip(TEACHERS, answers, strict=False)))
    res = results(school, sid)
    assert res["hidden"] is False
    assert question_result(res, "q1")["n"] == 6
    for qid in ("note", "why"):
        q = question_result(res, qid)
        assert q["hidden"] is True and q["n"] == 2
        assert "2 answered this question, fewer than 5" in q["reason"]
        assert "answers" not in q
    assert "Mornings are hard" not in json.dumps(res)


def test_free_text_shown_once_enough_people_wrote(school: Runtime) -> None:
    sid = new_survey(
        school,
        {"id": "why", "type": "long_text", "text": "Why?", "required": False},
        LIKERT,
        threshold=3,
    )
    answer_as(
        school,
        sid,
        [("t1", {"q1": 1, "why": "Line one\nLine two"}), ("t2", {"q1": 1, "why": "Coverage"})],
    )
    answer_as(school, sid, [("t3", {"q1": 1})])
    assert question_result(results(school, sid), "why")["hidden"] is True
    answer_as(school, sid, [("g3a", {"q1": 1, "why": "Time"})])
    why = question_result(results(school, sid), "why")
    assert sorted(why["answers"]) == ["Coverage", "Line one\nLine two", "Time"]


# -- results: numbers -------------------------------------------------------------------


def test_likert_counts_percentages_mean_and_median(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, threshold=5)
    values = [1, "Disagree", 4, "agree", 5]
    answer_as(school, sid, [(w, {"q1": v}) for w, v in zip(TEACHERS, values, strict=False)])
    q1 = question_result(results(school, sid), "q1")
    assert q1["n"] == 5
    assert [(c["label"], c["value"], c["count"], c["percent"]) for c in q1["counts"]] == [
        ("Strongly disagree", 1, 1, 20),
        ("Disagree", 2, 1, 20),
        ("Neutral", 3, 0, 0),
        ("Agree", 4, 2, 40),
        ("Strongly agree", 5, 1, 20),
    ]
    assert q1["mean"] == 3.2
    assert q1["median"] == 4
    assert (q1["min"], q1["max"]) == (1, 5)
    assert q1["top_box"] == {"label": "Agree or Strongly agree", "percent": 60}


def test_multi_percent_is_the_share_of_respondents(school: Runtime) -> None:
    pick = {
        "id": "topics",
        "type": "multi",
        "text": "Topics",
        "options": ["Data", "Reading", "Behaviour"],
    }
    sid = new_survey(school, pick, threshold=5)
    choices = [["Data", "Reading"], ["Data"], ["Data", "Behaviour"], ["Reading"], ["data"]]
    answer_as(
        school, sid, [(who, {"topics": c}) for who, c in zip(TEACHERS, choices, strict=False)]
    )
    topics = question_result(results(school, sid), "topics")
    assert topics["n"] == 5
    assert [(c["label"], c["count"], c["percent"]) for c in topics["counts"]] == [
        ("Data", 4, 80),
        ("Reading", 2, 40),
        ("Behaviour", 1, 20),
    ]


def test_ranking_orders_by_mean_rank(school: Runtime) -> None:
    rank = {
        "id": "help",
        "type": "ranking",
        "text": "Rank",
        "options": ["Time", "Coaching", "Resources"],
    }
    sid = new_survey(school, rank, threshold=5)
    rankings = [
        ["Coaching", "Time", "Resources"],
        ["Coaching", "Resources", "Time"],
        ["Time", "Coaching", "Resources"],
        ["Coaching", "Time", "Resources"],
        ["Resources", "Coaching", "Time"],
    ]
    answer_as(school, sid, [(who, {"help": r}) for who, r in zip(TEACHERS, rankings, strict=False)])
    ranking = question_result(results(school, sid), "help")["ranking"]
    assert [(r["label"], r["mean_rank"], r["first_choice"]) for r in ranking] == [
        ("Coaching", 1.4, 3),
        ("Time", 2.2, 1),
        ("Resources", 2.4, 1),
    ]


def test_yes_no_and_rating_results(school: Runtime) -> None:
    sid = new_survey(
        school,
        {"id": "yn", "type": "yes_no", "text": "Follow up?"},
        {"id": "r", "type": "rating", "text": "Useful?", "min": 0, "max": 10},
        threshold=5,
    )
    data = [("yes", 10), ("no", 0), (True, 7), ("y", 7), (False, 6)]
    answer_as(
        school, sid, [(w, {"yn": a, "r": b}) for w, (a, b) in zip(TEACHERS, data, strict=False)]
    )
    res = results(school, sid)
    yn = question_result(res, "yn")
    assert [(c["label"], c["count"], c["percent"]) for c in yn["counts"]] == [
        ("Yes", 3, 60),
        ("No", 2, 40),
    ]
    r = question_result(res, "r")
    assert r["mean"] == 6.0 and r["median"] == 7
    assert len(r["counts"]) == 11 and r["counts"][7]["count"] == 2


# -- results: breakdowns and response rates ------------------------------------------------


def _graded_survey(runtime: Runtime, anonymous: bool) -> int:
    return new_survey(
        runtime,
        LIKERT,
        anonymous=anonymous,
        threshold=5,
        audience={"teams": ["Grade 3", "Grade 4"], "roles": ["teacher"]},
    )


def test_team_breakdown_hidden_while_any_team_is_small(school: Runtime) -> None:
    sid = _graded_survey(school, anonymous=False)
    answer_as(school, sid, [(w, {"q1": 4}) for w in GRADE_3])
    answer_as(school, sid, [(w, {"q1": 2}) for w in GRADE_4[:3]])
    res = results(school, sid, breakdown="team")
    assert res["hidden"] is False  # 8 answers overall
    breakdown = question_result(res, "q1")["breakdown"]
    assert breakdown["hidden"] is True
    assert "Grade 4 answered fewer than 5 times" in breakdown["reason"]
    assert "Grade 3" not in breakdown["reason"]
    assert "groups" not in breakdown

    answer_as(school, sid, [(w, {"q1": 1}) for w in GRADE_4[3:]])
    breakdown = question_result(results(school, sid, breakdown="team"), "q1")["breakdown"]
    assert "hidden" not in breakdown
    assert breakdown["by"] == "team"
    groups = breakdown["groups"]
    assert list(groups) == ["Grade 3", "Grade 4"]
    assert groups["Grade 3"]["n"] == 5 and groups["Grade 3"]["mean"] == 4.0
    assert groups["Grade 4"]["n"] == 5 and groups["Grade 4"]["mean"] == 1.6


def test_role_breakdown_hides_a_lone_coach(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, anonymous=False, threshold=5)
    answer_as(school, sid, [(w, {"q1": 3}) for w in TEACHERS[:5]] + [("coach1", {"q1": 5})])
    breakdown = question_result(results(school, sid, breakdown="role"), "q1")["breakdown"]
    assert breakdown["hidden"] is True and "coach" in breakdown["reason"]


def test_anonymous_surveys_refuse_breakdowns(school: Runtime) -> None:
    sid = _graded_survey(school, anonymous=True)
    answer_as(school, sid, [(w, {"q1": 4}) for w in TEACHERS])
    breakdown = question_result(results(school, sid, breakdown="team"), "q1")["breakdown"]
    assert breakdown["hidden"] is True
    assert "not kept for anonymous surveys" in breakdown["reason"]
    with pytest.raises(ValidationError, match="breakdown must be one of: team, role"):
        results(school, sid, breakdown="gender")


def test_response_rate_per_team(school: Runtime) -> None:
    sid = _graded_survey(school, anonymous=True)
    answer_as(school, sid, [(w, {"q1": 3}) for w in GRADE_3[:3] + GRADE_4[:1]])
    res = results(school, sid)
    assert res["hidden"] is True  # 4 answers: too few to show, but rates are counts of people
    assert res["invited"] == 10
    assert res["response_rate"] == 40
    assert res["teams"] == [
        {"team": "Grade 3", "invited": 5, "responded": 3, "rate": 60},
        {"team": "Grade 4", "invited": 5, "responded": 1, "rate": 20},
    ]
    rows = {r.id: r for r in as_(school, ADMIN).rows(everything=True)}
    assert (rows[sid].responses, rows[sid].invited) == (4, 10)


# -- results: trends between waves ---------------------------------------------------------


def test_second_wave_shows_the_change_since_the_first(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, NOTE, threshold=5)
    answer_as(
        school,
        sid,
        [(w, {"q1": v, "note": "a"}) for w, v in zip(TEACHERS, [2, 2, 3, 3, 4], strict=False)],
    )
    as_(school, ADMIN).close(sid)
    wave2 = as_(school, ADMIN).repeat(sid)
    repeated = as_(school, ADMIN).get(wave2)
    assert repeated["wave"] == 2 and repeated["status"] == "draft"
    assert repeated["questions"] == as_(school, ADMIN).get(sid)["questions"]
    as_(school, ADMIN).open(wave2)
    answer_as(
        school,
        wave2,
        [(w, {"q1": v, "note": "b"}) for w, v in zip(TEACHERS, [4, 4, 3, 5, 4], strict=False)],
    )

    res = results(school, wave2)
    assert res["wave"] == 2
    q1 = question_result(res, "q1")
    assert q1["mean"] == 4.0
    assert q1["trend"] == {"previous_wave": 1, "previous_mean": 2.8, "change": 1.2}
    assert "trend" not in question_result(res, "note")
    assert "trend" not in question_result(results(school, sid), "q1")


def test_no_trend_when_the_first_wave_was_too_small(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, threshold=5)
    answer_as(school, sid, [(w, {"q1": 1}) for w in TEACHERS[:4]])
    wave2 = as_(school, ADMIN).repeat(sid)
    as_(school, ADMIN).open(wave2)
    answer_as(school, wave2, [(w, {"q1": 5}) for w in TEACHERS[:5]])
    assert "trend" not in question_result(results(school, wave2), "q1")


# -- CSV export -----------------------------------------------------------------------------


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_of_an_anonymous_survey(school: Runtime) -> None:
    pick = {
        "id": "topics",
        "type": "multi",
        "text": "Topics",
        "required": False,
        "options": ["Data", "Reading", "Behaviour"],
    }
    sid = new_survey(school, LIKERT, pick, NOTE, threshold=5)
    answers = [
        {"q1": 4, "topics": ["Reading", "Data"], "note": '=HYPERLINK("http://evil")'},
        {"q1": 2, "topics": ["Behaviour"], "note": "+1"},
        {"q1": 5, "topics": ["Data"], "note": "@SUM(A1)"},
        {"q1": 1, "topics": ["Data", "Reading", "Behaviour"], "note": "-2"},
        {"q1": 3, "topics": [], "note": "plain, with a comma"},
    ]
    answer_as(school, sid, list(zip(TEACHERS, answers, strict=False)))
    rows = _csv(as_(school, ADMIN).export_csv(sid))
    assert rows[0] == ["response", "q1", "topics", "note"]
    body = rows[1:]
    assert len(body) == 5
    assert sorted(r[0] for r in body) == ["1", "2", "3", "4", "5"]
    assert Counter(tuple(r[1:]) for r in body) == Counter(
        [
            ("4", "Data; Reading", '\'=HYPERLINK("http://evil")'),
            ("2", "Behaviour", "'+1"),
            ("5", "Data", "'@SUM(A1)"),
            ("1", "Data; Reading; Behaviour", "'-2"),
            ("3", "", "plain, with a comma"),
        ]
    )
    text = as_(school, ADMIN).export_csv(sid)
    for who in _texts(school):
        assert f",{who}," not in text


def test_csv_export_refused_below_threshold(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, threshold=5)
    answer_as(school, sid, [(w, {"q1": 3}) for w in TEACHERS[:4]])
    with pytest.raises(ValidationError, match="has 4 responses; exports need at least 5"):
        as_(school, ADMIN).export_csv(sid)


def test_csv_export_of_a_named_survey_names_the_member(school: Runtime) -> None:
    sid = new_survey(
        school, LIKERT, {"id": "yn", "type": "yes_no", "text": "Ok?"}, anonymous=False, threshold=3
    )
    answer_as(
        school,
        sid,
        [
            ("t1", {"q1": 4, "yn": True}),
            ("t3", {"q1": 2, "yn": "no"}),
            ("g4a", {"q1": 5, "yn": "yes"}),
        ],
    )
    rows = _csv(as_(school, "coach1").export_csv(sid))
    assert rows[0] == ["response", "member", "submitted", "q1", "yn"]
    by_member = {r[1]: (r[3], r[4]) for r in rows[1:]}
    assert by_member == {"t1": ("4", "yes"), "t3": ("2", "no"), "g4a": ("5", "yes")}
    assert all(r[2] for r in rows[1:])


# -- permissions --------------------------------------------------------------------------


def test_teachers_cannot_build_or_run_surveys(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, open_it=False, audience={"teams": ["Grade 3"]})
    teacher = as_(school, "t1")
    with pytest.raises(PermissionDenied, match="only coaches and admins can create surveys"):
        teacher.create({"title": "Mine", "questions": [LIKERT]})
    with pytest.raises(PermissionDenied, match="open surveys"):
        teacher.open(sid)
    as_(school, ADMIN).open(sid)
    with pytest.raises(PermissionDenied, match="close surveys"):
        as_(school, "t1").close(sid)
    for action in (
        lambda s: s.publish(sid),
        lambda s: s.repeat(sid),
        lambda s: s.export_csv(sid),
        lambda s: s.rows(everything=True),
        lambda s: s.update(sid, {"title": "x"}),
    ):
        with pytest.raises(PermissionDenied):
            action(as_(school, "t1"))
    assert as_(school, ADMIN).get(sid)["status"] == "open"
    assert len(as_(school, ADMIN).rows(everything=True)) == 1


def test_teachers_see_results_only_once_published_and_addressed_to_them(school: Runtime) -> None:
    sid = new_survey(school, LIKERT, threshold=3, audience={"teams": ["Grade 3"]})
    answer_as(school, sid, [(w, {"q1": 4}) for w in GRADE_3[:3]])
    with pytest.raises(PermissionDenied, match="once a coach publishes them"):
        as_(school, "t1").results(sid)
    assert as_(school, "coach1").results(sid)["responses"] == 3  # leaders see it before
    as_(school, "coach1").publish(sid)
    mine = as_(school, "t2").results(sid)
    assert question_result(mine, "q1")["mean"] == 4.0
    with pytest.raises(PermissionDenied):
        as_(school, "t3").results(sid)  # Grade 4 was not asked
    as_(school, ADMIN).publish(sid, published=False)
    with pytest.raises(PermissionDenied):
        as_(school, "t1").results(sid)


def test_follow_up_answer_kept_when_the_parent_is_answered_in_words(school: Runtime) -> None:
    """A script answering "yes" (not true) must not lose the follow-up answer."""
    sid = new_survey(
        school,
        {"id": "visit", "type": "yes_no", "text": "Would you like a coach visit?"},
        {
            "id": "notes",
            "type": "long_text",
            "text": "What should they know?",
            "show_if": {"question": "visit", "equals": True},
        },
        threshold=3,
    )
    with pytest.raises(ValidationError, match="notes"):
        as_(school, "t1").submit(sid, {"visit": "yes"})
    assert as_(school, "t1").submit(sid, {"visit": "yes", "notes": "Bring the data"}) == {
        "visit": True,
        "notes": "Bring the data",
    }
    with pytest.raises(ValidationError, match="notes is not asked with these answers"):
        as_(school, "t2").submit(sid, {"visit": "no", "notes": "not asked"})
    assert as_(school, "t2").submit(sid, {"visit": "no"}) == {"visit": False}


def test_anonymous_free_text_keeps_one_order_that_is_not_the_order_given() -> None:
    from plc_plugins.surveys.store import neutral_order

    given = ["Zoe's idea: more time", "a shared planner", "Better snacks"]
    first = neutral_order(given)
    assert first == ["a shared planner", "Better snacks", "Zoe's idea: more time"]
    assert neutral_order(list(reversed(given))) == first  # the same on every refresh

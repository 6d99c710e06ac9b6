"""Where answers are kept: one file written per answer, files of bounded size,
surveys of any size listed without reading their answers, older layouts read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from plc_plugins.surveys import answers, store
from plc_plugins.surveys.service import Surveys

from plc_tui import community
from plc_tui.runtime import Runtime
from plc_tui.storage.store import Storage
from tests.unit.test_survey_results import ADMIN, TODAY, as_, new_survey

LIKERT = {"id": "q1", "type": "likert", "text": "We have time to collaborate."}
NOTE = {"id": "note", "type": "short_text", "text": "One thing to change.", "required": False}
PEOPLE = [f"p{n:02d}" for n in range(40)]


@pytest.fixture
def crowd(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    """A school of 40 more teachers, with files of 4 answers so levels come quickly."""
    monkeypatch.setattr(answers, "BUCKET", 4)
    with runtime.storage.transaction() as tx:
        team = community.add_team(tx, name="Everyone")
        for login in PEOPLE:
            community.add_member(
                tx, login=login, name=login.upper(), role="teacher", teams=[team.id]
            )
    runtime.today = lambda: TODAY
    runtime.refresh_member()
    return runtime


def answer_files(runtime: Runtime, sid: int) -> list[Path]:
    return sorted((runtime.data_dir / "surveys" / "answers").glob(f"{sid}-*.json"))


def stored(runtime: Runtime, sid: int) -> tuple[list[dict[str, Any]], list[str]]:
    responses, roster = [], []
    for path in answer_files(runtime, sid):
        docs = json.loads(path.read_text("utf-8"))["_default"]
        roster += docs.pop("1", {}).get("members", [])
        responses += docs.values()
    return responses, roster


def test_a_survey_grows_into_more_files_and_keeps_every_answer(crowd: Runtime) -> None:
    sid = new_survey(crowd, LIKERT, NOTE, anonymous=True, threshold=3)
    for n, login in enumerate(PEOPLE):
        as_(crowd, login).submit(sid, {"q1": 1 + n % 5, "note": f"note {n}"})
        files = answer_files(crowd, sid)
        level = as_(crowd, ADMIN).get(sid)["answer_level"] if len(files) > 1 else 0
        assert len(files) == 2**level, "the files of one level only: older ones are gone"
        for path in files:
            docs = json.loads(path.read_text("utf-8"))["_default"]
            assert len(docs) - ("1" in docs) <= answers.BUCKET
    assert len(answer_files(crowd, sid)) >= 8
    responses, roster = stored(crowd, sid)
    assert sorted(roster) == sorted(PEOPLE)
    assert sorted(r["answers"]["note"] for r in responses) == sorted(
        f"note {n}" for n in range(len(PEOPLE))
    )
    assert all(list(r) == ["answers"] for r in responses)
    service = as_(crowd, ADMIN)
    assert service.results(sid)["responses"] == len(PEOPLE)
    row = next(r for r in service.rows(everything=True) if r.id == sid)
    assert row.responses == len(PEOPLE)
    # Everyone answered once, whichever level they answered at.
    for login in PEOPLE:
        assert as_(crowd, login).status(sid) == "submitted"
        with pytest.raises(store.AlreadySubmitted):
            as_(crowd, login).submit(sid, {"q1": 3})


def test_one_answer_writes_one_file(crowd: Runtime) -> None:
    sid = new_survey(crowd, LIKERT, anonymous=True, threshold=3)
    for login in PEOPLE[:3]:
        as_(crowd, login).submit(sid, {"q1": 4})
        assert len(crowd.storage.last_changes()) == 1
    named = new_survey(crowd, LIKERT, anonymous=False, threshold=3)
    as_(crowd, PEOPLE[0]).submit(named, {"q1": 2})
    assert len(crowd.storage.last_changes()) == 1


def test_the_survey_list_reads_no_answers(crowd: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = new_survey(crowd, LIKERT, anonymous=True, threshold=3)
    for login in PEOPLE[:20]:
        as_(crowd, login).submit(sid, {"q1": 4})
    read: list[str] = []
    real = Storage.parse

    def parse(self: Storage, path: Path, **kw: Any) -> Any:
        read.append(path.relative_to(crowd.data_dir).as_posix())
        return real(self, path, **kw)

    monkeypatch.setattr(Storage, "parse", parse)
    crowd.storage.forget_all()  # as a new plc process would start
    crowd.login = PEOPLE[30]
    crowd.refresh_member()
    (row,) = [r for r in Surveys(crowd.context("surveys")).rows() if r.id == sid]
    assert (row.responses, row.my_status) == (20, "not started")
    assert not [f for f in read if f.startswith("surveys/answers/")], read


def test_many_answers_at_once_are_stored_as_one_by_one_would(crowd: Runtime) -> None:
    sid = new_survey(crowd, LIKERT, anonymous=False, threshold=3)
    ctx = crowd.context("surveys")
    members = {m.login: m for m in ctx.community.members()}
    with ctx.transaction() as tables:
        survey = store.get_survey(tables, sid)
        entries = [(members[login], {"q1": 1 + n % 5}) for n, login in enumerate(PEOPLE[:30])]
        assert store.submit_many(tables, survey, entries, ctx.question_types(), TODAY) == 30
    responses, roster = stored(crowd, sid)
    assert sorted(roster) == PEOPLE[:30]
    assert sorted(r["member"] for r in responses) == PEOPLE[:30]
    with ctx.transaction() as tables, pytest.raises(store.AlreadySubmitted):
        survey = store.get_survey(tables, sid)
        store.submit_many(
            tables,
            survey,
            [(members[PEOPLE[31]], {"q1": 1}), (members[PEOPLE[0]], {"q1": 1})],
            ctx.question_types(),
            TODAY,
        )
    assert len(stored(crowd, sid)[0]) == 30, "a refused batch stores none of it"
    as_(crowd, PEOPLE[31]).submit(sid, {"q1": 5})
    assert as_(crowd, ADMIN).results(sid)["responses"] == 31


def test_answers_kept_by_an_older_plc_are_still_counted_and_answered_once(crowd: Runtime) -> None:
    sid = new_survey(crowd, LIKERT, anonymous=True, threshold=3)
    older = crowd.data_dir / "surveys"
    (older / "responses").mkdir(parents=True, exist_ok=True)
    (older / "participation").mkdir(parents=True, exist_ok=True)
    (older / "responses" / f"{sid}.json").write_text(
        json.dumps({"_default": {"77": {"answers": {"q1": 2}}, "912": {"answers": {"q1": 5}}}})
    )
    (older / "participation" / f"{sid}.json").write_text(
        json.dumps({"_default": {"1": {"members": [PEOPLE[0], PEOPLE[1]]}}})
    )
    crowd.storage.forget_all()
    assert as_(crowd, PEOPLE[0]).status(sid) == "submitted"
    with pytest.raises(store.AlreadySubmitted):
        as_(crowd, PEOPLE[1]).submit(sid, {"q1": 1})
    for login in PEOPLE[2:6]:
        as_(crowd, login).submit(sid, {"q1": 4})
    service = as_(crowd, ADMIN)
    assert service.results(sid)["responses"] == 6
    assert next(r for r in service.rows(everything=True) if r.id == sid).responses == 6

"""plc_tui.testing, as a plugin author uses it: a community with only the plugin
under test, its CLI and its screens."""

from __future__ import annotations

import json

import plc_plugins.norms
import plc_plugins.surveys
import pytest
from textual.screen import Screen

from plc_tui.api import Module, hookimpl
from plc_tui.testing import MEMBERS, make_community


def test_a_community_with_only_the_plugin_under_test(plc_community) -> None:
    school = plc_community(plc_plugins.surveys)
    listed = school.cli("plugins", "--format", "json")
    assert [p["name"] for p in json.loads(listed.output)] == ["surveys"]
    whoami = json.loads(school.cli("whoami", "--format", "json", login="t1").output)
    assert (whoami["name"], whoami["teams"]) == ("Teacher t1", ["Grade 3"])
    refused = school.cli("survey", "open", "1", login="t1")
    assert refused.exit_code == 1 and refused.stderr.startswith("plc: error: ")
    members = school.cli("member", "list", "--format", "json")
    assert len(json.loads(members.output)) == len(MEMBERS)


def test_a_plugin_that_needs_another_loads_both(plc_community) -> None:
    school = plc_community(plc_plugins.surveys, plc_plugins.norms)
    ctx = school.context("norms", login="t1")
    assert ctx.member.login == "t1"
    assert school.cli("norms", "show", "--team", "Grade 3", login="t1").exit_code == 0


async def test_the_app_harness_opens_the_plugins_screen(plc_community) -> None:
    school = plc_community(plc_plugins.surveys)
    async with school.app(login="t1") as pilot:
        assert [m.id for m in pilot.app.modules()] == ["surveys"]
        await pilot.press("1")
        for _ in range(40):
            await pilot.pause(0.05)
            if pilot.app.screen.__class__.__name__ != "DashboardScreen":
                break
        assert pilot.app.screen.__class__.__name__ == "SurveysScreen"


def test_a_plugin_that_does_not_load_fails_the_test_with_its_reason(tmp_path) -> None:
    class Broken:
        @hookimpl
        def register_modules(self, register, extra):  # a misspelt hook argument
            register(Module(id="x", title="X", description="", open_screen=lambda c: None))

    with pytest.raises(AssertionError, match="plugin broken did not load"):
        make_community(tmp_path, Broken())


class Sloppy:
    """A school's question type whose aggregate forgets the documented "n"."""

    @hookimpl
    def register_question_types(self, register):
        from plc_tui.api import QuestionType

        register(
            QuestionType(
                "sloppy",
                "Sloppy scale",
                check_definition=lambda q: None,
                validate=lambda q, v: int(v),
                aggregate=lambda q, values: {"median": 3},
                to_csv=lambda q, v: str(v),
            )
        )


def test_a_question_type_that_breaks_its_contract_is_named_and_the_survey_goes_on(
    plc_community, tmp_path
) -> None:
    school = plc_community(plc_plugins.surveys, Sloppy())
    definition = {
        "title": "Pulse",
        "threshold": 3,
        "questions": [
            {"id": "q1", "type": "sloppy", "text": "How sloppy?"},
            {"id": "q2", "type": "likert", "text": "We kept our norms."},
        ],
    }
    path = tmp_path / "pulse.json"
    path.write_text(json.dumps(definition))
    sid = school.cli("survey", "import", str(path), login="coach1").output.split()[-1]
    sid = "".join(ch for ch in sid if ch.isdigit())
    assert school.cli("survey", "open", sid, login="coach1").exit_code == 0
    for login in ("t1", "t2", "t3"):
        answered = school.cli(
            "survey",
            "respond",
            sid,
            "--answers",
            "-",
            login=login,
            input=json.dumps({"q1": 2, "q2": 4}),
        )
        assert answered.exit_code == 0, answered.stderr
    results = school.cli("survey", "results", sid, login="coach1")
    assert results.exit_code == 1
    assert "the 'Sloppy scale' question type (plugin sloppy) failed" in results.stderr
    assert "int 'n'" in results.stderr and results.stderr.count("\n") == 1


class Boom(Screen):
    def compose(self):
        raise RuntimeError("boom in compose")
        yield  # pragma: no cover


class Faulty:
    @hookimpl
    def register_modules(self, register):
        register(Module(id="boom", title="Boom", description="", open_screen=lambda c: Boom()))


async def test_a_plugin_failing_in_the_app_fails_a_strict_test(plc_community, tmp_path) -> None:
    school = plc_community(Faulty())
    with pytest.raises(AssertionError, match=r"faulty: raised in Boom\.compose: RuntimeError"):
        async with school.app(login="t1") as pilot:
            await pilot.press("1")
            await pilot.pause(0.5)
    school = make_community(tmp_path / "again", Faulty())
    async with school.app(login="t1", strict=False) as pilot:  # on purpose: allowed
        await pilot.press("1")
        await pilot.pause(0.5)

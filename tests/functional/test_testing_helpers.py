"""plc_tui.testing, as a plugin author uses it: a community with only the plugin
under test, its CLI and its screens."""

from __future__ import annotations

import json

import plc_plugins.norms
import plc_plugins.surveys
import pytest

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

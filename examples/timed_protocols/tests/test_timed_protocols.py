"""Timed protocols: the clock, the notes kept for the team, and the screens."""

from __future__ import annotations

import json

import pytest
import timed_protocols
from timed_protocols.runs import Run, clock_text, steps_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def run_of(clock: Clock) -> Run:
    steps = steps_of(
        {"steps": [{"title": "Present", "minutes": 5}, {"title": "Ask", "minutes": 2}]}
    )
    return Run("demo", "Demo", steps, clock)


def test_the_countdown_runs_per_step_pauses_and_goes_over() -> None:
    clock = Clock()
    run = run_of(clock)
    clock.now += 60
    assert run.remaining() == 240 and clock_text(run.remaining()) == "4:00 left"
    run.pause()
    clock.now += 600  # a pause does not count
    assert run.remaining() == 240
    run.resume()
    run.go_to(1)
    clock.now += 150
    assert clock_text(run.remaining()) == "0:30 over"
    run.go_to(0)  # back to a step: its clock goes on from where it stopped
    assert run.remaining() == 240
    run.notes[1] = "  asked about grouping "
    done = run.finish()
    assert [s["minutes_used"] for s in done] == [1.0, 2.5]
    assert done[1]["notes"] == "asked about grouping"


@pytest.mark.parametrize(
    "body",
    [{}, {"steps": []}, {"steps": [{"minutes": 3}]}, {"steps": [{"title": "A", "minutes": 0}]}],
)
def test_a_protocol_without_proper_steps_is_refused(body) -> None:
    with pytest.raises(ValueError):
        steps_of(body)


def test_notes_from_a_paper_run_are_kept_for_the_team(plc_community) -> None:
    school = plc_community(timed_protocols)
    listed = json.loads(school.cli("protocols", "list", "--format", "json").output)
    assert [p["id"] for p in listed] == ["tuning", "consultancy"]
    notes = {"Presentation": "Grade 3 writing samples", "Reflection": "Try peer review"}
    made = school.cli(
        "protocols",
        "record",
        "--protocol",
        "tuning",
        "--notes",
        "-",
        login="t1",
        input=json.dumps(notes),
    )
    assert made.exit_code == 0, made.stderr
    shown = school.cli("protocols", "show", made.output.strip(), login="t2").output
    assert "Grade 3 writing samples" in shown and "Try peer review" in shown
    other = school.cli("protocols", "show", made.output.strip(), login="t3")
    assert other.exit_code == 1 and "cannot do this" in other.stderr
    wrong = school.cli(
        "protocols",
        "record",
        "--protocol",
        "tuning",
        "--notes",
        "-",
        login="t1",
        input=json.dumps({"Lunch": "x"}),
    )
    assert wrong.exit_code == 1 and "no step 'Lunch'" in wrong.stderr


def test_another_plugins_protocol_template_runs_too(plc_community) -> None:
    from plc_tui.api import Template, hookimpl

    class Extra:
        @hookimpl
        def register_templates(self, register):
            register(
                Template(
                    "protocol",
                    "atlas",
                    "ATLAS",
                    "Looking at data",
                    {"steps": [{"title": "Describe", "minutes": 10}]},
                )
            )

    school = plc_community(timed_protocols, Extra())
    ids = [p["id"] for p in json.loads(school.cli("protocols", "list", "--format", "json").output)]
    assert "atlas" in ids


async def test_running_a_protocol_in_the_app_keeps_the_notes(plc_community) -> None:
    school = plc_community(timed_protocols)
    async with school.app(login="t1") as pilot:
        await pilot.press("1")
        for _ in range(40):
            await pilot.pause(0.05)
            if pilot.app.screen.query("#protocols-list"):
                break
        await pilot.press("enter")  # the first protocol: Tuning
        await pilot.pause(0.3)
        assert "Step 1 of 7" in str(pilot.app.screen.query_one("#run-step").render())
        await pilot.press(*"goals", "ctrl+n")
        await pilot.press(*"samples", "ctrl+s")
        await pilot.pause(0.3)
    rows = json.loads(school.cli("protocols", "sessions", "--format", "json", login="t1").output)
    assert len(rows) == 1
    steps = rows[0]["steps"]
    assert (steps[0]["notes"], steps[1]["notes"]) == ("goals", "samples")

"""Bad input, tried at scale: generated survey definitions, answers, names, JSON files
and config files, fed to the domain layer and the CLI. Each is accepted or refused
with a one-line error, never a traceback, and a refusal changes nothing stored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plc_plugins.surveys.definition import parse_definition, validate_answers
from plc_plugins.surveys.question_types import BUILTIN_TYPES
from tinydb import Query

from plc_tui import community
from plc_tui.config import load_config
from plc_tui.errors import PLCError
from plc_tui.runtime import Runtime
from plc_tui.text import strip_controls

TYPES = {t.name: t for t in BUILTIN_TYPES}

# CI runs the same examples every time (a red CI must be reproducible); locally each
# run explores new ones.
SETTINGS = settings(
    derandomize=os.environ.get("CI") == "true",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as people type and paste it: odd Unicode, controls, escape codes, markup.
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", " ", "\x1b[31mred\x1b[0m", "[bold]x[/]", "\u202eevil", "a\u0000b", "é" * 300, "0"]
    ),
)
JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
QUESTION = st.fixed_dictionaries(
    {
        "id": TEXT | st.sampled_from(["q1", "q2"]),
        "type": TEXT | st.sampled_from(sorted(TYPES)),
        "text": TEXT,
    },
    optional={
        "options": st.lists(JSON_VALUE, max_size=5),
        "required": JSON_VALUE,
        "min": JSON_VALUE,
        "max": JSON_VALUE,
        "show_if": JSON_VALUE,
        "section": JSON_VALUE,
    },
)
DEFINITION = st.one_of(
    JSON_VALUE,
    st.fixed_dictionaries(
        {"title": TEXT, "questions": st.lists(QUESTION, max_size=4)},
        optional={
            "anonymous": JSON_VALUE,
            "threshold": JSON_VALUE,
            "audience": JSON_VALUE,
            "opens": JSON_VALUE,
            "closes": JSON_VALUE,
            "description": JSON_VALUE,
            "sections": JSON_VALUE,
        },
    ),
)


@SETTINGS
@given(raw=DEFINITION)
def test_any_survey_definition_is_parsed_or_refused_in_one_line(raw: Any) -> None:
    try:
        parsed = parse_definition(raw, TYPES, [])
    except PLCError as exc:
        assert "\n" not in exc.message and exc.message
        return
    json.dumps(parsed, allow_nan=False)  # whatever is accepted can be stored


SURVEY = parse_definition(
    {
        "title": "Pulse",
        "questions": [
            {"id": "q1", "type": "likert", "text": "Time to collaborate"},
            {"id": "q2", "type": "multi", "text": "Needs", "options": ["Time", "Data"]},
            {"id": "q3", "type": "number", "text": "Hours", "min": 0, "max": 40},
            {"id": "q4", "type": "long_text", "text": "Anything else", "required": False},
            {"id": "q5", "type": "ranking", "text": "Order", "options": ["A", "B", "C"]},
        ],
    },
    TYPES,
    [],
)


@SETTINGS
@given(answers=st.dictionaries(st.sampled_from(["q1", "q2", "q3", "q4", "q5"]) | TEXT, JSON_VALUE))
def test_any_answers_are_validated_or_refused_in_one_line(answers: dict[str, Any]) -> None:
    for partial in (True, False):
        try:
            clean = validate_answers(SURVEY, answers, TYPES, partial=partial)
        except PLCError as exc:
            assert "\n" not in exc.message
            continue
        json.dumps(clean, allow_nan=False)
        for value in clean.values():
            if isinstance(value, str):
                assert value == strip_controls(value, multiline=True)


@SETTINGS
@given(name=TEXT, login=TEXT, team=TEXT)
def test_any_name_login_or_team_is_stored_clean_or_refused(
    runtime: Runtime, name: str, login: str, team: str
) -> None:
    before = _files(runtime.data_dir)
    try:
        with runtime.storage.transaction() as tx:
            added = community.add_team(tx, name=team)
            member = community.add_member(
                tx, login=login, name=name, role="teacher", teams=[added.id]
            )
    except PLCError as exc:
        assert "\n" not in exc.message
        assert _files(runtime.data_dir) == before  # a refusal changes nothing
        return
    for text in (member.name, added.name):
        assert text == strip_controls(text) and text.strip() == text and text
    with runtime.storage.transaction() as tx:  # leave the community as it was
        community.remove_member(tx, member.login)
        tx.table("core", "teams").remove(Query().id == added.id)


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*.json"))
        if "backups" not in p.parts and ".plc.cache" not in p.parts  # derived, not data
    }


@SETTINGS
@given(
    payload=st.one_of(
        st.binary(max_size=200),
        JSON_VALUE.map(lambda v: json.dumps(v).encode()),
        DEFINITION.map(lambda v: json.dumps(v).encode()),
    )
)
def test_any_json_file_given_to_the_cli_is_taken_or_refused_in_one_line(
    run_cli, data_dir: Path, tmp_path: Path, payload: bytes
) -> None:
    if not (data_dir / "core").exists():
        assert run_cli("init", "--name", "Maple Grove").exit_code == 0
    source = tmp_path / "input.json"
    source.write_bytes(payload)
    before = _files(data_dir)
    result = run_cli("survey", "import", str(source))
    if result.exit_code == 0:
        assert result.output.strip().isdigit()
        return
    assert result.exit_code == 1
    assert result.stderr.startswith("plc: error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert _files(data_dir) == before


@SETTINGS
@given(
    text=st.one_of(
        st.text(max_size=120),
        st.sampled_from(
            [
                "db = 5",
                'plugins_dirs = "x"',
                "disabled_plugins = [1]",
                "[plugins]\nsurveys = 3",
                'db = "/srv/plc"\nplugins_dirs = ["a", 2]',
                "\x00",
                "= =",
            ]
        ),
    )
)
def test_any_config_file_is_loaded_or_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, "utf-8")
    monkeypatch.setenv("PLC_CONFIG", str(path))
    try:
        config = load_config()
    except PLCError as exc:
        assert "\n" not in exc.message
        assert str(path) in exc.message
        return
    assert config.path == path
    assert os.fspath(config.db or "") is not None

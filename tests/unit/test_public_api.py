"""The plugin API is what the guide documents, and the built-in modules use it alone."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from plc_tui import api, cli_helpers, hookspecs, testing
from plc_tui.context import Context, Directory, PluginTables
from plc_tui.plugins import HOOK_NAMES

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "plugins.md").read_text("utf-8")
PUBLIC_MODULES = ("plc_tui.api", "plc_tui.cli_helpers", "plc_tui.text", "plc_tui.hookspecs")
PUBLIC_PACKAGES = ("plc_tui.widgets.", "plc_tui.testing")


def public_members(cls: type) -> list[str]:
    if dataclasses.is_dataclass(cls):
        names = [f.name for f in dataclasses.fields(cls)]
    else:
        names = []
    names += [
        name
        for name, value in vars(cls).items()
        if not name.startswith("_") and (callable(value) or isinstance(value, property))
    ]
    return sorted(set(names))


def test_every_hook_has_a_reference_entry() -> None:
    missing = [h for h in HOOK_NAMES if f"### `{h}(" not in GUIDE]
    assert missing == [], f"docs/plugins.md has no `### `hook(...)`` entry for {missing}"
    for hook in HOOK_NAMES:
        spec = inspect.signature(getattr(hookspecs, hook))
        entry = GUIDE.split(f"### `{hook}(", 1)[1].split("\n### ", 1)[0]
        for arg in spec.parameters:
            assert f"`{arg}`" in entry, f"the {hook} entry does not explain `{arg}`"
        assert "firstresult" in entry, f"the {hook} entry does not say whether it is firstresult"


@pytest.mark.parametrize("name", sorted(api.__all__))
def test_every_public_name_is_documented(name: str) -> None:
    assert f"`{name}" in GUIDE, f"plc_tui.api.{name} is not in docs/plugins.md"


@pytest.mark.parametrize(
    ("cls", "prefix"),
    [
        (Context, "ctx."),
        (Directory, "ctx.community."),
        (PluginTables, "tables."),
        (api.Member, ""),
        (api.Team, ""),
        (api.Event, ""),
        (api.Module, ""),
        (api.Card, ""),
        (api.Template, ""),
        (api.Table, ""),
        (api.QuestionType, ""),
        (api.PaletteCommand, ""),
        (api.Service, ""),
        (testing.Community, ""),
    ],
)
def test_every_member_of_what_a_hook_receives_is_documented(cls: type, prefix: str) -> None:
    section = GUIDE.split(f"### `{cls.__name__}`", 1)
    assert len(section) == 2, f"docs/plugins.md has no `### `{cls.__name__}`` entry"
    entry = section[1].split("\n### ", 1)[0]
    missing = [m for m in public_members(cls) if f"`{prefix}{m}" not in entry]
    assert missing == [], f"the {cls.__name__} entry does not document {missing}"


def test_every_cli_helper_and_testing_helper_is_documented() -> None:
    for module in (cli_helpers, testing):
        for name, value in vars(module).items():
            if name.startswith("_") or not callable(value):
                continue
            if getattr(value, "__module__", "") != module.__name__:
                continue
            assert f"`{name}" in GUIDE, f"{module.__name__}.{name} is not in docs/plugins.md"


def test_the_built_in_modules_and_the_examples_use_the_public_api_alone() -> None:
    offending = []
    for path in sorted([*(ROOT / "plugins").rglob("*.py"), *(ROOT / "examples").rglob("*.py")]):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                module = node.module
            elif isinstance(node, ast.Import):
                module = node.names[0].name
            else:
                continue
            if module.startswith("tinydb") or (
                module.startswith("plc_tui")
                and module not in PUBLIC_MODULES
                and not module.startswith(PUBLIC_PACKAGES)
            ):
                offending.append(f"{path.relative_to(ROOT)}: {module}")
    assert offending == []


def test_the_guides_examples_are_valid_python() -> None:
    for block in re.findall(r"```python\n(.*?)```", GUIDE, re.S):
        compile(block, "docs/plugins.md", "exec")

"""``plc plugin new NAME``: a plugin package to start from, installable, with tests.

What it writes uses the public plugin API only: a module with a dashboard card
and a screen, a table with a migration, a template, a CLI command group, tests
on :mod:`plc_tui.testing`, and a README saying how to install and try it.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from .errors import ValidationError
from .plugins import RESERVED_NAMES

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def check_name(name: str) -> str:
    if not _NAME.match(name) or keyword.iskeyword(name) or name in RESERVED_NAMES:
        raise ValidationError(
            f"{name!r} cannot name a plugin: use lowercase letters, digits and _ "
            "(starting with a letter, up to 40), e.g. learning_walks."
        )
    return name


def files_for(name: str) -> dict[str, str]:
    """The files of plugin ``name``, by path relative to its folder."""
    title = name.replace("_", " ").capitalize()
    cls = "".join(part.capitalize() for part in name.split("_"))
    values = {"name": name, "title": title, "cls": cls, "dist": name.replace("_", "-")}
    return {path.format(**values): text.format(**values) for path, text in _FILES.items()}


def write_plugin(name: str, parent: Path) -> Path:
    """Write plugin ``name`` into ``parent/plc-<name>`` (which must not exist)."""
    check_name(name)
    root = parent / f"plc-{name.replace('_', '-')}"
    if root.exists():
        raise ValidationError(f"{root} already exists; choose another name or --dir.")
    if not parent.is_dir():
        raise ValidationError(f"the folder {parent} does not exist; make it or give another --dir.")
    for relative, text in files_for(name).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


_FILES = {
    "pyproject.toml": """[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "plc-{dist}"
version = "0.1.0"
description = "{title}: a plc plugin"
requires-python = ">=3.11"
dependencies = ["plc-tui"]

# This is what makes plc find the plugin once it is installed.
[project.entry-points.plc_tui]
{name} = "{name}"

[tool.setuptools]
packages = ["{name}"]

[tool.pytest.ini_options]
testpaths = ["tests"]
asyncio_mode = "auto"
""",
    "README.md": """# {title}

A plugin for plc, made with `plc plugin new {name}`.

## Try it

Installed (with plc's own Python):

    pip install -e .
    plc plugins            # lists {name}
    plc demo               # the module is on the dashboard

Or without installing: copy the `{name}/` folder into a plugin folder
(`PLC_PLUGINS_DIR`, or `plugins_dirs` in plc's config file).

From the command line:

    plc --demo {name} add "Visited room 12: strong questioning"
    plc --demo {name} list

## Test it

    pip install pytest pytest-asyncio
    pytest

The tests use `plc_tui.testing`: a community with members and teams and only
this plugin loaded, its command line, and the app under Textual's Pilot.

## What is where

- `{name}/__init__.py`: the hooks: a table (version 2, with the migration from 1),
  a template, the module (dashboard card and screen) and the `plc {name}` commands.
- `{name}/screen.py`: the screen. Its CSS stays on it.
- `tests/`: the plugin's tests.

See plc's plugin guide (`docs/plugins.md`) for every hook and object.
""",
    "{name}/__init__.py": '''"""{title}: a plc plugin (made with `plc plugin new {name}`)."""

from __future__ import annotations

from typing import Any

import click

from plc_tui.api import Card, Context, Module, Table, Template, counted, hookimpl, one_line

TABLE = "entries"


def _add_done(entry: dict[str, Any]) -> dict[str, Any]:
    # Version 2 added "done"; entries written before were not done.
    return {{**entry, "done": entry.get("done", False)}}


@hookimpl
def register_tables(register):
    register(Table(TABLE, version=2, migrations={{2: _add_done}}))


@hookimpl
def register_templates(register):
    register(
        Template(
            kind="{name}",
            id="weekly",
            title="This week",
            description="A short note on what the team tried this week.",
            body={{"prompt": "What did we try this week, and what did students do?"}},
        )
    )


def entries(ctx: Context) -> list[dict[str, Any]]:
    """The signed-in member's entries, newest first."""
    with ctx.read() as tables:
        mine = [e for e in tables.table(TABLE).all() if e["author"] == ctx.member.login]
    return sorted(mine, key=lambda e: e["date"], reverse=True)


def add_entry(ctx: Context, text: str) -> int:
    text = text.strip()
    if not text:
        raise click.UsageError("write something to add.")
    with ctx.transaction() as tables:
        return tables.table(TABLE).insert(
            {{"author": ctx.member.login, "text": text[:2000], "date": ctx.today().isoformat(),
             "done": False}}
        )


def card(ctx: Context) -> Card:
    mine = entries(ctx)
    return Card(lines=(counted(len(mine), "entry", "entries") + " by you",), attention=0)


def open_screen(ctx: Context):
    from .screen import {cls}Screen

    return {cls}Screen(ctx)


@hookimpl
def register_modules(register):
    register(
        Module(
            id="{name}",
            title="{title}",
            description="Notes you keep, each member their own",
            open_screen=open_screen,
            dashboard_card=card,
        )
    )


@hookimpl
def register_commands(cli, get_context):
    @cli.group(name="{name}")
    def group():
        """{title}: add and list your entries."""

    @group.command("add")
    @click.argument("text")
    def add(text):
        """Add an entry."""
        click.echo(f"Added entry {{add_entry(get_context(), text)}}.")

    @group.command("list")
    def list_():
        """Your entries, newest first."""
        for entry in entries(get_context()):
            click.echo(f"{{entry['date']}}  {{one_line(entry['text'], 70)}}")
''',
    "{name}/screen.py": '''"""The {title} screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, ListItem, ListView, Static

from plc_tui.api import Context, plain
from plc_tui.widgets.footer import Footer

from . import add_entry, entries


class {cls}Screen(Screen):
    """Your entries, and a line to add one."""

    CSS = """
    {cls}Screen ListView {{ height: 1fr; }}
    {cls}Screen #{name}-empty {{ color: $text-muted; padding: 0 1; }}
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Type an entry and press enter", id="{name}-input")
        yield ListView(id="{name}-list")
        yield Static("No entries yet.", id="{name}-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_entries()

    def refresh_entries(self) -> None:
        found = entries(self.ctx)
        listing = self.query_one("#{name}-list", ListView)
        listing.clear()
        for entry in found:
            # Text people typed is shown as plain text, never as markup.
            listing.append(ListItem(Static(plain(f"{{entry['date']}}  {{entry['text']}}"))))
        self.query_one("#{name}-empty").display = not found

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            add_entry(self.ctx, event.value)
            event.input.value = ""
            self.refresh_entries()
''',
    "tests/conftest.py": """pytest_plugins = ["plc_tui.testing.fixtures"]
""",
    "tests/test_{name}.py": '''"""{title}: the plugin's own tests, on plc_tui.testing."""

from __future__ import annotations

import json

import {name}


def test_it_loads_with_its_table_and_template(plc_community):
    school = plc_community({name})
    listed = json.loads(school.cli("plugins", "--verbose", "--format", "json").output)
    assert listed[0]["name"] == "{name}" and listed[0]["status"] == "ok"
    assert listed[0]["tables"] == ["entries v2"]
    assert [t.id for t in school.context("{name}").templates("{name}")] == ["weekly"]


def test_add_and_list_from_the_command_line(plc_community):
    school = plc_community({name})
    added = school.cli("{name}", "add", "Visited room 12", login="t1")
    assert added.exit_code == 0, added.stderr
    assert "Visited room 12" in school.cli("{name}", "list", login="t1").output
    assert school.cli("{name}", "list", login="t2").output == ""  # each sees their own


def test_entries_from_version_1_are_not_done():
    assert {name}._add_done({{"text": "old"}}) == {{"text": "old", "done": False}}


async def test_the_screen_adds_an_entry(plc_community):
    school = plc_community({name})
    async with school.app(login="t1") as pilot:
        await pilot.press("1")
        await pilot.pause(0.5)
        await pilot.press(*[("space" if c == " " else c) for c in "Met with grade 3"], "enter")
        await pilot.pause(0.2)
    assert "Met with grade 3" in school.cli("{name}", "list", login="t1").output
''',
}

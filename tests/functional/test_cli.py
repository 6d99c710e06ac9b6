"""The `plc` command line, run as people would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plc_tui.plugins import PluginHost
from tests.conftest import module_plugin_source, write_plugin


@pytest.fixture(autouse=True)
def _host(host: PluginHost) -> PluginHost:
    return host


def init(run_cli) -> None:
    result = run_cli("init", "--name", "Maple Grove Elementary")
    assert result.exit_code == 0, result.output


def test_init_makes_the_caller_admin(run_cli, data_dir: Path) -> None:
    init(run_cli)
    result = run_cli("whoami", "--format", "json")
    assert json.loads(result.output) == {
        "login": "admin1",
        "name": "Avery Admin",
        "role": "admin",
        "teams": [],
        "community": "Maple Grove Elementary",
        "data_dir": str(data_dir),
    }
    again = run_cli("init", "--name", "Other")
    assert again.exit_code == 1
    assert "a community already exists here (Maple Grove Elementary)" in again.stderr


def test_members_and_teams_round_trip(run_cli) -> None:
    init(run_cli)
    assert run_cli("team", "add", "Grade 3", "--description", "Third grade").exit_code == 0
    added = run_cli("member", "add", "jlee", "--name", "Jordan Lee", "--team", "grade 3")
    assert added.output == "Added Jordan Lee (jlee) as teacher in Grade 3.\n"

    members = json.loads(run_cli("member", "list", "--format", "json").output)
    assert {
        "login": "jlee",
        "name": "Jordan Lee",
        "role": "teacher",
        "teams": ["Grade 3"],
    } in members
    teams = json.loads(run_cli("team", "list", "--format", "json").output)
    assert teams == [
        {"id": "grade-3", "name": "Grade 3", "description": "Third grade", "members": 1}
    ]
    text = run_cli("member", "list", "--team", "Grade 3").output.splitlines()
    assert text[0].split() == ["LOGIN", "NAME", "ROLE", "TEAMS"]
    assert text[2].split() == ["jlee", "Jordan", "Lee", "teacher", "Grade", "3"]


def test_unknown_login_is_told_to_ask_an_admin(run_cli) -> None:
    init(run_cli)
    result = run_cli("whoami", login="stranger")
    assert result.exit_code == 1
    assert result.stderr == (
        "plc: error: you (login 'stranger') are not a member of Maple Grove Elementary. "
        'Ask an admin to run: plc member add stranger --name "Your Name" --role teacher\n'
    )


def test_teacher_cannot_add_members_and_nothing_changes(run_cli) -> None:
    init(run_cli)
    run_cli("member", "add", "t1", "--name", "Tia")
    result = run_cli("member", "add", "t2", "--name", "Tom", login="t1")
    assert result.exit_code == 1
    assert "Tia (teacher) cannot do this: it takes an admin" in result.stderr
    assert "t2" not in run_cli("member", "list").output


def test_bad_arguments_are_usage_errors(run_cli) -> None:
    init(run_cli)
    result = run_cli("member", "add", "x", "--name", "X", "--role", "principal")
    assert result.exit_code == 2
    assert "'principal' is not one of" in result.stderr
    # Every usage error is one line saying where to look, like every other error.
    for args, said in (
        (["member", "add", "x", "--name", "X", "--role", "principal"], "plc member add --help"),
        (["--bogus"], "plc --help"),
        (["survey", "respond"], "plc survey respond --help"),
        (["survey", "nope"], "plc survey --help"),
    ):
        wrong = run_cli(*args)
        assert wrong.exit_code == 2, args
        assert wrong.stderr.startswith("plc: error: ") and wrong.stderr.count("\n") == 1, args
        assert wrong.stderr.endswith(f"See `{said}`.\n"), wrong.stderr


def test_markup_and_escapes_in_names_never_reach_the_terminal(run_cli) -> None:
    init(run_cli)
    result = run_cli("member", "add", "eve", "--name", "\x1b[2J[bold red]Eve\x07")
    assert result.exit_code == 0
    listing = run_cli("member", "list").output
    assert "\x1b" not in listing and "\x07" not in listing
    assert "[bold red]Eve" in listing


def test_missing_data_directory_is_a_clear_error(run_cli, data_dir: Path) -> None:
    result = run_cli("member", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"plc: error: no plc data directory at {data_dir}")


def test_corrupt_file_is_reported_left_untouched_and_restorable(run_cli, data_dir: Path) -> None:
    init(run_cli)
    run_cli("member", "add", "t1", "--name", "Tia")
    run_cli("member", "add", "t2", "--name", "Tom")
    members = data_dir / "core" / "members.json"
    members.write_text('{"_default": {"1": ')
    damaged = members.read_bytes()

    result = run_cli("member", "add", "t3", "--name", "Tess")
    assert result.exit_code == 1
    assert f"data file {members} is damaged" in result.stderr
    assert "plc db restore --file core/members.json" in result.stderr
    assert members.read_bytes() == damaged

    check = run_cli("db", "check")
    assert check.exit_code == 1
    assert "core/members.json: invalid JSON" in check.output

    restored = run_cli("db", "restore", "--file", "core/members.json")
    assert restored.exit_code == 0, restored.stderr
    logins = [m["login"] for m in json.loads(run_cli("member", "list", "--format", "json").output)]
    assert logins == ["admin1", "t1", "t2"]  # the last good version: nothing committed is lost
    assert list(members.parent.glob("members.json.damaged-*"))


def test_backup_and_restore_snapshot(run_cli, data_dir: Path) -> None:
    init(run_cli)
    backup = run_cli("db", "backup")
    assert backup.exit_code == 0
    snapshot = Path(backup.output.splitlines()[0].split(" to ")[1].strip())
    run_cli("member", "add", "t1", "--name", "Tia")
    assert run_cli("db", "restore").output.strip() == snapshot.name
    result = run_cli("db", "restore", snapshot.name, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "t1" not in run_cli("member", "list").output
    assert "kept as snapshot" in result.output


def test_plugins_lists_failures_as_json(run_cli, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "plugins"
    write_plugin(folder, "walks", module_plugin_source())
    write_plugin(folder, "broken", "raise RuntimeError('oops')\n")
    monkeypatch.setenv("PLC_PLUGINS_DIR", str(folder))
    from plc_tui import plugins

    plugins.set_host(None)
    result = run_cli("plugins", "--format", "json")
    assert result.exit_code == 0
    by_name = {p["name"]: p for p in json.loads(result.output)}
    assert by_name["walks"]["status"] == "ok"
    assert by_name["walks"]["hooks"] == ["register_modules", "register_tables"]
    assert by_name["broken"]["status"] == "failed"
    assert by_name["broken"]["error"] == "failed to import: RuntimeError: oops"


def test_plugin_commands_and_a_plugin_whose_commands_hook_raises(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "plugins"
    write_plugin(
        folder,
        "walks",
        "import click\n"
        "from plc_tui.api import hookimpl\n"
        "@hookimpl\n"
        "def register_commands(cli, get_context):\n"
        "    @cli.command()\n"
        "    def walks():\n"
        "        'Learning walks.'\n"
        "        ctx = get_context()\n"
        "        click.echo(f'walks for {ctx.member.name}')\n",
    )
    write_plugin(
        folder,
        "bad",
        "from plc_tui.api import hookimpl\n"
        "@hookimpl\n"
        "def register_commands(cli):\n"
        "    raise KeyError('no')\n",
    )
    monkeypatch.setenv("PLC_PLUGINS_DIR", str(folder))
    from plc_tui import plugins

    plugins.set_host(None)
    init(run_cli)
    result = run_cli("walks")
    assert result.exit_code == 0, result.stderr
    assert result.output == "walks for Avery Admin\n"
    listing = run_cli("plugins").output
    assert "raised in register_commands: KeyError" in listing


def test_demo_builds_a_community_and_as_is_demo_only(run_cli, data_dir: Path) -> None:
    result = run_cli("demo", "--no-open")
    assert result.exit_code == 0, result.stderr
    assert "Built a small demo community" in result.output
    teacher = json.loads(run_cli("--as", "tnguyen", "whoami", "--format", "json").output)
    assert teacher["role"] == "teacher" and teacher["teams"] == ["Grade 3 Team"]
    assert len(json.loads(run_cli("team", "list", "--format", "json").output)) == 8

    real = data_dir.parent / "real"
    run_cli("--db", str(real), "init", "--name", "Real School", db=False)
    refused = run_cli("--db", str(real), "--as", "someone", "whoami", db=False)
    assert refused.exit_code == 1
    assert "--as works only on a demo community" in refused.stderr
    not_demo = run_cli("--db", str(real), "demo", "--no-open", "--reset", db=False)
    assert not_demo.exit_code == 1
    assert (real / "core" / "members.json").exists()


def test_app_refuses_to_start_without_a_terminal(run_cli) -> None:
    init(run_cli)
    result = run_cli()
    assert result.exit_code == 1
    assert "the app needs a terminal" in result.stderr


def test_every_command_has_help(run_cli) -> None:
    import click

    from plc_tui.cli import cli

    # Through click's own lookup: plc's server, backup and key commands and the
    # modules' commands are loaded when first named, so `cli.commands` lacks them.
    def walk(group, path):
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            yield [*path, name]
            if isinstance(command, click.Group):
                yield from walk(command, [*path, name])

    paths = list(walk(cli, []))
    for expected in (["db", "restore"], ["serve", "ssh"], ["survey", "list"], ["reflect", "new"]):
        assert expected in paths
    for path in paths:
        result = run_cli(*path, "--help", db=False)
        assert result.exit_code == 0, path
        assert "Usage: " in result.output


def test_demo_takes_db_after_the_command_too(run_cli, tmp_path: Path) -> None:
    place = tmp_path / "elsewhere"
    result = run_cli("demo", "--db", str(place), "--no-open", db=False)
    assert result.exit_code == 0, result.stderr
    assert (place / "core" / "members.json").exists()
    assert f"plc --db {place}" in result.output


def test_db_on_a_folder_with_no_plc_data_is_a_one_line_error(run_cli, tmp_path: Path) -> None:
    empty = tmp_path / "not-plc"
    empty.mkdir()
    for args in (["member", "list"], ["db", "check"]):
        result = run_cli("--db", str(empty), *args, db=False)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"plc: error: {empty} holds no plc data")
        assert not list(empty.iterdir())  # nothing was created there


def test_a_config_file_that_does_not_exist_is_a_one_line_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "plc_tui", "member", "list"],
        env={**os.environ, "PLC_CONFIG": str(tmp_path / "missing.toml")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    missing = tmp_path / "missing.toml"
    assert result.stderr == f"plc: error: config file {missing} (from PLC_CONFIG) does not exist.\n"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_or_infinity_in_json_input_is_refused_and_stores_nothing(
    run_cli, data_dir: Path, tmp_path: Path, constant: str
) -> None:
    init(run_cli)
    survey = tmp_path / "survey.json"
    survey.write_text(
        '{"title": "Pulse", "questions": [{"id": "q1", "type": "number", "text": "How many",'
        f' "max": {constant}}}]}}'
    )

    def stored() -> dict[Path, bytes]:  # the data, not what is derived from it in .plc.cache
        return {p: p.read_bytes() for p in data_dir.rglob("*.json") if ".plc.cache" not in p.parts}

    before = stored()
    result = run_cli("survey", "import", str(survey))
    assert result.exit_code == 1
    assert f"holds {constant}, which is not a number JSON allows" in result.stderr
    assert stored() == before


def test_backup_restore_and_repair_take_an_admin(run_cli, data_dir: Path) -> None:
    init(run_cli)
    run_cli("member", "add", "t1", "--name", "Tia")
    for args in (["db", "backup"], ["db", "restore"], ["db", "repair"]):
        result = run_cli(*args, login="t1")
        assert result.exit_code == 1
        assert "it takes an admin" in result.stderr
    assert not (data_dir / "backups" / "snapshots").exists()


def test_restore_takes_only_a_listed_snapshot_that_holds_a_community(
    run_cli, data_dir: Path, tmp_path: Path
) -> None:
    init(run_cli)
    forged = tmp_path / "forged" / "core"
    forged.mkdir(parents=True)
    (forged / "members.json").write_text('{"_default": {"1": {"login": "t1", "role": "admin"}}}')
    result = run_cli("db", "restore", str(forged.parent), "--yes")
    assert result.exit_code == 1
    assert "no snapshot called" in result.stderr
    # A folder made to look like a snapshot, inside the snapshots folder, with no community.
    empty = data_dir / "backups" / "snapshots" / "20260101T000000000000Z"
    empty.mkdir(parents=True)
    (empty / "snapshot.json").write_text('{"format": 1, "files": {}}')
    result = run_cli("db", "restore", empty.name, "--yes")
    assert result.exit_code == 1
    assert "holds no community" in result.stderr
    assert "admin1" in run_cli("member", "list").output
    # An interrupted backup is never listed.
    (data_dir / "backups" / "snapshots" / "20260102T000000000000Z.partial").mkdir()
    listed = run_cli("db", "restore").output
    assert "partial" not in listed


def test_init_shared_group_gives_the_folder_the_group_mode(run_cli, data_dir: Path) -> None:
    import grp
    import stat as st

    group = grp.getgrgid(os.getgid()).gr_name
    result = run_cli("init", "--name", "School", "--shared", "group", "--group", group)
    assert result.exit_code == 0, result.stderr
    assert f"Shared with the group {group}" in result.output
    assert st.S_IMODE(data_dir.stat().st_mode) & 0o2770 == 0o2770
    assert st.S_IMODE((data_dir / "core" / "members.json").stat().st_mode) == 0o660
    result = run_cli("db", "check")
    assert result.exit_code == 0
    assert "shared with the group" in result.output


def test_demo_reset_takes_the_demo_members_drafts_with_it(run_cli, data_dir: Path) -> None:
    from plc_tui.private_store import private_root

    def private_folder() -> Path:
        info = json.loads((data_dir / "core" / "community.json").read_text("utf-8"))
        return private_root() / f"community-{info['_default']['1']['id']}"

    assert run_cli("demo", "--no-open").exit_code == 0
    drafts = private_folder()
    assert list(drafts.rglob("draft-*.json"))  # the demo teacher's started survey
    (drafts / "tnguyen" / "surveys" / "draft-99.json").write_text("{}")
    assert run_cli("demo", "--no-open", "--reset").exit_code == 0
    assert not drafts.exists()
    assert private_folder() != drafts  # a new demo, a new community
    assert list(private_folder().rglob("draft-*.json"))  # rebuilt with the new demo


def test_demo_option_runs_any_command_on_the_demo(run_cli, data_dir: Path) -> None:
    before = run_cli("--demo", "survey", "list", db=False)
    assert before.exit_code == 1
    assert (
        before.stderr == "plc: error: there is no demo community yet; make one with `plc demo`.\n"
    )
    built = run_cli("demo", "--no-open", db=False)
    assert built.exit_code == 0, built.stderr
    assert "plc --demo survey list" in built.output
    surveys = run_cli("--demo", "--as", "tnguyen", "survey", "list", db=False)
    assert surveys.exit_code == 0, surveys.stderr
    assert "Autumn PLC needs survey" in surveys.output
    both = run_cli("--demo", "--db", str(data_dir), "survey", "list", db=False)
    assert both.exit_code == 2
    assert "--demo and --db" in both.stderr


def test_a_broken_plugin_is_warned_about_once_not_on_every_command(
    tmp_path: Path, monkeypatch
) -> None:
    import subprocess
    import sys

    folder = tmp_path / "plugins"
    write_plugin(folder, "broken", "raise RuntimeError('oops')\n")
    monkeypatch.setenv("PLC_PLUGINS_DIR", str(folder))

    def plc(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "plc_tui", *args], capture_output=True, text=True, timeout=60
        )

    first = plc("plugins")
    assert "plc: warning: plugin broken is disabled: failed to import" in first.stderr
    assert "broken: failed to import: RuntimeError: oops" in first.stdout
    again = plc("plugins")
    assert "warning" not in again.stderr  # said once
    assert "broken: failed to import" in again.stdout  # `plc plugins` always shows it
    write_plugin(folder, "broken", "raise ValueError('worse')\n")
    changed = plc("plugins")
    assert "plugin broken is disabled: failed to import: ValueError: worse" in changed.stderr


def test_plugins_verbose_shows_load_time_hooks_and_tables(run_cli) -> None:
    shown = run_cli("plugins", "--verbose")
    assert shown.exit_code == 0
    assert "surveys" in shown.output and "loaded in " in shown.output
    assert "tables: " in shown.output and "v1" in shown.output
    rows = json.loads(run_cli("plugins", "--verbose", "--format", "json").output)
    surveys = next(r for r in rows if r["name"] == "surveys")
    assert surveys["load_ms"] >= 0 and surveys["tables"]


def test_a_plugin_command_that_raises_is_named_as_the_plugins(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "plugins"
    write_plugin(
        folder,
        "walks",
        "from plc_tui.api import hookimpl\n"
        "@hookimpl\n"
        "def register_commands(cli, get_context):\n"
        "    @cli.command()\n"
        "    def walks():\n"
        "        'Learning walks.'\n"
        "        {}['rooms']\n",
    )
    monkeypatch.setenv("PLC_PLUGINS_DIR", str(folder))
    from plc_tui import plugins

    plugins.set_host(None)
    init(run_cli)
    failed = run_cli("walks")
    assert failed.exit_code == 1
    assert failed.stderr.startswith("plc: error: the walks plugin failed in `plc walks`: KeyError")
    assert "tell its author" in failed.stderr and failed.stderr.count("\n") == 1
    # plc's own commands are unaffected.
    assert run_cli("whoami").exit_code == 0


LAZY_PLUGIN = """
import click
from plc_tui.api import hookimpl
from plc_tui.cli_helpers import lazy_group

@hookimpl
def register_commands(cli, get_context):
    def add_commands(group):
        {body}

        @group.command("list")
        def list_():
            "The walks."
            click.echo(f"walks for {{get_context().member.name}}")

    lazy_group(cli, "walks", "Learning walks: record and list them.", add_commands)
"""


def test_a_lazy_command_group_is_made_when_used_and_its_failure_is_the_plugins(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    from plc_tui import plugins

    folder = tmp_path / "plugins"
    write_plugin(folder, "walks", LAZY_PLUGIN.format(body="pass"))
    monkeypatch.setenv("PLC_PLUGINS_DIR", str(folder))
    plugins.set_host(None)
    init(run_cli)
    listed = run_cli("--help", db=False).output
    assert "walks   " in listed and "Learning walks: record and list them." in listed
    assert run_cli("walks", "list").output == "walks for Avery Admin\n"
    assert "list  The walks." in run_cli("walks", "--help").output

    # Its commands' module is broken: using the group says whose fault it is, every
    # time, and everything else goes on.
    write_plugin(folder, "walks", LAZY_PLUGIN.format(body="import school_walks_missing_xyz"))
    plugins.set_host(None)
    for _ in range(2):
        failed = run_cli("walks", "list")
        assert failed.exit_code == 1
        assert failed.stderr.startswith("plc: error: the walks plugin failed in `plc walks")
        assert "ModuleNotFoundError" in failed.stderr and "tell its author" in failed.stderr
    assert run_cli("whoami").exit_code == 0
    assert "walks" in run_cli("--help", db=False).output


def test_a_command_does_not_import_the_app_or_what_it_does_not_use(run_cli, data_dir: Path) -> None:
    init(run_cli)
    # A new process: this one has imported everything by now.
    code = (
        "import sys\n"
        "from plc_tui import identity\n"
        "identity.current_login = lambda: 'admin1'\n"
        "from plc_tui.cli import main\n"
        "heavy = sys.argv[2:]\n"
        "sys.argv = ['plc', '--db', sys.argv[1], 'survey', 'list']\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print('imported:', [m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    heavy = ["textual", "nacl", "rich.text", "plc_tui.cli.serve", "plc_plugins.norms.service"]
    result = subprocess.run(
        [sys.executable, "-c", code, str(data_dir), *heavy], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "No open surveys for you right now." in result.stdout
    assert result.stderr.strip() == "imported: []"


TABLE_PLUGIN = """
from plc_tui.api import Table, hookimpl

def to_two(doc):
    return {{**doc, "rooms": doc["room"] + 0}}  # KeyError when "room" is missing

@hookimpl
def register_tables(register):
    register(Table("visits", version={version}, migrations={{2: to_two}}))
"""


def test_a_plugin_migration_that_fails_disables_that_plugin_alone_and_changes_nothing(
    run_cli, tmp_path: Path, monkeypatch, data_dir: Path
) -> None:
    from plc_tui import plugins
    from plc_tui.runtime import Runtime

    folder = tmp_path / "plugins"
    write_plugin(folder, "walks", TABLE_PLUGIN.format(version=1))
    monkeypatch.setenv("PLC_PLUGINS_DIR", str(folder))
    plugins.set_host(None)
    init(run_cli)
    runtime = Runtime(data_dir, host=plugins.get_host(), login="admin1")
    with runtime.storage.transaction() as tx:
        tx.table("walks", "visits").insert({"when": "monday"})  # no "room": the bug's input

    write_plugin(folder, "walks", TABLE_PLUGIN.format(version=2))  # the plugin is upgraded
    plugins.set_host(None)
    listed = run_cli("survey", "list")
    assert listed.exit_code == 0, listed.stderr  # plc and the other plugins go on
    shown = json.loads(run_cli("plugins", "--format", "json").output)
    walks = next(p for p in shown if p["name"] == "walks")
    assert walks["status"] == "failed"
    assert "migration of walks/visits to schema 2 raised KeyError" in walks["error"]
    plugins.set_host(None)
    again = Runtime(data_dir, host=plugins.PluginHost(use_entry_points=False), login="admin1")
    with again.raw_storage.read() as tx:
        assert tx.table("walks", "visits").all() == [{"when": "monday"}]  # untouched


def test_data_from_a_newer_plugin_disables_the_older_one_not_plc(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    from plc_tui import plugins

    folder = tmp_path / "plugins"
    write_plugin(folder, "walks", TABLE_PLUGIN.format(version=2).replace('doc["room"]', "1"))
    monkeypatch.setenv("PLC_PLUGINS_DIR", str(folder))
    plugins.set_host(None)
    init(run_cli)
    write_plugin(folder, "walks", TABLE_PLUGIN.format(version=1))  # an older copy comes back
    plugins.set_host(None)
    assert run_cli("whoami").exit_code == 0
    walks = next(
        p for p in json.loads(run_cli("plugins", "--format", "json").output) if p["name"] == "walks"
    )
    assert walks["status"] == "failed"
    assert "written by a newer plc or the walks plugin (schema 2" in walks["error"]


def test_building_the_district_demo_says_it_will_take_a_while(run_cli, tmp_path) -> None:
    from unittest import mock

    with mock.patch("plc_tui.demo.build_demo", return_value={"teams": 60}) as build:
        result = run_cli("demo", "--size", "district", "--no-open", "--db", str(tmp_path / "d"))
    assert result.exit_code == 0, result.stderr
    assert build.call_args.kwargs["size"] == "district"
    assert "Building a district demo community in" in result.stderr
    assert "about half a minute" in result.stderr
    assert "Built a district demo community" in result.output


def test_a_table_fits_the_terminal_and_a_pipe_gets_whole_cells(
    run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    init(run_cli)
    long_name = "Maple Grove Elementary English Learners"
    assert run_cli("team", "add", long_name).exit_code == 0
    assert (
        run_cli("member", "add", "t1", "--name", "Tia Teacher", "--team", long_name).exit_code == 0
    )
    piped = run_cli("member", "list").output
    assert long_name in piped
    monkeypatch.setenv("COLUMNS", "60")
    fitted = run_cli("member", "list").output
    assert max(len(line) for line in fitted.splitlines()) <= 60
    assert "Tia Teacher" in fitted and "Maple Grove" in fitted and "…" in fitted

"""The plugin manager: entry points, folders, and plugins that fail."""

from __future__ import annotations

import sys
import types
import zipfile
from pathlib import Path

import pytest

from plc_tui import plugins
from plc_tui.api import Event, Module, Table, hookimpl
from plc_tui.plugins import PluginHost
from tests.conftest import make_runtime, module_plugin_source, seed_community, write_plugin


def _install_dist(site: Path, dist: str, module: str, ep_name: str, source: str) -> None:
    """Make a real installed distribution with a `plc_tui` entry point on sys.path."""
    (site / f"{module}.py").write_text(source, "utf-8")
    info = site / f"{dist.replace('-', '_')}-1.2.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(f"[plc_tui]\n{ep_name} = {module}\n")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    yield site
    for name in [m for m in sys.modules if m.startswith("school_")]:
        del sys.modules[name]


def test_entry_point_plugin_is_found_with_its_distribution(site: Path) -> None:
    _install_dist(site, "plc-learning-walks", "school_walks", "walks", module_plugin_source())
    host = PluginHost().load()

    info = host.infos["walks"]
    assert info.status == "ok"
    assert info.source == "package plc-learning-walks"
    assert info.version == "1.2.3"
    assert info.hooks == ["register_modules", "register_tables"]
    assert "walks" in [m.id for m in host.modules()]


def _by_importlib_metadata(group: str) -> list[tuple[str, str, str, str]]:
    import importlib.metadata

    return sorted(
        (ep.name, ep.value, ep.dist.metadata["Name"], ep.dist.version)
        for ep in importlib.metadata.entry_points(group=group)
    )


def test_entry_points_are_read_from_the_folders_as_importlib_metadata_finds_them(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.metadata

    _install_dist(site, "plc-learning-walks", "school_walks", "walks", module_plugin_source())
    # The same distribution again, later on sys.path: the first one counts.
    later = tmp_path / "later"
    later.mkdir()
    monkeypatch.syspath_prepend(str(site))  # site first, then later below it
    monkeypatch.setattr(sys, "path", [*sys.path, str(later)])
    stale = later / "plc_learning_walks-0.9.dist-info"
    stale.mkdir()
    (stale / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: plc-learning-walks\nVersion: 0.9\n"
    )
    (stale / "entry_points.txt").write_text("[plc_tui]\nwalks = school_walks_old\n")

    groups = {ep.group for dist in importlib.metadata.distributions() for ep in dist.entry_points}
    assert "plc_tui" in groups
    for group in sorted(groups):
        found = sorted(tuple(ep) for ep in plugins.entry_points(group))
        assert found == _by_importlib_metadata(group), group
    walks = [ep for ep in plugins.entry_points("plc_tui") if ep.name == "walks"]
    assert [(ep.value, ep.version) for ep in walks] == [("school_walks", "1.2.3")]


def test_a_zip_on_sys_path_is_searched_by_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "school.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("school_zipped.py", module_plugin_source("zipped", "Zipped walks"))
        zf.writestr(
            "plc_zipped-2.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: plc-zipped\nVersion: 2.0\n",
        )
        zf.writestr(
            "plc_zipped-2.0.dist-info/entry_points.txt", "[plc_tui]\nzipped = school_zipped\n"
        )
    monkeypatch.syspath_prepend(str(archive))
    try:
        host = PluginHost().load()
        info = host.infos["zipped"]
        assert (info.status, info.source, info.version) == ("ok", "package plc-zipped", "2.0")
        assert "zipped" in [m.id for m in host.modules()]
        assert sorted(tuple(ep) for ep in plugins.entry_points("plc_tui")) == (
            _by_importlib_metadata("plc_tui")
        )
    finally:
        sys.modules.pop("school_zipped", None)


def test_folder_plugin_file_and_package(tmp_path: Path) -> None:
    folder = tmp_path / "plugins"
    write_plugin(folder, "walks", module_plugin_source())
    package = folder / "rounds"
    package.mkdir()
    (package / "helpers.py").write_text("TITLE = 'Instructional rounds'\n")
    (package / "__init__.py").write_text(
        "from plc_tui.api import Module, hookimpl\n"
        "from .helpers import TITLE\n"
        "@hookimpl\n"
        "def register_modules(register):\n"
        "    register(Module(id='rounds', title=TITLE, description='d',\n"
        "                    open_screen=lambda ctx: None))\n"
    )
    (folder / "notes.txt").write_text("not a plugin")

    host = PluginHost(use_entry_points=False, folders=[folder]).load()

    assert {n: i.status for n, i in host.infos.items()} == {"rounds": "ok", "walks": "ok"}
    assert host.infos["walks"].source == f"folder {folder / 'walks.py'}"
    assert [m.title for m in host.modules()] == ["Instructional rounds", "Learning walks"]


def test_plugin_that_fails_to_import_is_reported_and_others_load(tmp_path: Path) -> None:
    folder = tmp_path / "plugins"
    write_plugin(folder, "broken", "import nonexistent_package_xyz\n")
    write_plugin(folder, "walks", module_plugin_source())
    seen = []
    host = PluginHost(use_entry_points=False, folders=[folder])
    host.on_failure = seen.append
    host.load()

    broken = host.infos["broken"]
    assert broken.status == "failed"
    assert "failed to import: ModuleNotFoundError" in broken.error
    assert "nonexistent_package_xyz" in broken.traceback
    assert [i.name for i in seen] == ["broken"]
    assert "walks" in [m.id for m in host.modules()]


def test_plugin_whose_hook_raises_is_disabled_and_what_it_registered_dropped(
    bare_host: PluginHost,
) -> None:
    class Bad:
        @hookimpl
        def register_modules(self, register):
            register(Module(id="half", title="Half", description="", open_screen=print))
            raise RuntimeError("database of walks missing")

        @hookimpl
        def register_tables(self, register):
            register(Table("half_table"))

    class Good:
        @hookimpl
        def register_modules(self, register):
            register(Module(id="good", title="Good", description="", open_screen=print))

    bare_host.register(Bad(), name="bad")
    bare_host.register(Good(), name="good")

    assert [m.id for m in bare_host.modules()] == ["good"]
    info = bare_host.infos["bad"]
    assert info.status == "failed"
    assert info.error == "raised in register_modules: RuntimeError: database of walks missing"
    # A disabled plugin contributes nothing anywhere, not even tables.
    assert bare_host.table_specs() == []


def test_unknown_hook_name_is_reported_like_a_typo(bare_host: PluginHost) -> None:
    plugin = types.SimpleNamespace()

    @hookimpl
    def register_module(register):  # missing "s"
        pass

    plugin.register_module = register_module
    bare_host.register(plugin, name="typo")
    assert bare_host.infos["typo"].status == "failed"
    assert "unknown hook(s) register_module" in bare_host.infos["typo"].error


def test_invalid_registrations_disable_the_plugin(bare_host: PluginHost) -> None:
    class WrongType:
        @hookimpl
        def register_modules(self, register):
            register({"id": "dict"})

    class Duplicate:
        @hookimpl
        def register_modules(self, register):
            register(Module(id="good", title="Again", description="", open_screen=print))

    class Good:
        @hookimpl
        def register_modules(self, register):
            register(Module(id="good", title="Good", description="", open_screen=print))

    bare_host.register(Good(), name="good")
    bare_host.register(WrongType(), name="wrongtype")
    bare_host.register(Duplicate(), name="duplicate")

    assert [m.title for m in bare_host.modules()] == ["Good"]
    assert "takes a Module, not dict" in bare_host.infos["wrongtype"].error
    assert "already registered" in bare_host.infos["duplicate"].error


def test_disabled_in_config_is_listed_but_not_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "plugins"
    write_plugin(folder, "walks", "raise SystemExit('must not be imported')\n")
    host = PluginHost(use_entry_points=False, folders=[folder], disabled=["walks"]).load()
    assert host.infos["walks"].status == "disabled"


def test_missing_plugin_folder_is_reported(tmp_path: Path) -> None:
    host = PluginHost(use_entry_points=False, folders=[tmp_path / "nope"]).load()
    assert [i.error for i in host.failures] == ["plugin folder does not exist"]


def test_tables_are_namespaced_and_undeclared_tables_refused(
    data_dir: Path, bare_host: PluginHost
) -> None:
    class Walks:
        @hookimpl
        def register_tables(self, register):
            register(Table("walks"))
            register(Table("notes", partitioned=True))

    bare_host.register(Walks(), name="walks")
    runtime = seed_community(make_runtime(data_dir, bare_host))
    ctx = runtime.context("walks")
    with ctx.transaction() as tables:
        tables.table("walks").insert({"room": "12"})
        tables.table("notes", partition="7").insert({"text": "x"})
    assert (data_dir / "walks" / "walks.json").exists()
    assert (data_dir / "walks" / "notes" / "7.json").exists()
    with ctx.read() as tables:
        assert tables.partitions("notes") == ["7"]
        with pytest.raises(LookupError, match="declare it in register_tables"):
            tables.table("other")


def test_events_reach_every_plugin_after_commit_and_a_failing_handler_is_disabled(
    data_dir: Path, bare_host: PluginHost
) -> None:
    received: list[tuple[str, str, int]] = []

    class Emitter:
        @hookimpl
        def register_tables(self, register):
            register(Table("things"))

    class Listener:
        @hookimpl
        def on_event(self, event: Event, ctx):
            with ctx.community._runtime.storage.read() as tx:
                stored = len(tx.table("emitter", "things"))
            received.append((event.name, event.actor, stored))

    class Crasher:
        @hookimpl
        def on_event(self, event, ctx):
            raise ValueError("boom")

    bare_host.register(Emitter(), name="emitter")
    bare_host.register(Listener(), name="listener")
    bare_host.register(Crasher(), name="crasher")
    runtime = seed_community(make_runtime(data_dir, bare_host))
    ctx = runtime.context("emitter")
    with ctx.transaction() as tables:
        tables.table("things").insert({"n": 1})
        ctx.emit("thing.added", thing=1)
        assert received == []  # not before the data is committed

    assert received == [("thing.added", "admin1", 1)]
    assert bare_host.infos["crasher"].status == "failed"
    assert "raised in on_event: ValueError: boom" in bare_host.infos["crasher"].error
    ctx.emit("thing.added", thing=2)
    assert len(received) == 2


def test_plugins_are_asked_in_pluggys_order_with_tryfirst_and_trylast_honoured(
    bare_host: PluginHost,
) -> None:
    asked: list[str] = []

    def plugin(name: str, **marks: bool) -> types.SimpleNamespace:
        @hookimpl(**marks)
        def populate_demo(ctx, size, rng, today):
            asked.append(name)

        return types.SimpleNamespace(populate_demo=populate_demo)

    bare_host.register(plugin("late", trylast=True), name="late")
    bare_host.register(plugin("one"), name="one")
    bare_host.register(plugin("first", tryfirst=True), name="first")
    bare_host.register(plugin("two"), name="two")
    bare_host.call("populate_demo", {"ctx": None, "size": "small", "rng": None, "today": None})
    # As pluggy documents: the last registered first, then tryfirst/trylast on top.
    assert asked == ["first", "two", "one", "late"]


def test_a_wrapper_implementation_wraps_the_others_as_in_pluggy(bare_host: PluginHost) -> None:
    seen: list[object] = []

    class Plain:
        @hookimpl
        def populate_demo(self, ctx, size, rng, today):
            seen.append(("plain", ctx))
            return "made"

    class Wrapper:
        @hookimpl(wrapper=True)
        def populate_demo(self, ctx, size, rng, today):
            seen.append(("before", ctx))
            results = yield
            seen.append(("after", list(results)))
            return results

    bare_host.register(Plain(), name="plain")
    bare_host.register(Wrapper(), name="wrapper")
    results = bare_host.call(
        "populate_demo",
        lambda name: {"ctx": f"ctx of {name}", "size": "small", "rng": None, "today": None},
    )
    # Each is given its own ctx, and the wrapper sees the others' results.
    assert seen == [("before", "ctx of wrapper"), ("plain", "ctx of plain"), ("after", ["made"])]
    assert results == [("plain", "made")]


def test_a_raising_wrapper_is_named_and_disabled(bare_host: PluginHost) -> None:
    class Good:
        @hookimpl
        def populate_demo(self, ctx, size, rng, today):
            return "fine"

    class BadWrapper:
        @hookimpl(wrapper=True)
        def populate_demo(self, ctx, size, rng, today):
            raise RuntimeError("wrapped wrong")
            yield  # pragma: no cover

    bare_host.register(Good(), name="good")
    bare_host.register(BadWrapper(), name="badwrapper")
    args = {"ctx": None, "size": "small", "rng": None, "today": None}
    bare_host.call("populate_demo", args)
    info = bare_host.infos["badwrapper"]
    assert info.status == "failed" and "wrapped wrong" in info.error
    assert "populate_demo (wrapper)" in info.error
    assert bare_host.call("populate_demo", args) == [("good", "fine")]  # goes on without it


def test_a_plugin_cannot_take_a_built_in_modules_dashboard_key(host: PluginHost) -> None:
    from plc_tui.api import Module

    class Eager:
        @hookimpl
        def register_modules(self, register):
            register(
                Module(
                    id="eager",
                    title="Aardvark",
                    description="d",
                    order=-1000,
                    open_screen=lambda ctx: None,
                )
            )

    host.load()
    before = [m.id for m in host.modules()]
    host.register(Eager(), name="eager")
    after = [m.id for m in host.modules()]
    assert after[: len(before)] == before  # 1, 2, 3, 4 stay the built-ins'
    assert after[-1] == "eager"


def test_a_misspelt_hook_argument_is_named_with_the_real_ones(bare_host: PluginHost) -> None:
    class Typo:
        @hookimpl
        def register_modules(self, regster):
            pass

    info = bare_host.register(Typo(), name="typo")
    assert info.status == "failed"
    assert info.error == (
        "register_modules(regster): unknown argument(s) 'regster'; the hook takes: register"
    )

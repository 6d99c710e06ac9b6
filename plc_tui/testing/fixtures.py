"""pytest fixtures for plugin tests: ``pytest_plugins = ["plc_tui.testing.fixtures"]``.

``plc_community(*plugins, builtins=False, ...)`` makes a community (see
:func:`plc_tui.testing.make_community`) in the test's ``tmp_path``. Every test
using it runs with its own ``HOME`` and XDG folders and without ``PLC_DB``,
``PLC_CONFIG`` or ``PLC_PLUGINS_DIR``, so the real user's data, config and
plugins are never read or written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .. import plugins
from . import Community, make_community


@pytest.fixture
def plc_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: Any) -> Iterator[Path]:
    """A home folder of the test's own; yields it."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    for var in ("PLC_DB", "PLC_CONFIG", "PLC_PLUGINS_DIR"):
        monkeypatch.delenv(var, raising=False)
    previous = plugins.current_host()
    yield home
    plugins.set_host(previous)


@pytest.fixture
def plc_community(plc_isolated: Path, tmp_path: Path) -> Callable[..., Community]:
    """Make a community with the plugins under test: ``plc_community(my_plugin)``."""

    def make(*plugins_under_test: Any, **options: Any) -> Community:
        return make_community(tmp_path, *plugins_under_test, **options)

    return make

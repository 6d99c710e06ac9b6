"""Where plc keeps its data and finds folder plugins.

Precedence for the data directory: ``--db PATH``, then ``PLC_DB``, then
``db`` in the config file, then the per-user default from platformdirs.
The config file is ``PLC_CONFIG`` if set, else the user's
``~/.config/plc/config.toml``, else ``/etc/plc/config.toml`` (the one a
shared server uses)::

    db = "/srv/plc/data"
    plugins_dirs = ["/srv/plc/plugins"]
    disabled_plugins = ["norms"]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from .errors import PLCError

SYSTEM_CONFIG = Path("/etc/plc/config.toml")


@dataclass(frozen=True)
class Config:
    """What the config file says (none: the defaults); ``extra`` is the rest of it,
    such as the ``[plugins.<name>]`` tables."""

    path: Path | None = None
    db: Path | None = None
    plugins_dirs: tuple[Path, ...] = ()
    disabled_plugins: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)


def config_path() -> Path | None:
    env = os.environ.get("PLC_CONFIG")
    if env:
        return Path(env).expanduser()
    user = Path(user_config_dir("plc")) / "config.toml"
    if user.exists():
        return user
    if SYSTEM_CONFIG.exists():
        return SYSTEM_CONFIG
    return None


def load_config() -> Config:
    path = config_path()
    if path is None:
        return Config()
    import tomllib  # only when there is a file to read

    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise PLCError(f"config file {path} (from PLC_CONFIG) does not exist.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PLCError(f"config file {path} is not valid TOML: {exc}.") from None
    except OSError as exc:
        raise PLCError(f"cannot read config file {path}: {exc.strerror}.") from None

    def paths(value: object, key: str) -> tuple[Path, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PLCError(f"{path}: `{key}` must be a list of folder paths.")
        return tuple(Path(v).expanduser() for v in value)

    db = raw.pop("db", None)
    if db is not None and not isinstance(db, str):
        raise PLCError(f"{path}: `db` must be a folder path in quotes.")
    disabled = raw.pop("disabled_plugins", [])
    if not isinstance(disabled, list) or not all(isinstance(v, str) for v in disabled):
        raise PLCError(f"{path}: `disabled_plugins` must be a list of plugin names.")
    return Config(
        path=path,
        db=Path(db).expanduser() if db else None,
        plugins_dirs=paths(raw.pop("plugins_dirs", []), "plugins_dirs"),
        disabled_plugins=tuple(disabled),
        extra=raw,
    )


def default_data_dir() -> Path:
    return Path(user_data_dir("plc")) / "community"


def default_demo_dir() -> Path:
    return Path(user_data_dir("plc")) / "demo"


def resolve_data_dir(option: str | Path | None, config: Config) -> Path:
    """The data directory, from the option, ``PLC_DB``, the config, or the default."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get("PLC_DB")
    if env:
        return Path(env).expanduser()
    if config.db is not None:
        return config.db
    return default_data_dir()


def plugin_dirs(config: Config) -> list[Path]:
    """Folders to load plugins from: ``PLC_PLUGINS_DIR`` (os.pathsep list), then config."""
    env = os.environ.get("PLC_PLUGINS_DIR", "")
    found = [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    return found + [p for p in config.plugins_dirs if p not in found]

"""What every command shares: the options of the root group, the runtime, errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from .. import community, identity
from ..config import Config, load_config, resolve_data_dir
from ..errors import PLCError
from ..plugins import get_host
from ..runtime import Runtime


class CLIError(click.ClickException):
    """A PLCError on its way out: one line on stderr, then the exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"plc: error: {self.format_message()}", err=True)


@dataclass
class CliState:
    """The global options of one ``plc`` command, and the runtime they open."""

    db_option: str | None = None
    as_login: str | None = None
    debug: bool = False
    # Set by `plc ssh-session`: the member a served session is for, instead of the
    # account plc runs as (the service account).
    member_login: str | None = None
    _config: Config | None = None
    _runtimes: dict[Path, Runtime] = field(default_factory=dict)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config()
        return self._config

    def data_dir(self) -> Path:
        return resolve_data_dir(self.db_option, self.config)

    def runtime(self, *, data_dir: Path | None = None, create: bool = False) -> Runtime:
        path = data_dir or self.data_dir()
        runtime = self._runtimes.get(path)
        if runtime is None:
            runtime = Runtime(
                path,
                host=get_host(),
                login=self.member_login or identity.current_login(),
                config=self.config,
                create=create,
            )
            self._runtimes[path] = runtime
        if self.as_login:
            act_as(runtime, self.as_login)
        return runtime

    def member_runtime(self) -> Runtime:
        runtime = self.runtime()
        runtime.require_member()
        return runtime


def act_as(runtime: Runtime, login: str) -> None:
    # Acting as someone else is a way to try the demo from each role's seat; on a
    # real community it would let anyone answer surveys in another's name.
    with runtime.storage.read() as tx:
        demo = community.is_demo(tx)
    if not demo:
        raise PLCError("--as works only on a demo community (made by `plc demo`).")
    if runtime.login != login:
        runtime.login = login
        runtime.refresh_member()


pass_state = click.make_pass_decorator(CliState, ensure=True)

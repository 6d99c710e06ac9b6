"""``plc plugin new``: start a plugin of your own."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli_helpers import echo_plain


@click.group("plugin")
def plugin() -> None:
    """Write a plugin of your own (see also `plc plugins`)."""


@plugin.command("new")
@click.argument("name")
@click.option(
    "--dir",
    "parent",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Where to make the plugin's folder.",
)
def plugin_new(name: str, parent: Path) -> None:
    """Make a plugin package NAME: a module with a screen, a table, a template, a
    command and tests, ready to install."""
    from ..scaffold import write_plugin

    root = write_plugin(name, parent)
    echo_plain(f"Made the plugin {name} in {root}.")
    click.echo("Next:")
    click.echo(f"  cd {root} && pip install -e .   # then `plc plugins` lists it")
    click.echo("  pytest                          # its own tests")
    click.echo(f"  plc demo                        # see it on the dashboard; edit {name}/")

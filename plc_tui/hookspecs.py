"""The plugin contract: every hook a plc plugin can implement.

A plugin is a Python module (or package) with functions decorated with
``@hookimpl`` whose names match the specs below. An implementation may accept
any subset of a hook's arguments, by name, as with pytest and datasette::

    from plc_tui.api import Module, hookimpl

    @hookimpl
    def register_modules(register):
        register(Module(id="walkthroughs", title="Learning walks", ...))

Plugins are found through the entry-point group ``plc_tui`` and in plugin
folders (``PLC_PLUGINS_DIR``, or ``plugins_dirs`` in the config file). Each
plugin is called on its own: a plugin that raises is disabled and reported in
the app and in ``plc plugins``; every other plugin keeps working.

Services are handed to hooks as arguments, never through globals: ``ctx`` is a
:class:`plc_tui.context.Context` bound to the calling plugin (its own tables,
the signed-in member, the community directory, permission checks, ``emit`` and
``notify``). None of the hooks is ``firstresult``: every plugin is asked, and
the ``register`` callbacks collect what each one gives.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from .api import Event, Module, PaletteCommand, QuestionType, Service, Table, Template
    from .context import Context

PROJECT = "plc_tui"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_modules(register: Callable[[Module], None]) -> None:
    """Add the plugin's modules to the app: one dashboard card and screen each.

    :param register: call it once per :class:`plc_tui.api.Module`. A module id
        must be unique across plugins; a duplicate disables the later plugin.

    The return value is ignored. Example::

        @hookimpl
        def register_modules(register):
            register(Module(id="norms", title="Norms", description="...",
                            open_screen=NormsScreen, dashboard_card=norms_card))
    """


@hookspec
def register_question_types(register: Callable[[QuestionType], None]) -> None:
    """Add survey question types (entry widget, validation, aggregation, CSV).

    :param register: call it once per :class:`plc_tui.api.QuestionType`; the
        type's ``name`` is what survey definitions use in ``"type"``.

    The return value is ignored. Example (a 1-4 scale with no neutral middle)::

        @hookimpl
        def register_question_types(register):
            register(QuestionType("four_point", "Four-point scale", check_definition=check,
                                  validate=validate, aggregate=aggregate, to_csv=str,
                                  make_widget=make_widget, numeric=True))
    """


@hookspec
def register_templates(register: Callable[[Template], None]) -> None:
    """Add templates: surveys, reflections, goals, norm starter sets, protocols.

    :param register: call it once per :class:`plc_tui.api.Template`. ``kind``
        says which module uses it (``"survey"``, ``"reflection"``, ``"goal"``,
        ``"norms"``, ``"protocol"``, or a kind of the plugin's own).

    The return value is ignored.
    """


@hookspec
def register_tables(register: Callable[[Table], None]) -> None:
    """Declare the plugin's storage tables, their schema version and migrations.

    :param register: call it once per :class:`plc_tui.api.Table`. Tables are
        namespaced by plugin name: ``ctx.transaction()`` gives the plugin its
        own tables only, and only declared ones. When ``version`` grows, every
        stored document is passed through ``migrations[n]`` for each step
        ``n`` (a function ``dict -> dict``) before the plugin sees the data.

    The return value is ignored. Example::

        @hookimpl
        def register_tables(register):
            register(Table("walks", version=2,
                           migrations={2: lambda doc: {**doc, "grade": doc.get("grade", "")}}))
            register(Table("notes", partitioned=True))   # one file per walk
    """


@hookspec
def register_commands(cli: click.Group, get_context: Callable[[], Context]) -> None:
    """Add subcommands to the ``plc`` command line.

    :param cli: the root click group; call ``cli.add_command(...)`` or use
        ``@cli.group()`` / ``@cli.command()``.
    :param get_context: call it inside a command to get the plugin's
        :class:`Context` for that run (opens the data directory; raises a
        clear error if it does not exist or the caller is not a member).

    Raise :class:`plc_tui.errors.PLCError` for a one-line error with exit
    code 1. The return value is ignored. Example::

        @hookimpl
        def register_commands(cli, get_context):
            @cli.command()
            def walks():
                "List this term's learning walks."
                with get_context().read() as tables:
                    for walk in tables.table("walks"):
                        click.echo(walk["room"])
    """


@hookspec
def register_palette_commands(register: Callable[[PaletteCommand], None], ctx: Context) -> None:
    """Add entries to the app's command palette (``ctrl+p``).

    :param register: call it once per :class:`plc_tui.api.PaletteCommand`.
    :param ctx: the plugin's context for the signed-in member, so commands
        can be offered only to the roles that may run them.

    The return value is ignored. Example::

        @hookimpl
        def register_palette_commands(register, ctx):
            if ctx.can("lead"):
                register(PaletteCommand("New learning walk", "Record a classroom visit",
                                        lambda ctx: ctx.push_screen(WalkForm(ctx))))
    """


@hookspec
def populate_demo(ctx: Context, size: str, rng: random.Random, today: date) -> None:
    """Fill the demo community with this plugin's own realistic records.

    Called by ``plc demo`` after the core has created teams and members, with
    ``ctx.member`` set to the demo's admin. ``size`` is ``"small"`` (one
    school) or ``"district"`` (many teams, for trying plc at scale). Use
    ``rng`` for every random choice so a demo can be rebuilt the same way: it is
    this plugin's own, seeded from the demo's seed and the plugin's name, so what
    it makes does not change with the other plugins installed or their order.
    ``today`` is the reference date for dates in the data. A plugin whose data
    needs another's (norms checks run on surveys) marks its hook
    ``@hookimpl(trylast=True)``.

    The return value is ignored. Example::

        @hookimpl
        def populate_demo(ctx, size, rng, today):
            with ctx.transaction() as tables:
                for team in ctx.community.teams():
                    tables.table("walks").insert({"team": team.id, "room": str(rng.randint(1, 30)),
                                                  "date": (today - timedelta(days=7)).isoformat()})
    """


@hookspec
def register_services(register: Callable[[Service], None]) -> None:
    """Offer other plugins a service: what they may ask of this plugin.

    :param register: call it once per :class:`plc_tui.api.Service`. A service
        name must be unique; a duplicate disables the later plugin.

    Another plugin gets it with ``ctx.service(name)``, which raises a
    ``PLCError`` saying which plugin is missing when no plugin offers it. The
    return value is ignored. Example (the surveys module's own)::

        @hookimpl
        def register_services(register):
            register(Service("surveys.team_checks", TeamChecks,
                             "A team rates statements anonymously; results per statement"))
    """


@hookspec
def on_event(event: Event, ctx: Context) -> None:
    """React to something that happened, after it was committed to storage.

    :param event: a :class:`plc_tui.api.Event` such as ``goal.checked_in``,
        ``survey.submitted`` or ``norms.adopted``; ``event.data`` holds ids,
        never private answers.
    :param ctx: the receiving plugin's own context.

    Every plugin receives every event, including its own. The return value is
    ignored; a handler that raises is disabled and reported. Example::

        @hookimpl
        def on_event(event, ctx):
            if event.name == "goal.met":
                ctx.notify("A team met its goal: time to celebrate!")
    """

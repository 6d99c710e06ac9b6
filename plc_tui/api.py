"""The public plugin API: everything a plugin may import from plc.

Built-in modules import from here and from :mod:`plc_tui.hookspecs`,
:mod:`plc_tui.text`, :mod:`plc_tui.errors` and :mod:`plc_tui.widgets` only;
a school's plugin can do exactly what they do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# The tables plugins get are TinyDB tables: their queries and documents are part of
# plc's API, imported from here so a plugin depends on plc alone.
from tinydb import Query, where
from tinydb.table import Document

from .community import Member, Team
from .errors import LockBusy, NotFound, PermissionDenied, PLCError, ValidationError
from .hookspecs import hookimpl
from .revisions import RevisionConflict, check_revision, merge_fields
from .school_year import day_of, school_year, school_year_of
from .school_year import label as school_year_label
from .school_year import parse_year as parse_school_year
from .sealing import KeyMissing
from .text import clean, counted, has_words, one_line, parse_id, plain

if TYPE_CHECKING:
    from textual.screen import Screen

    from .consensus import Tally, tally_votes
    from .context import Context

__all__ = [
    "Card",
    "Context",
    "Document",
    "Event",
    "KeyMissing",
    "LockBusy",
    "Member",
    "Module",
    "NotFound",
    "PLCError",
    "PaletteCommand",
    "PermissionDenied",
    "Query",
    "QuestionType",
    "RevisionConflict",
    "Service",
    "Table",
    "Tally",
    "Team",
    "Template",
    "ValidationError",
    "check_revision",
    "clean",
    "counted",
    "day_of",
    "has_words",
    "hookimpl",
    "merge_fields",
    "one_line",
    "parse_id",
    "parse_school_year",
    "plain",
    "school_year",
    "school_year_label",
    "school_year_of",
    "tally_votes",
    "where",
]


@dataclass(frozen=True)
class Card:
    """What a module shows on the dashboard for the signed-in member.

    ``lines`` are plain text (never markup). ``attention`` counts the things
    that need this member now (surveys to answer, check-ins due, ...); the
    dashboard highlights cards with attention above zero.
    """

    lines: tuple[str, ...] = ()
    attention: int = 0


@dataclass(frozen=True)
class Module:
    """A module of the app, shown as a dashboard card that opens its screen.

    :param id: unique, lowercase (``"surveys"``).
    :param title: shown on the card and in the command palette.
    :param description: one sentence shown on the card.
    :param open_screen: ``(ctx) -> textual.screen.Screen``; called when a
        member opens the module.
    :param dashboard_card: ``(ctx) -> Card | None``; called whenever the
        dashboard is drawn or data changes. Keep it fast.
    :param order: cards are sorted by ``order``, then title.
    """

    id: str
    title: str
    description: str
    open_screen: Callable[[Context], Screen[Any]]
    dashboard_card: Callable[[Context], Card | None] | None = None
    order: int = 100


@dataclass(frozen=True)
class QuestionType:
    """A kind of survey question.

    :param name: the ``"type"`` used in survey definitions (``"likert"``).
    :param label: shown in the survey builder (``"Likert (agree/disagree)"``).
    :param check_definition: ``(question: dict) -> None``; raise
        :class:`ValidationError` when the question's own settings are wrong
        (e.g. a choice question without options).
    :param validate: ``(question: dict, value) -> value``; return the
        normalised answer or raise :class:`ValidationError` with a message a
        teacher understands.
    :param aggregate: ``(question: dict, values: list) -> dict``; summary of
        the answers (counts, mean, ...); must include ``"n"``.
    :param to_csv: ``(question: dict, value) -> str``; one spreadsheet cell.
    :param make_widget: ``(question: dict, value) -> textual Widget`` for the
        answer form; the widget must post ``AnswerChanged`` when its value
        changes and expose ``.value``, current as soon as a key was handled.
        ``None`` uses a text input. The first focusable part gets the keyboard
        (or the widget's ``focus_answer()``, when it has one).
    :param numeric: answers are numbers (means and trends are shown).
    :param describe: ``(question: dict, value) -> str``: an answer in words for
        the review before submitting; default: ``to_csv``.
    :param asks: ``False`` for a type that only shows text (a heading, an
        instruction): it takes no answer and is left out of results and CSV.
    """

    name: str
    label: str
    check_definition: Callable[[dict[str, Any]], None]
    validate: Callable[[dict[str, Any], Any], Any]
    aggregate: Callable[[dict[str, Any], list[Any]], dict[str, Any]]
    to_csv: Callable[[dict[str, Any], Any], str]
    make_widget: Callable[[dict[str, Any], Any], Any] | None = None
    numeric: bool = False
    describe: Callable[[dict[str, Any], Any], str] | None = None
    asks: bool = True


@dataclass(frozen=True)
class Template:
    """A ready-made starting point for a module.

    :param kind: ``"survey"``, ``"reflection"``, ``"goal"``, ``"norms"``,
        ``"protocol"``, or a kind of a plugin's own.
    :param id: unique within its kind.
    :param body: the module's own definition format (JSON-compatible).
    """

    kind: str
    id: str
    title: str
    description: str
    body: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """A storage table a plugin declares (see ``register_tables``).

    :param partitioned: store one file per partition key (e.g. per survey),
        so a write to one partition never rewrites the others.
    :param migrations: ``{version: fn(doc) -> doc}`` for each step up to
        ``version``.
    :param history: keep the last versions of each file under
        ``backups/generations`` (for ``plc db restore --file``). Turn it off for
        data whose old versions could identify people, such as anonymous answers.
    :param keep_order: write documents in the order they were added (TinyDB's
        way). ``False`` writes each file in id order instead, so with random ids
        (anonymous answers) a file shows nothing of which document came last.
    """

    name: str
    version: int = 1
    migrations: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)
    partitioned: bool = False
    history: bool = True
    keep_order: bool = True


@dataclass(frozen=True)
class PaletteCommand:
    """An entry in the command palette; ``run(ctx)`` is called when chosen."""

    title: str
    help: str
    run: Callable[[Context], None]


@dataclass(frozen=True)
class Service:
    """What a plugin offers other plugins (see ``register_services``).

    :param name: unique, led by the providing plugin: ``"surveys.team_checks"``.
    :param make: ``(ctx) -> object``: builds the service for one caller; ``ctx``
        is the *providing* plugin's own context for the calling member, so the
        service works in its own tables, under that member's permissions.
    :param description: one line for ``plc plugins`` and the guide.
    """

    name: str
    make: Callable[[Context], Any]
    description: str = ""


@dataclass(frozen=True)
class Event:
    """Something that happened, e.g. ``Event("goal.checked_in", {"goal": 3})``.

    ``source`` is the plugin that emitted it, ``actor`` the login of the member
    who caused it (``None`` for the system).
    """

    name: str
    data: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    actor: str | None = None


def __getattr__(name: str) -> Any:
    # Textual is imported only when a screen needs it, so the CLI starts fast.
    if name == "DataChanged":
        from .widgets.messages import DataChanged

        return DataChanged
    if name == "Context":
        from .context import Context

        return Context
    # Deciding together is for the modules that do (goals, norms), not every command.
    if name in ("Tally", "tally_votes"):
        from . import consensus

        return getattr(consensus, name)
    raise AttributeError(name)

"""Saving an export to a file the person chooses (public API for module screens).

:func:`save_to_file` asks where (a folder the person owns, not wherever plc was
started), never replaces a file without asking, writes all or nothing (a
temporary file renamed into place), and says where the file went.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

from ..errors import PLCError
from ..server import confinement
from ..text import plain
from .background import save_in_background
from .footer import Footer
from .line_input import LineInput


def default_folder() -> Path:
    """Where exports go unless the person says otherwise: Downloads or Documents
    when the account has one (a desktop account), else the home folder."""
    home = Path.home()
    for name in ("Downloads", "Documents"):
        if (home / name).is_dir():
            return home / name
    return home


def write_file(path: Path, text: str, *, replace: bool, private: bool = False) -> None:
    """Write ``text`` to ``path`` whole or not at all; refuse an existing file
    unless ``replace``; with ``private``, readable by its owner alone (0600).
    Errors are one line saying what to do; refused in a session served over SSH."""
    confinement.check_path(path, "the file to save")
    folder = path.parent
    if not folder.is_dir():
        raise PLCError(f"the folder {folder} does not exist; choose another place.")
    if path.exists() and not replace:
        raise PLCError(f"{path} already exists; choose another name or replace it.")
    if path.is_dir():
        raise PLCError(f"{path} is a folder; give a file name.")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise PLCError(
            f"cannot write in {folder}: {exc.strerror or exc}; choose another place."
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temp, 0o600 if private else 0o644 & ~_umask())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise PLCError(
            f"cannot write {path}: {exc.strerror or exc}. Nothing was saved there."
        ) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class SaveFileModal(ModalScreen[Path | None]):
    """Asks for a file path; a second enter confirms replacing an existing file."""

    DEFAULT_CSS = """
    SaveFileModal { align: center middle; }
    SaveFileModal > Vertical {
        width: 76; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    SaveFileModal #save-note { color: $text-muted; height: auto; }
    SaveFileModal #save-warning { color: $warning; height: auto; }
    SaveFileModal Horizontal { height: auto; align: right middle; }
    SaveFileModal Button { margin-left: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, what: str, suggested: Path) -> None:
        super().__init__()
        self.what = what
        self.suggested = suggested
        self.confirmed_replace: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(f"Save {self.what} to", style="bold"))
            yield LineInput(str(self.suggested), id="save-path")
            yield Static(
                plain(
                    "Enter saves; escape cancels. A file that exists is never replaced "
                    "without asking."
                ),
                id="save-note",
            )
            yield Static(id="save-warning")
            with Horizontal():
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#save-path", Input).focus()

    def _warn(self, message: str) -> None:
        self.query_one("#save-warning", Static).update(plain(message))

    def action_save(self) -> None:
        raw = self.query_one("#save-path", Input).value.strip()
        if not raw:
            self._warn("Give a file name.")
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.suggested.parent / path
        if path.is_dir():
            self._warn(f"{path} is a folder; add a file name.")
            return
        if not path.parent.is_dir():
            self._warn(f"The folder {path.parent} does not exist.")
            return
        if path.exists() and self.confirmed_replace != path:
            self.confirmed_replace = path
            self._warn(f"{path.name} already exists there. Enter again to replace it.")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.confirmed_replace = None
        self._warn("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()


def save_to_file(
    screen: Screen[Any],
    what: str,
    file_name: str,
    make_text: Callable[[], str],
    *,
    private: bool = False,
) -> None:
    """Ask where to save ``what`` (suggesting ``file_name`` in
    :func:`default_folder`), then build the text and write it in a worker;
    ``private`` text (a reflection) is written readable by its owner alone."""

    def chosen(path: Path | None) -> None:
        if path is None:
            return

        def work() -> Path:
            write_file(path, make_text(), replace=True, private=private)  # replacing was confirmed
            return path

        save_in_background(
            screen,
            work,
            lambda saved: screen.notify(f"Saved {what} to {saved}", markup=False),
        )

    served = confinement.current()
    if served is not None:
        # The file would be written as the service account, on the server.
        screen.notify(
            f"Over {served.how}, plc cannot save files on the server. Export from your own "
            "computer on the command line instead: `ssh plc@SERVER help` lists the "
            "export commands (their output goes to stdout).",
            severity="warning",
            markup=False,
            timeout=10,
        )
        return
    screen.app.push_screen(SaveFileModal(what, default_folder() / file_name), chosen)

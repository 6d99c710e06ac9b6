"""What the terminal in front of the person can show, from its environment.

People reach plc from many terminals: a laptop's, the Linux console of an old
machine, a vt100-class serial line, a terminal set to NO_COLOR. The app draws
for the one it has: without colour where colour is unwanted or missing (focus
and cursors then show as reverse video and bold), without the mouse where the
terminal has none, in plain ASCII where the terminal is not UTF-8 or its font
lacks block and box glyphs, and not at all where it cannot move the cursor.
"""

from __future__ import annotations

import codecs
import io
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from rich.cells import cell_len

# Terminals that show no colour at all.
MONOCHROME = {"vt52", "vt100", "vt102", "vt220", "vt320", "xterm-mono", "ansi-mono"}
# Terminals without xterm mouse reporting.
NO_MOUSE = MONOCHROME | {"linux", "vt420", "vt520", "cons25", "ansi"}
# Terminals whose fonts lack the block and line glyphs the app otherwise uses
# (the Linux console's fonts have box lines but not ▔▁▊▎▏▌▐✓⭘▂–▇).
SMALL_FONT = MONOCHROME | {"linux", "cons25", "ansi"}


@dataclass(frozen=True)
class Terminal:
    """What the terminal plc runs in can show, and why it cannot run there, if so."""

    colour: bool = True
    mouse: bool = True
    unicode: bool = True
    problem: str = ""  # why the app cannot run here at all


def _charset(environ: Mapping[str, str]) -> str:
    """The character set the person's locale names (LC_ALL wins, then
    LC_CTYPE, then LANG, as the C library decides)."""
    lang = environ.get("LANG", "")
    ctype = environ.get("LC_CTYPE", "")
    if ctype in ("C.UTF-8", "C.utf8") and lang in ("C", "POSIX"):
        # Python itself sets LC_CTYPE=C.UTF-8 under a C locale (PEP 538): the
        # terminal is still the C locale's.
        ctype = ""
    for value in (environ.get("LC_ALL", ""), ctype, lang):
        if value:
            return value
    return ""


def is_utf8(locale_name: str) -> bool:
    """Whether a locale name says UTF-8; unknown (unset) counts as yes, since
    most terminals are UTF-8 and many SSH setups do not pass the locale on."""
    if not locale_name:
        return True
    if locale_name in ("C", "POSIX"):
        return False
    charset = locale_name.partition(".")[2].partition("@")[0]
    return charset.replace("-", "").lower() == "utf8"


def detect(environ: Mapping[str, str] | None = None) -> Terminal:
    env = os.environ if environ is None else environ
    term = env.get("TERM", "")
    if term in ("", "dumb", "unknown"):
        return Terminal(
            problem=(
                f"this terminal (TERM={term or 'unset'}) cannot draw the app. Use a "
                "full terminal (over SSH: `ssh -t HOST plc`), or the commands: `plc --help`."
            )
        )
    plain = env.get("PLC_ASCII", "")
    return Terminal(
        # NO_COLOR: "when present and not an empty string" (no-color.org).
        colour=not env.get("NO_COLOR") and term not in MONOCHROME,
        mouse=term not in NO_MOUSE,
        unicode=(plain == "0") or (not plain and term not in SMALL_FONT and is_utf8(_charset(env))),
    )


# One ASCII character for each glyph the app and Textual draw, so every cell
# keeps its width: a box line becomes - | +, a block #, an arrow < > ^ v.
_ASCII = {
    **dict.fromkeys("─━╌╍┄┅┈┉╴╶╸╺▔▁▂▃▄▅▆▇─—–‒―−", "-"),
    **dict.fromkeys("│┃╎╏┆┇┊┋╷╹╻▎▏▊▋▍▌▐▕", "|"),
    **dict.fromkeys("┌┐└┘├┤┬┴┼╭╮╯╰┏┓┗┛┣┫┳┻╋═║╔╗╚╝╠╣╦╩╬", "+"),
    **dict.fromkeys("█▉▓▒", "#"),
    "░": ".",
    "…": ".",
    "·": ".",
    "•": "*",
    "●": "*",
    "⭘": "o",
    "○": "o",
    "✓": "+",
    "✔": "+",
    "✗": "x",
    "✘": "x",
    "←": "<",
    "→": ">",
    "↑": "^",
    "↓": "v",
    "▲": "^",
    "▼": "v",
    "◀": "<",
    "▶": ">",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "\u00a0": " ",
}


def to_ascii(char: str) -> str:
    """``char`` as ASCII of the same width in terminal cells."""
    if char in _ASCII:
        return _ASCII[char]
    base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    width = cell_len(char)
    if len(base) == 1 and width == 1:
        return base  # é -> e
    return "?" * max(width, 1) if width else ""


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(to_ascii(c) for c in error.object[error.start : error.end]), error.end


codecs.register_error("plc-ascii", _replace)


def write_ascii(stream: TextIO) -> None:
    """Make ``stream`` (the terminal the app draws on) send plain ASCII: every
    other character becomes its look-alike of the same width (see to_ascii)."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="ascii", errors="plc-ascii")

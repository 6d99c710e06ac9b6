"""Untrusted text: everything a person typed is shown to other people.

Two jobs, used by every screen and every CLI command:

* :func:`clean` makes input safe to *store*: it drops terminal escape
  sequences, control characters and bidirectional overrides, normalises
  Unicode (NFC) and enforces a length limit with a clear message.
* :func:`plain` makes any stored string safe to *show*: a :class:`rich.text.Text`
  is never parsed as markup, and the same stripping runs again in case the data
  file was edited by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from .errors import ValidationError

if TYPE_CHECKING:
    from rich.text import Text

# Rich is imported where it is used: a CLI command that prints a table needs
# none of it, and importing it costs more than the rest of this module.

# ESC [ ... final byte (CSI), ESC ] ... BEL/ST (OSC), ESC P/X/^/_ ... ST (DCS, SOS,
# PM, APC) and two-byte ESC sequences. Removed whole, so no payload is left behind.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                 # CSI
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?      # OSC
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?           # DCS, SOS, PM, APC
  | \x9b[0-?]*[ -/]*[@-~]                   # 8-bit CSI
  | \x1b[@-Z\\-_]                           # other two-byte escapes
    """,
    re.VERBOSE,
)


# Removed: Cc (C0 and C1 controls), Cs (lone surrogates) and the bidirectional
# embedding/override/isolate controls, which can make text display in an order
# other than it was typed ("Trojan Source"; RTL letters themselves stay). Private
# use and unassigned code points (newer emoji) stay; tab and newline are decided apart.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def strip_controls(value: str, *, multiline: bool = False) -> str:
    """Remove escape sequences and control characters from ``value``."""
    if value.isprintable():  # no control, escape or bidi character: nearly every title
        return value
    value = _ESCAPE_SEQUENCE.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    # One pass in C rather than one call per character: a district's screens show
    # hundreds of thousands of characters.
    value = _CONTROLS.sub("", value if multiline else value.replace("\n", ""))
    return value.replace("\t", "    ")


def clean(
    value: object,
    *,
    field: str,
    max_length: int,
    multiline: bool = False,
    required: bool = True,
) -> str:
    """Return ``value`` as safe, normalised text, or raise a clear ValidationError.

    ``field`` names the input in the message ("Name is too long ...").
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text, not {type(value).__name__}.")
    text = unicodedata.normalize("NFC", strip_controls(value, multiline=multiline))
    text = text.strip()
    if required and not text:
        raise ValidationError(f"{field} cannot be empty.")
    if len(text) > max_length:
        raise ValidationError(
            f"{field} is too long: {len(text):,} characters, the limit is {max_length:,}."
        )
    return text


def parse_id(value: object, what: str, hint: str) -> int:
    """A record's number as a person types it (``3``, ``"3"`` or ``"#3"``); anything
    else is refused with ``"... is not a <what> id; see `<hint>`."``."""
    try:
        number = int(str(value).strip().lstrip("#"))
    except ValueError:
        number = 0
    if number < 1:
        raise ValidationError(f"{value!r} is not a {what} id; see `{hint}`.")
    return number


def counted(n: int, one: str, many: str) -> str:
    """``n`` with the word that goes with it: "1 response", "2 responses"."""
    return f"{n} {one if n == 1 else many}"


def has_words(text: str, query: str) -> bool:
    """Whether every word of ``query`` is somewhere in ``text``, in any case and in
    any order (an empty query matches everything): how a search box finds.

    A number matches only that whole number, and a word followed by a number is
    looked for together: "grade 3" finds "Grade 3 reading", not "Grade 1 … Unit 3"
    or "39%". Quotes around a word are not part of it.
    """
    haystack = strip_controls(text).casefold()
    words = [w.strip("\"'“”‘’") for w in strip_controls(query).casefold().split()]
    words = [w for w in words if w]
    at = 0
    while at < len(words):
        word = words[at]
        following = words[at + 1] if at + 1 < len(words) else ""
        if following.isdigit() and not word.isdigit():
            pattern = rf"{re.escape(word)}\W*(?<!\d){following}(?!\d)"
            at += 2
        else:
            pattern = rf"(?<!\d){word}(?!\d)" if word.isdigit() else re.escape(word)
            at += 1
        if re.search(pattern, haystack) is None:
            return False
    return True


def plain(value: object, *, multiline: bool = True, style: str = "") -> Text:
    """Render any value as plain text for the terminal: never markup, never escapes."""
    from rich.text import Text

    text = "" if value is None else str(value)
    return Text(strip_controls(text, multiline=multiline), style=style)


def one_line(value: object, width: int | None = None, *, middle: bool = False) -> str:
    """A single-line, control-free string, shortened with an ellipsis to ``width``.

    ``middle=True`` keeps the last words and cuts before them ("Cedar…English
    Learners"): for names that differ at the end, such as a district's teams,
    which all begin with their school's name.
    """
    text = strip_controls("" if value is None else str(value), multiline=True)
    text = " ".join(text.split())
    if width is None:
        return text
    if text.isascii():  # one cell a character (controls are gone): no need for Rich

        def cells(part: str) -> int:
            return len(part)

        def cut(part: str, size: int) -> str:
            return part[: max(size, 0)]
    else:
        from rich.cells import cell_len, set_cell_size

        # Cut by terminal cells, not characters: a wide (CJK) letter takes two.
        cells, cut = cell_len, set_cell_size
    if cells(text) <= width:
        return text
    if middle and width >= 2 * _HEAD + 1:
        return _cut_middle(text, width, cells, cut)
    return cut(text, width - 1).rstrip() + "…"


_HEAD = 6  # cells kept at the start when the middle is cut


def _cut_middle(
    text: str, width: int, cells: Callable[[str], int], cut: Callable[[str, int], str]
) -> str:
    room = width - 1 - _HEAD  # for the end, after the ellipsis and the start
    words = text.split(" ")
    tail = ""
    for n in range(len(words) - 1, 0, -1):  # whole last words, as many as fit
        candidate = " ".join(words[n:])
        if cells(candidate) > room:
            break
        tail = candidate
    if not tail:  # one long last word: its end
        tail = text
        while cells(tail) > (width - 1) // 2:
            tail = tail[1:]
    head = cut(text, width - 1 - cells(tail)).rstrip()
    return head + "…" + tail


def share_width(available: int, wanted: list[int], minimum: int = 6) -> list[int]:
    """Widths for text columns that share ``available`` cells.

    Each column gets what it ``wanted`` (its longest value) when everything
    fits; otherwise the short ones keep their width and the long ones share
    the rest equally, none below ``minimum``. So a name is cut only where
    there is truly no room for it.
    """
    widths = [max(w, 1) for w in wanted]
    if sum(widths) <= available:
        return widths
    result = [0] * len(widths)
    left = list(range(len(widths)))
    room = max(available, minimum * len(widths))
    while left:
        fair = room // len(left)
        small = [i for i in left if widths[i] <= fair]
        if not small:
            for n, i in enumerate(left):  # the remainder goes to the first ones
                result[i] = max(minimum, fair + (1 if n < room % len(left) else 0))
            break
        for i in small:
            result[i] = widths[i]
            room -= widths[i]
            left.remove(i)
    return result


def wrap_cells(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells (a wide character
    counts two), breaking at spaces; lines after the first start with ``indent``
    (to continue under a label), and a word longer than a line is cut."""
    from rich.cells import cell_len

    if cell_len(indent) >= width:
        indent = ""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = indent + word
        while cell_len(line) > width:  # one word longer than the line
            cut = width
            while cell_len(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = indent + line[cut:]
    lines.append(line)
    return lines

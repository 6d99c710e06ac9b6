"""What the app draws for the terminal in front of the person."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from plc_tui.terminal import Terminal, detect, to_ascii

UTF8 = {"TERM": "xterm-256color", "LANG": "en_US.UTF-8"}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (UTF8, Terminal()),
        ({**UTF8, "NO_COLOR": "1"}, Terminal(colour=False)),
        ({**UTF8, "NO_COLOR": ""}, Terminal()),  # empty means unset (no-color.org)
        ({**UTF8, "TERM": "vt100"}, Terminal(colour=False, mouse=False, unicode=False)),
        ({**UTF8, "TERM": "linux"}, Terminal(mouse=False, unicode=False)),
        ({"TERM": "xterm", "LANG": "C"}, Terminal(unicode=False)),
        # Python's own PEP 538 coercion does not make a C-locale terminal UTF-8.
        ({"TERM": "xterm", "LANG": "C", "LC_CTYPE": "C.UTF-8"}, Terminal(unicode=False)),
        ({"TERM": "xterm", "LANG": "de_DE.ISO-8859-1"}, Terminal(unicode=False)),
        ({"TERM": "xterm", "LC_ALL": "C.UTF-8", "LANG": "C"}, Terminal()),
        ({"TERM": "xterm"}, Terminal()),  # no locale given: most terminals are UTF-8
        ({**UTF8, "TERM": "linux", "PLC_ASCII": "0"}, Terminal(mouse=False)),
        ({**UTF8, "PLC_ASCII": "1"}, Terminal(unicode=False)),
    ],
)
def test_the_terminal_is_read_from_its_environment(env: dict[str, str], expected: Terminal) -> None:
    assert detect(env) == expected


@pytest.mark.parametrize("term", ["dumb", "", "unknown"])
def test_a_terminal_that_cannot_draw_says_what_to_do(term: str) -> None:
    problem = detect({"TERM": term}).problem
    assert "ssh -t" in problem and "plc --help" in problem


@pytest.mark.parametrize(
    ("glyph", "ascii"),
    [("─", "-"), ("│", "|"), ("╭", "+"), ("…", "."), ("→", ">"), ("é", "e"), ("学", "??")],
)
def test_each_glyph_becomes_ascii_of_the_same_width(glyph: str, ascii: str) -> None:
    assert to_ascii(glyph) == ascii
    assert cell_len(ascii) == cell_len(glyph)

"""Untrusted text is stored clean and always shown as plain text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from plc_tui.errors import ValidationError
from plc_tui.text import clean, has_words, one_line, plain, strip_controls


def render(value: str) -> str:
    console = Console(width=80, color_system=None, force_terminal=False)
    with console.capture() as capture:
        console.print(plain(value))
    return capture.get().rstrip("\n")


def test_markup_is_shown_literally_not_interpreted() -> None:
    assert render("[red]x[/]") == "[red]x[/]"
    assert render("[link=http://evil]click[/link]") == "[link=http://evil]click[/link]"


def test_escape_sequences_are_removed_whole() -> None:
    assert render("a\x1b[2Jb") == "ab"
    assert render("\x1b]0;pwned title\x07ok") == "ok"
    assert render("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\") == "link"
    assert render("bell\x07 and \x9b31m8-bit") == "bell and 8-bit"


def test_rtl_text_and_emoji_survive_but_bidi_overrides_do_not() -> None:
    assert render("مرحبا بالعالم") == "مرحبا بالعالم"
    assert render("שלום 👩🏽‍🏫 🎉") == "שלום 👩🏽‍🏫 🎉"
    assert clean("abc\u202edcba", field="Name", max_length=50) == "abcdcba"


def test_clean_normalises_and_limits_with_a_clear_message() -> None:
    assert clean("  Cafe\u0301  ", field="Name", max_length=10) == "Café"
    with pytest.raises(ValidationError, match="Name is too long: 81 characters, the limit is 80"):
        clean("x" * 81, field="Name", max_length=80)
    with pytest.raises(ValidationError, match="Title cannot be empty"):
        clean(" \x1b[2J ", field="Title", max_length=80)
    with pytest.raises(ValidationError, match="must be text"):
        clean(5, field="Title", max_length=80)


def test_newlines_are_kept_only_where_multiline() -> None:
    assert clean("a\r\nb", field="Answer", max_length=10, multiline=True) == "a\nb"
    assert clean("a\nb", field="Name", max_length=10) == "ab"
    assert one_line("first\nsecond  third", 12) == "first secon…"


def test_huge_text_is_refused_before_it_is_stored() -> None:
    with pytest.raises(ValidationError, match="1,000,000 characters"):
        clean("y" * 1_000_000, field="Answer", max_length=5_000, multiline=True)


def test_an_error_quoting_typed_text_stays_one_line_and_shows_no_escape_codes() -> None:
    from plc_tui.errors import ValidationError

    error = ValidationError("unknown field(s) in the survey: 'a\nb', '\x1b[2J', '\u202eevil'.")
    assert "\n" not in error.message and "\x1b" not in error.message
    assert "\u202e" not in error.message
    assert "a\\nb" in error.message and "\\x1b[2J" in error.message
    assert str(error) == error.message


def test_columns_take_what_they_need_and_share_what_is_left() -> None:
    from plc_tui.text import share_width

    assert share_width(60, [20, 30]) == [20, 30]  # everything fits: nothing cut
    assert share_width(40, [10, 50]) == [10, 30]  # the short one keeps its width
    assert share_width(40, [30, 50]) == [20, 20]  # both long: an equal share
    assert share_width(41, [30, 50, 5]) == [18, 18, 5]
    assert share_width(4, [30, 50]) == [6, 6]  # never below the minimum


def test_wrap_cells_counts_terminal_cells_and_continues_under_the_label() -> None:
    from rich.cells import cell_len

    from plc_tui.text import wrap_cells

    assert wrap_cells("(*) Strongly agree with this", 14, "    ") == [
        "(*) Strongly",
        "    agree with",
        "    this",
    ]
    wide = wrap_cells("学校 の 先生 と 生徒 たち", 8)  # each ideograph is two cells
    assert all(cell_len(line) <= 8 for line in wide) and "".join(wide).count("学") == 1
    assert wrap_cells("Supercalifragilistic", 8, "  ") == ["Supercal", "  ifragi", "  listic"]
    assert wrap_cells("", 10) == [""]


def test_a_record_number_is_read_as_typed_or_refused_saying_where_to_look() -> None:
    from plc_tui.errors import ValidationError
    from plc_tui.text import parse_id

    assert parse_id(" #12 ", "goal", "plc goal list") == parse_id(12, "goal", "x") == 12
    for wrong in ("twelve", "0", "-3", "", None):
        with pytest.raises(ValidationError) as caught:
            parse_id(wrong, "goal", "plc goal list")
        assert caught.value.message == f"{wrong!r} is not a goal id; see `plc goal list`."


def test_strip_controls_removes_exactly_the_control_characters_of_every_code_point() -> None:
    """The one-pass removal keeps what a per-character check keeps, for every code point."""

    def keep(ch: str, multiline: bool) -> bool:
        if ch == "\n":
            return multiline
        if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cs"):
            return ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        return False

    for code in range(0x110000):
        ch = chr(code)
        for multiline in (True, False):
            typed = "é" + ch + "é"  # not a byte an escape sequence could take
            want = "".join(c for c in typed.replace("\r", "\n") if keep(c, multiline))
            got = strip_controls(typed, multiline=multiline)
            assert got == want.replace("\t", "    "), (hex(code), multiline)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40), st.integers(0, 30))
def test_ascii_is_shortened_as_rich_measures_it(value: str, width: int) -> None:
    # one_line skips Rich for ASCII text (a cell a character): the same result.
    from rich.cells import cell_len, set_cell_size

    text = " ".join(strip_controls(value, multiline=True).split())
    expected = text
    if cell_len(text) > width:
        expected = set_cell_size(text, max(width - 1, 0)).rstrip() + "…"
    assert one_line(value, width) == expected


@pytest.mark.parametrize(
    ("name", "width", "shown"),
    [
        ("Cedar Park Elementary English Learners", 23, "Cedar…English Learners"),
        ("Cedar Park Elementary Grade 3", 23, "Cedar Park Elem…Grade 3"),
        ("Cedar Park Elementary Grade 3", 40, "Cedar Park Elementary Grade 3"),
        ("Cedar Park Elementary Grade 3", 12, "Cedar Park…"),  # too narrow: the end is cut
        ("abcdefghijklmnopqrstuvwxyz", 15, "abcdefg…tuvwxyz"),  # one word: its end
        ("学校の先生たちのチーム 名前はとても長い", 15, "学校の先…も長い"),
    ],
)
def test_a_name_cut_in_the_middle_keeps_the_words_that_tell_it_apart(
    name: str, width: int, shown: str
) -> None:
    from rich.cells import cell_len

    cut = one_line(name, width, middle=True)
    assert cut == shown
    assert cell_len(cut) <= width


@pytest.mark.parametrize(
    ("text", "query", "found"),
    [
        ("Grade 3 reading proficiency", "READING grade 3", True),  # any case, any order
        ("Grade 1 Unit 3, addition within 20", "grade 3", False),  # a word and its number
        ("Grade 1 phonics: 39% → 80%", "grade 3", False),
        ("Grade 13 writing", "grade 3", False),  # a whole number
        ("Grade-3 team", "grade 3", True),
        ("Grade 1 phonics: 39% → 80%", "39", True),
        ("Cycle 3, reading intervention", '"reading"', True),  # quotes are not the word
        ("red team", "\x1b[31mred\x1b[0m", True),  # escape codes typed are not searched
        ("anything at all", "   ", True),
        ("Grade 3 reading", "grade 3 maths", False),
    ],
)
def test_has_words_finds_what_a_person_typed(text: str, query: str, found: bool) -> None:
    assert has_words(text, query) is found

"""Where each document sits in a data file's text, so one can be read alone.

A survey being answered, the member signing in: many commands need one document
of a file that holds hundreds (a district's ``surveys.json`` is 300 kB, its
``members.json`` 130 kB), and parsing the whole file was most of what such a
command did that grew with the district. The *spans* of a file are the
character offsets of each document of its table, found once per version of the
file (a parse, which also checks the whole file is valid JSON) and kept beside it
in ``.plc.cache`` like any summary; then a document is the slice of the text
between its offsets, parsed alone.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def document_spans(text: str, table: str) -> dict[str, list[int]] | None:
    """``{doc_id: [start, end]}`` for the documents of ``table`` in the JSON text of
    a data file (``text[start:end]`` is the document), ``{}`` when the file has no
    such table, or ``None`` when the text is not a JSON object whose values are
    objects (a full parse then says what is wrong with it)."""
    try:
        return _scan(text, table)
    except (ValueError, IndexError):
        return None


def _scan(text: str, table: str) -> dict[str, list[int]] | None:
    spans: dict[str, list[int]] = {}
    at = _space(text, 0)
    if text[at] != "{":
        return None
    at = _space(text, at + 1)
    while text[at] != "}":
        name, at = _key(text, at)
        if text[at] != "{":
            return None
        if name == table:
            at = _space(text, at + 1)
            while text[at] != "}":
                doc_id, at = _key(text, at)
                if text[at] != "{":
                    return None
                end = _DECODER.raw_decode(text, at)[1]
                spans[doc_id] = [at, end]
                at = _next(text, end)
            at += 1
        else:
            at = _DECODER.raw_decode(text, at)[1]
        at = _next(text, at)
    if text[_space(text, at + 1) :]:
        return None  # something after the object: not one JSON value
    return spans


def _space(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    assert match is not None  # the pattern matches the empty string anywhere
    return match.end()


def _key(text: str, at: int) -> tuple[str, int]:
    """The key at ``at`` and where its value starts (after the colon)."""
    if text[at] != '"':
        raise ValueError("a key was expected")
    key, at = scanstring(text, at + 1)
    at = _space(text, at)
    if text[at] != ":":
        raise ValueError("a colon was expected")
    return key, _space(text, at + 1)


def _next(text: str, at: int) -> int:
    """Past the comma after a value (or to the closing brace)."""
    at = _space(text, at)
    if text[at] == ",":
        at = _space(text, at + 1)
        if text[at] == "}":
            raise ValueError("a trailing comma")
    elif text[at] != "}":
        raise ValueError("a comma or a closing brace was expected")
    return at


def document_at(text: str, span: list[int], doc_id: str) -> dict | None:
    """The document ``doc_id`` at ``span`` in ``text``, or ``None`` when the text
    there is not that document (the spans were not for this text)."""
    start, end = span
    head = json.dumps(doc_id)
    before = text[max(0, start - len(head) - 8) : start].rstrip(" \t\n\r")
    if not before.endswith(":") or not before[:-1].rstrip(" \t\n\r").endswith(head):
        return None
    try:
        value, stop = _DECODER.raw_decode(text, start)
    except ValueError:
        return None
    return value if stop == end and isinstance(value, dict) else None

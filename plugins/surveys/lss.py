"""LimeSurvey ``.lss`` files: import a survey as a plc definition, and write one back.

Schools keep their instruments in LimeSurvey; plc takes them as they are. Both
layouts are read, told apart by their content: the older one (LimeSurvey 2 and
3) keeps texts on the question rows; the newer one (4 and later) keeps them in
``question_l10ns``, ``group_l10ns`` and ``answer_l10ns``. Groups become
sections, arrays become grids, "other" stays "other", relevance equations (and
the old ``conditions`` table) become conditions where plc can say the same
thing. Everything that cannot be kept (an equation, a file upload, a hidden
question, a second scale, a condition plc cannot express) is listed in the
report, never dropped without a word.

Plain Python on the standard library's XML parser (expat refuses entity
bombs; no external entity is ever fetched).
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from plc_tui.api import ValidationError

from . import scales

MAX_BYTES = 20_000_000
_ID = re.compile(r"[^A-Za-z0-9_-]")
_TAGS = re.compile(r"<[^>]+>")

# LimeSurvey question types and what plc makes of them.
TYPE_NAMES = {
    "L": "list (radio)",
    "!": "list (dropdown)",
    "O": "list with comment",
    "M": "multiple choice",
    "P": "multiple choice with comments",
    "F": "array",
    "A": "array (5 point choice)",
    "B": "array (10 point choice)",
    "C": "array (yes/uncertain/no)",
    "E": "array (increase/same/decrease)",
    "H": "array by column",
    "1": "array dual scale",
    ":": "array (numbers)",
    ";": "array (texts)",
    "5": "5 point choice",
    "G": "gender",
    "Y": "yes/no",
    "N": "numerical input",
    "K": "multiple numerical input",
    "S": "short free text",
    "T": "long free text",
    "U": "huge free text",
    "Q": "multiple short text",
    "D": "date",
    "R": "ranking",
    "X": "text display",
    "|": "file upload",
    "*": "equation",
    "I": "language switch",
}


@dataclass
class Imported:
    """A definition in plc's import format, and what could not be kept."""

    definition: dict[str, Any]
    report: list[str] = field(default_factory=list)


def is_lss(text: str) -> bool:
    head = text.lstrip()[:2000]
    return head.startswith("<") and "LimeSurveyDocType" in head


# -- reading the XML -------------------------------------------------------------------


def _tables(root: ET.Element) -> dict[str, list[dict[str, str]]]:
    tables: dict[str, list[dict[str, str]]] = {}
    for table in root:
        rows = table.find("rows")
        if rows is None:
            continue
        tables[table.tag] = [
            {cell.tag: (cell.text or "") for cell in row} for row in rows.findall("row")
        ]
    return tables


def _plain(html: str) -> str:
    """LimeSurvey keeps texts as HTML; plc shows plain text."""
    text = _TAGS.sub(" ", html or "")
    for entity, char in (
        ("&nbsp;", " "),
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&#39;", "'"),
    ):
        text = text.replace(entity, char)
    return " ".join(text.split())


def _order(row: dict[str, str], key: str) -> int:
    try:
        return int(row.get(key) or 0)
    except ValueError:
        return 0


class _Source:
    """The survey's rows, with texts in one language whichever layout holds them."""

    def __init__(self, tables: dict[str, list[dict[str, str]]]) -> None:
        self.t = tables
        self.new_layout = "question_l10ns" in tables
        surveys = tables.get("surveys") or [{}]
        self.survey = surveys[0]
        self.language = self.survey.get("language") or self._first_language()

    def _first_language(self) -> str:
        for name in ("surveys_languagesettings", "questions", "question_l10ns", "groups"):
            for row in self.t.get(name, []):
                lang = row.get("language") or row.get("surveyls_language")
                if lang:
                    return lang
        return ""

    def _in_language(
        self, rows: list[dict[str, str]], key: str = "language"
    ) -> list[dict[str, str]]:
        matching = [r for r in rows if not r.get(key) or r.get(key) == self.language]
        return matching or rows

    def settings(self) -> dict[str, str]:
        rows = self._in_language(self.t.get("surveys_languagesettings", []), "surveyls_language")
        return rows[0] if rows else {}

    def groups(self) -> list[dict[str, str]]:
        groups = self._in_language(self.t.get("groups", []))
        seen: dict[str, dict[str, str]] = {}
        for group in groups:
            seen.setdefault(group.get("gid", ""), dict(group))
        if self.new_layout:
            texts = {r.get("gid"): r for r in self._in_language(self.t.get("group_l10ns", []))}
            for gid, group in seen.items():
                group.update({k: v for k, v in (texts.get(gid) or {}).items() if k != "id"})
        return sorted(seen.values(), key=lambda g: _order(g, "group_order"))

    def questions(self, parent: str | None = None) -> list[dict[str, str]]:
        """Top-level questions (``parent`` None) or the subquestions of one."""
        wanted = [
            r
            for r in self._question_rows
            if (r.get("parent_qid") in ("", "0", None)) == (parent is None)
            and (parent is None or r.get("parent_qid") == parent)
        ]
        return sorted(wanted, key=lambda r: _order(r, "question_order"))

    @functools.cached_property
    def _question_rows(self) -> list[dict[str, str]]:
        """Every question and subquestion row once, with its texts in the
        survey's language (merged from question_l10ns in the newer layout); read
        once, not for every group and every question."""
        rows = self._in_language(self.t.get("questions", []) + self.t.get("subquestions", []))
        seen: dict[tuple[str, str], dict[str, str]] = {}
        for row in rows:
            key = (row.get("qid", ""), row.get("scale_id", "0") or "0")
            seen.setdefault(key, dict(row))
        if self.new_layout:
            texts = {r.get("qid"): r for r in self._in_language(self.t.get("question_l10ns", []))}
            for (qid, _), row in seen.items():
                extra = texts.get(qid) or {}
                row["question"] = extra.get("question", row.get("question", ""))
                row["help"] = extra.get("help", row.get("help", ""))
        return list(seen.values())

    def answers(self, qid: str, scale: str = "0") -> list[tuple[str, str]]:
        """``(code, text)`` of a question's answer options, in order."""
        rows = [
            r
            for r in self.t.get("answers", [])
            if r.get("qid") == qid and (r.get("scale_id") or "0") == scale
        ]
        if self.new_layout:
            texts = {
                r.get("aid"): r.get("answer", "")
                for r in self._in_language(self.t.get("answer_l10ns", []))
            }
            rows = [{**r, "answer": texts.get(r.get("aid"), r.get("answer", ""))} for r in rows]
        else:
            rows = self._in_language(rows)
        seen: dict[str, dict[str, str]] = {}
        for row in rows:
            seen.setdefault(row.get("code", ""), row)
        ordered = sorted(seen.values(), key=lambda r: _order(r, "sortorder"))
        return [(r.get("code", ""), _plain(r.get("answer", ""))) for r in ordered]

    def attributes(self, qid: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for row in self.t.get("question_attributes", []):
            if row.get("qid") == qid and (
                not row.get("language") or row.get("language") == self.language
            ):
                out[row.get("attribute", "")] = row.get("value", "")
        return out


# -- importing ---------------------------------------------------------------------------


def import_lss(text: str) -> Imported:
    """A plc survey definition from the text of an ``.lss`` file, with a report."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise ValidationError(
            "this LimeSurvey file is over 20 MB; plc reads survey structures only."
        )
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValidationError(
            f"this is not a readable LimeSurvey file ({exc}); export it again from LimeSurvey."
        ) from None
    if root.findtext("LimeSurveyDocType", "").strip() != "Survey":
        raise ValidationError(
            "this LimeSurvey file holds no survey (LimeSurveyDocType is not Survey)."
        )
    source = _Source(_tables(root))
    report: list[str] = []
    importer = _Importer(source, report)
    return Imported(importer.definition(), report)


class _Importer:
    def __init__(self, source: _Source, report: list[str]) -> None:
        self.s = source
        self.report = report
        self.ids: dict[str, str] = {}  # LimeSurvey question code -> plc id
        self.kinds: dict[str, dict[str, Any]] = {}  # plc id -> question, to translate conditions
        self.codes_by_qid: dict[str, str] = {}

    def definition(self) -> dict[str, Any]:
        settings = self.s.settings()
        title = _plain(settings.get("surveyls_title", "")) or "Imported survey"
        sections = []
        for group in self.s.groups():
            questions = []
            for row in self.s.questions():
                if row.get("gid") != group.get("gid"):
                    continue
                questions.extend(self.question(row))
            if not questions:
                name = _plain(group.get("group_name", ""))
                self.report.append(f"group {name!r} had no question plc keeps; left out.")
                continue
            section: dict[str, Any] = {
                "title": _plain(group.get("group_name", ""))[:80] or f"Section {len(sections) + 1}",
                "questions": questions,
            }
            description = _plain(group.get("description", ""))
            if description:
                section["description"] = description[:1000]
            relevance = (group.get("grelevance") or "").strip()
            if relevance and relevance != "1":
                condition = self.condition(relevance, f"group {section['title']!r}")
                if condition:
                    section["show_if"] = condition
            sections.append(section)
        titles: set[str] = set()
        for section in sections:  # LimeSurvey allows two groups of one name; plc does not
            base, n = section["title"], 2
            while section["title"].casefold() in titles:
                section["title"] = f"{base} ({n})"
                n += 1
            titles.add(section["title"].casefold())
        if not sections:
            raise ValidationError("this LimeSurvey survey has no question plc can keep.")
        definition: dict[str, Any] = {
            "title": title[:120],
            "anonymous": self.s.survey.get("anonymized", "Y") != "N",
            "sections": sections,
        }
        description = _plain(settings.get("surveyls_description", ""))
        if description:
            definition["description"] = description[:1000]
        return definition

    def _id(self, code: str) -> str:
        base = _ID.sub("_", code)[:40] or "q"
        qid, n = base, 2
        while qid in self.kinds:
            qid = f"{base[:36]}_{n}"
            n += 1
        return qid

    def question(self, row: dict[str, str]) -> list[dict[str, Any]]:
        kind = row.get("type", "")
        code = row.get("title", "") or f"q{row.get('qid')}"
        text = _plain(row.get("question", "")) or code
        attrs = self.s.attributes(row.get("qid", ""))
        name = TYPE_NAMES.get(kind, f"type {kind!r}")
        where = f"{code} ({name})"
        if attrs.get("hidden") == "1":
            self.report.append(
                f"{where} is hidden in LimeSurvey (filled in by the survey, not asked); left out."
            )
            return []
        if kind in ("|", "*", "I") or kind not in TYPE_NAMES:
            self.report.append(f"{where}: plc has no {name} question; left out.")
            return []
        base: dict[str, Any] = {
            "text": text[:300],
            "required": row.get("mandatory") == "Y",
        }
        if row.get("mandatory") == "S":
            self.report.append(f"{where} was soft-mandatory; in plc it is optional.")
        help_text = _plain(row.get("help", ""))
        if help_text:
            base["help"] = help_text[:300]
        made = self._make(kind, row, code, base, attrs, where)
        relevance = (row.get("relevance") or "").strip()
        condition = None
        if relevance and relevance != "1":
            condition = self.condition(relevance, where)
        elif not relevance or relevance == "1":
            condition = self._old_conditions(row.get("qid", ""), where)
        for question in made:
            if condition:
                question["show_if"] = condition
            self.kinds[question["id"]] = question
        if made:
            self.ids[code] = made[0]["id"]
            self.codes_by_qid[row.get("qid", "")] = code
        return made

    def _make(
        self,
        kind: str,
        row: dict[str, str],
        code: str,
        base: dict[str, Any],
        attrs: dict[str, str],
        where: str,
    ) -> list[dict[str, Any]]:
        qid = row.get("qid", "")
        subs = self.s.questions(parent=qid)
        if kind in ("L", "!", "O", "G"):
            options = [("F", "Female"), ("M", "Male")] if kind == "G" else self.s.answers(qid)
            if not options and row.get("other") != "Y":
                self.report.append(f"{where} has no answer options; left out.")
                return []
            q = {
                "id": self._id(code),
                "type": "single",
                **base,
                "options": [{"code": c, "label": t or c} for c, t in options],
            }
            if row.get("other") == "Y":
                q["other"] = _plain(attrs.get("other_replace_text", "")) or True
            if kind == "O":
                q["comment"] = True
            return [q]
        if kind in ("M", "P"):
            options = [(s.get("title", ""), _plain(s.get("question", ""))) for s in subs]
            q = {
                "id": self._id(code),
                "type": "multi",
                **base,
                "options": [{"code": c, "label": t or c} for c, t in options],
            }
            if row.get("other") == "Y":
                q["other"] = _plain(attrs.get("other_replace_text", "")) or True
            for attr, key in (("min_answers", "min_select"), ("max_answers", "max_select")):
                if attrs.get(attr, "").strip().isdigit():
                    q[key] = int(attrs[attr])
            if kind == "P":
                q["comment"] = True
                self.report.append(
                    f"{where}: a comment per option becomes one comment for the question."
                )
            if attrs.get("exclude_all_others"):
                self.report.append(
                    f"{where}: 'exclude all others' is not kept; any options may be ticked."
                )
            return [q]
        if kind in ("F", "A", "B", "C", "E", "H", "1"):
            labels: list[str]
            if kind == "A":
                labels = [str(n) for n in range(1, 6)]
            elif kind == "B":
                labels = [str(n) for n in range(1, 11)]
            elif kind == "C":
                labels = ["Yes", "Uncertain", "No"]
            elif kind == "E":
                labels = ["Increase", "Same", "Decrease"]
            else:
                labels = [t or c for c, t in self.s.answers(qid)]
            if kind == "H":
                self.report.append(
                    f"{where} is shown by row in plc (statements down, scale across)."
                )
            if kind == "1":
                self.report.append(f"{where}: only the first of its two scales is kept.")
            if not subs or not scales.MIN_POINTS <= len(labels) <= scales.MAX_POINTS:
                self.report.append(
                    f"{where}: a grid needs statements and 2 to 11 points; left out."
                )
                return []
            return [
                {
                    "id": self._id(code),
                    "type": "grid",
                    **base,
                    "labels": labels,
                    "rows": [
                        {
                            "id": _ID.sub("_", s.get("title", "")) or f"r{n}",
                            "text": _plain(s.get("question", "")) or s.get("title", ""),
                        }
                        for n, s in enumerate(subs, 1)
                    ],
                }
            ]
        if kind in (":", ";"):
            self.report.append(
                f"{where}: plc has no array of {'numbers' if kind == ':' else 'texts'}; left out."
            )
            return []
        if kind == "5":
            return [
                {
                    "id": self._id(code),
                    "type": "likert",
                    **base,
                    "labels": [str(n) for n in range(1, 6)],
                }
            ]
        if kind == "Y":
            return [{"id": self._id(code), "type": "yes_no", **base}]
        if kind == "N":
            q = {"id": self._id(code), "type": "number", **base}
            for attr, key in (("min_num_value_n", "min"), ("max_num_value_n", "max")):
                value = attrs.get(attr, "").strip()
                if re.fullmatch(r"-?\d+(\.\d+)?", value):
                    q[key] = float(value) if "." in value else int(value)
            return [q]
        if kind in ("K", "Q"):
            made = []
            for sub in subs:
                sub_code = f"{code}_{sub.get('title', '')}"
                made.append(
                    {
                        "id": self._id(sub_code),
                        "type": "number" if kind == "K" else "short_text",
                        **base,
                        "text": f"{base['text']}: {_plain(sub.get('question', ''))}"[:300],
                    }
                )
                self.ids[sub_code] = made[-1]["id"]
            self.report.append(f"{where} becomes {len(made)} questions, one per part.")
            return made
        if kind == "S":
            return [{"id": self._id(code), "type": "short_text", **base}]
        if kind in ("T", "U"):
            return [{"id": self._id(code), "type": "long_text", **base}]
        if kind == "D":
            return [{"id": self._id(code), "type": "date", **base}]
        if kind == "R":
            options = self.s.answers(qid)
            return [
                {
                    "id": self._id(code),
                    "type": "ranking",
                    **base,
                    "options": [{"code": c, "label": t or c} for c, t in options],
                }
            ]
        if kind == "X":
            return [
                {
                    "id": self._id(code),
                    "type": "text_block",
                    "text": base["text"],
                    "required": False,
                }
            ]
        self.report.append(f"{where}: not kept.")
        return []

    # -- conditions ------------------------------------------------------------------

    def condition(self, expression: str, where: str) -> dict[str, Any] | None:
        try:
            parsed = _Parser(expression).parse()
            return self._translate(parsed)
        except _Unsupported as exc:
            self.report.append(
                f"{where}: its condition {expression.strip()!r} is not kept ({exc}); "
                "it is always asked."
            )
            return None

    def _translate(self, node: Any) -> dict[str, Any]:
        kind = node[0]
        if kind in ("and", "or"):
            parts = [self._translate(n) for n in node[1]]
            return {"all" if kind == "and" else "any": parts}
        if kind == "not":
            inner = node[1]
            if inner[0] == "empty":
                return self._leaf(inner[1], "answered", True)
            raise _Unsupported("a 'not' plc cannot turn around")
        if kind == "empty":
            return self._leaf(node[1], "answered", False)
        if kind == "cmp":
            _, variable, op, value = node
            return self._leaf(variable, op, value)
        raise _Unsupported("an expression plc cannot read")

    def _leaf(self, variable: str, op: Any, value: Any) -> dict[str, Any]:
        name = variable.split(".")[0].strip("{}")
        if name in self.ids and self.ids[name] in self.kinds:
            target = self.kinds[self.ids[name]]
            row = None
        else:
            base, _, sub = name.rpartition("_")
            if base not in self.ids or self.ids[base] not in self.kinds:
                raise _Unsupported(f"{name} is not an earlier question")
            target = self.kinds[self.ids[base]]
            row = sub
        qid, qtype = target["id"], target["type"]
        if op == "answered":
            condition: dict[str, Any] = {"question": qid, "answered": value}
            if row is not None and qtype == "grid":
                condition["row"] = row
            return condition
        if row is not None and qtype == "multi":
            ticked = value in ("Y", "y")
            if op not in ("==", "!=") or value not in ("Y", ""):
                raise _Unsupported("a test on a ticked option other than == 'Y'")
            includes = (op == "==") == ticked
            return {"question": qid, "includes" if includes else "excludes": [row]}
        if row is not None and qtype == "grid":
            point = self._grid_point(target, value)
            return {"question": qid, "row": row, **_op(op, point)}
        if qtype == "grid" or row is not None:
            raise _Unsupported(f"{name} is a part plc does not keep")
        if qtype in ("single", "ranking"):
            return {"question": qid, **_op(op, str(value), lists=True)}
        if qtype == "yes_no":
            if op not in ("==", "!="):
                raise _Unsupported("an order on yes/no")
            yes = str(value).upper() == "Y"
            return {"question": qid, "in" if op == "==" else "not_in": [yes]}
        if qtype in ("number", "likert"):
            try:
                number = float(value) if "." in str(value) else int(value)
            except (TypeError, ValueError):
                raise _Unsupported(f"{value!r} is not a number") from None
            return {"question": qid, **_op(op, number)}
        if qtype in ("short_text", "long_text", "date"):
            if op not in ("==", "!=") or value != "":
                raise _Unsupported("a test on the words of a text answer")
            return {"question": qid, "answered": op == "!="}
        raise _Unsupported(f"a test on a {qtype} question")

    @staticmethod
    def _grid_point(target: dict[str, Any], value: Any) -> int:
        labels = target["labels"]
        codes = [str(n) for n in range(1, len(labels) + 1)]
        text = str(value)
        if text in codes:
            return codes.index(text) + 1
        # Arrays store the answer code (A1, A2...): its place in the options is the point.
        match = re.fullmatch(r"[A-Za-z]*0*(\d+)", text)
        if match and 1 <= int(match.group(1)) <= len(labels):
            return int(match.group(1))
        raise _Unsupported(f"{value!r} is not a point of {target['id']}")

    def _old_conditions(self, qid: str, where: str) -> dict[str, Any] | None:
        """LimeSurvey 2's conditions table: same scenario AND, scenarios OR."""
        rows = [r for r in self.s.t.get("conditions", []) if r.get("qid") == qid]
        if not rows:
            return None
        scenarios: dict[str, list[dict[str, Any]]] = {}
        try:
            for row in rows:
                code = self.codes_by_qid.get(row.get("cqid", ""))
                if code is None:
                    raise _Unsupported("it looks at a question plc did not keep")
                field_name = row.get("cfieldname", "")
                sub = (
                    field_name.rsplit("X", 1)[-1][len(row.get("cqid", "")) :]
                    if "X" in field_name
                    else ""
                )
                variable = f"{code}_{sub}" if sub else code
                op = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}.get(
                    (row.get("method") or "==").strip()
                )
                if op is None:
                    raise _Unsupported(f"its test {row.get('method')!r}")
                scenarios.setdefault(row.get("scenario", "1"), []).append(
                    self._leaf(variable, op, row.get("value", ""))
                )
        except _Unsupported as exc:
            self.report.append(
                f"{where}: its LimeSurvey conditions are not kept ({exc}); it is always asked."
            )
            return None
        groups = [parts[0] if len(parts) == 1 else {"all": parts} for parts in scenarios.values()]
        return groups[0] if len(groups) == 1 else {"any": groups}


def _op(op: str, value: Any, lists: bool = False) -> dict[str, Any]:
    if op == "==":
        return {"in": [value]}
    if op == "!=":
        return {"not_in": [value]}
    if lists:
        raise _Unsupported("an order on a choice")
    return {{"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}[op]: value}


# -- relevance equations ---------------------------------------------------------------


class _Unsupported(Exception):
    pass


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<num>-?\d+(?:\.\d+)?)
      | (?P<op>==|!=|<=|>=|<|>|&&|\|\||!|\(|\)|,)
      | (?P<word>[A-Za-z_{][A-Za-z0-9_.{}#]*)
    )""",
    re.VERBOSE,
)
_WORD_OPS = {
    "eq": "==",
    "ne": "!=",
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
    "and": "&&",
    "or": "||",
    "not": "!",
}


class _Parser:
    """A small reader for the relevance equations plc can express:
    comparisons, is_empty(), !, and/or, parentheses."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        text = text.strip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if not match or match.end() == position:
                raise _Unsupported(f"plc cannot read {text[position : position + 12]!r}")
            position = match.end()
            kind = match.lastgroup or ""
            value = match.group(kind)
            if kind == "word" and value.lower() in _WORD_OPS:
                kind, value = "op", _WORD_OPS[value.lower()]
            self.tokens.append((kind, value))
        self.at = 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise _Unsupported("it ends too soon")
        self.at += 1
        return token

    def parse(self) -> Any:
        node = self._or()
        if self._peek() is not None:
            raise _Unsupported(f"plc cannot read {self._peek()[1]!r} there")  # type: ignore[index]
        return node

    def _or(self) -> Any:
        parts = [self._and()]
        while self._peek() == ("op", "||"):
            self._take()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def _and(self) -> Any:
        parts = [self._not()]
        while self._peek() == ("op", "&&"):
            self._take()
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def _not(self) -> Any:
        if self._peek() == ("op", "!"):
            self._take()
            return ("not", self._not())
        return self._primary()

    def _primary(self) -> Any:
        kind, value = self._take()
        if (kind, value) == ("op", "("):
            node = self._or()
            if self._take() != ("op", ")"):
                raise _Unsupported("its brackets do not match")
            return node
        if kind == "word" and value.lower() == "is_empty":
            if self._take() != ("op", "("):
                raise _Unsupported("is_empty without its bracket")
            _, variable = self._take()
            if self._take() != ("op", ")"):
                raise _Unsupported("is_empty of more than one thing")
            return ("empty", variable)
        if kind != "word":
            raise _Unsupported(f"plc expected a question, not {value!r}")
        op_kind, op = self._take()
        if op_kind != "op" or op not in ("==", "!=", "<", "<=", ">", ">="):
            raise _Unsupported(f"plc cannot read {op!r} after {value}")
        other_kind, other = self._take()
        if other_kind == "str":
            literal: Any = bytes(other[1:-1], "utf-8").decode("unicode_escape")
        elif other_kind == "num":
            literal = other
        else:
            raise _Unsupported(f"it compares {value} with {other!r}, not with a value")
        return ("cmp", value, op, literal)


# -- writing ---------------------------------------------------------------------------

LSS_DB_VERSION = "366"  # LimeSurvey 3's layout: every later version imports it
LANGUAGE = "en"


@dataclass
class Exported:
    """A survey as LimeSurvey structure text, and what LimeSurvey has no place for."""

    text: str
    report: list[str] = field(default_factory=list)


def export_lss(definition: dict[str, Any], survey_id: int = 100000) -> Exported:
    """An ``.lss`` document LimeSurvey imports, from a stored plc survey; the
    report lists what LimeSurvey has no place for."""
    writer = _Writer(definition, survey_id)
    return Exported(writer.document(), writer.report)


class _Writer:
    def __init__(self, definition: dict[str, Any], sid: int) -> None:
        self.d = definition
        self.sid = str(sid)
        self.report: list[str] = []
        self.rows: dict[str, list[dict[str, str]]] = {
            name: []
            for name in (
                "answers",
                "groups",
                "questions",
                "subquestions",
                "question_attributes",
                "surveys",
                "surveys_languagesettings",
            )
        }
        self.next_qid = 1
        self.by_id: dict[str, dict[str, Any]] = {}
        self.qcode: dict[str, str] = {}  # plc question id -> LimeSurvey code
        self.vcode: dict[str, dict[Any, str]] = {}  # plc id -> {option code or row id: code}

    def _qid(self) -> str:
        qid = str(self.next_qid)
        self.next_qid += 1
        return qid

    def document(self) -> str:
        d = self.d
        self.rows["surveys"].append(
            {
                "sid": self.sid,
                "language": LANGUAGE,
                "anonymized": "Y" if d.get("anonymous", True) else "N",
                "active": "N",
                "format": "G",
            }
        )
        self.rows["surveys_languagesettings"].append(
            {
                "surveyls_survey_id": self.sid,
                "surveyls_language": LANGUAGE,
                "surveyls_title": d["title"],
                "surveyls_description": d.get("description", ""),
            }
        )
        infos = {info["title"]: info for info in d.get("sections") or []}
        groups: list[tuple[str, list[dict[str, Any]]]] = []
        for question in d["questions"]:
            title = question.get("section") or ""
            if not groups or groups[-1][0] != title:
                groups.append((title, []))
            groups[-1][1].append(question)
        for order, (title, questions) in enumerate(groups):
            gid = str(order + 1)
            info = infos.get(title, {})
            self.rows["groups"].append(
                {
                    "gid": gid,
                    "sid": self.sid,
                    "group_name": title or d["title"],
                    "group_order": str(order),
                    "description": info.get("description", ""),
                    "language": LANGUAGE,
                    "grelevance": self._relevance(info["show_if"]) if info.get("show_if") else "",
                }
            )
            if info.get("score"):
                self.report.append(
                    f"section {title!r}: LimeSurvey has no section score; compute it from the "
                    "answers, or keep the survey in plc."
                )
            for q_order, question in enumerate(questions):
                self._question(question, gid, q_order)
        root = ET.Element("document")
        ET.SubElement(root, "LimeSurveyDocType").text = "Survey"
        ET.SubElement(root, "DBVersion").text = LSS_DB_VERSION
        languages = ET.SubElement(root, "languages")
        ET.SubElement(languages, "language").text = LANGUAGE
        for name, rows in self.rows.items():
            if not rows:
                continue
            table = ET.SubElement(root, name)
            fields = ET.SubElement(table, "fields")
            names = list(dict.fromkeys(k for row in rows for k in row))
            for field_name in names:
                ET.SubElement(fields, "fieldname").text = field_name
            body = ET.SubElement(table, "rows")
            for row in rows:
                element = ET.SubElement(body, "row")
                for field_name in names:
                    ET.SubElement(element, field_name).text = row.get(field_name, "")
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")

    def _question(self, q: dict[str, Any], gid: str, order: int) -> None:
        qid = self._qid()
        self.by_id[q["id"]] = q
        kind = q["type"]
        lss_type = {
            "single": "O" if q.get("comment") else "L",
            "multi": "P" if q.get("comment") else "M",
            "likert": "L",
            "rating": "L",
            "yes_no": "Y",
            "number": "N",
            "short_text": "S",
            "long_text": "T",
            "date": "D",
            "ranking": "R",
            "grid": "F",
            "text_block": "X",
        }.get(kind)
        if lss_type is None:
            self.report.append(
                f"{q['id']}: a {kind} question (a plugin's own type) has no LimeSurvey "
                "form; left out."
            )
            return
        code = _unique(_lss_code(q["id"]), set(self.qcode.values()), 20)
        self.qcode[q["id"]] = code
        row = {
            "qid": qid,
            "parent_qid": "0",
            "sid": self.sid,
            "gid": gid,
            "type": lss_type,
            "title": code,
            "question": q["text"],
            "help": q.get("help", ""),
            "other": "Y" if q.get("other") else "N",
            "mandatory": "Y" if q.get("required") else "N",
            "question_order": str(order),
            "language": LANGUAGE,
            "scale_id": "0",
            "relevance": self._relevance(q["show_if"]) if q.get("show_if") else "1",
        }
        self.rows["questions"].append(row)
        if kind in ("single", "ranking"):
            from .question_types import option_codes

            codes = _codes(option_codes(q), 5, "A")
            self.vcode[q["id"]] = dict(zip(option_codes(q), codes, strict=True))
            for n, (answer, label) in enumerate(zip(codes, q["options"], strict=True)):
                self._answer(qid, answer, label, n)
        elif kind == "likert" or kind == "grid":
            for n, label in enumerate(scales.labels_of(q), 1):
                self._answer(qid, f"A{n}" if kind == "grid" else str(n), label, n)
            lost = [k for k in ("not_applicable", "descending", "reverse") if q.get(k)]
            if any(r.get("reverse") for r in q.get("rows") or []):
                lost.append("reversed statements")
            if kind == "likert":
                self.report.append(
                    f"{q['id']}: a scale becomes a LimeSurvey list; its points keep their "
                    "numbers as answer codes."
                )
            if lost:
                self.report.append(
                    f"{q['id']}: {', '.join(lost)} has no LimeSurvey setting; left out."
                )
        elif kind == "rating":
            for n, point in enumerate(range(q.get("min", 1), q.get("max", 5) + 1)):
                self._answer(qid, str(point), str(point), n)
        if kind == "multi":
            from .question_types import option_codes

            codes = _codes(option_codes(q), 20, "SQ")
            self.vcode[q["id"]] = dict(zip(option_codes(q), codes, strict=True))
            for n, (sub, label) in enumerate(zip(codes, q["options"], strict=True)):
                self._sub(qid, gid, sub, label, n)
            for key, attr in (("min_select", "min_answers"), ("max_select", "max_answers")):
                if key in q:
                    self._attribute(qid, attr, str(q[key]))
        if kind == "grid":
            codes = _codes([r["id"] for r in q["rows"]], 20, "SQ")
            self.vcode[q["id"]] = {r["id"]: c for r, c in zip(q["rows"], codes, strict=True)}
            for n, (sub, grid_row) in enumerate(zip(codes, q["rows"], strict=True)):
                self._sub(qid, gid, sub, grid_row["text"], n)
        if kind == "number":
            for key, attr in (("min", "min_num_value_n"), ("max", "max_num_value_n")):
                if key in q:
                    self._attribute(qid, attr, str(q[key]))
        if isinstance(q.get("other"), str) and q["other"] != "Other, please specify":
            self._attribute(qid, "other_replace_text", q["other"])

    def _answer(self, qid: str, code: str, text: str, order: int) -> None:
        self.rows["answers"].append(
            {
                "qid": qid,
                "code": code,
                "answer": text,
                "sortorder": str(order),
                "assessment_value": "0",
                "language": LANGUAGE,
                "scale_id": "0",
            }
        )

    def _sub(self, parent: str, gid: str, code: str, text: str, order: int) -> None:
        self.rows["subquestions"].append(
            {
                "qid": self._qid(),
                "parent_qid": parent,
                "sid": self.sid,
                "gid": gid,
                "type": "T",
                "title": code,
                "question": text,
                "other": "N",
                "mandatory": "N",
                "question_order": str(order),
                "language": LANGUAGE,
                "scale_id": "0",
            }
        )

    def _attribute(self, qid: str, attribute: str, value: str) -> None:
        self.rows["question_attributes"].append(
            {"qid": qid, "attribute": attribute, "value": value, "language": ""}
        )

    def _relevance(self, condition: dict[str, Any]) -> str:
        if "all" in condition or "any" in condition:
            key = "all" if "all" in condition else "any"
            joined = " and " if key == "all" else " or "
            return "(" + joined.join(self._relevance(c) for c in condition[key]) + ")"
        target = self.by_id.get(condition["question"], {})
        known = self.vcode.get(condition["question"], {})
        name = self.qcode.get(condition["question"], _lss_code(condition["question"]))
        if "row" in condition:
            name = f"{name}_{known.get(condition['row'], condition['row'])}"
        if "answered" in condition:
            return f"{'!' if condition['answered'] else ''}is_empty({name})"
        for op, symbol, joiner in (("in", "==", " or "), ("not_in", "!=", " and ")):
            if op in condition:
                values = [
                    self._literal(target, known.get(v, v), "row" in condition)
                    for v in condition[op]
                ]
                return "(" + joiner.join(f"{name}.NAOK {symbol} {v}" for v in values) + ")"
        for op, test, joiner in (("includes", "==", " or "), ("excludes", "!=", " and ")):
            if op in condition:
                return (
                    "("
                    + joiner.join(
                        f'{name}_{known.get(v, v)}.NAOK {test} "Y"' for v in condition[op]
                    )
                    + ")"
                )
        for op, symbol in (("gt", ">"), ("gte", ">="), ("lt", "<"), ("lte", "<=")):
            if op in condition:
                value = condition[op]
                if "row" in condition:
                    value = f'"A{value}"'
                elif isinstance(value, str):
                    value = f'"{value}"'
                return f"{name}.NAOK {symbol} {value}"
        return "1"

    @staticmethod
    def _literal(target: dict[str, Any], value: Any, grid_row: bool) -> str:
        if grid_row:
            return f'"A{value}"'
        if value is True or value is False:
            return '"Y"' if value else '"N"'
        if isinstance(value, int | float):
            return str(value)
        return '"' + str(value).replace('"', '\\"') + '"'


def _lss_code(code: str) -> str:
    """LimeSurvey codes are letters and digits, starting with a letter."""
    cleaned = re.sub(r"[^A-Za-z0-9]", "", str(code))
    return cleaned if cleaned[:1].isalpha() else f"Q{cleaned}"


def _codes(wanted: list[Any], limit: int, prefix: str) -> list[str]:
    """LimeSurvey codes for options or rows: their own where valid and unique,
    else by position (A1, A2... / SQ001...)."""
    codes = [_lss_code(c) for c in wanted]
    if len(set(codes)) == len(codes) and all(len(c) <= limit for c in codes):
        return codes
    if prefix == "A":
        return [f"A{n}" for n in range(1, len(wanted) + 1)]
    return [f"{prefix}{n:03d}" for n in range(1, len(wanted) + 1)]


def _unique(code: str, used: set[str], limit: int) -> str:
    code = code[:limit]
    n = 2
    while code in used:
        code = f"{code[: limit - len(str(n))]}{n}"
        n += 1
    return code

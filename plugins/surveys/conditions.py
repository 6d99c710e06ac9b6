"""When a question (or a whole section) is asked: "show only if" conditions.

A condition looks back at an earlier question's answer::

    {"question": "role", "equals": "Teacher"}          {"question": "role", "not": "Other"}
    {"question": "q1", "in": [1, 2]}                   {"question": "q1", "not_in": [5]}
    {"question": "subjects", "includes": "Math"}       {"question": "subjects", "excludes": ["Art"]}
    {"question": "years", "gte": 5}                    (also gt, lt, lte: numbers, scales, dates)
    {"question": "climate", "row": "r2", "lte": 2}     (one statement of a grid)
    {"question": "comment", "answered": true}
    {"all": [cond, cond, ...]}                         {"any": [cond, cond, ...]}

Conditions may only refer to earlier questions, so they can never loop; every
value is checked against the question it names when the survey is built, so a
condition that can never be true (a misspelt option) is refused then, not
discovered by a teacher who never sees a question. Plain Python.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plc_tui.api import QuestionType, ValidationError

from . import scales
from .question_types import no_answer

LIST_OPS = ("in", "not_in", "includes", "excludes")
ORDER_OPS = ("gt", "gte", "lt", "lte")
OPS = (*LIST_OPS, *ORDER_OPS, "answered")
ALIASES = {"equals": "in", "not": "not_in"}
ORDERED_TYPES = ("likert", "rating", "number", "date", "grid")
MAX_DEPTH = 4
EXAMPLE = '{"question": "q1", "equals": 4}'


def parse_condition(
    raw: Any,
    where: str,
    types: dict[str, QuestionType],
    earlier: list[dict[str, Any]],
    depth: int = 0,
) -> dict[str, Any]:
    """A condition, checked and normalised (``equals`` becomes ``in``, values
    become the stored answers they match: an option's code, a scale point)."""
    if isinstance(raw, dict) and (set(raw) & {"all", "any"}):
        if len(raw) != 1 or not isinstance(next(iter(raw.values())), list):
            raise ValidationError(f'{where}: show_if {{"all": [...]}} or {{"any": [...]}} alone.')
        if depth >= MAX_DEPTH:
            raise ValidationError(f"{where}: show_if nests all/any more than {MAX_DEPTH} deep.")
        key, parts = next(iter(raw.items()))
        if not parts:
            raise ValidationError(f"{where}: show_if {key} needs at least one condition.")
        return {key: [parse_condition(p, where, types, earlier, depth + 1) for p in parts]}
    if not isinstance(raw, dict) or "question" not in raw:
        raise ValidationError(
            f"{where}: show_if must be like {EXAMPLE}, with one of: "
            f"equals, not, {', '.join(OPS)}; or all/any of such conditions."
        )
    ops = [k for k in raw if k in OPS or k in ALIASES]
    extra = set(raw) - {"question", "row", *ops}
    if len(ops) != 1 or extra:
        raise ValidationError(
            f"{where}: a show_if names a question and exactly one test "
            f"(equals, not, {', '.join(OPS)}), like {EXAMPLE}."
        )
    given = ops[0]
    op = ALIASES.get(given, given)
    value = raw[given]
    target = next((q for q in earlier if q["id"] == raw["question"]), None)
    if target is None:
        raise ValidationError(
            f"{where}: show_if must refer to an earlier question (conditions look only "
            f"back, so they cannot loop), not {raw['question']!r}."
        )
    kind = target["type"]
    condition: dict[str, Any] = {"question": target["id"]}
    row = raw.get("row")
    if kind == "grid":
        rows = [r["id"] for r in target["rows"]]
        if row not in rows:
            raise ValidationError(
                f"{where}: show_if on grid {target['id']} needs a row (one of {', '.join(rows)})."
            )
        condition["row"] = row
    elif row is not None:
        raise ValidationError(f"{where}: show_if row applies only to grid questions.")
    if op == "answered":
        if not isinstance(value, bool):
            raise ValidationError(f"{where}: show_if answered must be true or false.")
        condition[op] = value
        return condition
    if kind == "multi" and op in ("in", "not_in"):
        op = "includes" if op == "in" else "excludes"  # a list of ticks includes a choice
    if op in ("includes", "excludes") and kind != "multi":
        raise ValidationError(
            f"{where}: show_if {given} applies to multiple choice; "
            f"{target['id']} is {kind}: use equals, not, in or not_in."
        )
    if op in ORDER_OPS and kind not in ORDERED_TYPES:
        raise ValidationError(
            f"{where}: show_if {given} compares numbers, scale points or dates; "
            f"{target['id']} is {kind}."
        )
    values = value if isinstance(value, list) and op in LIST_OPS else [value]
    if not values:
        raise ValidationError(f"{where}: show_if {given} needs at least one value.")
    checked = [_answer_value(target, v, types, where, given) for v in values]
    if op in ORDER_OPS:
        if checked[0] == scales.NA:
            raise ValidationError(f"{where}: 'not applicable' has no order to compare.")
        condition[op] = checked[0]
    else:
        condition[op] = checked
    return condition


def _answer_value(
    target: dict[str, Any], value: Any, types: dict[str, QuestionType], where: str, given: str
) -> Any:
    """``value`` as ``target`` would store it, or a message saying it never can be."""
    try:
        if target["type"] == "grid":
            return scales.validate_point(target, value)
        if target["type"] == "multi":
            return types["single"].validate(target, value)
        return types[target["type"]].validate(target, value)
    except ValidationError as exc:
        raise ValidationError(
            f"{where}: show_if value {value!r} is not a possible answer to "
            f"{target['id']} ({exc.message}), so the condition could never be true"
        ) from None


def referenced(condition: dict[str, Any] | None) -> set[str]:
    """The questions a condition looks at."""
    if not condition:
        return set()
    if "all" in condition or "any" in condition:
        parts = condition.get("all") or condition.get("any") or []
        return set().union(*(referenced(p) for p in parts))
    return {condition["question"]}


def holds(condition: dict[str, Any] | None, answers: dict[str, Any]) -> bool:
    """Whether ``condition`` is true of ``answers`` (answers of questions asked so far)."""
    if not condition:
        return True
    if "all" in condition:
        return all(holds(c, answers) for c in condition["all"])
    if "any" in condition:
        return any(holds(c, answers) for c in condition["any"])
    value = answers.get(condition["question"])
    if "row" in condition:
        value = value.get(condition["row"]) if isinstance(value, dict) else None
    if "answered" in condition:
        return (not no_answer(value)) == condition["answered"]
    if no_answer(value):
        return False
    chosen = value if isinstance(value, list) else [value]
    if "in" in condition:
        return any(v in condition["in"] for v in chosen)
    if "not_in" in condition:
        return not any(v in condition["not_in"] for v in chosen)
    if "includes" in condition:
        return any(v in chosen for v in condition["includes"])
    if "excludes" in condition:
        return not any(v in chosen for v in condition["excludes"])
    if value == scales.NA or isinstance(value, bool):
        return False
    for op, test in (
        ("gt", lambda a, b: a > b),
        ("gte", lambda a, b: a >= b),
        ("lt", lambda a, b: a < b),
        ("lte", lambda a, b: a <= b),
    ):
        if op in condition:
            try:
                return bool(test(value, condition[op]))
            except TypeError:  # a stored answer of another kind never matches
                return False
    return False


def export_condition(condition: dict[str, Any]) -> dict[str, Any]:
    """A stored condition as a person would write it (``equals`` for one value)."""
    if "all" in condition or "any" in condition:
        key = "all" if "all" in condition else "any"
        return {key: [export_condition(c) for c in condition[key]]}
    out = {k: v for k, v in condition.items() if k in ("question", "row")}
    for op in OPS:
        if op in condition:
            value = condition[op]
            if op == "in" and len(value) == 1:
                out["equals"] = value[0]
            elif op == "not_in" and len(value) == 1:
                out["not"] = value[0]
            else:
                out[op] = value
    return out


def describe(
    condition: dict[str, Any],
    texts: dict[str, str],
    say: Callable[[dict[str, Any], Any], str] | None = None,
) -> str:
    """A condition in words, for the builder ("question 3 is 4 or 5 and question 5
    includes Math"); ``texts`` names each question (by id otherwise)."""
    if "all" in condition or "any" in condition:
        key = "all" if "all" in condition else "any"
        joined = " and " if key == "all" else " or "
        return joined.join(describe(c, texts, say) for c in condition[key])
    name = texts.get(condition["question"], condition["question"])
    if "row" in condition:
        name += f" row {condition['row']}"
    words = {
        "in": "is",
        "not_in": "is not",
        "includes": "includes",
        "excludes": "excludes",
        "gt": ">",
        "gte": "≥",
        "lt": "<",
        "lte": "≤",
    }
    if "answered" in condition:
        return f"{name} is {'answered' if condition['answered'] else 'not answered'}"
    for op, word in words.items():
        if op in condition:
            value = condition[op]
            values = value if isinstance(value, list) else [value]
            words_of = [say(condition, v) if say else str(v) for v in values]
            return f"{name} {word} {' or '.join(words_of)}"
    return name

"""The built-in question types, registered through ``register_question_types``.

Each type is validation, aggregation and export in plain Python; the entry
widgets live in :mod:`.answer_widgets` and are imported only by the app.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from plc_tui.api import QuestionType, ValidationError, clean, one_line

LIKERT_LABELS = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
OPTION_MAX = 100
MAX_OPTIONS = 20
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000


# -- shared pieces --------------------------------------------------------------


def _options(question: dict[str, Any], minimum: int = 2) -> None:
    options = question.get("options")
    if not isinstance(options, list) or len(options) < minimum:
        raise ValidationError(f'needs "options": a list of at least {minimum} choices.')
    if len(options) > MAX_OPTIONS:
        raise ValidationError(f"can have at most {MAX_OPTIONS} options.")
    cleaned = [clean(o, field="An option", max_length=OPTION_MAX) for o in options]
    if len({o.casefold() for o in cleaned}) != len(cleaned):
        raise ValidationError("has the same option twice.")
    question["options"] = cleaned


def _no_extras(question: dict[str, Any], *allowed: str) -> None:
    extras = {"options", "labels", "min", "max", "min_select", "max_select"} - set(allowed)
    present = sorted(k for k in extras if k in question)
    if present:
        raise ValidationError(f"a {question['type']} question does not take {', '.join(present)}.")


def _int(value: Any, what: str = "a whole number") -> int:
    if isinstance(value, bool):
        raise ValidationError(f"must be {what}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValidationError(f"must be {what}, not {value!r}.")


def _numeric_summary(values: list[float]) -> dict[str, Any]:
    if not values:
        return {}
    return {
        "mean": round(statistics.fmean(values), 2),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def _counts(
    labels: list[str], values: list[Any], keys: list[Any] | None = None
) -> list[dict[str, Any]]:
    keys = keys if keys is not None else labels
    tally = Counter(values)
    total = len(values)
    return [
        {
            "label": label,
            "value": key,
            "count": tally.get(key, 0),
            "percent": round(100 * tally.get(key, 0) / total) if total else 0,
        }
        for label, key in zip(labels, keys, strict=True)
    ]


def _csv_plain(question: dict[str, Any], value: Any) -> str:
    return "" if value is None else str(value)


# -- likert ---------------------------------------------------------------------


def likert_labels(question: dict[str, Any]) -> list[str]:
    return question.get("labels") or LIKERT_LABELS


def _likert_check(question: dict[str, Any]) -> None:
    _no_extras(question, "labels")
    if "labels" in question:
        labels = question["labels"]
        if not isinstance(labels, list) or len(labels) != 5:
            raise ValidationError("labels must be a list of 5 texts, from lowest to highest.")
        question["labels"] = [clean(lbl, field="A label", max_length=40) for lbl in labels]


def _likert_validate(question: dict[str, Any], value: Any) -> int:
    labels = likert_labels(question)
    if isinstance(value, str) and not value.strip().isdigit():
        matches = [
            i for i, lbl in enumerate(labels, 1) if lbl.casefold() == value.strip().casefold()
        ]
        if matches:
            return matches[0]
    number = _int(value, "a number from 1 to 5")
    if not 1 <= number <= 5:
        raise ValidationError(f"must be from 1 ({labels[0]}) to 5 ({labels[4]}), not {number}.")
    return number


def _likert_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    labels = likert_labels(question)
    agree = sum(1 for v in values if v >= 4)
    return {
        "n": len(values),
        "counts": _counts(labels, values, [1, 2, 3, 4, 5]),
        **_numeric_summary(values),
        "percent_agree": round(100 * agree / len(values)) if values else 0,
    }


# -- single / yes-no ------------------------------------------------------------


def _single_check(question: dict[str, Any]) -> None:
    _no_extras(question, "options")
    _options(question)


def _single_validate(question: dict[str, Any], value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"must be one of: {', '.join(question['options'])}.")
    for option in question["options"]:
        if option.casefold() == value.strip().casefold():
            return option
    raise ValidationError(f"{value!r} is not one of: {', '.join(question['options'])}.")


def _single_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    return {"n": len(values), "counts": _counts(question["options"], values)}


def _yes_no_check(question: dict[str, Any]) -> None:
    _no_extras(question)


def _yes_no_validate(question: dict[str, Any], value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in ("yes", "y", "true"):
        return True
    if isinstance(value, str) and value.strip().casefold() in ("no", "n", "false"):
        return False
    raise ValidationError(f"must be yes or no, not {value!r}.")


def _yes_no_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    return {"n": len(values), "counts": _counts(["Yes", "No"], values, [True, False])}


def _yes_no_csv(question: dict[str, Any], value: Any) -> str:
    return "" if value is None else ("yes" if value else "no")


# -- multi ----------------------------------------------------------------------


def multi_limits(question: dict[str, Any]) -> tuple[int, int]:
    return question.get("min_select", 0), question.get("max_select", len(question["options"]))


def _multi_check(question: dict[str, Any]) -> None:
    _no_extras(question, "options", "min_select", "max_select")
    _options(question)
    low = _int(question.get("min_select", 0))
    high = _int(question.get("max_select", len(question["options"])))
    if not 0 <= low <= high <= len(question["options"]) or high < 1:
        raise ValidationError(
            f"min_select and max_select must satisfy 0 <= min <= max <= {len(question['options'])}."
        )
    if "min_select" in question:
        question["min_select"] = low
    if "max_select" in question:
        question["max_select"] = high


def _multi_validate(question: dict[str, Any], value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValidationError("must be a list of the chosen options.")
    chosen = []
    for item in value:
        option = _single_validate(question, item)
        if option in chosen:
            raise ValidationError(f"chooses {option!r} twice.")
        chosen.append(option)
    low, high = multi_limits(question)
    if len(chosen) < low:
        raise ValidationError(f"choose at least {low} (you chose {len(chosen)}).")
    if len(chosen) > high:
        raise ValidationError(f"choose at most {high} (you chose {len(chosen)}).")
    return [o for o in question["options"] if o in chosen]


def _multi_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    flat = [option for chosen in values for option in chosen]
    counts = _counts(question["options"], flat)
    for row in counts:  # share of respondents who chose it, not of all choices
        row["percent"] = round(100 * row["count"] / len(values)) if values else 0
    return {"n": len(values), "counts": counts}


def _list_csv(question: dict[str, Any], value: Any) -> str:
    return "" if value is None else "; ".join(value)


# -- rating / number ------------------------------------------------------------


def rating_range(question: dict[str, Any]) -> tuple[int, int]:
    return question.get("min", 1), question.get("max", 5)


def _rating_check(question: dict[str, Any]) -> None:
    _no_extras(question, "min", "max", "labels")
    low, high = _int(question.get("min", 1)), _int(question.get("max", 5))
    if (low, high) not in ((0, 10), (1, 5), (1, 10), (0, 5)):
        raise ValidationError("a rating scale is 0-10, 1-10, 1-5 or 0-5.")
    question["min"], question["max"] = low, high
    if "labels" in question:
        labels = question["labels"]
        if not isinstance(labels, list) or len(labels) != 2:
            raise ValidationError("labels must be two texts: for the lowest and highest end.")
        question["labels"] = [clean(lbl, field="A label", max_length=40) for lbl in labels]


def _rating_validate(question: dict[str, Any], value: Any) -> int:
    low, high = rating_range(question)
    number = _int(value, f"a whole number from {low} to {high}")
    if not low <= number <= high:
        raise ValidationError(f"must be from {low} to {high}, not {number}.")
    return number


def _rating_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    low, high = rating_range(question)
    keys = list(range(low, high + 1))
    return {
        "n": len(values),
        "counts": _counts([str(k) for k in keys], values, keys),
        **_numeric_summary(values),
    }


def _number_check(question: dict[str, Any]) -> None:
    _no_extras(question, "min", "max")
    for key in ("min", "max"):
        if key in question and (
            isinstance(question[key], bool) or not isinstance(question[key], int | float)
        ):
            raise ValidationError(f"{key} must be a number.")
    if "min" in question and "max" in question and question["min"] > question["max"]:
        raise ValidationError("min is larger than max.")


def _number_validate(question: dict[str, Any], value: Any) -> int | float:
    if isinstance(value, str):
        try:
            value = float(value.strip()) if "." in value else int(value.strip())
        except ValueError:
            raise ValidationError(f"must be a number, not {value!r}.") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValidationError(f"must be a number, not {value!r}.")
    if "min" in question and value < question["min"]:
        raise ValidationError(f"must be at least {question['min']}.")
    if "max" in question and value > question["max"]:
        raise ValidationError(f"must be at most {question['max']}.")
    return value


def _number_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    return {"n": len(values), **_numeric_summary(values)}


# -- text -----------------------------------------------------------------------


def _text_check(question: dict[str, Any]) -> None:
    _no_extras(question)


def _short_validate(question: dict[str, Any], value: Any) -> str:
    return clean(value, field="The answer", max_length=SHORT_TEXT_MAX)


def _long_validate(question: dict[str, Any], value: Any) -> str:
    return clean(value, field="The answer", max_length=LONG_TEXT_MAX, multiline=True)


def _text_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    return {"n": len(values), "answers": list(values)}


# -- ranking --------------------------------------------------------------------


def _ranking_check(question: dict[str, Any]) -> None:
    _no_extras(question, "options")
    _options(question)


def _ranking_validate(question: dict[str, Any], value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValidationError("must list the options from most to least important.")
    ranked = [_single_validate(question, v) for v in value]
    if sorted(ranked) != sorted(question["options"]):
        raise ValidationError(
            f"must rank every option exactly once: {', '.join(question['options'])}."
        )
    return ranked


def _ranking_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    ranks: dict[str, list[int]] = {o: [] for o in question["options"]}
    for ranking in values:
        for position, option in enumerate(ranking, start=1):
            ranks[option].append(position)
    rows = [
        {
            "label": option,
            "mean_rank": round(statistics.fmean(r), 2) if r else None,
            "first_choice": sum(1 for p in r if p == 1),
        }
        for option, r in ranks.items()
    ]
    rows.sort(key=lambda row: (row["mean_rank"] is None, row["mean_rank"] or 0))
    return {"n": len(values), "ranking": rows}


# -- the registry ---------------------------------------------------------------


def _widget(kind: str):
    def make(question: dict[str, Any], value: Any) -> Any:
        from . import answer_widgets

        return answer_widgets.make_widget(kind, question, value)

    return make


BUILTIN_TYPES = [
    QuestionType(
        "likert",
        "Likert (5-point agreement)",
        _likert_check,
        _likert_validate,
        _likert_aggregate,
        _csv_plain,
        _widget("likert"),
        numeric=True,
    ),
    QuestionType(
        "single",
        "Single choice",
        _single_check,
        _single_validate,
        _single_aggregate,
        _csv_plain,
        _widget("single"),
    ),
    QuestionType(
        "multi",
        "Multiple choice",
        _multi_check,
        _multi_validate,
        _multi_aggregate,
        _list_csv,
        _widget("multi"),
    ),
    QuestionType(
        "rating",
        "Rating scale (0-10 or 1-5)",
        _rating_check,
        _rating_validate,
        _rating_aggregate,
        _csv_plain,
        _widget("rating"),
        numeric=True,
    ),
    QuestionType(
        "number",
        "Number",
        _number_check,
        _number_validate,
        _number_aggregate,
        _csv_plain,
        _widget("number"),
        numeric=True,
    ),
    QuestionType(
        "short_text",
        "Short text",
        _text_check,
        _short_validate,
        _text_aggregate,
        _csv_plain,
        _widget("short_text"),
    ),
    QuestionType(
        "long_text",
        "Long text",
        _text_check,
        _long_validate,
        _text_aggregate,
        _csv_plain,
        _widget("long_text"),
    ),
    QuestionType(
        "ranking",
        "Ranking",
        _ranking_check,
        _ranking_validate,
        _ranking_aggregate,
        _list_csv,
        _widget("ranking"),
    ),
    QuestionType(
        "yes_no",
        "Yes / no",
        _yes_no_check,
        _yes_no_validate,
        _yes_no_aggregate,
        _yes_no_csv,
        _widget("yes_no"),
    ),
]


def describe_answer(
    question: dict[str, Any], value: Any, types: dict[str, QuestionType] | None = None
) -> str:
    """An answer as a person reads it (for review screens and text output); a
    plugin's type says it with its ``describe`` (or its CSV cell)."""
    if value is None:
        return "(no answer)"
    kind = (types or {}).get(question["type"])
    if kind is not None and question["type"] not in {t.name for t in BUILTIN_TYPES}:
        try:
            return str((kind.describe or kind.to_csv)(question, value))
        except Exception:  # a plugin's mistake must not hide the answer
            return one_line(value)
    if question["type"] == "likert":
        return f"{value} – {likert_labels(question)[value - 1]}"
    if question["type"] == "yes_no":
        return "Yes" if value else "No"
    if isinstance(value, list):
        if question["type"] == "ranking":
            return "  ".join(f"{i}. {v}" for i, v in enumerate(value, 1))
        return ", ".join(str(v) for v in value)
    return str(value)

"""The built-in question types, registered through ``register_question_types``.

Each type is validation, aggregation and export in plain Python; the entry
widgets live in :mod:`.answer_widgets` and are imported only by the app.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from plc_tui.api import QuestionType, ValidationError, clean, one_line

from . import scales

LIKERT_LABELS = scales.PRESETS["agreement"]
OPTION_MAX = 100
MAX_OPTIONS = 200  # a list of schools or subjects; more than 20 are filtered by typing
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000
OTHER = "_other"  # the stored choice for "Other, please specify"
OTHER_LABEL = "Other, please specify"
COMMENT_LABEL = "Comment (optional)"
SIDE_TEXT_MAX = 1000  # an "other" answer or a comment
MAX_ROWS = 50
ROW_TEXT_MAX = 300
CODE_MAX = 40
# Keys a question may carry for its type; each type says which it takes.
TYPE_KEYS = (
    "options",
    "labels",
    "min",
    "max",
    "min_select",
    "max_select",
    "scale",
    "not_applicable",
    "descending",
    "reverse",
    "rows",
    "other",
    "comment",
    "codes",
)


# -- shared pieces --------------------------------------------------------------


def no_answer(value: Any) -> bool:
    """Whether ``value`` leaves a question unanswered (nothing, "", no ticks, no rows)."""
    return value is None or value == "" or value == [] or value == {}


def _options(question: dict[str, Any], minimum: int = 2) -> None:
    """Options as labels, with a stable code each (``codes``, when any differs).

    An option is a label (its code is the label itself) or ``{"code": "A1",
    "label": "Math"}``; answers store the code, so a label reworded in a later
    wave still counts with the earlier waves.
    """
    options = question.get("options")
    if not isinstance(options, list) or len(options) < minimum:
        raise ValidationError(f'needs "options": a list of at least {minimum} choices.')
    if len(options) > MAX_OPTIONS:
        raise ValidationError(f"can have at most {MAX_OPTIONS} options.")
    given_codes = question.get("codes")
    if given_codes is not None and (
        not isinstance(given_codes, list) or len(given_codes) != len(options)
    ):
        raise ValidationError("codes must be a list with one code per option.")
    labels, codes = [], []
    for n, option in enumerate(options):
        code: Any = given_codes[n] if given_codes is not None else None
        if isinstance(option, dict):
            if set(option) - {"code", "label"}:
                raise ValidationError('an option is a text or {"code": "A1", "label": "..."}.')
            code, option = option.get("code"), option.get("label")
        label = clean(option, field="An option", max_length=OPTION_MAX)
        if code in (None, ""):
            code = label
        else:
            code = clean(str(code), field="A code", max_length=CODE_MAX)
        if code == OTHER:
            raise ValidationError(f"{OTHER} is kept for the 'other' answer; use another code.")
        labels.append(label)
        codes.append(code)
    if len({o.casefold() for o in labels}) != len(labels):
        raise ValidationError("has the same option twice.")
    if len(set(codes)) != len(codes):
        raise ValidationError("has the same code twice.")
    question["options"] = labels
    if codes != labels:
        question["codes"] = codes
    else:
        question.pop("codes", None)


def option_codes(question: dict[str, Any]) -> list[str]:
    return question.get("codes") or list(question["options"])


def option_label(question: dict[str, Any], code: Any) -> str:
    if code == OTHER:
        return question.get("other") or OTHER_LABEL
    codes = option_codes(question)
    return question["options"][codes.index(code)] if code in codes else str(code)


def option_choices(question: dict[str, Any]) -> list[tuple[str, Any]]:
    """``(label, code)`` for each option, with "Other" last where offered."""
    pairs = list(zip(question["options"], option_codes(question), strict=True))
    if question.get("other"):
        pairs.append((question["other"], OTHER))
    return pairs


def _side_text(question: dict[str, Any], key: str, default: str) -> None:
    """``other`` / ``comment``: true (the default label), a label, or absent."""
    value = question.get(key)
    if value is True:
        question[key] = default
    elif value in (None, False):
        question.pop(key, None)
    else:
        question[key] = clean(value, field=f"The {key} label", max_length=OPTION_MAX)


def _no_extras(question: dict[str, Any], *allowed: str) -> None:
    extras = set(TYPE_KEYS) - set(allowed)
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
    import statistics  # with fractions and decimal: only when counting

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


# -- scales (likert) ------------------------------------------------------------


def likert_labels(question: dict[str, Any]) -> list[str]:
    return scales.labels_of(question)


def _likert_check(question: dict[str, Any]) -> None:
    _no_extras(question, *scales.SCALE_KEYS, "reverse", "comment")
    scales.check_scale(question)
    _reverse_flag(question)
    _side_text(question, "comment", COMMENT_LABEL)


def _reverse_flag(question: dict[str, Any]) -> None:
    reverse = question.get("reverse", False)
    if not isinstance(reverse, bool):
        raise ValidationError("reverse must be true or false.")
    if not reverse:
        question.pop("reverse", None)


def _likert_validate(question: dict[str, Any], value: Any) -> int | str:
    return scales.validate_point(question, value)


def scale_summary(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    """Counts of each point, the mean of the points (not applicable kept out),
    and the share at the favourable end."""
    labels = scales.labels_of(question)
    points = [v for v in values if v != scales.NA]
    top_from, top_label = scales.top_box(question)
    summary: dict[str, Any] = {
        "n": len(values),
        "counts": _counts(labels, points, list(range(1, len(labels) + 1))),
        **_numeric_summary(points),
        "top_box": {
            "label": top_label,
            "percent": round(100 * sum(1 for v in points if v >= top_from) / len(points))
            if points
            else 0,
        },
    }
    if question.get("not_applicable"):
        summary["not_applicable"] = len(values) - len(points)
    return summary


def _likert_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    return scale_summary(question, values)


# -- single / yes-no ------------------------------------------------------------


def _single_check(question: dict[str, Any]) -> None:
    _no_extras(question, "options", "codes", "other", "comment")
    _options(question, minimum=1 if question.get("other") else 2)
    _side_text(question, "other", OTHER_LABEL)
    _side_text(question, "comment", COMMENT_LABEL)


def _single_validate(question: dict[str, Any], value: Any) -> str:
    """The code of the chosen option, given its code or its label."""
    choices = option_choices(question)
    labels = [label for label, _ in choices]
    if isinstance(value, str):
        wanted = value.strip()
        for _, code in choices:
            if code == wanted:
                return code
        for label, code in choices:
            if label.casefold() == wanted.casefold():
                return code
        if question.get("other") and wanted.casefold() in ("other", OTHER):
            return OTHER
    shown = ", ".join(labels) if len(labels) <= 12 else ", ".join(labels[:12]) + ", ..."
    raise ValidationError(f"{value!r} is not one of: {shown}.")


def _single_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    choices = option_choices(question)
    return {
        "n": len(values),
        "counts": _counts([lbl for lbl, _ in choices], values, [c for _, c in choices]),
    }


def _label_csv(question: dict[str, Any], value: Any) -> str:
    return "" if value is None else option_label(question, value)


def _yes_no_check(question: dict[str, Any]) -> None:
    _no_extras(question, "comment")
    _side_text(question, "comment", COMMENT_LABEL)


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
    offered = len(question["options"]) + (1 if question.get("other") else 0)
    return question.get("min_select", 0), question.get("max_select", offered)


def _multi_check(question: dict[str, Any]) -> None:
    _no_extras(question, "options", "codes", "min_select", "max_select", "other", "comment")
    _options(question, minimum=1 if question.get("other") else 2)
    _side_text(question, "other", OTHER_LABEL)
    _side_text(question, "comment", COMMENT_LABEL)
    offered = len(option_choices(question))
    low = _int(question.get("min_select", 0))
    high = _int(question.get("max_select", offered))
    if not 0 <= low <= high <= offered or high < 1:
        raise ValidationError(
            f"min_select and max_select must satisfy 0 <= min <= max <= {offered}."
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
    return [code for _, code in option_choices(question) if code in chosen]


def _multi_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    flat = [option for chosen in values for option in chosen]
    choices = option_choices(question)
    counts = _counts([lbl for lbl, _ in choices], flat, [c for _, c in choices])
    for row in counts:  # share of respondents who chose it, not of all choices
        row["percent"] = round(100 * row["count"] / len(values)) if values else 0
    return {"n": len(values), "counts": counts}


def _list_csv(question: dict[str, Any], value: Any) -> str:
    return "" if value is None else "; ".join(option_label(question, v) for v in value)


# -- rating / number ------------------------------------------------------------


def rating_range(question: dict[str, Any]) -> tuple[int, int]:
    return question.get("min", 1), question.get("max", 5)


def _rating_check(question: dict[str, Any]) -> None:
    _no_extras(question, "min", "max", "labels", "comment")
    _side_text(question, "comment", COMMENT_LABEL)
    low, high = _int(question.get("min", 1)), _int(question.get("max", 5))
    if low not in (0, 1) or not low < high <= 10:
        raise ValidationError(
            "a rating runs from 0 or 1 up to a top point of at most 10 (0-10, 1-9, 1-7, 1-5...)."
        )
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
    _no_extras(question, "options", "codes")
    _options(question)


def _ranking_validate(question: dict[str, Any], value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValidationError("must list the options from most to least important.")
    ranked = [_single_validate(question, v) for v in value]
    if sorted(ranked) != sorted(option_codes(question)):
        raise ValidationError(
            f"must rank every option exactly once: {', '.join(question['options'])}."
        )
    return ranked


def _ranking_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    import statistics  # with fractions and decimal: only when counting

    ranks: dict[str, list[int]] = {code: [] for code in option_codes(question)}
    for ranking in values:
        for position, option in enumerate(ranking, start=1):
            if option in ranks:
                ranks[option].append(position)
    rows = [
        {
            "label": option_label(question, option),
            "mean_rank": round(statistics.fmean(r), 2) if r else None,
            "first_choice": sum(1 for p in r if p == 1),
        }
        for option, r in ranks.items()
    ]
    rows.sort(key=lambda row: (row["mean_rank"] is None, row["mean_rank"] or 0))
    return {"n": len(values), "ranking": rows}


# -- grid (matrix) --------------------------------------------------------------


def grid_rows(question: dict[str, Any]) -> list[dict[str, Any]]:
    return question["rows"]


def _grid_check(question: dict[str, Any]) -> None:
    """Rows are statements (texts, or ``{"id", "text", "reverse"}``) on one scale."""
    _no_extras(question, "rows", *scales.SCALE_KEYS)
    scales.check_scale(question)
    rows = question.get("rows")
    if not isinstance(rows, list) or not rows:
        raise ValidationError('needs "rows": a list of the statements to rate.')
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"can have at most {MAX_ROWS} rows.")
    parsed = []
    for n, row in enumerate(rows, start=1):
        if isinstance(row, str):
            row = {"text": row}
        if not isinstance(row, dict) or set(row) - {"id", "text", "reverse"}:
            raise ValidationError(f'row {n} must be a text or {{"id": "r{n}", "text": "..."}}.')
        rid = row.get("id") or f"r{n}"
        if not isinstance(rid, str) or not rid.replace("_", "").replace("-", "").isalnum():
            raise ValidationError(f"row {n}: id must be letters, digits, _ or -.")
        if len(rid) > CODE_MAX or any(r["id"] == rid for r in parsed):
            raise ValidationError(f"row {n}: the id {rid!r} is too long or used twice.")
        reverse = row.get("reverse", False)
        if not isinstance(reverse, bool):
            raise ValidationError(f"row {rid}: reverse must be true or false.")
        entry = {
            "id": rid,
            "text": clean(row.get("text"), field=f"Row {n}", max_length=ROW_TEXT_MAX),
        }
        if reverse:
            entry["reverse"] = True
        parsed.append(entry)
    question["rows"] = parsed


def _grid_validate(question: dict[str, Any], value: Any) -> dict[str, Any]:
    """``{row id: point}``; rows may be missing here (see :func:`grid_missing`)."""
    rows = grid_rows(question)
    if isinstance(value, list):  # points in row order
        if len(value) > len(rows):
            raise ValidationError(f"has {len(rows)} rows, not {len(value)}.")
        value = {row["id"]: v for row, v in zip(rows, value, strict=False) if v is not None}
    if not isinstance(value, dict):
        raise ValidationError('must be an object like {"r1": 4, "r2": 2} (row id: point).')
    ids = [row["id"] for row in rows]
    unknown = [k for k in value if k not in ids]
    if unknown:
        raise ValidationError(f"has no row {unknown[0]!r}; rows: {', '.join(ids)}.")
    result = {}
    for row in rows:
        if value.get(row["id"]) in (None, ""):
            continue
        try:
            result[row["id"]] = scales.validate_point(question, value[row["id"]])
        except ValidationError as exc:
            raise ValidationError(f"row {row['id']} ({row['text']}): {exc.message}") from None
    return result


def grid_missing(question: dict[str, Any], value: dict[str, Any]) -> list[str]:
    """The rows of a required grid still to answer."""
    return [row["id"] for row in grid_rows(question) if row["id"] not in value]


def _grid_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    """One scale summary per row, the lowest mean first (what needs attention)."""
    rows = []
    for row in grid_rows(question):
        answers = [v[row["id"]] for v in values if row["id"] in v]
        entry = {"id": row["id"], "text": row["text"], **scale_summary(question, answers)}
        if row.get("reverse"):
            entry["reverse"] = True
        rows.append(entry)
    points = scales.points(question)

    def scored_mean(r: dict[str, Any]) -> float:
        # A reversed statement is weak when its raw mean is high.
        return points + 1 - r["mean"] if r.get("reverse") else r["mean"]

    rows.sort(key=lambda r: (r.get("mean") is None, scored_mean(r) if "mean" in r else 0))
    return {"n": len(values), "rows": rows}


def _grid_csv(question: dict[str, Any], value: Any) -> str:
    if not value:
        return ""
    return "; ".join(f"{rid}={point}" for rid, point in value.items())


def grid_csv_cells(question: dict[str, Any], value: Any) -> list[str]:
    """One cell per row (the CSV has a column per statement)."""
    value = value or {}
    return ["" if row["id"] not in value else str(value[row["id"]]) for row in grid_rows(question)]


# -- date -----------------------------------------------------------------------


def _date_check(question: dict[str, Any]) -> None:
    _no_extras(question, "min", "max")
    for key in ("min", "max"):
        if key in question:
            question[key] = _date_value(question[key], key)
    if "min" in question and "max" in question and question["min"] > question["max"]:
        raise ValidationError("min is after max.")


def _date_value(value: Any, what: str = "the answer") -> str:
    from datetime import date

    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValidationError(f"{what} must be a date like 2026-12-05, not {value!r}.")


def _date_validate(question: dict[str, Any], value: Any) -> str:
    day = _date_value(value)
    if "min" in question and day < question["min"]:
        raise ValidationError(f"must be on or after {question['min']}.")
    if "max" in question and day > question["max"]:
        raise ValidationError(f"must be on or before {question['max']}.")
    return day


def _date_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    ordered = sorted(values)
    months = Counter(v[:7] for v in ordered)
    return {
        "n": len(values),
        "earliest": ordered[0] if ordered else None,
        "latest": ordered[-1] if ordered else None,
        "median": ordered[len(ordered) // 2] if ordered else None,
        "counts": [
            {"label": m, "value": m, "count": c, "percent": round(100 * c / len(values))}
            for m, c in sorted(months.items())
        ],
    }


# -- text block (shows text, asks nothing) ----------------------------------------


def _block_check(question: dict[str, Any]) -> None:
    _no_extras(question)
    question["required"] = False


def _block_validate(question: dict[str, Any], value: Any) -> None:
    raise ValidationError("is text to read; it takes no answer.")


def _block_aggregate(question: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    return {"n": 0}


# -- the registry ---------------------------------------------------------------


def _widget(kind: str):
    def make(question: dict[str, Any], value: Any) -> Any:
        from . import answer_widgets

        return answer_widgets.make_widget(kind, question, value)

    return make


BUILTIN_TYPES = [
    QuestionType(
        "likert",
        "Scale: agreement, frequency, quality...",
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
        _label_csv,
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
        "Rating: a number from 0 or 1 up to 10",
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
        "grid",
        "Grid: statements on one scale",
        _grid_check,
        _grid_validate,
        _grid_aggregate,
        _grid_csv,
        _widget("grid"),
        numeric=True,
    ),
    QuestionType(
        "date",
        "Date",
        _date_check,
        _date_validate,
        _date_aggregate,
        _csv_plain,
        _widget("date"),
    ),
    QuestionType(
        "text_block",
        "Text to read (no answer)",
        _block_check,
        _block_validate,
        _block_aggregate,
        _csv_plain,
        _widget("text_block"),
        asks=False,
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


def value_words(
    questions: list[dict[str, Any]], types: dict[str, QuestionType] | None = None
) -> Any:
    """A function saying a condition's value in the words of the question it
    looks at ("Teacher", not "A1"; "Rarely", not 2), for builders and reports."""
    by_id = {q["id"]: q for q in questions}

    def say(condition: dict[str, Any], value: Any) -> str:
        target = by_id.get(condition["question"])
        if target is None:
            return str(value)
        if "row" in condition or target["type"] == "likert":
            try:
                return scales.point_label(target, value)
            except (IndexError, TypeError):
                return str(value)
        return describe_answer(target, value, types)

    return say


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
    kind_name = question["type"]
    if kind_name == "likert":
        if value == scales.NA:
            return scales.point_label(question, value)
        return f"{value} – {scales.point_label(question, value)}"
    if kind_name == "grid":
        return "; ".join(
            f"{row['text']}: {scales.point_label(question, value[row['id']])}"
            for row in grid_rows(question)
            if row["id"] in value
        )
    if kind_name == "yes_no":
        return "Yes" if value else "No"
    if kind_name in ("single", "multi", "ranking"):
        if isinstance(value, list):
            labels = [option_label(question, v) for v in value]
            if kind_name == "ranking":
                return "  ".join(f"{i}. {v}" for i, v in enumerate(labels, 1))
            return ", ".join(labels)
        return option_label(question, value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)

"""Answer scales: agreement, frequency, quality... with 2 to 11 points.

A scale question (``likert``) and every row of a grid answer on a scale. An
answer is stored as the point's position from the lowest (1..N), never as its
label, so a label reworded or translated in a later wave keeps the waves
comparable. "Not applicable" (when the scale offers it) is stored as ``"na"``
and kept out of means and scores.

In a definition a scale is given by a preset name, by its labels, or both::

    {"scale": "frequency"}                         # Never .. Always
    {"scale": "agreement4"}                        # no neutral middle
    {"labels": ["Poor", "Fair", "Good"]}           # any 2 to 11 labels, lowest first
    {"scale": "agreement", "not_applicable": "Does not apply to me",
     "descending": true}                           # shown from the highest point

Plain Python; the widgets, results and LimeSurvey import share it.
"""

from __future__ import annotations

from typing import Any

from plc_tui.api import ValidationError, clean

NA = "na"
NA_LABEL = "Not applicable"
MIN_POINTS, MAX_POINTS = 2, 11
LABEL_MAX = 40

PRESETS: dict[str, list[str]] = {
    "agreement": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"],
    "agreement4": ["Strongly disagree", "Disagree", "Agree", "Strongly agree"],
    "agreement6": [
        "Strongly disagree",
        "Disagree",
        "Slightly disagree",
        "Slightly agree",
        "Agree",
        "Strongly agree",
    ],
    "agreement7": [
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree",
        "Neither agree nor disagree",
        "Somewhat agree",
        "Agree",
        "Strongly agree",
    ],
    "frequency": ["Never", "Rarely", "Sometimes", "Often", "Always"],
    "frequency4": ["Never", "Sometimes", "Often", "Always"],
    "quality": ["Poor", "Fair", "Good", "Very good", "Excellent"],
    "importance": [
        "Not important",
        "Slightly important",
        "Moderately important",
        "Important",
        "Very important",
    ],
    "satisfaction": [
        "Very dissatisfied",
        "Dissatisfied",
        "Neutral",
        "Satisfied",
        "Very satisfied",
    ],
    "true4": ["Not true", "Somewhat true", "Mostly true", "Completely true"],
    "yes_uncertain_no": ["No", "Uncertain", "Yes"],
    "increase": ["Decrease", "Same", "Increase"],
}
SCALE_KEYS = ("scale", "labels", "not_applicable", "descending")


def check_scale(question: dict[str, Any], where: str = "") -> None:
    """Normalise a question's scale in place: ``labels`` always set, lowest first.

    Raises :class:`ValidationError` naming what is wrong.
    """
    preset = question.get("scale")
    labels = question.get("labels")
    if preset is not None:
        if preset not in PRESETS:
            raise ValidationError(
                f"{where}scale {preset!r} is not one of: {', '.join(sorted(PRESETS))} "
                f"(or give the labels, lowest first)."
            )
        if labels is None:
            labels = PRESETS[preset]
    if labels is None:
        labels = PRESETS["agreement"]
    if not isinstance(labels, list) or not MIN_POINTS <= len(labels) <= MAX_POINTS:
        raise ValidationError(
            f"{where}labels must be a list of {MIN_POINTS} to {MAX_POINTS} texts, lowest first."
        )
    cleaned = [clean(label, field="A scale label", max_length=LABEL_MAX) for label in labels]
    if len({c.casefold() for c in cleaned}) != len(cleaned):
        raise ValidationError(f"{where}the scale has the same label twice.")
    question["labels"] = cleaned
    na = question.get("not_applicable")
    if na is True:
        question["not_applicable"] = NA_LABEL
    elif na in (None, False):
        question.pop("not_applicable", None)
    else:
        question["not_applicable"] = clean(na, field="The not-applicable label", max_length=40)
    descending = question.get("descending", False)
    if not isinstance(descending, bool):
        raise ValidationError(f"{where}descending must be true or false.")
    if descending:
        question["descending"] = True
    else:
        question.pop("descending", None)


def points(question: dict[str, Any]) -> int:
    return len(question.get("labels") or PRESETS["agreement"])


def labels_of(question: dict[str, Any]) -> list[str]:
    return question.get("labels") or PRESETS["agreement"]


def point_label(question: dict[str, Any], value: Any) -> str:
    if value == NA:
        return question.get("not_applicable") or NA_LABEL
    return labels_of(question)[value - 1]


def choices(question: dict[str, Any]) -> list[tuple[str, Any]]:
    """``(label, value)`` in the order they are shown (highest first when descending)."""
    labels = labels_of(question)
    shown = [(f"{n}  {label}", n) for n, label in enumerate(labels, 1)]
    if question.get("descending"):
        shown.reverse()
    if question.get("not_applicable"):
        shown.append((question["not_applicable"], NA))
    return shown


def validate_point(question: dict[str, Any], value: Any) -> int | str:
    """A point (1..N) from a number or a label, or ``"na"`` where offered."""
    labels = labels_of(question)
    na = question.get("not_applicable")
    if isinstance(value, str):
        text = value.strip().casefold()
        if na and text in (NA, na.casefold()):
            return NA
        for n, label in enumerate(labels, 1):
            if label.casefold() == text:
                return n
        if text.isdigit():
            value = int(text)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= len(labels):
        also = f", or {na!r}" if na else ""
        raise ValidationError(
            f"must be a point from 1 ({labels[0]}) to {len(labels)} ({labels[-1]}){also}, "
            f"not {value!r}."
        )
    return value


def top_box(question: dict[str, Any]) -> tuple[int, str]:
    """The points counted as the favourable end, and their names in words.

    The top two points of a scale of four or more (Agree or Strongly agree,
    Often or Always); the top point of a shorter one.
    """
    labels = labels_of(question)
    top = 2 if len(labels) >= 4 else 1
    names = labels[-top:]
    return len(labels) - top + 1, " or ".join(names)


def scored(question: dict[str, Any], value: Any, reverse: bool = False) -> int | None:
    """A point as it counts in means and scores (``None`` for not applicable)."""
    if value == NA or value is None:
        return None
    return points(question) + 1 - value if reverse else value

"""Section scores: the number a school climate survey reports for each of its scales.

A scored section's score for one person is the mean of the scale items they
answered in it (every row of a grid is an item), with reversed items flipped
(5 becomes 1 on a 5-point scale) and "not applicable" left out. The section's
score is the mean of those personal scores, shown only when at least the
survey's threshold of people have one, per team only when every team does
(and never for anonymous surveys, which keep no team with an answer), and
compared with the previous wave. Plain Python.
"""

from __future__ import annotations

from typing import Any

from . import scales


def scored_items(questions: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str | None, bool]]:
    """``(question, grid row id or None, reversed)`` for each item of a section."""
    items: list[tuple[dict[str, Any], str | None, bool]] = []
    for question in questions:
        if question["type"] == "likert":
            items.append((question, None, bool(question.get("reverse"))))
        elif question["type"] == "grid":
            items.extend(
                (question, row["id"], bool(row.get("reverse"))) for row in question["rows"]
            )
    return items


def personal_score(
    items: list[tuple[dict[str, Any], str | None, bool]], answers: dict[str, Any]
) -> float | None:
    """One person's score: the mean of the items they answered (``None`` if none)."""
    import statistics  # with fractions and decimal: only when counting

    values = []
    for question, row, reverse in items:
        value = answers.get(question["id"])
        if row is not None:
            value = value.get(row) if isinstance(value, dict) else None
        point = scales.scored(question, value, reverse)
        if point is not None:
            values.append(point)
    return statistics.fmean(values) if values else None


def _summary(scores: list[float]) -> dict[str, Any]:
    import statistics  # with fractions and decimal: only when counting

    return {"n": len(scores), "mean": round(statistics.fmean(scores), 2)} if scores else {"n": 0}


def section_scores(
    survey: dict[str, Any],
    responses: list[dict[str, Any]],
    team_of: dict[str, list[str]],
    previous: tuple[dict[str, Any], list[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """The score of each scored section; ``team_of`` maps a member to their team names."""
    threshold = survey["threshold"]
    out = []
    for info in survey.get("sections") or []:
        if not info.get("score"):
            continue
        questions = [q for q in survey["questions"] if q.get("section") == info["title"]]
        items = scored_items(questions)
        points = scales.points(items[0][0]) if items else None
        # Each person's score once, with their teams.
        people: list[tuple[list[str], float]] = []
        for response in responses:
            score = personal_score(items, response["answers"])
            if score is not None:
                people.append((team_of.get(response.get("member", ""), []), score))
        scores = [score for _, score in people]
        entry: dict[str, Any] = {"title": info["title"], "items": len(items), "points": points}
        if len(scores) < threshold:
            entry.update(
                n=len(scores),
                hidden=True,
                reason=f"{len(scores)} people have a score here, fewer than {threshold}",
            )
            out.append(entry)
            continue
        entry.update(_summary(scores))
        if survey["anonymous"]:
            entry["teams"] = {
                "hidden": True,
                "reason": "anonymous surveys keep no team with an answer",
            }
        elif any(teams for teams, _ in people):
            entry["teams"] = _team_scores(people, threshold)
        trend = _previous_score(info["title"], previous)
        if trend is not None:
            entry["trend"] = {
                "previous_wave": trend[0],
                "previous_mean": trend[1],
                "change": round(entry["mean"] - trend[1], 2),
            }
        out.append(entry)
    return out


def _team_scores(people: list[tuple[list[str], float]], threshold: int) -> dict[str, Any]:
    """Each team with enough scores on its own; the smaller teams together as one
    group (each person once) when that group is big enough. Otherwise no
    breakdown: showing the big teams alone would let anyone work out the small
    ones from the total."""
    by_team: dict[str, list[float]] = {}
    for teams, score in people:
        for team in teams:
            by_team.setdefault(team, []).append(score)
    small = sorted(t for t, scores in by_team.items() if len(scores) < threshold)
    shown = {t: _summary(s) for t, s in sorted(by_team.items()) if t not in small}
    if not small:
        return shown
    small_scores = [score for teams, score in people if set(small) & set(teams)]
    if len(small_scores) >= threshold:
        shown[f"{len(small)} smaller teams together"] = _summary(small_scores)
        return shown
    return {
        "hidden": True,
        "reason": (
            f"{', '.join(small)} {'has' if len(small) == 1 else 'have'}"
            if len(small) <= 3
            else f"{len(small)} of {len(by_team)} teams have"
        )
        + f" fewer than {threshold} scores, and fewer than {threshold} together",
    }


def _previous_score(
    title: str, previous: tuple[dict[str, Any], list[dict[str, Any]]] | None
) -> tuple[int, float] | None:
    import statistics  # with fractions and decimal: only when counting

    if previous is None:
        return None
    survey, responses = previous
    info = next((s for s in survey.get("sections") or [] if s["title"] == title), None)
    if info is None or not info.get("score"):
        return None
    items = scored_items([q for q in survey["questions"] if q.get("section") == title])
    scores = [s for r in responses if (s := personal_score(items, r["answers"])) is not None]
    if len(scores) < survey["threshold"]:
        return None
    return survey["wave"], round(statistics.fmean(scores), 2)

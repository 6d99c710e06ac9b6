"""Survey results: aggregation with a minimum group size, breakdowns, trends, CSV.

Results for fewer people than the survey's threshold are never shown: not the
whole survey, not one question, not one group of a breakdown. A breakdown is
shown only when every group in it meets the threshold; hiding just the small
group would let anyone subtract the shown groups from the total.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from plc_tui.api import Member, QuestionType, ValidationError

from .question_types import grid_csv_cells
from .scores import section_scores
from .store import audience_of, neutral_order

BREAKDOWNS = ("team", "role")


def _hidden(reason: str) -> dict[str, Any]:
    return {"hidden": True, "reason": reason}


def response_rates(
    survey: dict[str, Any],
    participants: list[str],
    members: list[Member],
    team_names: dict[str, str],
) -> list[dict[str, Any]]:
    """Who was asked and how many answered, per team (counts of people, no answers)."""
    audience = audience_of(survey, members)
    done = set(participants)
    teams = survey["audience"]["teams"] or sorted({t for m in audience for t in m.teams})
    invited: dict[str, int] = dict.fromkeys(teams, 0)
    answered: dict[str, int] = dict.fromkeys(teams, 0)
    for member in audience:  # one pass: a district has hundreds of members
        for team in member.teams:
            if team in invited:
                invited[team] += 1
                answered[team] += member.login in done
    return [
        {
            "team": team_names.get(team, team),
            "invited": invited[team],
            "responded": answered[team],
            "rate": round(100 * answered[team] / invited[team]),
        }
        for team in teams
        if invited[team]
    ]


def _group_keys(member: Member | None, by: str, team_names: dict[str, str]) -> list[str]:
    if member is None:
        return []
    if by == "role":
        return [member.role]
    return [team_names.get(t, t) for t in member.teams] or ["(no team)"]


def _breakdown(
    survey: dict[str, Any],
    question: dict[str, Any],
    qtype: QuestionType,
    responses: list[dict[str, Any]],
    by: str,
    members: dict[str, Member],
    team_names: dict[str, str],
) -> dict[str, Any]:
    if survey["anonymous"]:
        return _hidden(
            "breakdowns are not kept for anonymous surveys: storing a team or role with "
            "each answer could identify people in small groups"
        )
    groups: dict[str, list[Any]] = {}
    for response in responses:
        value = response["answers"].get(question["id"])
        if value is None:
            continue
        for key in _group_keys(members.get(response.get("member", "")), by, team_names):
            groups.setdefault(key, []).append(value)
    small = sorted(k for k, v in groups.items() if len(v) < survey["threshold"])
    if small:
        return _hidden(
            f"{', '.join(small)} answered fewer than {survey['threshold']} times; "
            f"a breakdown shows only when every group has at least {survey['threshold']}"
        )
    return {
        "by": by,
        "groups": {
            key: qtype.aggregate(question, values) for key, values in sorted(groups.items())
        },
    }


def survey_results(
    survey: dict[str, Any],
    responses: list[dict[str, Any]],
    participants: list[str],
    members: list[Member],
    types: dict[str, QuestionType],
    team_names: dict[str, str],
    *,
    breakdown: str | None = None,
    previous: tuple[dict[str, Any], list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """Everything a results screen or ``plc survey results`` shows."""
    if breakdown is not None and breakdown not in BREAKDOWNS:
        raise ValidationError(f"breakdown must be one of: {', '.join(BREAKDOWNS)}.")
    threshold = survey["threshold"]
    audience = audience_of(survey, members)
    n = len(responses)
    out: dict[str, Any] = {
        "id": survey["id"],
        "title": survey["title"],
        "wave": survey["wave"],
        "anonymous": survey["anonymous"],
        "threshold": threshold,
        "responses": n,
        "invited": len(audience),
        "response_rate": round(100 * len(participants) / len(audience)) if audience else 0,
        "teams": response_rates(survey, participants, members, team_names),
    }
    if n < threshold:
        out.update(
            _hidden(
                f"{n} response{'s' if n != 1 else ''} so far; results show once at least "
                f"{threshold} people have answered, so no one can be identified"
            )
        )
        out["questions"] = [
            {"id": q["id"], "text": q["text"], "type": q["type"], **_hidden("below threshold")}
            for q in survey["questions"]
        ]
        return out
    by_login = {m.login: m for m in members}
    previous_values: dict[str, list[Any]] = {}
    if previous is not None:
        prev_survey, prev_responses = previous
        if len(prev_responses) >= prev_survey["threshold"]:
            for response in prev_responses:
                for qid, value in response["answers"].items():
                    previous_values.setdefault(qid, []).append(value)
    given: dict[str, list[Any]] = {}
    for response in responses:  # one pass over the answers, not one per question
        for qid, value in response["answers"].items():
            given.setdefault(qid, []).append(value)
    questions = []
    for question in survey["questions"]:
        qtype = types.get(question["type"])
        base = {"id": question["id"], "text": question["text"], "type": question["type"]}
        if question.get("section"):
            base["section"] = question["section"]
        if qtype is not None and not qtype.asks:
            continue  # text to read: nothing to report
        if qtype is None:
            questions.append(
                {**base, **_hidden(f"the question type {question['type']!r} is not installed")}
            )
            continue
        values = given.get(question["id"], [])
        if len(values) < threshold:
            questions.append(
                {
                    **base,
                    "n": len(values),
                    **_hidden(f"{len(values)} answered this question, fewer than {threshold}"),
                }
            )
            continue
        summary = qtype.aggregate(question, values)
        if "answers" in summary and survey["anonymous"]:
            summary["answers"] = neutral_order(summary["answers"])
        if "rows" in summary:  # a grid: each statement meets the threshold on its own
            summary["rows"] = [
                row
                if row["n"] - row.get("not_applicable", 0) >= threshold
                else {
                    "id": row["id"],
                    "text": row["text"],
                    "n": row["n"],
                    **_hidden(f"fewer than {threshold} rated this statement"),
                }
                for row in summary["rows"]
            ]
        for side, key in (("other", "other_answers"), ("comment", "comments")):
            if question.get(side):
                # Free text, under the same rules as a text question's answers.
                texts = [
                    r["answers"][f"{question['id']}.{side}"]
                    for r in responses
                    if f"{question['id']}.{side}" in r["answers"]
                ]
                summary[key] = neutral_order(texts) if survey["anonymous"] else texts
        entry = {**base, **summary}
        prev = previous_values.get(question["id"], [])
        if qtype.numeric and len(prev) >= threshold and "mean" in summary:
            prev_summary = qtype.aggregate(question, prev)
            entry["trend"] = {
                "previous_wave": previous[0]["wave"] if previous else None,
                "previous_mean": prev_summary["mean"],
                "change": round(summary["mean"] - prev_summary["mean"], 2),
            }
        if breakdown:
            entry["breakdown"] = _breakdown(
                survey, question, qtype, responses, breakdown, by_login, team_names
            )
        questions.append(entry)
    out["hidden"] = False
    out["questions"] = questions
    if any(info.get("score") for info in survey.get("sections") or []):
        team_of = {m.login: _group_keys(m, "team", team_names) for m in members}
        out["sections"] = section_scores(survey, responses, team_of, previous)
    return out


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    # A teacher's answer must not become a spreadsheet formula on the coach's machine.
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_csv(
    survey: dict[str, Any], responses: list[dict[str, Any]], types: dict[str, QuestionType]
) -> str:
    """One row per response; columns named by question id (stable across waves)."""
    if len(responses) < survey["threshold"]:
        raise ValidationError(
            f"survey {survey['id']} has {len(responses)} responses; exports need at least "
            f"{survey['threshold']} so no one can be identified."
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    named = not survey["anonymous"]
    header = ["response"] + (["member", "submitted"] if named else [])
    columns: list[tuple[dict[str, Any], str]] = []  # (question, what the column holds)
    for question in survey["questions"]:
        qtype = types.get(question["type"])
        if qtype is not None and not qtype.asks:
            continue
        if question["type"] == "grid":
            header += [f"{question['id']}.{row['id']}" for row in question["rows"]]
            columns.append((question, "grid"))
            continue
        header.append(question["id"])
        columns.append((question, "answer"))
        for side in ("other", "comment"):
            if question.get(side):
                header.append(f"{question['id']}.{side}")
                columns.append((question, side))
    writer.writerow(header)
    rows = responses if named else neutral_order(responses)
    for n, response in enumerate(rows, start=1):
        row = [str(n)]
        if named:
            row += [response.get("member", ""), response.get("submitted", "")]
        for question, what in columns:
            qtype = types.get(question["type"])
            value = response["answers"].get(question["id"])
            if what == "grid":
                row += grid_csv_cells(question, value)
                continue
            if what in ("other", "comment"):
                row.append(_cell(response["answers"].get(f"{question['id']}.{what}", "")))
                continue
            text = "" if value is None or qtype is None else qtype.to_csv(question, value)
            row.append(_cell(text))
        writer.writerow(row)
    return buffer.getvalue()

"""The revision rule: an edit carries the revision it was loaded at.

Saving against a newer revision merges field by field (three-way, from the
version the editor loaded): what only one side changed is kept, what both
changed the same way is kept, and what both changed differently is a conflict,
refused with the name of the person who changed it. Plain Python, for any
module whose records several people edit (goals, norms, ...).
"""

from __future__ import annotations

from typing import Any

from .errors import PLCError


class RevisionConflict(PLCError):
    """Two people changed the same field of a record; nothing was saved."""


def merge_fields(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Merge ``mine`` into ``theirs`` (the stored version), from ``base``.

    Returns ``(merged, conflicts)``; ``conflicts`` names each field (dotted,
    ``actions[2].text``) that both sides changed differently. Dicts merge key by
    key; lists of the same length in all three merge item by item; any other
    value is one field.
    """
    conflicts: list[str] = []
    merged = _merge(base, mine, theirs, "", conflicts)
    return merged, conflicts


_MISSING = object()


def _merge(base: Any, mine: Any, theirs: Any, path: str, conflicts: list[str]) -> Any:
    if mine == theirs or mine == base:
        return theirs
    if theirs == base:
        return mine
    if all(isinstance(v, dict) for v in (base, mine, theirs)):
        out = {}
        for key in [*theirs, *(k for k in mine if k not in theirs)]:
            value = _merge(
                base.get(key, _MISSING),
                mine.get(key, _MISSING),
                theirs.get(key, _MISSING),
                f"{path}.{key}" if path else str(key),
                conflicts,
            )
            if value is not _MISSING:
                out[key] = value
        return out
    if all(isinstance(v, list) for v in (base, mine, theirs)) and (
        len(base) == len(mine) == len(theirs)
    ):
        return [
            _merge(b, m, t, f"{path}[{n + 1}]", conflicts)
            for n, (b, m, t) in enumerate(zip(base, mine, theirs, strict=True))
        ]
    conflicts.append(path or "the record")
    return theirs


def check_revision(
    what: str,
    stored: dict[str, Any],
    loaded_revision: int | None,
    *,
    names: dict[str, str],
) -> None:
    """Refuse a whole-record save made from an older revision (no base to merge from)."""
    current = int(stored.get("revision") or 0)
    if loaded_revision is None or int(loaded_revision) == current:
        return
    who = names.get(stored.get("changed_by") or "", stored.get("changed_by") or "someone")
    raise RevisionConflict(
        f"{who} changed {what} after you loaded it (revision {loaded_revision}, now "
        f"{current}); nothing was saved. Load it again and make your change there."
    )

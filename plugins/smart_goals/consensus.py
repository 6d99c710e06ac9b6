"""Consensus on a goal: proposed until its team agrees (see :mod:`plc_tui.consensus`).

Votes live in the goal document, ``goal["votes"]``; the share needed is the
goal's ``consensus_share``. Changing a proposed goal's SMART content clears the
votes, since people agreed to something else.
"""

from __future__ import annotations

from typing import Any

from plc_tui.api import Tally, tally_votes

from .model import DEFAULT_SHARE

__all__ = ["Tally", "tally"]


def tally(goal: dict[str, Any], team_logins: list[str] | tuple[str, ...]) -> Tally:
    return tally_votes(goal.get("votes"), team_logins, goal.get("consensus_share") or DEFAULT_SHARE)

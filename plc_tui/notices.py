"""What plc has already told this person, so a warning that stays true (a broken
plugin) is said once, not on every command. Kept per user in their state folder;
when it cannot be read or written the warning is simply said again."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from platformdirs import user_state_dir


def _path() -> Path:
    return Path(user_state_dir("plc")) / "told.json"


def warned_once(key: str, text: str) -> bool:
    """True the first time ``text`` is to be said under ``key`` (and remembers it);
    False while the same text was said before. A new text says it again."""
    path = _path()
    try:
        told = json.loads(path.read_text("utf-8"))
        if not isinstance(told, dict):
            told = {}
    except (OSError, ValueError):
        told = {}
    if told.get(key) == text:
        return False
    told[key] = text
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".told.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(told, out)
        os.replace(temp, path)
    except OSError:
        pass
    return True

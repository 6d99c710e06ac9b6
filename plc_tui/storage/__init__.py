"""TinyDB behind a locked, atomic, multi-process storage layer.

Layout of a data directory (one TinyDB JSON file per collection, or per
partition of a collection, so one write never rewrites unrelated data)::

    <data>/
      .plc.lock                    inter-process lock (flock)
      .plc.changes                 the commit counter (see .changes)
      .plc.journal                 only while a multi-file commit is under way
      .plc.settings                how the folder is shared (see .files.Sharing)
      .plc.cache/...               values derived from data files, each checked
                                   against its file (see .summaries, .spans)
      core/members.json            core collections
      core/schema.json             each table's rules: schema version, owner, history
      <plugin>/<table>.json        a plugin's table
      <plugin>/<table>/<part>.json a partitioned table (e.g. one file per survey)
      backups/generations/...      the last versions of tables that keep history
      backups/snapshots/<stamp>/   complete copies made by `plc db backup`

The modules: :mod:`.files` (every OS call, modes, errors), :mod:`.tables`
(TinyDB's tables as plugins get them), :mod:`.changes` (commit counter),
:mod:`.journal` (multi-file commits), :mod:`.summaries` and :mod:`.spans` (what is
kept beside a file so a listing or one record reads less), :mod:`.store` (the :class:`Storage`),
:mod:`.snapshots` (backup and restore) and :mod:`.health` (check and repair).
"""

from .changes import STAMP_FILE
from .files import SETTINGS_FILE, SHARING_MODES, TMP_SUFFIX, Sharing
from .journal import JOURNAL_FILE
from .store import (
    BACKUPS_DIR,
    LOCK_FILE,
    SCHEMA_TABLE,
    Storage,
    TableSpec,
    Transaction,
    check_name,
    check_partition,
)
from .tables import UnstorableValue

__all__ = [
    "BACKUPS_DIR",
    "JOURNAL_FILE",
    "LOCK_FILE",
    "SCHEMA_TABLE",
    "SETTINGS_FILE",
    "SHARING_MODES",
    "STAMP_FILE",
    "TMP_SUFFIX",
    "Sharing",
    "Storage",
    "TableSpec",
    "Transaction",
    "UnstorableValue",
    "check_name",
    "check_partition",
]

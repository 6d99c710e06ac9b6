"""Keep a table's cursor on the same row when the table is filled again.

Screens redraw their tables when data changes (their own save, or another
person's). Keeping the cursor by row number would leave it on whatever row
moved into that place: a survey that closes sorts lower, a goal that is added
sorts higher. These helpers keep it on the same record, by row key.
Public API for module screens.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


def highlighted_key(table: DataTable[Any]) -> str | None:
    """The key of the highlighted row (``None`` for an empty table)."""
    if table.row_count == 0:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def cursor_key(table: DataTable[Any]) -> tuple[str | None, int]:
    """The highlighted row's key and place, to find it again after a refresh."""
    return highlighted_key(table), table.cursor_row if table.row_count else 0


def restore_cursor(table: DataTable[Any], keep: tuple[str | None, int]) -> None:
    """Back on the row with the kept key; if it is gone, at the same place."""
    key, row = keep
    if table.row_count == 0:
        return
    try:
        row = table.get_row_index(key) if key is not None else row
    except RowDoesNotExist:
        row = min(row, table.row_count - 1)
    table.move_cursor(row=row)

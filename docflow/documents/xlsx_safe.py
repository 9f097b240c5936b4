"""Write values into an output workbook so that text always stays text, never a formula."""

from __future__ import annotations

from typing import Any

# A cell starting with these is a formula to Excel; submitted text must never become one.
FORMULA_STARTS = ("=", "+", "-", "@")


def put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Set a cell; strings are stored as text whatever they start with."""
    cell = ws.cell(row, col)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would otherwise write "=…" as a formula
        cell.quotePrefix = True
    return cell

"""Where a finding is, as shown to the user: the path relative to the current folder, and in a
notebook the cell and the row in that cell (see tipcheck.output)."""

from __future__ import annotations

import os
from typing import Any, Mapping, Optional, Tuple

from tipcheck.diagnostics import Diagnostic

Notebooks = Optional[Mapping[str, Any]]  # path -> tipcheck.notebook.Notebook (duck-typed here)


def display_path(path: str) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


def place(d: Diagnostic, notebooks: Notebooks) -> Tuple[Optional[int], int, int, int, int]:
    """(cell or None, start row, start column, end row, end column) as shown to the user."""
    notebook = notebooks.get(d.path) if notebooks else None
    if notebook is None:
        return None, d.start.row, d.start.column, d.end.row, d.end.column
    cell, row, column = notebook.location(d.start.row, d.start.column)
    end_cell, end_row, end_column = notebook.location(d.end.row, d.end.column)
    if end_cell != cell:  # a range that crosses cells: end it at the start
        end_row, end_column = row, column
    return cell, row, column, end_row, end_column

"""Notebook documents as the editor sends them (notebookDocument/*): one text document per cell.

They are linted as `tipcheck lint` lints an .ipynb file: the cells go into a notebook's JSON, and
tipcheck.notebook joins the Python code cells into one module (IPython magics left out), so that
the facts work across cells. Places in that module map back to a cell and a position in it.
"""

from __future__ import annotations

import json
from typing import Dict, Optional, Sequence, Tuple

from lsprotocol import types as lsp
from pygls.workspace.position_codec import PositionCodec

from tipcheck.notebook import Notebook, NotebookError
from tipcheck.server.places import characters, client_units
from tipcheck.source import SourceFile


def _cell(kind: lsp.NotebookCellKind, language: Optional[str], text: str) -> dict:
    if kind != lsp.NotebookCellKind.Code:
        return {"cell_type": "markdown", "metadata": {}, "source": text}
    return {
        "cell_type": "code",
        "metadata": {"vscode": {"languageId": language or "python"}},
        "source": text,
        "outputs": [],
        "execution_count": None,
    }


class NotebookPlaces:
    """An open notebook: the module tipcheck lints, and the map from its rows to the cells."""

    def __init__(
        self,
        path: str,
        document: lsp.NotebookDocument,
        cells: Sequence[Tuple[str, Optional[str], str]],
        codec: PositionCodec,
    ) -> None:
        """``cells``: (URI, language, text) of each cell, in the notebook's order."""
        self.codec = codec
        self.cell_uris = [uri for uri, _, _ in cells]
        self.cell_texts: Dict[str, SourceFile] = {uri: SourceFile(uri, text) for uri, _, text in cells}
        kinds = [cell.kind for cell in document.cells]
        metadata = document.metadata if isinstance(document.metadata, dict) else {}
        data = {
            "cells": [_cell(kind, language, text) for kind, (_, language, text) in zip(kinds, cells)],
            "metadata": metadata,
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        try:
            self.notebook: Optional[Notebook] = Notebook(json.dumps(data), path=path)
        except NotebookError:
            self.notebook = None
        self.joined = self.notebook.source_file() if self.notebook is not None else SourceFile(path, "")
        self.joined.notebook = self.notebook

    def source(self) -> Optional[SourceFile]:
        """What to lint: the joined code cells; None for a notebook in another language."""
        if self.notebook is None or not self.notebook.is_python:
            return None
        return self.joined

    def uris(self) -> Tuple[str, ...]:
        return tuple(self.cell_uris)

    def position(self, row: int, column: int) -> Tuple[str, lsp.Position]:
        cell, row_in_cell, column = self.notebook.location(row, column)
        uri = self.cell_uris[cell - 1]
        text = self.cell_texts[uri]
        rows = len(text.line_starts)
        if row_in_cell > rows:
            row_in_cell, column = rows, len(text.line_text(rows)) + 1
        line = text.line_text(row_in_cell)
        return uri, lsp.Position(row_in_cell - 1, client_units(self.codec, line, column - 1))

    def at(self, offset: int) -> Tuple[str, lsp.Position]:
        joined = self.joined
        location = joined.location(min(max(0, offset), len(joined.text)))
        return self.position(location.row, location.column)

    def offset(self, uri: str, position: lsp.Position) -> Optional[int]:
        """The offset in the joined module of a position in cell ``uri``; None for a cell that is
        not in it."""
        if uri not in self.cell_texts:
            return None
        first = self.notebook.cell_start(self.cell_uris.index(uri) + 1)
        if first is None:
            return None
        cell = self.cell_texts[uri]
        line = cell.line_text(position.line + 1) if position.line < len(cell.line_starts) else ""
        joined = self.joined
        row = min(first + position.line, len(joined.line_starts))
        return joined.line_starts[row - 1] + characters(self.codec, line, position.character)

"""Places in a linted text as the editor names them, and back.

tipcheck locates findings by 1-based rows and columns in characters, and fixes by offsets in the
decoded text; LSP by 0-based lines and characters in the units the client asked for (UTF-16 by
default, pygls's PositionCodec converts). A plain file is one editor document; a notebook is one
document per cell (tipcheck.server.notebooks), so a place maps to (document URI, position).
"""

from __future__ import annotations

from typing import Optional, Tuple

from lsprotocol import types as lsp
from pygls.workspace.position_codec import PositionCodec

from tipcheck.source import SourceFile


def client_units(codec: PositionCodec, line: str, column: int) -> int:
    """The client's units of the first ``column`` characters of ``line``."""
    prefix = line[:column]
    return len(prefix) if prefix.isascii() else codec.client_num_units(prefix)


def characters(codec: PositionCodec, line: str, units: int) -> int:
    """How many characters of ``line`` the first ``units`` client units cover (clamped to it)."""
    if line.isascii():
        return min(units, len(line))
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += codec.client_num_units(char)
    return len(line)


class TextPlaces:
    """The places of a plain file: one document, the linted text itself."""

    def __init__(self, uri: str, source: SourceFile, codec: PositionCodec) -> None:
        self.uri = uri
        self.source = source
        self.codec = codec

    def uris(self) -> Tuple[str, ...]:
        return (self.uri,)

    def position(self, row: int, column: int) -> Tuple[str, lsp.Position]:
        """The document and LSP position of a 1-based row and column (in characters)."""
        rows = len(self.source.line_starts)
        if row > rows:  # past the end: the end of the last line
            row, column = rows, len(self.source.line_text(rows)) + 1
        line = self.source.line_text(row)
        return self.uri, lsp.Position(row - 1, client_units(self.codec, line, column - 1))

    def at(self, offset: int) -> Tuple[str, lsp.Position]:
        location = self.source.location(min(max(0, offset), len(self.source.text)))
        return self.position(location.row, location.column)

    def offset(self, uri: str, position: lsp.Position) -> Optional[int]:
        """The offset in the linted text of a position in document ``uri``; None when ``uri`` is
        not this text's."""
        if uri != self.uri:
            return None
        starts = self.source.line_starts
        if position.line >= len(starts):
            return len(self.source.text)
        row = position.line + 1
        return starts[row - 1] + characters(self.codec, self.source.line_text(row), position.character)


def lsp_range(places, start: int, end: int) -> Optional[Tuple[str, lsp.Range]]:
    """The document and range of the offsets [start, end) of the linted text; None when they lie
    in two documents (two cells of a notebook)."""
    uri, first = places.at(start)
    end_uri, last = places.at(end)
    if end_uri != uri:
        if end > start:
            end_uri, last = places.at(end - 1)  # an edit that ends with its cell's last newline
            last = lsp.Position(last.line + 1, 0)
        if end_uri != uri:
            return None
    return uri, lsp.Range(first, last)

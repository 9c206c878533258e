"""Reading a Python file the way Python itself would, and writing it back unchanged but for the fix.

Bytes are decoded by PEP 263 / BOM rules (``tokenize.detect_encoding``), line endings are kept as
they are (no universal-newline translation), and the same encoding and BOM are used to write back
(tipcheck.writing writes the bytes).
"""

from __future__ import annotations

import bisect
import os
import re
import stat
import tokenize
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from tipcheck.byobject import ByObject
from tipcheck.diagnostics import Location

_NEWLINE = re.compile(r"\r\n|\r|\n")


class SourceError(Exception):
    """A file that cannot be read as Python source; the message is shown to the user."""


@dataclass
class SourceFile:
    path: str  # the path as shown to the user
    text: str
    encoding: str = "utf-8"  # "utf-8-sig" when the file starts with a BOM
    _line_starts: List[int] = field(default_factory=list, repr=False)
    # For a Jupyter notebook, the tipcheck.notebook.Notebook whose code cells `text` joins: fixes
    # are written back through it (see `encode_fixed`).
    notebook: Optional[object] = field(default=None, repr=False, compare=False)
    # The file it was read from, so that a text nobody needs can be dropped and read again.
    origin: Optional[str] = field(default=None, repr=False, compare=False)

    def encode_fixed(self, fixed_text: str) -> bytes:
        """The bytes to write for a fixed text: the same encoding, or the notebook with its cells."""
        if self.notebook is not None:
            return self.notebook.encode(self.notebook.write_fixed(fixed_text))
        return self.encode(fixed_text)

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> "SourceFile":
        if b"\x00" in data:
            raise SourceError("binary file (contains NUL bytes), not Python source")
        # The declaration is looked for in the first two lines, whatever ends them: Python reads a
        # file with old Mac line endings (\r alone) too, and finds its declaration.
        lines = iter(data.splitlines(keepends=True)[:2])
        try:
            encoding, _ = tokenize.detect_encoding(lambda: next(lines, b""))
        except SyntaxError as exc:  # unknown or inconsistent coding declaration
            raise SourceError(f"bad encoding declaration: {exc.msg if hasattr(exc, 'msg') else exc}")
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise SourceError(f"cannot decode as {encoding}: {exc}")
        return cls(path=path, text=text, encoding=encoding)

    @classmethod
    def read(cls, path: str) -> "SourceFile":
        source = cls.from_bytes(path, read_bytes(path))
        source.origin = path
        return source

    # -- memory ----------------------------------------------------------------------------
    def release(self) -> bool:
        """Drop the text (of a file nothing will look at) to save memory; reading `text` again
        reads the file again. Only for a plain file read from disk."""
        if self.origin is None or self.notebook is not None or "text" not in self.__dict__:
            return False
        del self.__dict__["text"]
        self._line_starts = []
        return True

    @property
    def released(self) -> bool:
        return "text" not in self.__dict__

    def __getattr__(self, name: str):
        # Only reached for an attribute that is not set: `text` after release().
        if name == "text" and self.__dict__.get("origin") is not None:
            text = SourceFile.from_bytes(self.path, read_bytes(self.origin)).text
            self.__dict__["text"] = text
            return text
        raise AttributeError(name)

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)

    @property
    def newline(self) -> str:
        match = _NEWLINE.search(self.text)
        return match.group(0) if match else "\n"

    # -- positions -------------------------------------------------------------------------
    @property
    def line_starts(self) -> List[int]:
        if not self._line_starts:
            self._line_starts = _starts_of(self.text)
        return self._line_starts

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based line and 0-based column (LibCST's convention)."""
        return self.line_starts[line - 1] + column

    def location(self, offset: int) -> Location:
        """The 1-based (row, column) of an offset."""
        row = bisect.bisect_right(self.line_starts, offset)
        return Location(row, offset - self.line_starts[row - 1] + 1)

    def line_bounds(self, row: int) -> Tuple[int, int, int]:
        """(start, end of content, end with the line ending) of a 1-based row."""
        starts = self.line_starts
        begin = starts[row - 1]
        full_end = starts[row] if row < len(starts) else len(self.text)
        end = full_end
        while end > begin and self.text[end - 1] in "\r\n":
            end -= 1
        return begin, end, full_end

    def line_text(self, row: int) -> str:
        begin, end, _ = self.line_bounds(row)
        return self.text[begin:end]

    def physical_lines(self) -> List[str]:
        """The lines as numbered here (\r\n, \r and \n end a line), each ending in \n (for
        tokenize: columns are unchanged); no empty last line after a final line ending."""
        rows = len(self.line_starts)
        lines = []
        for row in range(1, rows + 1):
            begin, end, full_end = self.line_bounds(row)
            if row < rows:
                lines.append(self.text[begin:end] + "\n")
            elif begin < full_end:
                lines.append(self.text[begin:full_end])
        return lines


# The most bytes read from one file: more is generated data, not source, and reading it whole
# could exhaust the memory (`/dev/zero` never ends). A notebook carries its outputs (images), so
# it gets more room.
MAX_SOURCE_BYTES = 10 * 1024 * 1024
MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024

_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count % (1024 * 1024) == 0 else f"{count} bytes"


def read_bytes(path: str, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit`` of them; a SourceError with a short, clear
    message when it cannot be read, is not a regular file (a FIFO would block the run, a device
    never ends) or is larger than ``limit``."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (no effect on a regular file).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise SourceError("no such file or directory")
    except IsADirectoryError:
        raise SourceError("is a directory")
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc))
    try:
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise SourceError("is a directory")
            if not stat.S_ISREG(info.st_mode):
                kind = next((name for test, name in _FILE_KINDS if test(info.st_mode)), "a special file")
                raise SourceError(f"not a regular file ({kind})")
            if info.st_size > limit:
                raise SourceError(f"file too large ({info.st_size} bytes; the limit is {_size(limit)})")
        except BaseException:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since fstat
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc))
    if len(data) > limit:
        raise SourceError(f"file too large (over {limit} bytes; the limit is {_size(limit)})")
    return data


# The line starts of the last few texts, kept with the text object: a long-lived process (the editor
# server) makes a new SourceFile for each version of a buffer, and re-parsing the next version reads
# the lines of the one before (tipcheck.reparse). The lists are never changed once made.
_STARTS: ByObject[str, List[int]] = ByObject(4)


def _starts_of(text: str) -> List[int]:
    return _STARTS.get(text, _find_starts)


def _find_starts(text: str) -> List[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]

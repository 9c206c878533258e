"""What a rule reports: diagnostics, fixes and the text edits a fix is made of; and what the engine
reports of a parser or rule that crashed (InternalError)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional, Tuple


class Applicability(str, enum.Enum):
    """How much a fix can be trusted, as in Ruff."""

    SAFE = "safe"  # keeps behaviour, or makes only the intended correction
    UNSAFE = "unsafe"  # may change behaviour: needs a look


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based line and a 1-based column (in characters)."""

    row: int
    column: int


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``content``; offsets index the decoded source."""

    start: int
    end: int
    content: str

    @classmethod
    def insert(cls, at: int, content: str) -> "Edit":
        return cls(at, at, content)


@dataclass(frozen=True)
class Fix:
    edits: Tuple[Edit, ...]
    message: str
    applicability: Applicability

    @property
    def is_safe(self) -> bool:
        return self.applicability is Applicability.SAFE


@dataclass
class Diagnostic:
    code: str
    name: str
    message: str
    path: str
    start: Location
    end: Location
    fix: Optional[Fix] = None
    # The decoded source the locations refer to; output formats use it to show the line.
    source_line: str = field(default="", compare=False, repr=False)

    @property
    def sort_key(self):
        return (self.path, self.start.row, self.start.column, self.code)

    def fixable(self, unsafe: bool) -> bool:
        return self.fix is not None and (self.fix.is_safe or unsafe)


def file_diagnostic(path: str, code: str, message: str, row: int = 1, column: int = 1, line: str = "") -> Diagnostic:
    """An engine finding about a whole file (no fix), at a given place."""
    loc = Location(row, column)
    return Diagnostic(code, code, message, path, loc, loc, None, line)


def located_diagnostic(source, code: str, message: str, row: int, column: int) -> Diagnostic:
    """An engine finding at a place in a decoded ``source`` (a tipcheck.source.SourceFile), the
    place clamped to the text."""
    row = min(max(1, row), len(source.line_starts))
    column = min(max(1, column), len(source.line_text(row)) + 1)
    return file_diagnostic(source.path, code, message, row, column, source.line_text(row))


@dataclass
class InternalError:
    """A parser or rule that crashed on a file (its findings there are lost); here, with no
    dependency, so that the cache and the CLI read it without the parser."""

    path: str
    rule: Optional[str]
    detail: str  # the exception, one line
    trace: str  # the full traceback, shown with --verbose only

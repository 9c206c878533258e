"""Suppression comments: ``# noqa``, ``# tipcheck: ignore[...]``, ``# tipcheck: file-ignore[...]``.

Forms (only real comments count: ``tokenize`` finds them, so text inside strings never does)

``# noqa``
    On a line: suppresses every tipcheck finding that starts on that line.
``# noqa: TIP201, TIP5``
    Ruff's syntax: ``#``, optional spaces, ``noqa`` (any case), optional spaces, ``:``, then codes
    (``[A-Z]+[0-9]+``) separated by commas and/or spaces; the list ends at the first word that is
    not a code, so ``# noqa: TIP201 the loader is sharded`` works. Here a code may also be a
    prefix: ``TIP5`` covers TIP501. ``# noqa:TIP201`` and ``# noqa : TIP201`` are fine;
    ``# noqa TIP201`` (no colon) is a bare ``# noqa``, as in Ruff.
``# tipcheck: ignore[TIP201, TIP4]``
    Like ``# noqa: TIP201, TIP4``. Bare ``# tipcheck: ignore`` (no brackets) is like a bare
    ``# noqa``: every tipcheck finding on the line.
``# tipcheck: file-ignore[TIP5]``
    Anywhere in the file (any comment, any line): suppresses those codes in the whole file. Bare
    ``# tipcheck: file-ignore`` suppresses every tipcheck finding in the file (Ruff's
    ``# ruff: noqa``).

Several directives may share one comment (``# tipcheck: ignore[TIP201]  # noqa: E501``).
A malformed directive (``# noqa:`` with no codes, ``# noqa; TIP201``, ``ignore[tip201]``, an unknown
``# tipcheck: word``) suppresses nothing and is reported in ``Suppressions.warnings``.

Which line: a finding is suppressed by a directive on the line where it starts
(``diagnostic.start.row``); for a finding on a statement that spans several lines, that is the
statement's first line (the line the finding's start is on), as for Ruff findings anchored there.
A line whose end is inside a multi-line string, or that ends with a backslash continuation,
cannot hold a comment: add_noqa skips findings starting there (and counts them).

Only tipcheck codes (``TIP`` + digits) are suppressed or judged; the engine's own findings
(``invalid-syntax``, ``io-error``) cannot be suppressed, and other linters' codes in a ``noqa``
(``E501``) are left alone.

Unused suppressions (TIP001 ``unused-suppression``, Ruff's RUF100): a ``# noqa: CODES`` or
``# tipcheck: ignore[CODES]`` with a TIP code that no finding on its line matches (unused), that
names no tipcheck code at all (unknown: ``TIP999``), or that repeats an earlier code
(duplicated). Codes whose rules are all disabled for the file (not selected, or per-file-ignored)
are NOT judged (unlike Ruff's "non-enabled"), so that ``--select`` of a subset never strips the
suppressions of the other rules. Bare ``# noqa`` / ``# tipcheck: ignore`` and file-ignore
directives are never reported. A directive that names TIP001 (or ``TIP0``), or a bare one on the
same line, silences the TIP001 finding of that line; a file-ignore covering TIP001 silences all.

Engine use, per file (after per-file-ignores, before output)::

    supp = Suppressions.from_source(source)             # cheap when no noqa/tipcheck text
    kept, suppressed = supp.filter(diagnostics)
    enabled = settings.enabled_codes_for(source.path)   # tipcheck.config
    kept += supp.unused(diagnostics, source.path, enabled)   # TIP001, with safe fixes

Call unused() only for a file whose rules all ran: skip it for a file with an ``invalid-syntax``
finding, and leave out of ``enabled`` the codes of rules that raised an internal error on the
file (else their suppressions would look unused and the fix would delete them).

``--add-noqa``: ``result = add_noqa(source.text, diagnostics)``; write ``result.text`` when
``result.added``; report ``result.added`` directives added and ``result.skipped`` findings skipped.
"""

from __future__ import annotations

import re
import tokenize
from dataclasses import dataclass, field
from typing import Collection, Dict, Iterable, List, NamedTuple, Optional, Set, Tuple

from tipcheck.codes import UNUSED_SUPPRESSION, UNUSED_SUPPRESSION_NAME
from tipcheck.config import all_codes
from tipcheck.diagnostics import Applicability, Diagnostic, Edit, Fix, Location
from tipcheck.source import SourceFile

_TIPCHECK_COLON = re.compile(r"tipcheck\s*:")
_TIP_CODE = re.compile(r"TIP[0-9]+")
_CODE = re.compile(r"[A-Z]+[0-9]+")

NOQA, IGNORE, FILE_IGNORE = "noqa", "ignore", "file-ignore"


def may_hold_directives(text: str) -> bool:
    """The cheap pre-check: "noqa" (any case), or "tipcheck" then ":" (not `from tipcheck import`).
    A text without either is never tokenized. (Plain `in` tests: far faster than one regex.)"""
    lowered = text.lower()
    return "noqa" in lowered or ("tipcheck" in lowered and _TIPCHECK_COLON.search(text) is not None)


def is_suppressible(code: str) -> bool:
    """Whether a finding with this code can be suppressed (tipcheck rule codes and TIP001)."""
    return _TIP_CODE.fullmatch(code) is not None


@dataclass(frozen=True)
class CodeEntry:
    code: str
    start: int  # 0-based column in the line
    end: int


@dataclass(frozen=True)
class Directive:
    kind: str  # one of NOQA, IGNORE, FILE_IGNORE
    row: int  # 1-based
    start: int  # 0-based column of its `#`
    end: int  # 0-based column just after it (after the last code, the `]`, or the keyword)
    codes: Optional[Tuple[CodeEntry, ...]]  # None: a bare (blanket) directive

    def matches(self, code: str) -> bool:
        """Whether this directive suppresses a finding with ``code``."""
        if not is_suppressible(code):
            return False
        return self.codes is None or any(code.startswith(entry.code) for entry in self.codes)


@dataclass(frozen=True)
class SuppressionWarning:
    row: int  # 1-based
    column: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.row}:{self.column}: {self.message}"


class NoqaResult(NamedTuple):
    text: str  # the new text (the same text when nothing was added)
    added: int  # lines that got a directive or more codes in one
    skipped: int  # findings on lines that cannot take a comment (inside a string, after `\`)


# -- reading comments ------------------------------------------------------------------------


def _tokenize(text: str) -> Tuple[List[Tuple[int, int, str]], Set[int]]:
    """The comments (row, column, text) and the rows whose end can take a comment."""
    lines = iter(SourceFile("<text>", text).physical_lines())
    comments: List[Tuple[int, int, str]] = []
    commentable: Set[int] = set()
    try:
        for token in tokenize.generate_tokens(lambda: next(lines, "")):
            if token.type == tokenize.COMMENT:
                comments.append((token.start[0], token.start[1], token.string))
            elif token.type in (tokenize.NL, tokenize.NEWLINE):
                commentable.add(token.start[0])
    except (tokenize.TokenError, SyntaxError):  # keep what was read before the bad part
        pass
    return comments, commentable


def _skip_space(s: str, i: int) -> int:
    while i < len(s) and s[i].isspace():
        i += 1
    return i


_NOQA_EXAMPLE = "(e.g., `# noqa: TIP201, TIP401`)"
_IGNORE_EXAMPLE = "(e.g., `# tipcheck: ignore[TIP201, TIP4]`)"


class _CommentParser:
    def __init__(self, row: int, column: int, comment: str):
        self.row = row
        self.column = column
        self.s = comment
        self.directives: List[Directive] = []
        self.warnings: List[SuppressionWarning] = []

    def warn(self, at: int, message: str) -> None:
        self.warnings.append(SuppressionWarning(self.row, self.column + at + 1, message))

    def parse(self) -> "_CommentParser":
        s = self.s
        hash_at = s.find("#")
        while hash_at >= 0:
            i = _skip_space(s, hash_at + 1)
            if s[i : i + 4].lower() == "noqa":
                self._noqa(hash_at, i + 4)
            elif s.startswith("tipcheck", i):
                self._tipcheck(hash_at, i + len("tipcheck"))
            hash_at = s.find("#", hash_at + 1)
        return self

    def _directive(self, kind: str, start: int, end: int, codes: Optional[List[CodeEntry]]) -> None:
        shifted = (
            None
            if codes is None
            else tuple(CodeEntry(c.code, c.start + self.column, c.end + self.column) for c in codes)
        )
        self.directives.append(Directive(kind, self.row, start + self.column, end + self.column, shifted))

    def _noqa(self, start: int, i: int) -> None:
        s = self.s
        bad = f"invalid `# noqa` directive on line {self.row}: "
        if i >= len(s) or s[i] == "#":
            return self._directive(NOQA, start, i, None)
        if s[i].isspace():
            j = _skip_space(s, i)
            if j >= len(s) or s[j] != ":":  # `# noqa because ...`: bare, as in Ruff
                return self._directive(NOQA, start, i, None)
            i = j
        if s[i] != ":":  # no colon: `#`+`noqaTIP201`, or a semicolon after `noqa`
            return self.warn(start, bad + f"expected `:` followed by a comma-separated list of codes {_NOQA_EXAMPLE}")
        codes: List[CodeEntry] = []
        i += 1
        missing_delimiter = False
        while i < len(s):
            i = _skip_space(s, i)
            if i < len(s) and s[i] == ",":
                i += 1
                continue
            if i >= len(s) or not ("A" <= s[i] <= "Z"):
                break  # the end of the codes: a trailing comment or explanation
            j = i
            while j < len(s) and "A" <= s[j] <= "Z":
                j += 1
            if j >= len(s) or not s[j].isdigit():
                if missing_delimiter:  # `TIP201Foo`
                    return self.warn(start, bad + "expected codes of uppercase letters and digits (e.g., `TIP201`)")
                break  # `# noqa: TIP201 The reason`: a word, not a code
            while j < len(s) and s[j].isdigit():
                j += 1
            codes.append(CodeEntry(s[i:j], i, j))
            i = j
            if i >= len(s):
                break
            if s[i] == ",":
                i += 1
                missing_delimiter = False
            elif s[i].isspace() or s[i] == "#":
                missing_delimiter = False
            elif "A" <= s[i] <= "Z":  # `TIP201TIP401`: Ruff reads both, with a warning
                missing_delimiter = True
            else:  # `TIP201abc`, `TIP201;`
                return self.warn(start, bad + "expected codes of uppercase letters and digits (e.g., `TIP201`)")
        if not codes:
            return self.warn(start, bad + f"expected a comma-separated list of codes {_NOQA_EXAMPLE}")
        self._directive(NOQA, start, codes[-1].end, codes)

    def _tipcheck(self, start: int, i: int) -> None:
        s = self.s
        i = _skip_space(s, i)
        if i >= len(s) or s[i] != ":":
            return  # "# tipcheck is great": not a directive
        i = _skip_space(s, i + 1)
        if s.startswith(FILE_IGNORE, i):
            kind, i = FILE_IGNORE, i + len(FILE_IGNORE)
        elif s.startswith(IGNORE, i):
            kind, i = IGNORE, i + len(IGNORE)
        else:
            word = re.match(r"[^\s\[#]*", s[i:]).group(0)
            return self.warn(
                start,
                f"unknown `# tipcheck:` directive `{word}` on line {self.row}: expected `ignore[CODES]` or "
                f"`file-ignore[CODES]`",
            )
        keyword_end = i
        if i < len(s) and not (s[i].isspace() or s[i] in "[#"):  # `ignored`, `ignore:`
            return self.warn(start, f"invalid `# tipcheck: {kind}` directive on line {self.row}: {_IGNORE_EXAMPLE}")
        i = _skip_space(s, i)
        if i >= len(s) or s[i] != "[":
            return self._directive(kind, start, keyword_end, None)
        close = s.find("]", i)
        bad = f"invalid `# tipcheck: {kind}` directive on line {self.row}: "
        if close < 0:
            return self.warn(start, bad + f"missing `]` {_IGNORE_EXAMPLE}")
        codes: List[CodeEntry] = []
        for match in re.finditer(r"[^\s,]+", s[i + 1 : close]):
            code = match.group(0)
            if not _CODE.fullmatch(code):
                return self.warn(
                    start, bad + f"`{code}` is not a code of uppercase letters and digits (e.g., `TIP201`)"
                )
            codes.append(CodeEntry(code, i + 1 + match.start(), i + 1 + match.end()))
        if not codes:
            return self.warn(start, bad + f"expected codes inside the brackets {_IGNORE_EXAMPLE}")
        self._directive(kind, start, close + 1, codes)


# -- suppressions ----------------------------------------------------------------------------


@dataclass
class Suppressions:
    """The suppression directives of one file. Build with parse() or from_source()."""

    text: str = ""
    lines: Dict[int, List[Directive]] = field(default_factory=dict)  # row -> line directives
    file: List[Directive] = field(default_factory=list)  # file-ignore directives
    warnings: List[SuppressionWarning] = field(default_factory=list)  # malformed directives
    commentable: Optional[Set[int]] = None  # rows that can take a comment (None: not tokenized)
    # The text's positions (line offsets): the linted SourceFile's, or one made for the text.
    _source: Optional[SourceFile] = field(default=None, repr=False, compare=False)

    @classmethod
    def parse(cls, text: str) -> "Suppressions":
        """Read the directives of ``text`` (decoded source). A text without "noqa" or "tipcheck"
        anywhere is not tokenized."""
        if not may_hold_directives(text):
            return cls(text)
        return cls._tokenized(text)

    @classmethod
    def from_source(cls, source: SourceFile) -> "Suppressions":
        """Like parse(source.text), reusing the source's line offsets."""
        result = cls.parse(source.text)
        if result or result.warnings:  # line offsets are only needed to report on directives
            result._source = source
        return result

    @classmethod
    def _tokenized(cls, text: str) -> "Suppressions":
        comments, commentable = _tokenize(text)
        result = cls(text, commentable=commentable)
        for row, column, comment in comments:
            if not may_hold_directives(comment):
                continue
            parsed = _CommentParser(row, column, comment).parse()
            result.warnings.extend(parsed.warnings)
            for directive in parsed.directives:
                if directive.kind == FILE_IGNORE:
                    result.file.append(directive)
                else:
                    result.lines.setdefault(row, []).append(directive)
        return result

    def __bool__(self) -> bool:
        return bool(self.lines or self.file)

    # -- suppressing ---------------------------------------------------------------------------
    def file_suppresses(self, code: str) -> bool:
        return any(d.matches(code) for d in self.file)

    def suppresses(self, code: str, row: int) -> bool:
        """Whether a finding with ``code`` starting on ``row`` is suppressed."""
        if self.file and self.file_suppresses(code):
            return True
        return any(d.matches(code) for d in self.lines.get(row, ()))

    def filter(self, diagnostics: Iterable[Diagnostic]) -> Tuple[List[Diagnostic], List[Diagnostic]]:
        """Split findings into (kept, suppressed), each in the given order."""
        if not self:
            return list(diagnostics), []
        kept: List[Diagnostic] = []
        suppressed: List[Diagnostic] = []
        for diagnostic in diagnostics:
            (suppressed if self.suppresses(diagnostic.code, diagnostic.start.row) else kept).append(diagnostic)
        return kept, suppressed

    # -- unused directives -----------------------------------------------------------------------
    def unused(
        self,
        diagnostics: Iterable[Diagnostic],
        path: str,
        enabled: Optional[Collection[str]] = None,
    ) -> List[Diagnostic]:
        """TIP001 findings for the unused codes of ``# noqa: ...`` / ``# tipcheck: ignore[...]``.

        ``diagnostics``: ALL the file's findings, suppressed ones included (after per-file-ignores).
        ``enabled``: the codes enabled for this file (Settings.enabled_codes_for(path)); codes of
        disabled rules are not judged, and nothing is reported when TIP001 itself is not in it.
        None: every code is enabled. Each finding has a safe fix that removes the unused codes, or
        the whole directive (and the line, if the directive was all there was on it).
        """
        if not self.lines:
            return []
        if enabled is not None and UNUSED_SUPPRESSION not in enabled:
            return []
        if self.file_suppresses(UNUSED_SUPPRESSION):
            return []
        known = all_codes()
        by_row: Dict[int, List[str]] = {}
        for diagnostic in diagnostics:
            if is_suppressible(diagnostic.code) and not self.file_suppresses(diagnostic.code):
                by_row.setdefault(diagnostic.start.row, []).append(diagnostic.code)
        findings: List[Diagnostic] = []
        for row in sorted(self.lines):
            directives = self.lines[row]
            if any(d.matches(UNUSED_SUPPRESSION) for d in directives):
                continue
            codes_here = by_row.get(row, ())
            for directive in directives:
                if directive.codes is None:
                    continue
                finding = self._judge(directive, codes_here, known, enabled, path)
                if finding is not None:
                    findings.append(finding)
        return findings

    def _judge(self, directive, codes_here, known, enabled, path) -> Optional[Diagnostic]:
        unused: List[CodeEntry] = []
        unknown: List[CodeEntry] = []
        duplicated: List[CodeEntry] = []
        seen: Set[str] = set()
        for entry in directive.codes:
            code = entry.code
            if not is_suppressible(code):
                continue  # another linter's code: not ours to judge
            if code in seen:
                duplicated.append(entry)
                continue
            seen.add(code)
            if any(c.startswith(code) for c in codes_here):
                continue
            covered = [k for k in known if k.startswith(code)]
            if not covered:
                unknown.append(entry)
            elif UNUSED_SUPPRESSION in covered:
                continue  # it silences this very finding
            elif enabled is None or any(k in enabled for k in covered):
                unused.append(entry)
        if not (unused or unknown or duplicated):
            return None
        reasons = []
        for label, entries in (("unused", unused), ("duplicated", duplicated), ("unknown", unknown)):
            if entries:
                reasons.append(f"{label}: " + ", ".join(f"`{e.code}`" for e in entries))
        what = "`noqa`" if directive.kind == NOQA else "`tipcheck: ignore`"
        dropped = {id(e) for e in (*unused, *unknown, *duplicated)}
        remaining = [e.code for e in directive.codes if id(e) not in dropped]
        if remaining:
            first, last = directive.codes[0], directive.codes[-1]
            edit = Edit(
                self._offset(directive.row, first.start), self._offset(directive.row, last.end), ", ".join(remaining)
            )
            message = "Remove unused codes from the suppression"
        else:
            edit = self._delete(directive)
            message = "Remove unused suppression"
        return Diagnostic(
            code=UNUSED_SUPPRESSION,
            name=UNUSED_SUPPRESSION_NAME,
            message=f"Unused {what} directive ({'; '.join(reasons)})",
            path=path,
            start=Location(directive.row, directive.start + 1),
            end=Location(directive.row, directive.end + 1),
            fix=Fix((edit,), message, Applicability.SAFE),
            source_line=self._line(directive.row),
        )

    # -- positions -----------------------------------------------------------------------------
    @property
    def source(self) -> SourceFile:
        """The text as a SourceFile, for its line offsets."""
        if self._source is None:
            self._source = SourceFile("<text>", self.text)
        return self._source

    def _offset(self, row: int, column: int) -> int:
        return self.source.offset(row, column)

    def _line_bounds(self, row: int) -> Tuple[int, int, int]:
        """(start, end of content, end with the line ending) of ``row``."""
        return self.source.line_bounds(row)

    def _line(self, row: int) -> str:
        begin, end, _ = self._line_bounds(row)
        return self.text[begin:end]

    def _delete(self, directive: Directive) -> Edit:
        """Remove a whole directive, the way Ruff removes a `# noqa`."""
        begin, end, full_end = self._line_bounds(directive.row)
        start = begin + directive.start
        stop = begin + directive.end
        lead = start
        while lead > begin and self.text[lead - 1] in " \t\f":
            lead -= 1
        trail = stop
        while trail < end and self.text[trail] in " \t\f":
            trail += 1
        if lead == begin and trail == end:  # the line holds nothing else: remove the line
            return Edit(begin, full_end, "")
        if trail == end:  # a directive after code, as in `x = 1  #` + ` noqa: TIP201`
            return Edit(lead, end, "")
        if self.text[trail] == "#":  # `x = 1  # noqa: TIP201  # why`
            return Edit(start, trail, "")
        return Edit(start + 2, trail, "") if self.text[start + 1 : start + 2] == " " else Edit(start + 1, trail, " ")


# -- adding noqa -----------------------------------------------------------------------------


def add_noqa(text: str, diagnostics: Iterable[Diagnostic]) -> NoqaResult:
    """``text`` with a ``# noqa: CODES`` for each line that has unsuppressed tipcheck findings.

    The codes go into the line's existing ``# noqa: ...`` (or ``# tipcheck: ignore[...]``) when
    it has one, else ``  # noqa: CODES`` is appended at the end of the line (after any comment).
    Findings already suppressed, TIP001 findings and the engine's own findings are left out, so
    a second run changes nothing. Line endings are kept. Findings on a line that cannot take a
    comment (its end is inside a multi-line string, or it ends with a backslash) are skipped.
    """
    suppressions = Suppressions._tokenized(text)
    commentable = suppressions.commentable or set()
    by_row: Dict[int, List[str]] = {}
    skipped = 0
    for diagnostic in diagnostics:
        code, row = diagnostic.code, diagnostic.start.row
        if not is_suppressible(code) or code == UNUSED_SUPPRESSION or suppressions.suppresses(code, row):
            continue
        if row not in commentable:
            skipped += 1
            continue
        codes = by_row.setdefault(row, [])
        if code not in codes:
            codes.append(code)
    edits: List[Edit] = []
    for row, codes in by_row.items():
        codes.sort()
        begin, end, _ = suppressions._line_bounds(row)
        target = next((d for d in suppressions.lines.get(row, ()) if d.codes is not None and d.kind == NOQA), None)
        if target is None:
            target = next((d for d in suppressions.lines.get(row, ()) if d.codes is not None), None)
        if target is not None:
            at = begin + target.codes[-1].end
            edits.append(Edit.insert(at, ", " + ", ".join(codes)))
        else:
            content_end = end
            while content_end > begin and text[content_end - 1] in " \t":
                content_end -= 1
            edits.append(Edit(content_end, end, "  # noqa: " + ", ".join(codes)))
    if not edits:
        return NoqaResult(text, 0, skipped)
    out: List[str] = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: e.start):
        out.append(text[cursor : edit.start])
        out.append(edit.content)
        cursor = edit.end
    out.append(text[cursor:])
    return NoqaResult("".join(out), len(edits), skipped)

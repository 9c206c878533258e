"""The engine: read a file once, parse it once, build its facts once, run every enabled rule.

Files that no enabled rule can match (a cheap text check) are never parsed.
"""

from __future__ import annotations

import ast
import re
import traceback
import warnings
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import INVALID_SYNTAX, IO_ERROR, Diagnostic, Fix, Location
from tipcheck.facts import ModuleFacts
from tipcheck.fixes import apply_fixes, select_fixes
from tipcheck.rules.base import Rule
from tipcheck.source import SourceError, SourceFile

MAX_FIX_PASSES = 10


@dataclass
class InternalError:
    path: str
    rule: Optional[str]
    detail: str  # the exception, one line
    trace: str  # the full traceback, shown with --verbose only


@dataclass
class FileResult:
    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)
    errors: List[InternalError] = field(default_factory=list)
    source: Optional[SourceFile] = None
    fixed_text: Optional[str] = None  # set by fix_file when the fixes changed the text
    fixed_count: int = 0
    dropped_fixes: List[str] = field(default_factory=list)  # fixes dropped for breaking the code


def _file_diagnostic(path: str, code: str, message: str, row: int = 1, column: int = 1, line: str = "") -> Diagnostic:
    loc = Location(row, column)
    return Diagnostic(code, code, message, path, loc, loc, None, line)


def parse(source: SourceFile) -> cst.Module:
    return cst.parse_module(source.text)


_LIBCST_POSITION = re.compile(r"error at (\d+):(\d+)")


def _python_syntax_error(text: str) -> Optional[SyntaxError]:
    """CPython's own error for text LibCST cannot parse: its message and position are precise."""
    try:
        with warnings.catch_warnings():  # e.g. invalid escape sequences: not ours to report here
            warnings.simplefilter("ignore")
            compile(text, "<tipcheck>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        return exc
    except Exception:  # RecursionError, MemoryError, ValueError: fall back to LibCST's report
        return None
    return None


def syntax_diagnostic(source: SourceFile, exc: cst.ParserSyntaxError) -> Diagnostic:
    message = str(exc.message).strip().splitlines()[0] if exc.message else "invalid syntax"
    # LibCST's native parser leaves raw_column at 0; its position is only in the message.
    position = _LIBCST_POSITION.search(message)
    if position:
        row, column = int(position.group(1)), int(position.group(2)) + 1
    else:
        row, column = exc.raw_line, exc.raw_column + 1
    python_error = _python_syntax_error(source.text)
    if python_error is not None and python_error.lineno:
        message = python_error.msg or message
        row, column = python_error.lineno, python_error.offset or 1
    row = min(max(1, row), len(source.line_starts))
    column = min(max(1, column), len(source.line_text(row)) + 1)
    return _file_diagnostic(
        source.path, INVALID_SYNTAX, f"SyntaxError: {message}", row, column, source.line_text(row)
    )


def check_source(source: SourceFile, rules: Sequence[Rule]) -> FileResult:
    """Lint one decoded source text."""
    result = FileResult(source.path, source=source)
    wanted = [rule for rule in rules if rule.wanted(source.text)]
    if not wanted:
        return result
    try:
        module = parse(source)
    except cst.ParserSyntaxError as exc:
        result.diagnostics.append(syntax_diagnostic(source, exc))
        return result
    except (RecursionError, MemoryError, Exception) as exc:  # the parser itself failed
        result.errors.append(InternalError(source.path, None, f"parser failed: {exc!r}", traceback.format_exc()))
        return result
    try:
        facts = ModuleFacts(module)
    except Exception as exc:
        result.errors.append(InternalError(source.path, None, f"analysis failed: {exc!r}", traceback.format_exc()))
        return result
    ctx = RuleContext(source, module, facts)
    for rule in wanted:
        ctx._rule = rule
        before = len(ctx.diagnostics)
        try:
            rule.check(ctx)
        except Exception as exc:
            del ctx.diagnostics[before:]
            result.errors.append(InternalError(source.path, rule.code, repr(exc), traceback.format_exc()))
    result.diagnostics.extend(ctx.diagnostics)
    result.diagnostics.sort(key=lambda d: d.sort_key)
    return result


def read(path: str, display_path: Optional[str] = None) -> "SourceFile | Diagnostic":
    try:
        return SourceFile.read(path) if display_path is None else _renamed(SourceFile.read(path), display_path)
    except SourceError as exc:
        return _file_diagnostic(display_path or path, IO_ERROR, f"cannot read file: {exc}")


def _renamed(source: SourceFile, display_path: str) -> SourceFile:
    source.path = display_path
    return source


def check_file(path: str, rules: Sequence[Rule]) -> FileResult:
    source = read(path)
    if isinstance(source, Diagnostic):
        return FileResult(path, diagnostics=[source])
    return check_source(source, rules)


def _parses(text: str) -> bool:
    try:
        cst.parse_module(text)
        return True
    except Exception:
        return False


def _dropped_message(diag: Diagnostic) -> str:
    return (
        f"{diag.path}:{diag.start.row}:{diag.start.column}: {diag.code} fix dropped: "
        "it would have made the file unparseable"
    )


def fix_source(source: SourceFile, rules: Sequence[Rule], unsafe: bool) -> FileResult:
    """Apply fixes until nothing changes (bounded); the result carries what remains."""
    original = source.text
    current = source
    fixed = 0
    dropped: List[str] = []
    for _ in range(MAX_FIX_PASSES):
        result = check_source(current, rules)
        if result.errors:
            break
        candidates = [d for d in result.diagnostics if d.fixable(unsafe)]
        chosen = select_fixes([d.fix for d in candidates])
        if not chosen:
            break
        text = apply_fixes(current.text, chosen)
        if not _parses(text):
            # Keep the fixes that are fine on their own; report the others.
            good: List[Fix] = []
            for diag in candidates:
                if diag.fix not in chosen:
                    continue
                trial = apply_fixes(current.text, [*good, diag.fix])
                if _parses(trial):
                    good.append(diag.fix)
                else:
                    dropped.append(_dropped_message(diag))
            if not good:
                break
            chosen = good
            text = apply_fixes(current.text, chosen)
        if text == current.text:
            break
        fixed += len(chosen)
        current = SourceFile(path=source.path, text=text, encoding=source.encoding)
    final = check_source(current, rules) if fixed else result
    # A fix that was dropped leaves its finding behind, unfixed. It was tried again on each pass, at
    # positions that moved as other fixes went in: report it once, where it is in the final text.
    if dropped:
        dropped = [
            _dropped_message(diag)
            for diag in final.diagnostics
            if diag.fixable(unsafe) and not _parses(apply_fixes(current.text, [diag.fix]))
        ]
    final.fixed_count = fixed
    final.dropped_fixes = dropped
    final.source = source
    if current.text != original:
        final.fixed_text = current.text
    return final


def fix_file(path: str, rules: Sequence[Rule], unsafe: bool) -> FileResult:
    source = read(path)
    if isinstance(source, Diagnostic):
        return FileResult(path, diagnostics=[source])
    return fix_source(source, rules, unsafe)

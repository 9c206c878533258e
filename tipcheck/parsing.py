"""Parsing one file and the findings about the file itself: its syntax errors (as CPython words
them), a file too deep to analyse, and the internal errors of a parser or rule that crashed.

Both the engine (in this process) and the per-file analysis (in a worker, tipcheck.analysis) parse
here, so neither imports the other for it.
"""

from __future__ import annotations

import ast
import re
import traceback
import warnings
from typing import Optional, Tuple

import libcst as cst

from tipcheck.codes import INVALID_SYNTAX, TOO_COMPLEX
from tipcheck.diagnostics import Diagnostic, InternalError, located_diagnostic
from tipcheck.facts import ModuleFacts
from tipcheck.limits import NESTED_TOO_DEEPLY, TooComplex, precheck
from tipcheck.source import SourceFile


def too_complex(source: SourceFile) -> Diagnostic:
    """The finding for a file whose analysis ran out of stack."""
    return located_diagnostic(source, TOO_COMPLEX, f"Cannot analyse: {NESTED_TOO_DEEPLY}", 1, 1)


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


def _first_line(exc: cst.ParserSyntaxError) -> str:
    return str(exc.message).strip().splitlines()[0] if exc.message else "invalid syntax"


def _libcst_position(exc: cst.ParserSyntaxError) -> Tuple[int, int]:
    # LibCST's native parser leaves raw_column at 0; its position is only in the message.
    position = _LIBCST_POSITION.search(_first_line(exc))
    if position:
        return int(position.group(1)), int(position.group(2)) + 1
    return exc.raw_line, exc.raw_column + 1


def syntax_diagnostic(source: SourceFile, exc: cst.ParserSyntaxError) -> Diagnostic:
    message = _first_line(exc)
    row, column = _libcst_position(exc)
    python_error = _python_syntax_error(source.text)
    if python_error is not None and python_error.lineno:
        return python_syntax_diagnostic(source, python_error)
    return located_diagnostic(source, INVALID_SYNTAX, f"SyntaxError: {message}", row, column)


def python_syntax_diagnostic(source: SourceFile, error: SyntaxError) -> Diagnostic:
    """An invalid-syntax finding from CPython's own error (its message and position are precise)."""
    message = error.msg or "invalid syntax"
    return located_diagnostic(source, INVALID_SYNTAX, f"SyntaxError: {message}", error.lineno or 1, error.offset or 1)


def too_complex_diagnostic(source: SourceFile, problem: Optional[TooComplex] = None) -> Diagnostic:
    if problem is None:
        return too_complex(source)
    return located_diagnostic(source, TOO_COMPLEX, f"Cannot analyse: {problem.message}", problem.row, problem.column)


def _reparse(
    source: SourceFile, old_text: str, tree, hand_on: bool = False
) -> Optional[Tuple[cst.Module, ModuleFacts]]:
    from tipcheck.positions import Positions
    from tipcheck.reparse import reparse

    old_module, old_facts = tree
    positions = old_facts.positions if old_facts.positions is not None else Positions(old_module)
    try:
        done = reparse(old_text, old_module, positions, source.text)
        if done is None:
            return None
        module, positions = done
        # The facts of the last version hand on what they derived from the statements kept, when
        # they are this process's own to give (tipcheck.facts.parts).
        facts = ModuleFacts(module, old_facts if hand_on else None)
    except RecursionError:
        return None  # the full parse reports it
    facts.positions = positions
    return module, facts


def python_syntax_check(text: str) -> Optional[Tuple[str, int, int]]:
    """CPython's syntax error in ``text`` as (message, row, column), or None: no error, or one
    Python itself cannot decide (RecursionError, MemoryError: left to the file's other checks).

    For the files no rule reads, which are never given to LibCST. Compiling to bytecode is
    about a third cheaper than building the ``ast`` objects, so that is tried first; only when it
    fails is the parser asked alone, so that what is reported is what the parser rejects (as for
    the other files), not a compiler check such as `return` outside a function."""
    try:
        with warnings.catch_warnings():  # e.g. invalid escape sequences: not ours to report here
            warnings.simplefilter("ignore")
            compile(text, "<tipcheck>", "exec", dont_inherit=True)
        return None
    except SyntaxError:
        pass
    except Exception:  # RecursionError, MemoryError, ValueError: cannot tell here
        return None
    error = _python_syntax_error(text)
    if error is None:
        return None
    return (error.msg or "invalid syntax", error.lineno or 1, error.offset or 1)


def parse_source(source: SourceFile, result, previous=None) -> Optional[Tuple[cst.Module, ModuleFacts]]:
    """The tree and facts of a source; a syntax error, a file too deep to analyse or a crash is
    recorded on ``result``. CPython parses the text first (tipcheck.limits): LibCST never sees
    nesting that would crash it or take minutes to parse. With ``previous``, the (text, (module,
    facts)) of the same file before an edit, only what the edit touched is parsed again where
    that is sure to give the same tree (tipcheck.reparse); with a third item, True, the new facts
    take what the old ones derived from the statements kept (the memo's own chain of versions:
    tipcheck.memo, tipcheck.facts.parts)."""
    if previous is not None:
        again = _reparse(source, *previous)
        if again is not None:
            return again
    verdict = precheck(source.text)
    if isinstance(verdict.problem, SyntaxError):
        result.diagnostics.append(python_syntax_diagnostic(source, verdict.problem))
        return None
    if verdict.problem is not None:
        result.diagnostics.append(too_complex_diagnostic(source, verdict.problem))
        return None
    try:
        module = parse(source)
    except cst.ParserSyntaxError as exc:
        if verdict.python_accepts:  # LibCST's limit, not the file's fault (5,000 joined strings)
            problem = TooComplex(
                f"Python accepts this file but LibCST cannot parse it ({_first_line(exc)})", *_libcst_position(exc)
            )
            result.diagnostics.append(too_complex_diagnostic(source, problem))
        else:
            result.diagnostics.append(syntax_diagnostic(source, exc))
        return None
    except RecursionError:
        result.diagnostics.append(too_complex_diagnostic(source))
        return None
    except (MemoryError, Exception) as exc:  # the parser itself failed
        result.errors.append(InternalError(source.path, None, f"parser failed: {exc!r}", traceback.format_exc()))
        return None
    try:
        return module, ModuleFacts(module)
    except RecursionError:
        result.diagnostics.append(too_complex_diagnostic(source))
        return None
    except Exception as exc:
        result.errors.append(InternalError(source.path, None, f"analysis failed: {exc!r}", traceback.format_exc()))
        return None

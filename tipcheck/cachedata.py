"""The findings the cache keeps, as JSON-ready plain values, and read back with every type checked.

The cache folder lies in the repository, so what is read from it is data from anyone: it is
parsed as JSON (no code path) and then checked field by field. Anything that is not exactly
what `dump_*` writes gives None, which the caller treats as a miss and analyses again.

Entries (tipcheck.cache says where they lie):

- files: ``{"path", "parsed", "diagnostics": [...], "errors": [...]}`` for one file;
- project: ``{path: {"diagnostics": [...], "errors": [...]}}`` for a set of files;
- plan: ``[[code, ...], ...]``, the rules to run on each file, in the order of the files.

A diagnostic is ``{"code", "name", "message", "path", "start": [row, column], "end": [row,
column], "fix": null or {"edits": [[start, end, content], ...], "message", "applicability"},
"source_line"}``; an internal error ``{"path", "rule", "detail", "trace"}``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from tipcheck.analysis import FileAnalysis
from tipcheck.diagnostics import Applicability, Diagnostic, Edit, Fix, InternalError, Location


class _Invalid(Exception):
    pass


def _str(value: Any) -> str:
    if type(value) is not str:
        raise _Invalid
    return value


def _int(value: Any) -> int:
    if type(value) is not int:  # not bool either
        raise _Invalid
    return value


def _list(value: Any) -> list:
    if type(value) is not list:
        raise _Invalid
    return value


def _dict(value: Any, keys: Sequence[str]) -> dict:
    if type(value) is not dict or set(value) != set(keys):
        raise _Invalid
    return value


# -- diagnostics -------------------------------------------------------------------------------
def _dump_fix(fix: Optional[Fix]) -> Any:
    if fix is None:
        return None
    return {
        "edits": [[edit.start, edit.end, edit.content] for edit in fix.edits],
        "message": fix.message,
        "applicability": fix.applicability.value,
    }


def _load_fix(value: Any) -> Optional[Fix]:
    if value is None:
        return None
    value = _dict(value, ("edits", "message", "applicability"))
    edits = []
    for edit in _list(value["edits"]):
        if len(_list(edit)) != 3:
            raise _Invalid
        start, end, content = edit
        edits.append(Edit(_int(start), _int(end), _str(content)))
    try:
        applicability = Applicability(_str(value["applicability"]))
    except ValueError:
        raise _Invalid from None
    return Fix(tuple(edits), _str(value["message"]), applicability)


def _location(value: Any) -> Location:
    value = _list(value)
    if len(value) != 2:
        raise _Invalid
    return Location(_int(value[0]), _int(value[1]))


_DIAGNOSTIC_KEYS = ("code", "name", "message", "path", "start", "end", "fix", "source_line")


def dump_diagnostic(diag: Diagnostic) -> Dict[str, Any]:
    return {
        "code": diag.code,
        "name": diag.name,
        "message": diag.message,
        "path": diag.path,
        "start": [diag.start.row, diag.start.column],
        "end": [diag.end.row, diag.end.column],
        "fix": _dump_fix(diag.fix),
        "source_line": diag.source_line,
    }


def _load_diagnostic(value: Any) -> Diagnostic:
    value = _dict(value, _DIAGNOSTIC_KEYS)
    return Diagnostic(
        _str(value["code"]),
        _str(value["name"]),
        _str(value["message"]),
        _str(value["path"]),
        _location(value["start"]),
        _location(value["end"]),
        _load_fix(value["fix"]),
        _str(value["source_line"]),
    )


def dump_error(error: InternalError) -> Dict[str, Any]:
    return {"path": error.path, "rule": error.rule, "detail": error.detail, "trace": error.trace}


def _load_error(value: Any) -> InternalError:
    value = _dict(value, ("path", "rule", "detail", "trace"))
    rule = None if value["rule"] is None else _str(value["rule"])
    return InternalError(_str(value["path"]), rule, _str(value["detail"]), _str(value["trace"]))


def _findings(value: Any) -> Tuple[List[Diagnostic], List[InternalError]]:
    value = _dict(value, ("diagnostics", "errors"))
    return [_load_diagnostic(d) for d in _list(value["diagnostics"])], [_load_error(e) for e in _list(value["errors"])]


# -- entries ------------------------------------------------------------------------------------
def dump_file(analysis: FileAnalysis) -> Dict[str, Any]:
    """A file's analysis without its tree (trees are kept by tipcheck.treedata)."""
    return {
        "path": analysis.path,
        "parsed": analysis.parsed,
        "diagnostics": [dump_diagnostic(d) for d in analysis.diagnostics],
        "errors": [dump_error(e) for e in analysis.errors],
    }


def load_file(value: Any, path: str) -> Optional[FileAnalysis]:
    """The analysis of the file at ``path`` that `dump_file` wrote, or None."""
    try:
        value = _dict(value, ("path", "parsed", "diagnostics", "errors"))
        if _str(value["path"]) != path or type(value["parsed"]) is not bool:
            return None
        diagnostics, errors = _findings({"diagnostics": value["diagnostics"], "errors": value["errors"]})
    except _Invalid:
        return None
    return FileAnalysis(path, diagnostics, errors, value["parsed"])


def dump_project(found: Dict[str, FileAnalysis]) -> Dict[str, Any]:
    return {
        path: {"diagnostics": [dump_diagnostic(d) for d in a.diagnostics], "errors": [dump_error(e) for e in a.errors]}
        for path, a in found.items()
    }


def load_project(value: Any, paths: Sequence[str]) -> Optional[Dict[str, Tuple[List[Diagnostic], List[InternalError]]]]:
    """The project rules' findings for exactly the files ``paths``, or None."""
    try:
        value = _dict(value, paths)
        return {path: _findings(value[path]) for path in paths}
    except _Invalid:
        return None


def load_plan(value: Any, count: int, codes: Sequence[str]) -> Optional[List[List[str]]]:
    """For each of ``count`` files, the codes (among ``codes``) of the rules to run, or None."""
    known = set(codes)
    if type(value) is not list or len(value) != count:
        return None
    for row in value:
        if type(row) is not list or not all(type(code) is str and code in known for code in row):
            return None
    return value

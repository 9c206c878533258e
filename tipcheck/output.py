"""Output formats: full (the default), concise and json, with Ruff's conventions."""

from __future__ import annotations

import json
import os
from typing import Dict, List, Sequence

from tipcheck.diagnostics import Diagnostic
from tipcheck.docs import rule_url
from tipcheck.source import SourceFile

FORMATS = ("full", "concise", "json")


def display_path(path: str) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


def _marker(diag: Diagnostic, unsafe: bool) -> str:
    return "[*] " if diag.fixable(unsafe) else ""


def concise(diags: Sequence[Diagnostic], unsafe: bool) -> str:
    return "".join(
        f"{display_path(d.path)}:{d.start.row}:{d.start.column}: {d.code} {_marker(d, unsafe)}{d.message}\n"
        for d in diags
    )


def full(diags: Sequence[Diagnostic], unsafe: bool) -> str:
    out: List[str] = []
    for d in diags:
        out.append(f"{display_path(d.path)}:{d.start.row}:{d.start.column}: {d.code} {_marker(d, unsafe)}{d.message}\n")
        if d.source_line:
            gutter = " " * len(str(d.start.row))
            line = d.source_line.expandtabs(1)
            start = d.start.column - 1
            width = (d.end.column - d.start.column) if d.end.row == d.start.row else len(line) - start
            carets = "^" * max(1, width)
            out.append(f"{gutter} |\n")
            out.append(f"{d.start.row} | {line}\n")
            out.append(f"{gutter} | {' ' * start}{carets} {d.code}\n")
            out.append(f"{gutter} |\n")
            if d.fix is not None:
                note = "" if d.fix.is_safe else " (unsafe)"
                out.append(f"{gutter} = help: {d.fix.message}{note}\n")
        out.append("\n")
    return "".join(out)


def _location(source: SourceFile, offset: int) -> Dict[str, int]:
    loc = source.location(offset)
    return {"row": loc.row, "column": loc.column}


def json_format(diags: Sequence[Diagnostic], sources: Dict[str, SourceFile]) -> str:
    items = []
    for d in diags:
        fix = None
        if d.fix is not None:
            source = sources[d.path]
            fix = {
                "applicability": d.fix.applicability.value,
                "message": d.fix.message,
                "edits": [
                    {
                        "content": edit.content,
                        "location": _location(source, edit.start),
                        "end_location": _location(source, edit.end),
                    }
                    for edit in sorted(d.fix.edits, key=lambda e: (e.start, e.end))
                ],
            }
        items.append(
            {
                "cell": None,
                "code": d.code,
                "name": d.name,
                "message": d.message,
                "filename": os.path.abspath(d.path),
                "location": {"row": d.start.row, "column": d.start.column},
                "end_location": {"row": d.end.row, "column": d.end.column},
                "fix": fix,
                "noqa_row": d.start.row,
                "url": rule_url(d.code),
            }
        )
    return json.dumps(items, indent=2) + "\n"


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word}es" if word.endswith(("x", "s", "sh", "ch")) else f"{count} {word}s"


def lint_summary(diags: Sequence[Diagnostic], unsafe: bool) -> str:
    if not diags:
        return "All checks passed!\n"
    lines = [f"Found {_plural(len(diags), 'error')}."]
    fixable = sum(1 for d in diags if d.fixable(unsafe))
    hidden = sum(1 for d in diags if d.fix is not None and not d.fixable(unsafe))
    hint = f" ({_plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    if fixable:
        lines.append(f"[*] {fixable} fixable with `tipcheck fix`{hint}.")
    elif hidden:
        lines.append(f"No fixes available{hint}.")
    return "\n".join(lines) + "\n"


def fix_summary(fixed: int, remaining: Sequence[Diagnostic], unsafe: bool, diff: bool) -> str:
    if diff:
        return f"Would fix {_plural(fixed, 'error')}.\n" if fixed else "No errors would be fixed.\n"
    if not fixed and not remaining:
        return "All checks passed!\n"
    text = f"Found {_plural(fixed + len(remaining), 'error')} ({fixed} fixed, {len(remaining)} remaining).\n"
    hidden = sum(1 for d in remaining if d.fix is not None and not d.fixable(unsafe))
    if hidden:
        text += f"No fixes available ({_plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option).\n"
    return text

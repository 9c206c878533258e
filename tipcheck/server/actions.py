"""What the server offers on a finding: its LSP diagnostic, quick fixes, `# noqa` and fix-all
code actions, and a hover with the rule's summary.

- Each finding's fix is a quick fix, titled with the rule's code; a safe fix is the preferred
  action, an unsafe one says "(unsafe)" (it may change behaviour, as `--unsafe-fixes` warns).
- "Disable CODE for this line" adds `# noqa: CODE` (merged into the line's noqa comment, as
  `tipcheck lint --add-noqa` does).
- `source.fixAll.tipcheck` applies the safe fixes of the file, as `tipcheck fix` would (Ruff's
  `source.fixAll.ruff`).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

from lsprotocol import types as lsp

from tipcheck.codes import UNUSED_SUPPRESSION
from tipcheck.config import Settings
from tipcheck.diagnostics import Diagnostic, Edit
from tipcheck.docs import rule_url
from tipcheck.reparse import changed_span
from tipcheck.rules import RULES_BY_CODE
from tipcheck.server.places import client_units, lsp_range
from tipcheck.source import SourceFile
from tipcheck.suppression import add_noqa, is_suppressible

FIX_ALL = "source.fixAll.tipcheck"
SOURCE = "tipcheck"

_SEVERITIES = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "information": lsp.DiagnosticSeverity.Information,
    "hint": lsp.DiagnosticSeverity.Hint,
}


def span(source: SourceFile, diagnostic: Diagnostic) -> Tuple[int, int]:
    """The offsets of a finding in its text."""
    start = source.offset(diagnostic.start.row, diagnostic.start.column - 1)
    end = source.offset(min(diagnostic.end.row, len(source.line_starts)), diagnostic.end.column - 1)
    return start, max(start, end)


def to_lsp(diagnostic: Diagnostic, places, settings: Settings) -> Tuple[str, lsp.Diagnostic]:
    """The document a finding belongs to, and the finding as an LSP diagnostic."""
    uri, start = places.position(diagnostic.start.row, diagnostic.start.column)
    end_uri, end = places.position(diagnostic.end.row, diagnostic.end.column)
    if end_uri != uri or (end.line, end.character) < (start.line, start.character):
        end = start  # a finding that runs into the next cell: shown where it starts
    url = rule_url(diagnostic.code)
    message = diagnostic.message
    if diagnostic.fix is not None and not diagnostic.fix.is_safe:
        message += " (an unsafe fix is available)"
    elif diagnostic.fix is not None:
        message += " (fixable)"
    return uri, lsp.Diagnostic(
        range=lsp.Range(start, end),
        message=message,
        severity=_SEVERITIES[settings.severity_of(diagnostic.code)],
        code=diagnostic.code,
        code_description=lsp.CodeDescription(href=url) if url else None,
        source=SOURCE,
    )


def _workspace_edit(places, edits: Sequence[Edit]) -> Optional[lsp.WorkspaceEdit]:
    """The edits of a fix as a workspace edit; None when one of them spans two cells."""
    changes: Dict[str, List[lsp.TextEdit]] = {}
    for edit in edits:
        located = lsp_range(places, edit.start, edit.end)
        if located is None:
            return None
        uri, where = located
        changes.setdefault(uri, []).append(lsp.TextEdit(range=where, new_text=edit.content))
    return lsp.WorkspaceEdit(changes=changes)


def _replace(places, old: str, new: str) -> Optional[lsp.WorkspaceEdit]:
    """The one edit that turns ``old`` into ``new`` (their common start and end kept)."""
    start, old_end, new_end = changed_span(old, new)
    return _workspace_edit(places, [Edit(start, old_end, new[start:new_end])])


def wanted(kind: str, only: Optional[Sequence[str]]) -> bool:
    """Whether the client asked for actions of ``kind`` (a kind asked for covers its sub-kinds)."""
    return not only or any(kind == asked or kind.startswith(asked + ".") for asked in only)


def quick_fixes(
    source: SourceFile,
    places,
    diagnostics: Sequence[Diagnostic],
    settings: Settings,
    start: int,
    end: int,
    only: Optional[Sequence[str]],
) -> List[lsp.CodeAction]:
    """The quick fixes and noqa actions of the findings that meet the offsets [start, end]."""
    actions: List[lsp.CodeAction] = []
    if not wanted(lsp.CodeActionKind.QuickFix, only):
        return actions
    for diagnostic in diagnostics:
        first, last = span(source, diagnostic)
        if last < start or first > end:
            continue
        shown = [to_lsp(diagnostic, places, settings)[1]]
        fix = diagnostic.fix
        if fix is not None:
            edit = _workspace_edit(places, fix.edits)
            if edit is not None:
                unsafe = "" if fix.is_safe else " (unsafe)"
                actions.append(
                    lsp.CodeAction(
                        title=f"{diagnostic.code}: {fix.message}{unsafe}",
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=shown,
                        edit=edit,
                        is_preferred=fix.is_safe,
                    )
                )
        if is_suppressible(diagnostic.code) and diagnostic.code != UNUSED_SUPPRESSION:
            commented = add_noqa(source.text, [diagnostic]).text
            edit = _replace(places, source.text, commented) if commented != source.text else None
            if edit is not None:
                actions.append(
                    lsp.CodeAction(
                        title=f"Disable {diagnostic.code} for this line",
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=shown,
                        edit=edit,
                    )
                )
    return actions


def fix_all(source: SourceFile, places, fixed: Optional[str]) -> Optional[lsp.CodeAction]:
    """The fix-all action, given the file's text with its safe fixes applied (None: nothing to fix)."""
    if fixed is None or fixed == source.text:
        return None
    notebook = getattr(places, "notebook", None)
    if notebook is not None and getattr(places, "cell_uris", None):
        edit = _cell_edits(places, fixed)
    else:
        edit = _replace(places, source.text, fixed)
    if edit is None:
        return None
    return lsp.CodeAction(title="tipcheck: fix all safe fixes", kind=FIX_ALL, edit=edit)


def _cell_edits(places, fixed: str) -> lsp.WorkspaceEdit:
    """The fixed module of a notebook as edits to its cells: each changed cell's text replaced."""
    changes: Dict[str, List[lsp.TextEdit]] = {}
    for number, text in places.notebook.fixed_sources(fixed).items():
        uri = places.cell_uris[number - 1]
        old = places.cell_texts[uri].text
        if text == old:
            continue
        start, old_end, new_end = changed_span(old, text)
        cell = places.cell_texts[uri]
        begin, stop = cell.location(start), cell.location(old_end)
        where = lsp.Range(_position(places, cell, begin), _position(places, cell, stop))
        changes[uri] = [lsp.TextEdit(range=where, new_text=text[start:new_end])]
    return lsp.WorkspaceEdit(changes=changes)


def _position(places, cell: SourceFile, location) -> lsp.Position:
    return lsp.Position(location.row - 1, client_units(places.codec, cell.line_text(location.row), location.column - 1))


def hover(source: SourceFile, diagnostics: Sequence[Diagnostic], offset: int) -> Optional[lsp.Hover]:
    """The summaries of the rules whose findings cover ``offset``."""
    parts = []
    for diagnostic in diagnostics:
        first, last = span(source, diagnostic)
        if not first <= offset <= last:
            continue
        rule = RULES_BY_CODE.get(diagnostic.code)
        url = rule_url(diagnostic.code)
        title = f"**{diagnostic.code}** `{rule.name}`" if rule is not None else f"**{diagnostic.code}**"
        summary = f"{rule.summary}\n\n" if rule is not None else ""
        link = f"\n\n[{diagnostic.code} (rule page)]({url})" if url else ""
        parts.append(f"{title}: {summary}{diagnostic.message}{link}")
    if not parts:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))

"""The fix loop: apply the findings' fixes to the files, lint them again together, and repeat
until nothing changes (at most MAX_FIX_PASSES passes). A fix that would leave a file unparseable is
dropped and reported. Nothing is written here (tipcheck.writing does that).
"""

from __future__ import annotations

from typing import Collection, List, Optional, Sequence, Tuple

import libcst as cst

from tipcheck.cache import Cache
from tipcheck.diagnostics import Diagnostic, Fix
from tipcheck.engine import FileResult, check_sources, read, read_all, unread_result
from tipcheck.fixes import apply_fixes, select_fixes
from tipcheck.memo import Memo
from tipcheck.policy import Policy
from tipcheck.rules.base import Rule
from tipcheck.source import SourceFile

MAX_FIX_PASSES = 10


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


def _fix_pass(result: FileResult, text: str, unsafe: bool) -> Tuple[str, int, List[str]]:
    """Apply one pass of non-overlapping fixes; a fix that would break the code is dropped."""
    candidates = [d for d in result.diagnostics if d.fixable(unsafe)]
    chosen = select_fixes([d.fix for d in candidates])
    if not chosen:
        return text, 0, []
    fixed = apply_fixes(text, chosen)
    if _parses(fixed):
        return fixed, len(chosen), []
    # Keep the fixes that are fine on their own; report the others.
    good: List[Fix] = []
    dropped: List[str] = []
    for diag in candidates:
        if diag.fix not in chosen:
            continue
        if _parses(apply_fixes(text, [*good, diag.fix])):
            good.append(diag.fix)
        else:
            dropped.append(_dropped_message(diag))
    return (apply_fixes(text, good), len(good), dropped) if good else (text, 0, dropped)


def fix_sources(
    sources: Sequence[SourceFile],
    rules: Sequence[Rule],
    unsafe: bool,
    policy: Optional[Policy] = None,
    jobs: int = 1,
    cache: Optional[Cache] = None,
    memo: Optional[Memo] = None,
    report: Optional[Collection[str]] = None,
) -> List[FileResult]:
    """Apply fixes to all the sources until nothing changes (bounded), re-linting them together
    after each pass; the results carry what remains and the fixed text. With ``report``, only
    those files are fixed (and their results returned); the others are read as they are, for the
    project facts (tipcheck.engine.check_sources, as ``memo``)."""
    current = {source.path: source for source in sources}
    fixed = {source.path: 0 for source in sources}
    dropped_any = False
    results = check_sources(sources, rules, policy, jobs=jobs, cache=cache, memo=memo, report=report)
    unfixed = {result.path: result.diagnostics for result in results}
    for _ in range(MAX_FIX_PASSES):
        changed = False
        for result in results:
            if result.errors or result.source is None or not any(d.fixable(unsafe) for d in result.diagnostics):
                continue
            source = current[result.path]
            text, count, dropped = _fix_pass(result, source.text, unsafe)
            dropped_any = dropped_any or bool(dropped)
            if count and text != source.text:
                fixed[result.path] += count
                current[result.path] = SourceFile(
                    path=source.path, text=text, encoding=source.encoding, notebook=source.notebook
                )
                changed = True
        if not changed:
            break
        results = check_sources(list(current.values()), rules, policy, jobs=jobs, cache=cache, memo=memo, report=report)
    originals = {source.path: source for source in sources}
    for result in results:
        result.fixed_count = fixed[result.path]
        result.source = originals[result.path]
        if not fixed[result.path] and not dropped_any:
            continue  # untouched: its text need not even be looked at
        text = current[result.path].text
        # A fix that was dropped leaves its finding behind, unfixed. It was tried again on each
        # pass, at positions that moved as other fixes went in: report it once, where it is now.
        if dropped_any:
            result.dropped_fixes = [
                _dropped_message(diag)
                for diag in result.diagnostics
                if diag.fixable(unsafe) and not _parses(apply_fixes(text, [diag.fix]))
            ]
        if text != originals[result.path].text:
            result.fixed_text = text
            result.unfixed_diagnostics = unfixed[result.path]
    return results


def fix_source(source: SourceFile, rules: Sequence[Rule], unsafe: bool, policy: Optional[Policy] = None) -> FileResult:
    """Fix one decoded source text on its own."""
    return fix_sources([source], rules, unsafe, policy)[0]


def fix_file(path: str, rules: Sequence[Rule], unsafe: bool) -> FileResult:
    source = read(path)
    if not isinstance(source, SourceFile):
        return unread_result(path, source)
    return fix_source(source, rules, unsafe)


def fix_paths(
    paths: Sequence[str],
    rules: Sequence[Rule],
    unsafe: bool,
    policy: Optional[Policy] = None,
    jobs: int = 1,
    cache: Optional[Cache] = None,
) -> List[FileResult]:
    """Read and fix files together (nothing is written here), in the given order."""
    sources, unreadable = read_all(paths)
    fixed = {r.path: r for r in fix_sources(sources, rules, unsafe, policy, jobs, cache)}
    return [unreadable.get(path) or fixed[path] for path in paths]

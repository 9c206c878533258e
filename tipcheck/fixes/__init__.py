"""Applying fixes to source text."""

from __future__ import annotations

from typing import Iterable, List, Sequence, Tuple

from tipcheck.diagnostics import Edit, Fix


def _overlaps(a: Edit, b: Edit) -> bool:
    """Whether two edits touch the same text. Insertions at one point, and an edit repeated by two
    fixes (both adding the same import), do not conflict."""
    return a != b and a.start < b.end and b.start < a.end


def select_fixes(fixes: Iterable[Fix]) -> List[Fix]:
    """Fixes whose edits do not overlap any earlier-chosen fix, in the given order (as Ruff does:
    what is left out is fixed on the next pass)."""
    chosen: List[Fix] = []
    taken: List[Edit] = []
    for fix in fixes:
        if any(_overlaps(edit, other) for edit in fix.edits for other in taken):
            continue
        chosen.append(fix)
        taken.extend(fix.edits)
    return chosen


def apply_fixes(text: str, fixes: Sequence[Fix]) -> str:
    """Apply non-overlapping fixes; identical edits are applied once."""
    edits: List[Tuple[int, int, int, Edit]] = []
    seen = set()
    for order, fix in enumerate(fixes):
        for edit in fix.edits:
            if edit in seen:
                continue
            seen.add(edit)
            edits.append((edit.start, edit.end, order, edit))
    edits.sort(key=lambda item: (item[0], item[1], item[2]))
    out: List[str] = []
    cursor = 0
    for start, end, _, edit in edits:
        out.append(text[cursor:start])
        out.append(edit.content)
        cursor = max(cursor, end)
    out.append(text[cursor:])
    return "".join(out)

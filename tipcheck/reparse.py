"""Parse an edited text again from the tree of the text before the edit, re-parsing only the
top-level statements the edit touched (for the editor server: a keystroke in a 1,000-line script
re-parses one function, not the file).

The module is cut at the first lines of code of top-level statements: at such a line the
tokenizer is at the start of a logical line, outside any bracket, string or indented block, so
the text between two cuts parses on its own exactly as it does inside the file. The edit's
region runs from the cut at or before the edit to the first cut after it; it is parsed alone
(with the module's indentation and newline, so that its nodes are those a full parse makes) and
put between the statements before and after it, which are the same objects as in the old tree.
The blank lines and comments before a statement belong to it in LibCST; those at the cuts are
handed over as a full parse would: the first region statement keeps the old leading lines, and
the lines at the end of the region (its "footer" when parsed alone) lead the next statement.

`reparse` gives None when it cannot vouch for the result, and the caller parses the whole text:
an edit before the first indented block (which decides the module's indentation) or in the
file's header; a region that does not parse on its own (the edit opened a bracket or a string
closed further down, or broke the syntax: the full parse reports it); a region that starts with
blank lines or comments (their owner depends on what comes before). tests/test_reparse.py checks
on random edits that every tree it gives equals the full parse of the same text.
"""

from __future__ import annotations

import bisect
import re
from typing import Optional, Sequence, Tuple

import libcst as cst
from libcst.metadata.position_provider import NEWLINE_RE

from tipcheck.limits import precheck
from tipcheck.positions import Positions
from tipcheck.source import SourceFile

_NEWLINE = re.compile(r"\r\n|\r|\n")


def _common_prefix(a: str, b: str, limit: int) -> int:
    """The length of the common start of ``a`` and ``b`` (at most ``limit``), by halving: the
    comparisons of slices run in C."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def changed_span(old: str, new: str) -> Tuple[int, int, int]:
    """(start, old end, new end): ``old[start:old end]`` became ``new[start:new end]``; the text
    around is the same in both."""
    limit = min(len(old), len(new))
    start = _common_prefix(old, new, limit)
    # The common end, not overlapping the common start.
    end = _common_prefix(old[::-1], new[::-1], limit - start)
    return start, len(old) - end, len(new) - end


def _first_block(body: Sequence[cst.CSTNode]) -> int:
    """The index of the first top-level statement with an indented body: the module's default
    indentation is read there (or earlier); the number of statements when there is none."""
    for index, stmt in enumerate(body):
        if isinstance(getattr(stmt, "body", None), cst.IndentedBlock):
            return index
    return len(body)


def _same_lines(a: Sequence[cst.EmptyLine], b: Sequence[cst.EmptyLine]) -> bool:
    return len(a) == len(b) and all(x.deep_equals(y) for x, y in zip(a, b))


def reparse(
    old_text: str, old_module: cst.Module, positions: Positions, new_text: str
) -> Optional[Tuple[cst.Module, Positions]]:
    """The module of ``new_text``, equal to ``cst.parse_module(new_text)``, made from the module of
    ``old_text`` and its positions; with the positions of the new module (what was computed for
    the statements it shares with the old one is kept). None when the edit needs a full parse."""
    body = old_module.body
    if not body or old_text == new_text:
        return None
    start, old_end, new_end = changed_span(old_text, new_text)
    line_starts = SourceFile("", old_text).line_starts
    starts = positions.starts()
    # Where each statement's code begins (after its leading lines), as an offset in the old text.
    cuts = []
    for index, stmt in enumerate(body):
        line = starts[index] + len(stmt.leading_lines)
        if line > len(line_starts):
            return None
        cuts.append(line_starts[line - 1])
    if cuts[-1] > len(old_text) or starts[-1] - 1 > len(line_starts):
        return None
    first = bisect.bisect_right(cuts, start) - 1  # the last cut at or before the edit
    last_changed = max(start, old_end - 1)
    after = bisect.bisect_right(cuts, last_changed)  # the first cut after it (len(body): none)
    floor = _first_block(body)
    delta = len(new_text) - len(old_text)
    config = cst.PartialParserConfig(
        default_indent=old_module.default_indent, default_newline=old_module.default_newline
    )
    for _ in range(3):  # a region that starts with blank lines or comments: one statement earlier
        if first <= floor:
            return None
        begin = cuts[first]
        stop = cuts[after] + delta if after < len(body) else len(new_text)
        region = new_text[begin:stop]
        if any(newline != old_module.default_newline for newline in _NEWLINE.findall(region)):
            return None  # a line ending other than the module's: LibCST's parser records it
        verdict = precheck(region)
        if verdict.problem is not None:
            return None
        try:
            parsed = cst.parse_module(region, config)
        except Exception:  # a syntax error, or the parser giving up: the full parse says which
            return None
        if parsed.header or not parsed.body or parsed.body[0].leading_lines:
            first -= 1
            continue
        lead = parsed.body[0].with_changes(leading_lines=body[first].leading_lines)
        new_body = [*body[:first], lead, *parsed.body[1:]]
        lines = {}  # how many lines a new statement takes, where the region says (see Positions.note_lines)
        if after < len(body):
            following = body[after]
            # The same blank lines and comments as before (two blank lines between functions): the
            # statement stays the same object, with what was computed for it (its positions, what
            # the facts kept of it: tipcheck.facts.kept).
            if not _same_lines(parsed.footer, following.leading_lines):
                known = positions.known_lines(following)
                following = following.with_changes(leading_lines=parsed.footer)
                if known is not None:
                    lines[following] = known - len(body[after].leading_lines) + len(parsed.footer)
            new_body.append(following)
            new_body.extend(body[after + 1 :])
            module = old_module.with_changes(body=tuple(new_body))
            if len(parsed.body) == 1:
                # The region ends where the next statement's code begins: its lines are the one
                # statement's, and then those of its footer (blank lines and comments, one each).
                lines[lead] = len(lead.leading_lines) + len(NEWLINE_RE.findall(region)) - len(parsed.footer)
        else:
            module = old_module.with_changes(
                body=tuple(new_body), footer=parsed.footer, has_trailing_newline=parsed.has_trailing_newline
            )
        new_positions = Positions(module, positions)
        for stmt, count in lines.items():
            new_positions.note_lines(stmt, count)
        return module, new_positions
    return None

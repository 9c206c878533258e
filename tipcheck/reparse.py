"""Where two texts differ (`changed_span`)."""

from __future__ import annotations

from typing import Tuple


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
    reversed_old, reversed_new = old[::-1], new[::-1]
    end = _common_prefix(reversed_old, reversed_new, limit - start)
    return start, len(old) - end, len(new) - end

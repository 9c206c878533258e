"""Rule selection by code prefix, as Ruff's ``select``/``ignore``: the one place that decides which
codes a list of selectors enables. Used by the rule registry (tipcheck.rules.select_rules) and by
the layered selection of the config and the command line (tipcheck.config).

A selector is ``ALL``, a code, or a prefix of one (``TIP4``). The more specific selector wins
(``TIP401`` over ``TIP4`` over ``ALL``, which is the least specific of all), and ``ignore`` wins a
tie. A prefix no code has yet is accepted when it is reserved for a family (``TIP6``). Preview
rules are left out unless preview mode is on or a selector names their exact code
(``preview_allowed``).
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Sequence


class SelectionError(ValueError):
    """An unknown code or prefix in --select/--ignore."""


def normalize(selector: str) -> str:
    return selector.strip().upper()


def specificity(selector: str, code: str) -> int:
    """How specifically ``selector`` names ``code`` (-1: not at all). ALL is the least specific."""
    if selector == "ALL":
        return 0
    return len(selector) if code.startswith(selector) else -1


def is_known(selector: str, codes: Sequence[str]) -> bool:
    """Whether a (normalized) selector names ALL, a code or a prefix of one, or a family prefix
    reserved for codes to come (``TIP``, ``TIP3``, ``TIP30``)."""
    if selector == "ALL" or any(code.startswith(selector) for code in codes):
        return True
    return selector.startswith("TIP") and selector[3:].isdigit() and len(selector) < 6


def check(selectors: Iterable[str], codes: Sequence[str]) -> None:
    """Raise SelectionError for the first unknown selector (see is_known)."""
    for selector in selectors:
        if not is_known(selector, codes):
            raise SelectionError(f"unknown rule selector `{selector}`")


def decide(codes: Sequence[str], selectors: Sequence[str], ignores: Sequence[str]) -> Dict[str, bool]:
    """For each code some selector or ignore names: whether it ends up enabled (the more specific
    wins, ignore wins a tie). Codes named by neither are left out."""
    decided: Dict[str, bool] = {}
    for code in codes:
        chosen = max((specificity(s, code) for s in selectors), default=-1)
        dropped = max((specificity(s, code) for s in ignores), default=-1)
        if chosen >= 0 or dropped >= 0:
            decided[code] = chosen > dropped
    return decided


def select_codes(codes: Sequence[str], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> List[str]:
    """The codes (in their order) that ``select`` (default ALL) minus ``ignore`` enables; raises
    SelectionError for an unknown selector."""
    selectors = [normalize(s) for s in select if s.strip()] or ["ALL"]
    ignores = [normalize(s) for s in ignore if s.strip()]
    check((*selectors, *ignores), codes)
    decided = decide(codes, selectors, ignores)
    return [code for code in codes if decided.get(code)]


def preview_allowed(codes: Sequence[str], preview_codes: Iterable[str], selectors: Iterable[str]) -> List[str]:
    """The codes less the preview ones that no selector names by their exact code (preview
    mode off): a prefix or ALL leaves a preview rule out, `TIP305` itself turns it on."""
    named = {normalize(s) for s in selectors}
    preview = set(preview_codes)
    return [code for code in codes if code not in preview or code in named]

"""Ruff's ``--statistics``: one row per code, as a table or as JSON. The engine's own findings
(codes.ENGINE_CODES) are shown without a code column (as Ruff does with invalid-syntax)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Sequence, Tuple

from tipcheck.codes import ENGINE_CODES
from tipcheck.diagnostics import Diagnostic
from tipcheck.output.text import style


def _statistics_rows(diags: Sequence[Diagnostic], unsafe: bool) -> List[Dict[str, Any]]:
    groups: Dict[Tuple[str, str], List[Diagnostic]] = {}
    for d in diags:
        groups.setdefault((d.code, d.name), []).append(d)
    rows = [
        {
            "code": code,
            "name": name,
            "count": len(found),
            "fixable_count": sum(1 for d in found if d.fixable(unsafe)),
        }
        for (code, name), found in groups.items()
    ]
    # By count, then code as shown: the engine's findings (no code column) first among equals.
    rows.sort(key=lambda r: (-r["count"], "" if r["code"] in ENGINE_CODES else r["code"], r["name"]))
    return rows


def statistics(diags: Sequence[Diagnostic], unsafe: bool = False, color: bool = False) -> str:
    """Ruff's ``--statistics`` table: one row per code, ``COUNT<TAB>CODE<TAB>[*] name``.

    Counts are right-aligned and codes left-aligned to their widest; rows are sorted by count
    (largest first), then code (the engine's findings, which show no code, first). When any
    finding is fixable a marker column shows ``[*]`` (all of that code's findings fixable), ``[-]``
    (some) or ``[ ]`` (none), as Ruff does; with nothing fixable there is no marker column. The
    engine's own findings (invalid-syntax, io-error) have an empty code column and their name.
    Empty string for no findings.
    """
    rows = _statistics_rows(diags, unsafe)
    if not rows:
        return ""
    shown = [("" if r["code"] in ENGINE_CODES else r["code"]) for r in rows]
    count_width = max(len(str(r["count"])) for r in rows)
    code_width = max(len(code) for code in shown)
    any_fixable = any(r["fixable_count"] for r in rows)
    out = []
    for r, code in zip(rows, shown):
        marker = ""
        if any_fixable:
            if r["fixable_count"] == r["count"]:
                marker = "[*] "
            elif r["fixable_count"]:
                marker = "[-] "
            else:
                marker = "[ ] "
        count = style(f"{r['count']:>{count_width}}", "bold", enabled=color)
        code_text = style(f"{code:<{code_width}}", "red", "bold", enabled=color and bool(code))
        out.append(f"{count}\t{code_text}\t{marker}{r['name']}\n")
    return "".join(out)


def statistics_json(diags: Sequence[Diagnostic], unsafe: bool = False) -> str:
    """Ruff's ``--statistics --output-format json``: code, name, count, fixable (all fixable),
    fixable_count; same order as :func:`statistics`."""
    rows = [
        {
            "code": r["code"],
            "name": r["name"],
            "count": r["count"],
            "fixable": r["count"] == r["fixable_count"],
            "fixable_count": r["fixable_count"],
        }
        for r in _statistics_rows(diags, unsafe)
    ]
    return json.dumps(rows, indent=2) + "\n"

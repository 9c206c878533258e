#!/usr/bin/env python
"""Generate the rule table in README.md from the rules themselves.

Each row is read from one rule (tipcheck/rules/tipNNN_*.py): its ``code``, ``name``, ``finds`` (what it
finds) and ``fix_safety``, linked to its page ``rules/CODE/CODE.md``. The table is never edited by hand.

Usage::

    python scripts/rule_table.py                  # (re)write the table in README.md
    python scripts/rule_table.py --readme X       # in another file
    python scripts/rule_table.py --check          # exit 1 if the table is stale
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import List, Optional

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_README = REPO_ROOT / "README.md"
HEADER = "| code | name | what it finds | fix |\n| --- | --- | --- | --- |\n"


class TableError(RuntimeError):
    """The README has no rule table to replace."""


def _rules():
    sys.path.insert(0, str(REPO_ROOT))  # this checkout's tipcheck, not an installed one
    try:
        from tipcheck.rules import ALL_RULES
    finally:
        sys.path.remove(str(REPO_ROOT))
    return ALL_RULES


def table_rows(rules=None) -> List[str]:
    rules = _rules() if rules is None else rules
    return [
        f"| [{rule.code}](rules/{rule.code}/{rule.code}.md) | {rule.name} | {rule.finds} | {rule.fix_safety} |\n"
        for rule in rules
    ]


def render(readme: str, rules=None) -> str:
    """The README text with its rule table (the rows after HEADER, up to a blank line) regenerated."""
    start = readme.find(HEADER)
    if start < 0:
        raise TableError("README has no rule table (its header line is missing)")
    body = start + len(HEADER)
    end = readme.find("\n\n", body)
    end = len(readme) if end < 0 else end + 1
    return readme[:body] + "".join(table_rows(rules)) + readme[end:]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", type=Path, default=DEFAULT_README)
    parser.add_argument("--check", action="store_true", help="exit 1 if the table is not what the rules give")
    args = parser.parse_args(argv)
    try:
        current = args.readme.read_text(encoding="utf-8")
        wanted = render(current)
    except (OSError, TableError) as exc:
        print(f"error: {args.readme}: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if current != wanted:
            diff = difflib.unified_diff(
                current.splitlines(True), wanted.splitlines(True), str(args.readme), "generated", n=0
            )
            print(
                f"{args.readme}: the rule table is stale; run scripts/rule_table.py\n" + "".join(diff), file=sys.stderr
            )
            return 1
        return 0
    if current != wanted:
        args.readme.write_text(wanted, encoding="utf-8")
        print(f"wrote the rule table of {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

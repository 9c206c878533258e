"""TIP001 unused-suppression: a `# noqa: TIP...` or `# tipcheck: ignore[...]` that suppresses nothing.

Its findings come from the engine's suppression pass (tipcheck.policy and tipcheck.suppression),
which runs after every other rule, as Ruff's RUF100 does; this class only gives it a code, a name
and a page.
"""

from __future__ import annotations

from tipcheck.codes import UNUSED_SUPPRESSION, UNUSED_SUPPRESSION_NAME
from tipcheck.context import RuleContext
from tipcheck.rules.base import Rule


class UnusedSuppression(Rule):
    code = UNUSED_SUPPRESSION
    name = UNUSED_SUPPRESSION_NAME
    finds = "a `# noqa: TIP...` / `# tipcheck: ignore[...]` that suppresses nothing"
    fix_safety = "safe"
    summary = "A `# noqa: TIP...` or `# tipcheck: ignore[...]` comment whose codes match no finding on its line"
    needs_text = ()  # never parses a file for itself: the suppression pass reports it
    fixable = "always"

    def check(self, ctx: RuleContext) -> None:
        return None

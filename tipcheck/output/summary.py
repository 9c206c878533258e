"""The closing lines of `lint` and `fix`: how many findings, how many fixable or fixed."""

from __future__ import annotations

from typing import Sequence

from tipcheck.diagnostics import Diagnostic


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word}es" if word.endswith(("x", "s", "sh", "ch")) else f"{count} {word}s"


def _unchecked(count: int) -> str:
    return f"{_plural(count, 'file')} could not be checked (see the errors below).\n"


def lint_summary(diags: Sequence[Diagnostic], unsafe: bool, unchecked: int = 0) -> str:
    """The closing lines of `lint`; ``unchecked`` files (an internal error) keep it from saying
    that all checks passed."""
    if not diags:
        return _unchecked(unchecked) if unchecked else "All checks passed!\n"
    lines = [f"Found {_plural(len(diags), 'error')}."]
    fixable = sum(1 for d in diags if d.fixable(unsafe))
    hidden = sum(1 for d in diags if d.fix is not None and not d.fixable(unsafe))
    hint = f" ({_plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    if fixable:
        lines.append(f"[*] {fixable} fixable with `tipcheck fix`{hint}.")
    elif hidden:
        lines.append(f"No fixes available{hint}.")
    return "\n".join(lines) + "\n" + (_unchecked(unchecked) if unchecked else "")


def fix_summary(fixed: int, remaining: Sequence[Diagnostic], unsafe: bool, diff: bool, unchecked: int = 0) -> str:
    if diff:
        text = f"Would fix {_plural(fixed, 'error')}.\n" if fixed else "No errors would be fixed.\n"
        return text + (_unchecked(unchecked) if unchecked else "")
    if not fixed and not remaining:
        return _unchecked(unchecked) if unchecked else "All checks passed!\n"
    text = f"Found {_plural(fixed + len(remaining), 'error')} ({fixed} fixed, {len(remaining)} remaining).\n"
    hidden = sum(1 for d in remaining if d.fix is not None and not d.fixable(unsafe))
    if hidden:
        text += (
            f"No fixes available ({_plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option).\n"
        )
    return text + (_unchecked(unchecked) if unchecked else "")

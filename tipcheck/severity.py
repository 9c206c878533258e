"""How an editor shows a finding (`tipcheck server`): the config's `severity` table, checked, and
the level it gives a code."""

from __future__ import annotations

import json
from typing import Any, Callable, Tuple

from tipcheck import selection
from tipcheck.codes import ENGINE_CODES
from tipcheck.configfile import ConfigError, type_name

# The levels a finding can be shown at (LSP's DiagnosticSeverity), as the config names them.
SEVERITIES = ("error", "warning", "information", "hint")

Levels = Tuple[Tuple[str, str], ...]  # (selector, level), as the config lists them


def read_levels(value: Any, path: str, selector: Callable[[str, str], str]) -> Levels:
    """The `severity` table of a config; ``selector(raw, key)`` checks one code or prefix.
    Raises ConfigError."""
    if not isinstance(value, dict):
        raise ConfigError(f"`severity` must be a table of code = level, got {type_name(value)}", path, "severity")
    levels = []
    for raw, level in value.items():
        key = f"severity.{json.dumps(raw)}"
        if level not in SEVERITIES:
            raise ConfigError(
                f"`{key}`: {json.dumps(level)} is not a level (one of {', '.join(SEVERITIES)})", path, "severity"
            )
        levels.append((selector(raw, key), level))
    return tuple(levels)


def level_of(levels: Levels, code: str) -> str:
    """ "error" for the engine's own findings (a file that does not parse, cannot be read or
    analysed), which no selector names; for a rule's, the level of the most specific selector of
    ``levels`` that names it, by default "warning"."""
    if code in ENGINE_CODES:
        return "error"
    best, chosen = -1, "warning"
    for selector, level in levels:
        rank = selection.specificity(selector, code)
        if rank > best:
            best, chosen = rank, level
    return chosen

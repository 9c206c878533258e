"""The text formats for people: ``full`` and ``concise``, and their colour.

Colour is only ever added when a formatter is called with ``color=True``; the CLI decides with
:func:`use_color`. :func:`style` writes one SGR sequence for all of a span's attributes
(``\x1b[31;1m``), as Ruff does; ``click.style`` would write one per attribute, which would change
the bytes the tests check, so click is used here for stripping only (``click.unstyle``).
"""

from __future__ import annotations

import os
import sys
from typing import IO, List, Optional, Sequence

import click

from tipcheck.diagnostics import Diagnostic
from tipcheck.output.places import Notebooks, display_path, place

_SGR = {
    "bold": "1",
    "dim": "2",
    "underline": "4",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}
_RESET = "\x1b[0m"


def style(text: str, *names: str, enabled: bool = True) -> str:
    """``text`` wrapped in the ANSI codes of ``names`` (bold, dim, underline, red, green, yellow,
    blue, magenta, cyan); unchanged when ``enabled`` is false, ``names`` is empty or text is empty."""
    if not enabled or not names or not text:
        return text
    codes = ";".join(_SGR[name] for name in names)
    return f"\x1b[{codes}m{text}{_RESET}"


def strip_ansi(text: str) -> str:
    return click.unstyle(text)


def use_color(stream: Optional[IO[str]] = None) -> bool:
    """Whether to colour what is written to ``stream`` (default: stdout).

    ``NO_COLOR`` (set and not empty) turns colour off, whatever else is set; otherwise
    ``FORCE_COLOR`` (set, not empty, and not ``0``/``false``/``no``) turns it on; otherwise colour is
    used when ``stream`` is a terminal and ``TERM`` is not ``dumb``.
    """
    if os.environ.get("NO_COLOR", ""):
        return False
    force = os.environ.get("FORCE_COLOR", "")
    if force and force.strip().lower() not in ("0", "false", "no"):
        return True
    if os.environ.get("TERM", "") == "dumb":
        return False
    stream = sys.stdout if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _header(d: Diagnostic, unsafe: bool, notebooks: Notebooks, color: bool) -> str:
    cell, row, column, _, _ = place(d, notebooks)
    sep = style(":", "cyan", enabled=color)
    where = f"cell {cell}{sep}" if cell is not None else ""
    marker = style("[*]", "cyan", enabled=color) + " " if d.fixable(unsafe) else ""
    path = style(display_path(d.path), "bold", enabled=color)
    code = style(d.code, "red", "bold", enabled=color)
    return f"{path}{sep}{where}{row}{sep}{column}{sep} {code} {marker}{d.message}"


def _marker(diag: Diagnostic, unsafe: bool) -> str:
    return "[*] " if diag.fixable(unsafe) else ""


# -- concise and full ------------------------------------------------------------------------------
def concise(diags: Sequence[Diagnostic], unsafe: bool, color: bool = False, notebooks: Notebooks = None) -> str:
    """One line per finding: ``path:row:col: CODE [*] message`` (``path:cell N:row:col: ...`` in a
    notebook). ``[*]`` marks a finding whose fix `tipcheck fix` applies (with ``unsafe``: unsafe
    fixes too)."""
    return "".join(_header(d, unsafe, notebooks, color) + "\n" for d in diags)


def full(diags: Sequence[Diagnostic], unsafe: bool, color: bool = False, notebooks: Notebooks = None) -> str:
    """The header line of :func:`concise`, then the source line with carets under the finding and
    the fix's description, then an empty line."""
    out: List[str] = []
    for d in diags:
        out.append(_header(d, unsafe, notebooks, color) + "\n")
        if d.source_line:
            _, row, column, end_row, end_column = place(d, notebooks)
            gutter = " " * len(str(row))
            bar = style("|", "blue", "bold", enabled=color)
            line = d.source_line.expandtabs(1)
            start = column - 1
            width = (end_column - column) if end_row == row else len(line) - start
            carets = style("^" * max(1, width) + " " + d.code, "red", "bold", enabled=color)
            number = style(str(row), "blue", "bold", enabled=color)
            out.append(f"{gutter} {bar}\n")
            out.append(f"{number} {bar} {line}\n")
            out.append(f"{gutter} {bar} {' ' * start}{carets}\n")
            out.append(f"{gutter} {bar}\n")
            if d.fix is not None:
                note = "" if d.fix.is_safe else " (unsafe)"
                equals = style("=", "blue", "bold", enabled=color)
                help_ = style("help", "bold", enabled=color)
                out.append(f"{gutter} {equals} {help_}: {d.fix.message}{note}\n")
        out.append("\n")
    return "".join(out)

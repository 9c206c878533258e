"""Output formats, with Ruff's conventions.

Formats (``FORMATS``), all reachable through :func:`render`:

- ``full`` (the default): ``path:row:col: CODE [*] message``, the source line with carets under the
  finding, and the fix's description (``= help: ...``).
- ``concise``: ``path:row:col: CODE [*] message``, one line per finding.
- ``json``: a list of objects with Ruff's field names (cell, code, name, message, filename,
  location, end_location, fix, noqa_row, url).
- ``json-lines``: the same objects, one compact JSON object per line.
- ``sarif``: a SARIF 2.1.0 log (see :func:`sarif`).
- ``github``: GitHub Actions workflow commands (``::error file=...::message``).

Findings in Jupyter notebooks: every formatter takes ``notebooks``, a mapping from a diagnostic's
``path`` to the :class:`tipcheck.notebook.Notebook` whose concatenated code was linted. Their rows
are the rows of that concatenation; the formatters translate them to the cell (1-based, counted
among all cells as Jupyter shows them) and the row in that cell, as Ruff does:
``train.ipynb:cell 4:3:1: TIP101 ...``.

Colour is only ever added when a formatter is called with ``color=True``; the CLI decides with
:func:`use_color`. :func:`lint_summary`, :func:`fix_summary` and :func:`statistics` are the other
pieces of the text output; :class:`Progress` draws a progress line on a terminal.

The package, by format family: ``formats`` (the names), ``places`` (paths and notebook cells as
shown), ``text`` (full, concise, colour), ``machine`` (json, json-lines, github, sarif), ``stats``
(``--statistics``), ``summary`` (the closing lines), ``progress``, ``printer`` (where the CLI's
output goes, by log level: ``-q``, ``-s``). This module re-exports them and holds :func:`render`,
the one entry point.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from tipcheck.diagnostics import Diagnostic
from tipcheck.output.formats import FORMATS, HUMAN_FORMATS
from tipcheck.output.machine import (
    _ROOTS,
    SARIF_SCHEMA_URI,
    SARIF_VERSION,
    TOOL_NAME,
    TOOL_URI,
    fingerprints,
    github,
    json_format,
    json_lines,
    line_hash,
    repository_root,
    sarif,
)
from tipcheck.output.places import Notebooks, display_path
from tipcheck.output.printer import Printer
from tipcheck.output.progress import Progress
from tipcheck.output.stats import statistics, statistics_json
from tipcheck.output.summary import fix_summary, lint_summary
from tipcheck.output.text import concise, full, strip_ansi, style, use_color
from tipcheck.source import SourceFile

__all__ = [
    "FORMATS",
    "HUMAN_FORMATS",
    "Notebooks",
    "Printer",
    "Progress",
    "SARIF_SCHEMA_URI",
    "SARIF_VERSION",
    "TOOL_NAME",
    "TOOL_URI",
    "_ROOTS",
    "concise",
    "display_path",
    "fingerprints",
    "fix_summary",
    "full",
    "github",
    "json_format",
    "json_lines",
    "line_hash",
    "lint_summary",
    "render",
    "repository_root",
    "sarif",
    "statistics",
    "statistics_json",
    "strip_ansi",
    "style",
    "use_color",
]


def render(
    output_format: str,
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, SourceFile],
    unsafe: bool,
    color: bool = False,
    notebooks: Notebooks = None,
) -> str:
    """The findings in ``output_format`` (one of :data:`FORMATS`), without the summary lines.

    ``diagnostics`` are rendered in the order given (the CLI sorts them). ``sources`` maps a path to
    the decoded :class:`SourceFile` that the fixes' offsets refer to (json, json-lines, sarif use
    it). ``color`` only affects full and concise. ``notebooks`` maps a notebook's path to its
    :class:`tipcheck.notebook.Notebook`. Raises ValueError for an unknown format.
    """
    if output_format == "full":
        return full(diagnostics, unsafe, color=color, notebooks=notebooks)
    if output_format == "concise":
        return concise(diagnostics, unsafe, color=color, notebooks=notebooks)
    if output_format == "json":
        return json_format(diagnostics, sources, notebooks=notebooks)
    if output_format == "json-lines":
        return json_lines(diagnostics, sources, notebooks=notebooks)
    if output_format == "sarif":
        return sarif(diagnostics, sources, unsafe, notebooks=notebooks)
    if output_format == "github":
        return github(diagnostics, notebooks=notebooks)
    raise ValueError(f"unknown output format `{output_format}` (expected one of {', '.join(FORMATS)})")

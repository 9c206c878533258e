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
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import IO, Any, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import quote

from tipcheck.diagnostics import ENGINE_CODES, INVALID_SYNTAX, IO_ERROR, TOO_COMPLEX, Diagnostic
from tipcheck.docs import DOCS_BASE, rule_page, rule_url
from tipcheck.source import SourceFile

FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github")
# The formats meant for people: the CLI prints the summary lines after these only.
HUMAN_FORMATS = ("full", "concise")

# The engine's own findings (diagnostics.ENGINE_CODES) are reported as SARIF level "error" and
# shown without a code column in the statistics (as Ruff does with invalid-syntax).

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "tipcheck"
TOOL_URI = DOCS_BASE.split("/blob/", 1)[0]  # https://github.com/tipcheck/tipcheck

Notebooks = Optional[Mapping[str, Any]]  # path -> tipcheck.notebook.Notebook (duck-typed here)


# -- paths ---------------------------------------------------------------------------------------
def display_path(path: str) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


# -- colour ----------------------------------------------------------------------------------------
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
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def style(text: str, *names: str, enabled: bool = True) -> str:
    """``text`` wrapped in the ANSI codes of ``names`` (bold, dim, underline, red, green, yellow,
    blue, magenta, cyan); unchanged when ``enabled`` is false, ``names`` is empty or text is empty."""
    if not enabled or not names or not text:
        return text
    codes = ";".join(_SGR[name] for name in names)
    return f"\x1b[{codes}m{text}{_RESET}"


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


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


# -- locations -------------------------------------------------------------------------------------
def _place(d: Diagnostic, notebooks: Notebooks) -> Tuple[Optional[int], int, int, int, int]:
    """(cell or None, start row, start column, end row, end column) as shown to the user."""
    notebook = notebooks.get(d.path) if notebooks else None
    if notebook is None:
        return None, d.start.row, d.start.column, d.end.row, d.end.column
    cell, row, column = notebook.location(d.start.row, d.start.column)
    end_cell, end_row, end_column = notebook.location(d.end.row, d.end.column)
    if end_cell != cell:  # a range that crosses cells: end it at the start
        end_row, end_column = row, column
    return cell, row, column, end_row, end_column


def _header(d: Diagnostic, unsafe: bool, notebooks: Notebooks, color: bool) -> str:
    cell, row, column, _, _ = _place(d, notebooks)
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
            _, row, column, end_row, end_column = _place(d, notebooks)
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


# -- json and json-lines ---------------------------------------------------------------------------
def _location(source: SourceFile, offset: int, notebook: Any = None) -> Dict[str, int]:
    loc = source.location(offset)
    if notebook is not None:
        _, row, column = notebook.location(loc.row, loc.column)
        return {"row": row, "column": column}
    return {"row": loc.row, "column": loc.column}


def _json_item(d: Diagnostic, sources: Mapping[str, SourceFile], notebooks: Notebooks) -> Dict[str, Any]:
    notebook = notebooks.get(d.path) if notebooks else None
    fix = None
    if d.fix is not None and d.path in sources:
        source = sources[d.path]
        fix = {
            "applicability": d.fix.applicability.value,
            "message": d.fix.message,
            "edits": [
                {
                    "content": edit.content,
                    "location": _location(source, edit.start, notebook),
                    "end_location": _location(source, edit.end, notebook),
                }
                for edit in sorted(d.fix.edits, key=lambda e: (e.start, e.end))
            ],
        }
    cell, row, column, end_row, end_column = _place(d, notebooks)
    return {
        "cell": cell,
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "filename": os.path.abspath(d.path),
        "location": {"row": row, "column": column},
        "end_location": {"row": end_row, "column": end_column},
        "fix": fix,
        "noqa_row": row,
        "url": rule_url(d.code),
    }


def json_format(diags: Sequence[Diagnostic], sources: Mapping[str, SourceFile], notebooks: Notebooks = None) -> str:
    """Ruff's ``--output-format json``: a JSON list, indented by 2, ending with a newline.

    ``sources`` maps a path to the :class:`SourceFile` the offsets of its fix edits refer to; a
    finding whose path is missing from it is shown with ``"fix": null``. In a notebook ``cell`` is
    the cell number and every row (edits included) is a row within its cell.
    """
    return json.dumps([_json_item(d, sources, notebooks) for d in diags], indent=2) + "\n"


def json_lines(diags: Sequence[Diagnostic], sources: Mapping[str, SourceFile], notebooks: Notebooks = None) -> str:
    """Ruff's ``json-lines``: the objects of :func:`json_format`, one compact object per line."""
    return "".join(
        json.dumps(_json_item(d, sources, notebooks), separators=(",", ":")) + "\n" for d in diags
    )


# -- github ----------------------------------------------------------------------------------------
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(diags: Sequence[Diagnostic], notebooks: Notebooks = None) -> str:
    """GitHub Actions annotations, one per finding:
    ``::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::message``.

    PATH is the path as shown (relative to the current folder, POSIX separators). The message is
    escaped as workflow-command data (``%``, CR, LF), the property values as properties (also ``:``
    and ``,``). In a notebook the annotation points at the line of the ``.ipynb`` file that holds
    the reported source line (no columns) and the message starts with ``cell N:row:col: ``.
    """
    out = []
    for d in diags:
        path = Path(display_path(d.path)).as_posix()
        notebook = notebooks.get(d.path) if notebooks else None
        message = d.message
        if notebook is not None:
            cell, row, column, _, _ = _place(d, notebooks)
            message = f"cell {cell}:{row}:{column}: {message}"
            line = notebook.file_line(d.start.row) or 1
            props = [("file", path), ("line", str(line))]
        else:
            props = [
                ("file", path),
                ("line", str(d.start.row)),
                ("col", str(d.start.column)),
                ("endLine", str(d.end.row)),
                ("endColumn", str(d.end.column)),
            ]
        props.append(("title", d.code))
        rendered = ",".join(f"{key}={_escape_property(value)}" for key, value in props)
        out.append(f"::error {rendered}::{_escape_data(message)}\n")
    return "".join(out)


# -- sarif -----------------------------------------------------------------------------------------
def _what_it_does(page: Optional[str]) -> Optional[str]:
    """The text of the page's ``## What it does`` section, or None."""
    if not page:
        return None
    match = re.search(r"^##[ \t]+What it does[ \t]*\r?\n(.*?)(?=^##[ \t]|\Z)", page, re.MULTILINE | re.DOTALL)
    if not match:
        return None
    return _unwrap(match.group(1).strip()) or None


def _unwrap(markdown: str) -> str:
    """Markdown with hard-wrapped paragraphs joined into one line each; list items, headings and
    code blocks keep their lines."""
    out: List[str] = []
    fenced = False
    for line in markdown.splitlines():
        stripped = line.strip()
        starts_block = not stripped or stripped.startswith(("- ", "* ", "#", "|", ">")) or bool(
            re.match(r"\d+[.)] ", stripped)
        )
        if stripped.startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        if fenced or starts_block or not out or not out[-1].strip() or out[-1].lstrip().startswith("```"):
            out.append(line if fenced else line.rstrip())
        else:
            out[-1] = out[-1].rstrip() + " " + stripped
    return "\n".join(out)


def _first_sentence(text: str) -> str:
    paragraph = " ".join(text.split("\n\n", 1)[0].split())
    match = re.match(r"(.+?[.!?])(?:\s|$)", paragraph)
    return match.group(1) if match else paragraph


def _page_descriptor(code: str, name: Optional[str] = None) -> Dict[str, Any]:
    """A descriptor for a code that is not a rule of ALL_RULES (TIP001 unused-suppression, or any
    other code the engine reports), from its page when it has one."""
    page = rule_page(code)
    heading = re.match(r"#[ \t]+([\w-]+)[ \t]+\(" + re.escape(code) + r"\)", page or "")
    name = heading.group(1) if heading else (name or code)
    described = _what_it_does(page)
    descriptor: Dict[str, Any] = {
        "id": code,
        "name": name,
        "shortDescription": {"text": _first_sentence(described) if described else name},
        "fullDescription": {"text": described or name},
        "defaultConfiguration": {"level": "warning"},
    }
    if page:
        url = rule_url(code)
        if url:
            descriptor["helpUri"] = url
        descriptor["help"] = {"text": page, "markdown": page}
    return descriptor


def _sarif_rules() -> List[Dict[str, Any]]:
    from tipcheck.rules import ALL_RULES  # the registry imports every rule: only when needed

    rules: List[Dict[str, Any]] = []
    for rule in ALL_RULES:
        page = rule_page(rule.code)
        descriptor: Dict[str, Any] = {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": _what_it_does(page) or rule.summary},
            "defaultConfiguration": {"level": "warning"},
        }
        url = rule_url(rule.code)
        if url:
            descriptor["helpUri"] = url
        if page:
            descriptor["help"] = {"text": page, "markdown": page}
        descriptor["properties"] = {"fixable": rule.fixable}
        rules.append(descriptor)
    for code, text in (
        (INVALID_SYNTAX, "The file cannot be parsed as Python."),
        (IO_ERROR, "The file cannot be read."),
        (TOO_COMPLEX, "The file nests too deeply for tipcheck to analyse it."),
    ):
        rules.append(
            {
                "id": code,
                "name": code,
                "shortDescription": {"text": text},
                "fullDescription": {"text": text},
                "defaultConfiguration": {"level": "error"},
            }
        )
    return rules


_ROOTS: Dict[Tuple[str, str], str] = {}


def repository_root(path: str) -> str:
    """The git top-level folder of ``path`` (the nearest folder above it holding ``.git``, a folder
    or a worktree's file), else the current folder. Absolute; cached per folder."""
    folder = os.path.dirname(os.path.abspath(path))
    cwd = os.getcwd()
    if (folder, cwd) in _ROOTS:
        return _ROOTS[(folder, cwd)]
    current = folder
    root = cwd
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            root = current
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    _ROOTS[(folder, cwd)] = root
    return root


def _file_uri(folder: str) -> str:
    uri = Path(os.path.abspath(folder)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _artifact(path: str, srcroot: str) -> Dict[str, str]:
    """An artifactLocation: relative to %SRCROOT% when the file's repository root is it, else an
    absolute file URI."""
    absolute = os.path.abspath(path)
    root = repository_root(path)
    if root == srcroot:
        try:
            relative = os.path.relpath(absolute, root)
        except ValueError:
            relative = None
        if relative is not None and not relative.startswith(".."):
            return {"uri": quote(Path(relative).as_posix(), safe="/"), "uriBaseId": "%SRCROOT%"}
    return {"uri": Path(absolute).as_uri()}


def _normalized_line(line: str) -> str:
    return " ".join(line.split())


def line_hash(code: str, line: str) -> str:
    """The first 16 hex digits of SHA-256 over ``code``, a NUL, and the whitespace-normalized line."""
    data = f"{code}\x00{_normalized_line(line)}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]


def fingerprints(diags: Sequence[Diagnostic]) -> List[str]:
    """``partialFingerprints.primaryLocationLineHash`` of each finding, in the order given.

    Recipe: ``HASH:N`` where HASH is :func:`line_hash` of the rule id and the reported line with its
    whitespace normalized (leading and trailing whitespace dropped, inner runs of whitespace made
    one space), and N (1-based) counts the findings of that file with the same rule id and the same
    normalized line, in (row, column) order. It does not involve the line number, so it survives
    lines moving up or down and re-indentation; it changes when the line itself changes.
    """
    order = sorted(range(len(diags)), key=lambda i: (diags[i].path, diags[i].start, diags[i].end, i))
    seen: Counter = Counter()
    result = [""] * len(diags)
    for i in order:
        d = diags[i]
        digest = line_hash(d.code, d.source_line)
        seen[(d.path, digest)] += 1
        result[i] = f"{digest}:{seen[(d.path, digest)]}"
    return result


def _sarif_fix(d: Diagnostic, source: SourceFile, artifact: Dict[str, str], unsafe: bool) -> Dict[str, Any]:
    replacements = []
    for edit in sorted(d.fix.edits, key=lambda e: (e.start, e.end)):
        start, end = source.location(edit.start), source.location(edit.end)
        replacements.append(
            {
                "deletedRegion": {
                    "startLine": start.row,
                    "startColumn": start.column,
                    "endLine": end.row,
                    "endColumn": end.column,
                },
                "insertedContent": {"text": edit.content},
            }
        )
    note = "" if d.fix.is_safe else " (unsafe)"
    return {
        "description": {"text": d.fix.message + note},
        "artifactChanges": [{"artifactLocation": dict(artifact), "replacements": replacements}],
        "properties": {"applicability": d.fix.applicability.value, "applied": d.fixable(unsafe)},
    }


def sarif(
    diags: Sequence[Diagnostic],
    sources: Mapping[str, SourceFile],
    unsafe: bool = False,
    notebooks: Notebooks = None,
) -> str:
    """A SARIF 2.1.0 log with one run (valid against the OASIS schema, tests/schemas/).

    - ``tool.driver``: name ``tipcheck``, version, informationUri, and ``rules``: every rule of
      ``tipcheck.rules.ALL_RULES`` (id = code, name, shortDescription = summary, fullDescription =
      the rule page's "What it does" section, unwrapped, or the summary; helpUri; help = the
      page), then ``invalid-syntax`` and ``io-error``, then any other code among the findings
      (described from its page when it has one).
    - each result: ruleId, ruleIndex, level (``error`` for invalid-syntax and io-error, ``warning``
      for every rule), message.text, one location (artifactLocation relative to ``%SRCROOT%``, see
      below; region startLine/startColumn/endLine/endColumn, columns in Unicode code points as
      declared by ``run.columnKind``), ``partialFingerprints.primaryLocationLineHash``
      (:func:`fingerprints`) and, when the finding has a fix and ``sources`` has its file,
      ``fixes`` (one fix; ``properties.applied`` says whether `tipcheck fix` would apply it with
      this ``unsafe``).
    - ``%SRCROOT%`` is the repository root (:func:`repository_root`) shared by most findings (the
      current folder's when there are none), given in ``originalUriBaseIds``. A file under another
      root gets an absolute ``file://`` URI instead.
    - In a notebook the region is the line of the ``.ipynb`` file that holds the reported source
      line (``startLine`` only), ``properties`` has ``cell``, ``cellRow`` and ``cellColumn``, and no
      fix is given.
    """
    from tipcheck import __version__

    rules = _sarif_rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    for d in diags:  # a code no descriptor covers yet: describe it too
        if d.code not in index:
            index[d.code] = len(rules)
            rules.append(_page_descriptor(d.code, d.name))
    roots = Counter(repository_root(d.path) for d in diags)
    if roots:
        srcroot = min(roots, key=lambda r: (-roots[r], r))
    else:
        srcroot = repository_root(os.path.join(os.getcwd(), "_"))
    prints = fingerprints(diags)
    results = []
    for d, fingerprint in zip(diags, prints):
        artifact = _artifact(d.path, srcroot)
        notebook = notebooks.get(d.path) if notebooks else None
        properties: Dict[str, Any] = {}
        if notebook is not None:
            cell, row, column, _, _ = _place(d, notebooks)
            region = {"startLine": notebook.file_line(d.start.row) or 1}
            properties = {"cell": cell, "cellRow": row, "cellColumn": column}
        else:
            region = {
                "startLine": d.start.row,
                "startColumn": d.start.column,
                "endLine": d.end.row,
                "endColumn": d.end.column,
            }
        result: Dict[str, Any] = {
            "ruleId": d.code,
            "level": "error" if d.code in ENGINE_CODES else "warning",
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.fix is not None and notebook is None and d.path in sources:
            result["fixes"] = [_sarif_fix(d, sources[d.path], artifact, unsafe)]
        if properties:
            result["properties"] = properties
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": TOOL_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _file_uri(srcroot)}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# -- statistics ------------------------------------------------------------------------------------
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


# -- one entry point -------------------------------------------------------------------------------
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


# -- summaries -------------------------------------------------------------------------------------
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
        text += f"No fixes available ({_plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option).\n"
    return text + (_unchecked(unchecked) if unchecked else "")


# -- progress --------------------------------------------------------------------------------------
class Progress:
    """A one-line progress display for long runs: ``[ 37/120] path``, redrawn in place.

    It draws on ``stream`` (the CLI passes sys.stderr) only when ``stream.isatty()`` and ``total``
    is larger than ``threshold`` (50 files); otherwise every method does nothing, so the CLI can
    always use it. Redraws at most every ``interval`` seconds (the last update always shows), and
    :meth:`close` erases the line. Usable as a context manager.
    """

    def __init__(self, total: int, stream: Optional[IO[str]] = None, threshold: int = 50, interval: float = 0.05):
        self.total = total
        self.stream = sys.stderr if stream is None else stream
        self.done = 0
        self.interval = interval
        self._last = 0.0
        self._drawn = False
        try:
            tty = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            tty = False
        self.enabled = tty and total > threshold

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            return 80

    def update(self, advance: int = 1, label: str = "") -> None:
        self.done = min(self.total, self.done + advance)
        if not self.enabled:
            return
        now = time.monotonic()
        if self.done < self.total and now - self._last < self.interval:
            return
        self._last = now
        digits = len(str(self.total))
        text = f"[{self.done:>{digits}}/{self.total}] {label}"
        text = text[: max(10, self._width() - 1)]
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        self._drawn = False
        self.enabled = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

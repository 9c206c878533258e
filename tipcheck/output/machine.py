"""The formats for machines: ``json`` and ``json-lines`` (Ruff's field names), ``github``
(GitHub Actions workflow commands) and ``sarif`` (a SARIF 2.1.0 log, with the rules' pages as
descriptors and stable fingerprints)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import quote

from tipcheck.codes import ENGINE_CODES, INVALID_SYNTAX, IO_ERROR, TOO_COMPLEX
from tipcheck.diagnostics import Diagnostic
from tipcheck.docs import DOCS_BASE, rule_page, rule_url
from tipcheck.output.places import Notebooks, display_path, place
from tipcheck.source import SourceFile

# The engine's own findings (codes.ENGINE_CODES) are reported as SARIF level "error".

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "tipcheck"
TOOL_URI = DOCS_BASE.split("/blob/", 1)[0]  # https://github.com/tipcheck/tipcheck


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
    cell, row, column, end_row, end_column = place(d, notebooks)
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
    return "".join(json.dumps(_json_item(d, sources, notebooks), separators=(",", ":")) + "\n" for d in diags)


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
            cell, row, column, _, _ = place(d, notebooks)
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
        starts_block = (
            not stripped or stripped.startswith(("- ", "* ", "#", "|", ">")) or bool(re.match(r"\d+[.)] ", stripped))
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
            cell, row, column, _, _ = place(d, notebooks)
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

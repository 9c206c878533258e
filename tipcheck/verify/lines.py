"""Which fixed lines ran: the lines `tipcheck verify` watches in each copy, and what it makes of
what the runs saw (tipcheck.verify.tracer records it inside the processes).

`watch(copy_root, findings, fixed)` gives, per fixed finding, what to watch in one copy: the lines
of the statement the finding is in (a compound statement's header only: `def` and its decorators,
`for ...:`), as they are in that copy (the fixed copy's lines are found through a diff with the
original), and the functions whose calls tell more:

- `within`: the function the statement is in (its code object's first line and name), so that a
  line that never ran can say whether its function was never called;
- `default_of`: when the finding is in a `def`'s signature (a parameter default, evaluated when
  the `def` runs), that function: its default matters only when it is called.

`settings(watched)` is what the processes get (per file: lines and calls); `seen(notes)` reads
what they recorded (every process: DDP ranks, DataLoader workers), and `outcome(...)` turns it
into each finding's `ran`, and, for a promise not shown, the words that say the line never ran.
Nothing here imports torch.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
from typing import Dict, List, Optional, Sequence, Tuple

RAN_FILE = "lines-ran.txt"
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _first_line(node: ast.AST) -> int:
    """The first line of a def or class as its code object has it (the first decorator's)."""
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno] + [d.lineno for d in decorators])


def _children(node: ast.AST) -> List[ast.stmt]:
    found: List[ast.stmt] = []
    for name in ("body", "orelse", "finalbody"):
        found += [s for s in getattr(node, name, None) or [] if isinstance(s, ast.stmt)]
    for handler in getattr(node, "handlers", None) or []:
        found += handler.body
    for case in getattr(node, "cases", None) or []:
        found += case.body
    return found


def _locate(tree: ast.Module, line: int) -> Tuple[Optional[ast.stmt], List[ast.AST]]:
    """The innermost statement holding `line`, and the defs and classes around it (outermost first)."""
    outer: List[ast.AST] = []
    statements: Sequence[ast.stmt] = tree.body
    found: Optional[ast.stmt] = None
    while True:
        inner = next(
            (s for s in statements if _first_line(s) <= line <= (s.end_lineno or s.lineno)),
            None,
        )
        if inner is None:
            return found, outer
        found = inner
        children = _children(inner)
        if not children or line < min(c.lineno for c in children):
            return found, outer  # a simple statement, or the header of a compound one
        if isinstance(inner, (*_DEFS, ast.ClassDef)):
            outer.append(inner)
        statements = children


def _qualname(chain: Sequence[ast.AST]) -> str:
    return ".".join(getattr(n, "name", "?") for n in chain)


def _function(chain: Sequence[ast.AST]) -> Optional[dict]:
    """The innermost def of `chain`, as {"first", "name", "qualname", "class"} (None: at module or class level)."""
    if not chain or not isinstance(chain[-1], _DEFS):
        return None
    node = chain[-1]
    owner = chain[-2].name if len(chain) > 1 and isinstance(chain[-2], ast.ClassDef) else None
    return {"first": _first_line(node), "name": node.name, "qualname": _qualname(chain), "class": owner}


def watch_line(text: str, line: int) -> dict:
    """What to watch for a finding at `line` of this text (see the module's doc)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return {"lines": [line], "within": None, "default_of": None}
    statement, chain = _locate(tree, line)
    if statement is None:
        return {"lines": [line], "within": None, "default_of": None}
    start = _first_line(statement)
    children = _children(statement)
    end = (min(c.lineno for c in children) - 1) if children else (statement.end_lineno or statement.lineno)
    lines = sorted(set(range(start, max(end, start) + 1)) | {line})
    default_of = _function([*chain, statement]) if isinstance(statement, _DEFS) else None
    return {"lines": lines, "within": _function(chain), "default_of": default_of}


def map_line(before: str, after: str, line: int) -> int:
    """Line `line` of `before`, in `after` (a changed line: where its change is)."""
    a, b = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i1 <= line - 1 < i2:
            offset = line - 1 - i1
            return j1 + (offset if tag == "equal" else min(offset, max(j2 - j1 - 1, 0))) + 1
    return min(line, max(len(b), 1))


def _read(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def watch(original_root: str, fixed_root: str, findings: Sequence[dict]) -> Dict[str, List[dict]]:
    """Per copy ("original", "fixed"): per finding (in order), {"file" (absolute), "line", and
    watch_line's entries}."""
    out: Dict[str, List[dict]] = {"original": [], "fixed": []}
    for finding in findings:
        before = _read(os.path.join(original_root, finding["file"])) or ""
        after = _read(os.path.join(fixed_root, finding["file"]))
        after = before if after is None else after
        line = finding["line"]
        moved = line if after == before else map_line(before, after, line)
        for phase, root, text, at in (("original", original_root, before, line), ("fixed", fixed_root, after, moved)):
            path = os.path.realpath(os.path.join(root, finding["file"]))
            out[phase].append({"file": path, "line": at, **watch_line(text, at)})
    return out


def settings(watched: Sequence[dict]) -> Dict[str, dict]:
    """What the processes watch: per file, the lines and the calls ([first line, name])."""
    files: Dict[str, dict] = {}
    for entry in watched:
        target = files.setdefault(entry["file"], {"lines": [], "calls": []})
        target["lines"] = sorted(set(target["lines"]) | set(entry["lines"]))
        for function in (entry["within"], entry["default_of"]):
            if function and [function["first"], function["name"]] not in target["calls"]:
                target["calls"].append([function["first"], function["name"]])
    return files


def seen(notes: str) -> Optional[dict]:
    """What the processes of one run recorded: {"lines": {(file, line)}, "calls": {(file, first)}}
    (None: no process watched, so nothing is known)."""
    text = _read(os.path.join(notes, RAN_FILE))
    if text is None:
        return None
    out: dict = {"lines": set(), "calls": set(), "watched": False}
    for raw in text.splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if entry.get("watching"):
            out["watched"] = True
        elif "line" in entry:
            out["lines"].add((entry["file"], entry["line"]))
        elif "call" in entry:
            out["calls"].add((entry["file"], entry["call"]))
    return out if out["watched"] else None


def _ran(entry: dict, saw: Optional[dict]) -> Tuple[Optional[bool], Optional[bool], Optional[bool]]:
    """(the lines ran, the function they are in was called, the function whose default it is was called)."""
    if saw is None:
        return None, None, None
    ran = any((entry["file"], line) in saw["lines"] for line in entry["lines"])
    within = entry["within"] and (entry["file"], entry["within"]["first"]) in saw["calls"]
    default = entry["default_of"] and (entry["file"], entry["default_of"]["first"]) in saw["calls"]
    return ran, (bool(within) if entry["within"] else None), (bool(default) if entry["default_of"] else None)


def _either(*values: Optional[bool]) -> Optional[bool]:
    if any(v for v in values):
        return True
    return None if all(v is None for v in values) else False


def outcome(finding: dict, watched: Dict[str, dict], saw: Dict[str, Optional[dict]]) -> dict:
    """A finding's `ran` (either copy), `ran_in` per copy, `called` (a default's function: called
    in either copy) and, when it says more than a guess, `why` (see `not_shown`)."""
    result = {}
    ran_in, within, called = {}, [], []
    for phase in ("original", "fixed"):
        ran, inside, default = _ran(watched[phase], saw.get(phase))
        ran_in[phase] = ran
        within.append(inside)
        called.append(default)
    result["ran"] = _either(*ran_in.values())
    result["ran_in"] = ran_in
    entry = watched["original"]
    where = f"{finding['file']}:{finding['line']}"
    if entry["default_of"]:
        result["called"] = _either(*called)
        if result["ran"] and result["called"] is False:
            function = entry["default_of"]
            result["why"] = f"the function with the fixed default was never called: {where} ({_who(function)})"
    if result["ran"] is False:
        function = entry["within"]
        if function is None:
            result["why"] = f"the fixed line never ran in this run: {where}"
        elif _either(*within) is False:
            result["why"] = f"the fixed line never ran in this run: {where} ({_who(function)})"
        else:
            result["why"] = f"the fixed line never ran in this run: {where} ({function['qualname']} ran, not this line)"
    return result


def _who(function: dict) -> str:
    if function["name"] == "__init__" and function["class"]:
        return f"{function['class']} is never built"
    return f"{function['qualname']} is never called"


def not_shown(findings: Sequence[dict]) -> Optional[str]:
    """For a promise not shown: why, when none of its findings' lines ran (or a default's function
    was never called) in either copy; None when one of them ran or nothing is known."""
    whys = [f.get("why") for f in findings]
    if not whys or not all(whys):
        return None
    return "; ".join(dict.fromkeys(whys))

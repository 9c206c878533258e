"""The scratch copies `tipcheck verify` runs: the project around the script, copied twice
(`original/` and `fixed/` under the scratch folder), and tipcheck's fixes applied to the second.
The user's files are only read.

- `project_root`: the folder the script's local imports resolve from: its own folder, or an
  ancestor (at most ROOT_LEVELS up) that holds a top-level module or package it imports and the
  interpreter does not have installed (`tools/train.py` importing `lib.models`).
- `copy_project`: every file of the root, but hidden and cache folders, links (a link might lead
  a write back to the user's files) and files over MAX_FILE_BYTES (data, checkpoints: the
  stand-ins and the missing-file report are for data); at most MAX_FILES files.
- `local_modules`: the script and the project modules it imports, transitively (read with `ast`),
  the files tipcheck fixes.
- `fix_copy`: lint the copy's files, fix them (unsafe fixes included) with the rules selected,
  write the fixed text into the fixed copy, and list each finding with whether it was fixed.

Nothing here imports torch; it needs the linter (libcst).
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence

ROOT_LEVELS = 3
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 20000
SKIP_DIRS = {"__pycache__", "node_modules", "venv", "env", "wandb", "mlruns", "runs", "lightning_logs"}
#: Rules with nothing to show at run time: left out of `verify`'s selection.
NOT_RUNTIME = {"TIP001"}


class ScratchError(Exception):
    """The project could not be copied (too large, unreadable)."""


@dataclass
class Copy:
    root: str  # the user's project folder
    original: str  # its copy, run as it is
    fixed: str  # its copy, with tipcheck's fixes
    files: int = 0
    skipped_large: List[str] = field(default_factory=list)
    skipped_links: List[str] = field(default_factory=list)


def _imports(path: str) -> List[tuple]:
    """(module, level, names) of every import in the file (anywhere in it)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, 0, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level, tuple(a.name for a in node.names)))
    return found


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _resolve(folder: str, dotted: str) -> Optional[str]:
    """The file of module `dotted` under `folder` (a module or a package's __init__), or None."""
    if not dotted:
        return None
    base = os.path.join(folder, *dotted.split("."))
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate):
            return candidate
    return None


def project_root(script: str) -> str:
    """See the module's doc."""
    folder = os.path.dirname(os.path.abspath(script))
    root = folder
    for module, level, _ in _imports(script):
        if level or not module:
            continue
        top = module.split(".")[0]
        if _resolve(folder, top) or _installed(top):
            continue
        candidate = folder
        for _ in range(ROOT_LEVELS):
            parent = os.path.dirname(candidate)
            if parent == candidate:
                break
            candidate = parent
            if _resolve(candidate, top):
                if len(candidate) < len(root):
                    root = candidate
                break
    return root


def local_modules(script: str, root: str, limit: int = 500) -> List[str]:
    """The script and the modules of the project it imports, transitively (absolute paths)."""
    script = os.path.abspath(script)
    bases = [os.path.dirname(script), root]
    seen: Dict[str, None] = {script: None}
    todo = [script]
    while todo and len(seen) < limit:
        path = todo.pop()
        here = os.path.dirname(path)
        for module, level, names in _imports(path):
            targets = []
            if level:
                base = here
                for _ in range(level - 1):
                    base = os.path.dirname(base)
                targets = [(base, module)] if module else []
                targets += [(base, f"{module}.{n}" if module else n) for n in names]
            else:
                for folder in dict.fromkeys(bases + [here]):
                    targets.append((folder, module))
                    targets += [(folder, f"{module}.{n}") for n in names]
            for folder, dotted in targets:
                parts = dotted.split(".")
                for end in range(1, len(parts) + 1):  # the packages on the way are imported too
                    found = _resolve(folder, ".".join(parts[:end]))
                    if found and found not in seen and os.path.abspath(found).startswith(root + os.sep):
                        seen[found] = None
                        todo.append(found)
    return list(seen)


def copy_project(root: str, scratch: str) -> Copy:
    """Copy `root` to `scratch/original` and `scratch/fixed` (see the module's doc)."""
    copy = Copy(root, os.path.join(scratch, "original"), os.path.join(scratch, "fixed"))
    plan = []
    for folder, dirs, files in os.walk(root):
        kept = []
        for name in sorted(dirs):
            if os.path.islink(os.path.join(folder, name)):
                copy.skipped_links.append(os.path.relpath(os.path.join(folder, name), root))
            elif not name.startswith(".") and name not in SKIP_DIRS and not name.endswith(".egg-info"):
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                copy.skipped_links.append(rel)
            elif name.endswith((".pyc", ".pyo")):
                continue
            elif os.path.getsize(path) > MAX_FILE_BYTES:
                copy.skipped_large.append(rel)
            else:
                plan.append(rel)
        if len(plan) > MAX_FILES:
            raise ScratchError(
                f"{root} holds more than {MAX_FILES} files to copy: give the project's folder with --root"
            )
    for target in (copy.original, copy.fixed):
        for rel in plan:
            destination = os.path.join(target, rel)
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            shutil.copyfile(os.path.join(root, rel), destination)
    copy.files = len(plan)
    return copy


def fix_copy(
    copy: Copy,
    script: str,
    select: Sequence[str] = (),
    preview: bool = False,
    substitute: Optional[Mapping[str, str]] = None,
) -> dict:
    """Fix the fixed copy (see the module's doc); `substitute` maps a file (relative to the root)
    to the text to put in the fixed copy instead of tipcheck's fix (tests: a wrong fix).
    Returns {"rules", "files", "findings", "errors"}; each finding has file, line, code, name,
    message, fix ("safe"/"unsafe"/None) and fixed."""
    from tipcheck.engine import lint_paths
    from tipcheck.fixing import fix_paths
    from tipcheck.rules import select_rules

    rules = [
        r
        for r in select_rules(select or ())
        if r.code not in NOT_RUNTIME and (preview or not r.preview or any(s.upper() == r.code for s in select))
    ]
    rel_script = os.path.relpath(os.path.abspath(script), copy.root)
    files = local_modules(os.path.join(copy.original, rel_script), copy.original)
    rels = [os.path.relpath(f, copy.original) for f in files]
    findings, errors = [], []
    before = lint_paths(files, rules) if rules else []
    fixed = fix_paths([os.path.join(copy.fixed, r) for r in rels], rules, unsafe=True) if rules else []
    for rel, linted, result in zip(rels, before, fixed):
        errors += [f"{rel}: {e.rule or 'engine'}: {e.detail}" for e in (*linted.errors, *result.errors)]
        remaining = Counter(d.code for d in result.diagnostics)
        if result.fixed_text is None:
            remaining = Counter(d.code for d in linted.diagnostics)
        seen: Counter = Counter()
        total = Counter(d.code for d in linted.diagnostics)
        for diagnostic in sorted(linted.diagnostics, key=lambda d: (d.start.row, d.code)):
            fixable = diagnostic.fix is not None
            if fixable:
                seen[diagnostic.code] += 1
            # Per code, as many findings as went away count as fixed: the first ones with a fix.
            was_fixed = fixable and seen[diagnostic.code] <= total[diagnostic.code] - remaining[diagnostic.code]
            findings.append(
                {
                    "file": rel,
                    "line": diagnostic.start.row,
                    "code": diagnostic.code,
                    "name": diagnostic.name,
                    "message": diagnostic.message,
                    "fix": diagnostic.fix.applicability.value if fixable else None,
                    "fixed": bool(was_fixed),
                }
            )
        if result.fixed_text is not None:
            with open(os.path.join(copy.fixed, rel), "w", encoding="utf-8") as handle:
                handle.write(result.fixed_text)
    for rel, text in (substitute or {}).items():
        with open(os.path.join(copy.fixed, rel), "w", encoding="utf-8") as handle:
            handle.write(text)
    return {"rules": [r.code for r in rules], "files": rels, "findings": findings, "errors": errors}

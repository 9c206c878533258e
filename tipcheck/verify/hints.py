"""Why a script could not run under `tipcheck verify`, in words a user can act on: the data file it
could not find (with the script's own dummy-data flag, when its argparse has one), the download
it tried, the GPU it needed, the time it took.

`dummy_flags` reads the scripts' text (with `ast`: nothing is run) for `add_argument` options
named like a dummy-data switch, or with such a choice, or whose value picks a class by name from a
project module (`vars(datasets)[args.dataset]`) that defines a synthetic one (`class Debug224`).
Nothing here imports torch.
"""

from __future__ import annotations

import ast
import json
import os
import re
from typing import Dict, Iterable, List, Optional, Tuple

from tipcheck.verify.inside import MISSING_FILES

#: Words that name a dummy-data option (`--dummy`, `--fake-data`, `--synthetic`, `--smoke-test`).
DUMMY_WORDS = ("dummy", "fake", "synthetic", "synth", "stub", "random_data", "random-data", "smoke", "toy")
_MISSING = re.compile(r"No such file or directory: '([^']+)'")


def _dummy(text: str) -> bool:
    return any(word in text.lower() for word in DUMMY_WORDS)


def _choices(call: ast.Call) -> List[str]:
    for keyword in call.keywords:
        if keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple, ast.Set)):
            return [e.value for e in keyword.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _parse(paths: Iterable[str]) -> List[Tuple[str, ast.AST]]:
    trees = []
    for path in paths:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                trees.append((path, ast.parse(handle.read())))
        except (OSError, SyntaxError, ValueError):
            continue
    return trees


def dummy_flags(paths: Iterable[str]) -> List[str]:
    """The options of `add_argument` calls in these files whose name has a DUMMY_WORDS word
    (`--dummy`), or, for an option with such a choice, the option and that choice
    (`--dataset-type synthetic`); after those, an option whose value picks a class by name, with
    the name of a synthetic class it can pick (`--dataset Debug224`, see `_by_name`)."""
    trees = _parse(paths)
    sites = _sites(trees)
    found: List[str] = []
    picked: List[str] = []
    for _, tree in trees:
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != "add_argument":
                continue
            names = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            names = [n for n in names if n.startswith("-")]
            flags = [n for n in names if _dummy(n)]
            if not flags and names:
                choice = next((c for c in _choices(node) if _dummy(c)), None)
                flags = [f"{max(names, key=len)} {choice}"] if choice else []
                value = None if choice else _by_name(_dest(node, names), trees, sites)
                if value and (not _choices(node) or value in _choices(node)):
                    picked.append(f"{max(names, key=len)} {value}")
            found += [f for f in flags[:1] if f not in found]
    return found + [f for f in picked if f not in found]


# -- an option whose value is a class name: `vars(datasets)[args.dataset](...)` ---------------------

#: How a synthetic class's name begins (`Debug224`, `RandomDataset`, `FakeImages`, `ToyData`).
_SYNTHETIC_FIRST = ("debug", "random", "fake", "toy")


def _synthetic(name: str) -> bool:
    """A class name that says its data is made up: a DUMMY_WORDS word among its words, or a first
    word of _SYNTHETIC_FIRST (`Debug224`, not `Debugger`)."""
    words = [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", name)]
    return bool(words) and (words[0] in _SYNTHETIC_FIRST or any(w in DUMMY_WORDS for w in words))


def _dest(call: ast.Call, names: List[str]) -> str:
    for keyword in call.keywords:
        if keyword.arg == "dest" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
            return keyword.value.value
    long = [n for n in names if n.startswith("--")]
    return (long or names)[0].lstrip("-").replace("-", "_")


def _dotted(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


#: Where an `args.<dest>` picks something by name, by dest: (file, its tree, kind, expression).
_Sites = Dict[str, List[Tuple[str, ast.AST, str, Optional[ast.AST]]]]


def _sites(trees: List[Tuple[str, ast.AST]]) -> _Sites:
    """Where `args.<dest>` (`opt.<dest>`, ...) picks something by name: kind "module" with the
    module expression (None for `globals()`) for `vars(m)[key]`, `m.__dict__[key]`,
    `getattr(m, key)`; kind "dict" with its name expression for `D[key]`, `D.get(key)`."""

    def dest(node: ast.AST) -> Optional[str]:
        return node.attr if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) else None

    sites: _Sites = {}
    for path, tree in trees:
        for node in ast.walk(tree):
            found = None
            if isinstance(node, ast.Subscript) and dest(node.slice):
                held = node.value
                if (
                    isinstance(held, ast.Call)
                    and isinstance(held.func, ast.Name)
                    and held.func.id in ("vars", "globals")
                ):
                    found = (dest(node.slice), "module", held.args[0] if held.args else None)
                elif isinstance(held, ast.Attribute) and held.attr == "__dict__":
                    found = (dest(node.slice), "module", held.value)
                else:
                    found = (dest(node.slice), "dict", held)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
                if len(node.args) >= 2 and dest(node.args[1]):
                    found = (dest(node.args[1]), "module", node.args[0])
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
                if node.args and dest(node.args[0]):
                    found = (dest(node.args[0]), "dict", node.func.value)
            if found:
                sites.setdefault(found[0], []).append((path, tree, found[1], found[2]))
    return sites


def _imported(tree: ast.AST, name: str) -> Optional[Tuple[int, str]]:
    """The module (level, dotted name) that `name` (`datasets`, `domainbed.datasets`) stands for in
    this file, from its imports; None if it is not one imported name."""
    head, _, rest = name.partition(".")
    meant = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname == head:
                    meant.add((0, alias.name))
                elif alias.asname is None and alias.name.split(".")[0] == head:
                    meant.add((0, head))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == head:
                    meant.add((node.level, ".".join(p for p in (node.module, alias.name) if p)))
    if len(meant) != 1:
        return None
    level, module = meant.pop()
    return level, ".".join(p for p in (module, rest) if p)


def _module_path(path: str, tree: ast.AST, expr: Optional[ast.AST], paths: List[str]) -> Optional[str]:
    """Which of the files the module expression of a `_sites` entry is (None: not one of them, or
    not clear which)."""
    if expr is None:
        return path
    name = _dotted(expr)
    meant = _imported(tree, name) if name else None
    if meant is None:
        return None
    level, dotted = meant
    tails = (dotted.replace(".", os.sep) + ".py", os.path.join(dotted.replace(".", os.sep), "__init__.py"))
    if level:
        base = os.path.dirname(os.path.abspath(path))
        for _ in range(level - 1):
            base = os.path.dirname(base)
        hits = [p for p in paths if os.path.abspath(p) in {os.path.join(base, t) for t in tails}]
    else:
        hits = [p for p in paths if any(os.path.abspath(p).endswith(os.sep + t) for t in tails)]
        near = [h for h in hits if os.path.dirname(os.path.abspath(h)) == os.path.dirname(os.path.abspath(path))]
        hits = near if len(hits) > 1 and near else hits
    return hits[0] if len(hits) == 1 else None


def _class_in(tree: ast.AST) -> Optional[str]:
    """The module's synthetic class: the first leaf one (no class of the module derives from it),
    else the first one."""
    classes = [n for n in getattr(tree, "body", []) if isinstance(n, ast.ClassDef)]
    bases = {(_dotted(b) or "").rsplit(".", 1)[-1] for c in classes for b in c.bases}
    synthetic = [c.name for c in classes if _synthetic(c.name)]
    leaves = [c for c in synthetic if c not in bases]
    return (leaves or synthetic or [None])[0]


def _dict_entry(trees: List[Tuple[str, ast.AST]], name: str) -> Optional[str]:
    """The key of a synthetic entry of the dict literal assigned to `name` (`DATASETS = {"debug":
    DebugData, ...}`) in these files: a key with a DUMMY_WORDS word, or one whose value is a class
    with a synthetic name; None if `name` is given no one dict literal."""
    dicts = {}
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    dicts[ast.dump(node.value)] = node.value
    if len(dicts) != 1:
        return None
    [literal] = dicts.values()
    for k, v in zip(literal.keys, literal.values):
        if isinstance(k, ast.Constant) and isinstance(k.value, str):
            if _dummy(k.value) or _synthetic((_dotted(v) or "").rsplit(".", 1)[-1]):
                return k.value
    return None


def _by_name(dest: str, trees: List[Tuple[str, ast.AST]], sites: _Sites) -> Optional[str]:
    """The value to give the option of this dest when its value picks a class by name from one
    project module, or one dict literal, of these files (`vars(datasets)[args.dataset]`,
    `getattr(datasets, opt.dataset)`, `datasets.__dict__[hparams.dataset]`, `DATASETS[args.dataset]`)
    and that has a synthetic class (`_synthetic`); None when there is none, or when it is not clear
    which module or dict is meant."""
    paths = [p for p, _ in trees]
    targets = set()
    for path, tree, kind, expr in sites.get(dest, []):
        if kind == "module":
            targets.add(("module", _module_path(path, tree, expr, paths)))
        else:
            targets.add(("dict", (_dotted(expr) or "").rsplit(".", 1)[-1] or None))
    if len(targets) != 1:
        return None
    kind, target = targets.pop()
    if target is None:
        return None
    if kind == "dict":
        return _dict_entry(trees, target)
    return _class_in(dict(trees)[target])


def missing_files(reports: Iterable[Optional[dict]], notes_dir: Optional[str] = None) -> List[dict]:
    """The data files the run's datasets could not find ({"file", "where"}), from the reports and
    from what loader workers wrote in the notes folder."""
    found: List[dict] = []
    for report in reports:
        for entry in ((report or {}).get("verify") or {}).get("missing_files", []):
            if entry not in found:
                found.append(entry)
    if notes_dir and os.path.exists(os.path.join(notes_dir, MISSING_FILES)):
        with open(os.path.join(notes_dir, MISSING_FILES), encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry not in found:
                    found.append(entry)
    return found


def _exception_text(report: dict) -> str:
    exc = report.get("exception") or {}
    return f"{exc.get('type', '')}: {exc.get('message', '')}\n{exc.get('traceback', '')}"


def failure_reason(report: Optional[dict], missing: List[dict], flags: List[str], scratch: str = "") -> str:
    """Why a run failed, with what to try (see the module's doc)."""
    if report is None:
        return "the process left no report"
    exc = report.get("exception") or {}
    text = _exception_text(report)
    if exc:
        reason = f"{exc.get('type')}: {str(exc.get('message', '')).strip()[:300]}"
    else:  # sys.exit(N): what the script said last (argparse's usage error, say)
        said = [line for line in (report.get("stderr_tail") or "").splitlines() if line.strip()]
        reason = f"exit {report.get('exit')}" + (f": {said[-1].strip()[:300]}" if said else "")
    file = missing[0]["file"] if missing else None
    if file is None and exc:
        match = _MISSING.search(text)
        if match and ("FileNotFoundError" in text or "No such file" in text):
            file = match.group(1)
    if file is not None:
        shown = file.replace(scratch.rstrip(os.sep) + os.sep, "") if scratch else file
        where = f" (in {missing[0]['where']})" if missing else ""
        if missing and missing[0].get("folder"):
            reason = f"the script looks for its data in {shown}{where}, a folder that does not exist"
        else:
            reason = f"the script opens {shown}{where}, which does not exist"
        reason += ": its data is not here" if missing else " (data, a checkpoint, or a folder it expects to exist)"
        if flags:
            reason += f"; try its own dummy-data option: `-- {flags[0]}`"
        else:
            reason += "; point it at a small copy of the data (-- its data option), or stand in for the data with --data-stub FILE"
        return reason
    if "num_samples should be a positive integer" in text:
        return reason + " (the dataset is empty: are its files missing?)" + (f"; try `-- {flags[0]}`" if flags else "")
    if re.search(r"HF_HUB_OFFLINE|offline mode|LocalEntryNotFoundError|couldn't connect|URLError|urlopen", text):
        return reason + " (it tried to download: verify runs offline, with HF_HUB_OFFLINE=1)"
    if re.search(r"Torch not compiled with CUDA|no NVIDIA driver|CUDA driver|CUDA is not available|nccl", text, re.I):
        return reason + " (it needs a GPU: run with --device cuda on a machine that has one)"
    return reason

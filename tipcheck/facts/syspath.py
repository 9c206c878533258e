"""Import roots a module adds to ``sys.path``: the folders its imports may then be found in.

Research code imports its helpers after it puts their folder on the search path:

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
    sys.path.append("lib")
    site.addsitedir(str(Path(__file__).resolve().parent / "src"))
    import _init_paths   # a sibling module that does one of the above, often through add_path()

``added_roots`` reads those statements with ``ast`` (only in texts that mention ``sys.path`` or
``addsitedir``) and evaluates the path expressions it understands: string literals, ``__file__``,
``os.path`` joins, ``dirname``/``abspath``/``realpath``/``normpath``, ``pathlib.Path`` with
``.parent``/``.parents[n]``/``/``/``.resolve()``, ``str()``, ``+`` of strings, names assigned to such
expressions, and a project function that adds its parameter (``add_path(lib_path)``). A relative
path is relative to the working directory, which is not known: it is tried from the module's
folder and from each folder above it. Anything else is not a root.

The result is ordered: roots put in front of the search path (``insert(0, ...)``) and those put
behind it (``append``, ``addsitedir``); tipcheck.facts.modules decides which file an import means.
"""

from __future__ import annotations

import ast
import os
import re
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

_MAX_CANDIDATES = 8
_PATH_FUNCS = {"abspath", "realpath", "normpath", "expanduser"}


_ADDS = re.compile(r"sys\.path\.(?:insert|append)\(|addsitedir\(")
_BARE_IMPORT = re.compile(r"^[ \t]*import[ \t]+(\w+)[ \t]*(?:#.*)?$", re.MULTILINE)


def mentions_roots(text: str) -> bool:
    return ("sys.path" in text or "addsitedir" in text) and _ADDS.search(text) is not None


def imports_bare(text: str, name: str) -> bool:
    """Whether the text has an ``import name`` line (``import _init_paths``: a module imported for
    what it does to sys.path)."""
    if f"import {name}" not in text:
        return False
    return any(match == name for match in _BARE_IMPORT.findall(text))


def _statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of a body and of the blocks nested in it (not the expressions)."""
    for stmt in body:
        yield stmt
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, name, None)
            if isinstance(inner, list):
                yield from _statements(inner)
        for handler in getattr(stmt, "handlers", ()):
            yield from _statements(handler.body)
        for case in getattr(stmt, "cases", ()):
            yield from _statements(case.body)


def _added_call(stmt: ast.stmt) -> Optional[ast.Call]:
    return stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None


class _Evaluator:
    """Evaluates path expressions of one module to candidate path strings (relative ones raw)."""

    def __init__(self, tree: ast.Module, path: str) -> None:
        self.file = os.path.abspath(path)
        self.assigned: Dict[str, List[ast.expr]] = {}
        self.adders: Dict[str, int] = {}  # project function -> the parameter it puts on sys.path
        for node in _statements(tree.body):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.assigned.setdefault(node.targets[0].id, []).append(node.value)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                params = [a.arg for a in node.args.args]
                for inner in _statements(node.body):
                    added = _added_expr(_added_call(inner))
                    if added is not None and isinstance(added[1], ast.Name) and added[1].id in params:
                        self.adders[node.name] = params.index(added[1].id)

    def eval(self, node: ast.expr, depth: int = 0) -> List[str]:
        if depth > 12:
            return []
        found = self._eval(node, depth + 1)
        return found[:_MAX_CANDIDATES]

    def _eval(self, node: ast.expr, depth: int) -> List[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return [self.file]
            return [value for expr in self.assigned.get(node.id, ()) for value in self.eval(expr, depth)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)):
            left, right = self.eval(node.left, depth), self.eval(node.right, depth)
            if isinstance(node.op, ast.Add):
                return [a + b for a in left for b in right]
            return [os.path.join(a, b) for a in left for b in right]
        if isinstance(node, ast.Attribute):
            if node.attr in ("pardir", "curdir") and isinstance(node.value, ast.Name):
                return [".." if node.attr == "pardir" else "."]  # os.pardir, os.curdir
            if node.attr == "parent":
                return [os.path.dirname(os.path.normpath(v)) for v in self.eval(node.value, depth)]
            return []
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
            index = node.slice
            if isinstance(index, ast.Constant) and isinstance(index.value, int) and index.value >= 0:
                values = [os.path.normpath(v) for v in self.eval(node.value.value, depth)]
                for _ in range(index.value + 1):
                    values = [os.path.dirname(v) for v in values]
                return values
            return []
        if isinstance(node, ast.Call) and not node.keywords:
            return self._call(node, depth)
        return []

    def _call(self, node: ast.Call, depth: int) -> List[str]:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        args = node.args
        if name == "join" and args:
            results = [""]
            for arg in args:
                results = [os.path.join(a, b) for a in results for b in self.eval(arg, depth)]
            return results
        if name == "joinpath" and isinstance(func, ast.Attribute):
            results = self.eval(func.value, depth)
            for arg in args:
                results = [os.path.join(a, b) for a in results for b in self.eval(arg, depth)]
            return results
        if name == "dirname" and len(args) == 1:
            return [os.path.dirname(os.path.normpath(v)) for v in self.eval(args[0], depth)]
        if name in _PATH_FUNCS | {"Path", "PurePath", "str", "fspath"} and len(args) == 1:
            return self.eval(args[0], depth)
        if name in ("resolve", "absolute") and not args and isinstance(func, ast.Attribute):
            return self.eval(func.value, depth)
        if name == "getcwd" and not args:
            return [""]
        return []


def _added_expr(node: Optional[ast.AST]) -> Optional[Tuple[str, ast.expr]]:
    """("front" or "back", the path expression) for a statement-level call that adds to sys.path."""
    if not isinstance(node, ast.Call) or node.keywords:
        return None
    func = node.func
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    on_sys_path = (
        isinstance(owner, ast.Attribute)
        and owner.attr == "path"
        and isinstance(owner.value, ast.Name)
        and owner.value.id == "sys"
    )
    if on_sys_path and func.attr == "insert" and len(node.args) == 2:
        first = node.args[0]
        front = isinstance(first, ast.Constant) and first.value == 0
        return ("front" if front else "back"), node.args[1]
    if on_sys_path and func.attr == "append" and len(node.args) == 1:
        return "back", node.args[0]
    if func.attr == "addsitedir" and isinstance(owner, ast.Name) and owner.id == "site" and len(node.args) == 1:
        return "back", node.args[0]
    return None


def added_roots(path: str, text: str) -> List[Tuple[str, List[str]]]:
    """[("front" or "back", candidate folders)] for each path this module puts on sys.path; the
    candidates of a relative path are its place under the module's folder and each folder above."""
    if not mentions_roots(text):
        return []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    evaluator = _Evaluator(tree, path)
    found: List[Tuple[str, List[str]]] = []
    for stmt in _statements(tree.body):
        node = _added_call(stmt)
        added = _added_expr(node)
        if added is None and isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            index = evaluator.adders.get(node.func.id)
            if index is not None and len(node.args) > index and not node.keywords:
                added = ("front", node.args[index])
        if added is None:
            continue
        where, expr = added
        folders = _absolute(evaluator.eval(expr), os.path.dirname(evaluator.file))
        if folders:
            found.append((where, folders))
    return found


def _absolute(values: Sequence[str], folder: str) -> List[str]:
    """Absolute, normalised folders: a relative path is tried from ``folder`` and those above it."""
    result: List[str] = []
    for value in values:
        if os.path.isabs(value):
            bases = [""]
        else:
            bases, current = [], folder
            while True:
                bases.append(current)
                parent = os.path.dirname(current)
                if parent == current or len(bases) >= 4:
                    break
                current = parent
        for base in bases:
            candidate = os.path.normpath(os.path.join(base, value))
            if candidate not in result:
                result.append(candidate)
    return result

"""Making a name importable where a fix uses it, without colliding with anything in the file."""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Edit
from tipcheck.facts import Scope, dotted_name


def _imported_top(small: cst.BaseSmallStatement) -> Tuple[str, ...]:
    """The top-level packages an import statement imports from (none for anything else)."""
    if isinstance(small, cst.Import):
        return tuple(dotted_name(alias.name).split(".", 1)[0] for alias in small.names)
    if isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
        return (dotted_name(small.module).split(".", 1)[0],)
    return ()


def _insert_after_line(ctx: RuleContext, line: cst.SimpleStatementLine, statement: str, package: str) -> Edit:
    """An edit that adds ``statement`` on its own line after ``line``, at the same indentation.

    When ``line`` holds several statements (``import torchvision; m = torchvision.models...``), a
    later one may already use the name: the statement then goes right after the line's first import
    of ``package``, joined by ``; ``.
    """
    if len(line.body) > 1:
        for small in line.body:
            if package in _imported_top(small):
                return Edit.insert(ctx.range(small)[1], f"; {statement}")
    source = ctx.source
    start, end = ctx.range(line)
    start_row = source.location(start).row
    row_text = source.line_text(start_row)
    indent = row_text[: len(row_text) - len(row_text.lstrip(" \t"))]
    end_row = source.location(end).row
    newline = source.newline
    if end_row < len(source.line_starts):
        return Edit.insert(source.line_starts[end_row], f"{indent}{statement}{newline}")
    return Edit.insert(len(source.text), f"{newline}{indent}{statement}")


def _visible_as(scope: Scope, qualified: str, skip: Optional[str] = None) -> Optional[str]:
    """An expression that reaches ``qualified`` through a name already imported in ``scope``."""
    candidates = []
    current: Optional[Scope] = scope
    while current is not None:
        for name, bindings in current.bindings.items():
            if len(set(bindings)) != 1 or bindings[0] is None or scope.lookup_scope(name) is not current:
                continue
            if name == skip:
                continue
            target = bindings[0]
            if qualified == target or qualified.startswith(target + "."):
                candidates.append(name + qualified[len(target) :])
        current = current.parent
    return min(candidates, key=lambda c: (len(c), c)) if candidates else None


def reach(
    ctx: RuleContext, scope: Scope, anchor_name: str, module: str, name: str, at: Optional[int] = None
) -> Optional[Tuple[str, Tuple[Edit, ...]]]:
    """How to refer to ``module.name`` in ``scope``: (expression, edits that make it valid).

    ``anchor_name`` is a name bound by an import in ``scope`` (the one the reported call goes
    through); a new import goes right after that import, so it runs under the same conditions.
    Preference: a name that already refers to it; a new ``from module import name`` when the name is
    free in the whole file; an attribute of a module the file already imports; an aliased import.
    """
    qualified = f"{module}.{name}"
    package = module.split(".", 1)[0]
    late = False
    if scope.lookup(name) is not None and scope.lookup(name) == [qualified]:
        # At module level, an import further down has not run yet where ``at`` runs.
        where = scope.lookup_scope(name)
        line = where.import_lines.get(name) if where is not None else None
        late = at is not None and scope.kind == "module" and line is not None and ctx.range(line)[0] > at
        if not late:
            return name, ()
    anchor_scope = scope.lookup_scope(anchor_name)
    line = anchor_scope.import_lines.get(anchor_name) if anchor_scope is not None else None
    if line is not None and line in anchor_scope.direct_lines:
        # Every fix in the file that needs an import from this package adds it at one place, the
        # first plain import of the package, so that identical imports merge into one.
        line = anchor_scope.first_import_lines.get(package, line)
    if line is not None and not ctx.facts.is_bound(name):
        return name, (_insert_after_line(ctx, line, f"from {module} import {name}", package),)
    through = _visible_as(scope, qualified, skip=name if late else None)
    if through is not None:
        return through, ()
    if line is None:
        return None
    for suffix in range(1, 100):
        alias = f"{name}_{suffix}" if suffix > 1 else f"tv_{name}"
        if not ctx.facts.is_bound(alias):
            return alias, (_insert_after_line(ctx, line, f"from {module} import {name} as {alias}", package),)
    return None


def reach_module(ctx: RuleContext, scope: Scope, module: str) -> Optional[Tuple[str, Tuple[Edit, ...]]]:
    """How to refer to the module ``module`` (a top-level one: `os`, `torch`) in ``scope``:
    (name, edits that make it valid). A name that already refers to it, else `import module` on
    its own line before the module's first top-level import (or at the top, after its docstring
    and `from __future__` imports) when the name is free in the whole file; None otherwise."""
    bindings = scope.lookup(module)
    if bindings and set(bindings) == {module}:
        where = scope.lookup_scope(module)
        if where is not None and where.kind != "module":
            return module, ()
        line = where.import_lines.get(module) if where is not None else None
        if line is None or line in where.direct_lines:
            return module, ()
    if ctx.facts.is_bound(module):
        return None
    body = ctx.facts.module.body
    newline = ctx.source.newline
    anchor = None
    for index, stmt in enumerate(body):
        smalls = stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ()
        if index == 0 and smalls and isinstance(smalls[0], cst.Expr) and isinstance(smalls[0].value, cst.SimpleString):
            continue  # the docstring
        if any(isinstance(s, cst.ImportFrom) and dotted_name(s.module or cst.Name("")) == "__future__" for s in smalls):
            continue
        anchor = stmt
        break
    if anchor is None:
        return module, (Edit.insert(len(ctx.source.text), f"{newline}import {module}{newline}"),)
    start = ctx.range(anchor)[0]
    row = ctx.source.location(start).row
    return module, (Edit.insert(ctx.source.line_starts[row - 1], f"import {module}{newline}"),)

"""Whether a module-level statement has run by the time some code runs.

A fix that defines a module-level name (`device = ...`) and uses it elsewhere must put the
definition where it runs before the use. Module-level code runs top to bottom, so a use in the
module's own code must come in a later top-level statement. A use inside a function runs when the
function is called, which is after its `def`: it is served by a definition after the `def` too,
provided nothing in between can call the function. "Can call" is judged on the statements that
run between the `def` and the definition (the `def` included, for its decorators and defaults):
imports are harmless, and so are calls of imported functions (`os.environ.setdefault(...)`,
`torch.manual_seed(0)`) whose arguments name nothing the module itself defines or assigns (it
might be the function); any other call, and a decorator other than an imported one or
`staticmethod`/`classmethod`/`property`, may call it.
"""

from __future__ import annotations

from typing import Optional, Sequence, Set

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.facts import dotted_name

_HARMLESS_DECORATORS = {"staticmethod", "classmethod", "property"}


def top_index(ctx: RuleContext, node: cst.CSTNode) -> Optional[int]:
    """The index, in the module's body, of the top-level statement that holds ``node``."""
    start, end = ctx.range(node)
    body = ctx.module.body
    holder = ctx.holder(node)  # found without the places of the statements before it
    if holder is not None:
        stmt_start, stmt_end = ctx.range(body[holder])
        if stmt_start <= start and end <= stmt_end:
            return holder  # the statements do not overlap: no other one holds it
    for index, stmt in enumerate(body):
        stmt_start, stmt_end = ctx.range(stmt)
        if stmt_start <= start and end <= stmt_end:
            return index
    return None


def runs_before(ctx: RuleContext, definition: int, use: cst.CSTNode, in_function: bool) -> bool:
    """Whether top-level statement number ``definition`` has run whenever ``use`` runs
    (``in_function``: the use is in the body of a function, and runs when it is called)."""
    body: Sequence[cst.CSTNode] = ctx.module.body
    holder = top_index(ctx, use)
    if holder is None:
        return False
    if holder > definition:
        return True
    if not in_function or not isinstance(body[holder], (cst.FunctionDef, cst.ClassDef)):
        return False
    bindings = ctx.facts.module_scope.bindings
    # Imports bind a name to what they import; defs and classes to `$.name` (tipcheck.facts.scopes).
    imported = {name for name, bound in bindings.items() if bound and all(b and not b.startswith("$") for b in bound)}
    own = set(bindings) - imported
    return all(_cannot_call(stmt, imported, own) for stmt in body[holder : definition + 1])


def _cannot_call(stmt: cst.CSTNode, imported: Set[str], own: Set[str]) -> bool:
    """Whether running ``stmt`` at module level can call none of the module's own functions:
    ``imported`` are the names bound only by imports, ``own`` the module's other names."""
    ok = True

    def rooted_in_import(expr: cst.BaseExpression) -> bool:
        name = dotted_name(expr)
        return name is not None and name.split(".", 1)[0] in imported

    def visit(node: cst.CSTNode, in_call: bool = False) -> None:
        nonlocal ok
        if not ok:
            return
        if isinstance(node, cst.Decorator):
            target = node.decorator.func if isinstance(node.decorator, cst.Call) else node.decorator
            name = dotted_name(target)
            if not (rooted_in_import(target) or name in _HARMLESS_DECORATORS):
                ok = False
                return
        elif isinstance(node, cst.Call):
            if not rooted_in_import(node.func):
                ok = False
                return
            for arg in node.args:
                visit(arg, True)
            return
        elif isinstance(node, cst.Name) and in_call and node.value in own:
            ok = False  # something of the module's own (a function?) handed to other code
            return
        if isinstance(node, cst.FunctionDef):
            # Its body runs when it is called; its decorators, defaults and annotations run now.
            for part in (*node.decorators, node.params, node.returns):
                if part is not None:
                    visit(part, in_call)
            return
        if isinstance(node, cst.Lambda):
            visit(node.params, in_call)
            return
        if isinstance(node, cst.ClassDef):
            for part in (*node.decorators, *node.bases, *node.keywords, node.body):
                visit(part, in_call)
            return
        for child in node.children:
            visit(child, in_call)

    if isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
    ):
        return True
    visit(stmt)
    return ok

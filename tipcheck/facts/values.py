"""What a name holds when one statement binds it: ``name = value`` or a parameter's default.

Rules that follow a value one step back (a dict of builders bound to a name, a flag that a
function receives with a boolean default) ask here. The answer is only given for a name bound
exactly once in the scope a read sees (tipcheck.facts.scopes); any other binding means "unknown".
Built on first use, in one pass over the module.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from tipcheck.facts.scopes import Scope
from tipcheck.facts.walk import walk

Key = Tuple[int, str]  # (scope uid, name)


class Values:
    """Single assignments and parameters of one module, keyed by the scope that binds the name."""

    def __init__(self, module: cst.Module, module_scope: Scope, scope_of: Dict[cst.CSTNode, Scope]) -> None:
        collector = _Collector(module_scope, scope_of)
        walk(module, collector)
        self.assigned: Dict[Key, List[cst.BaseExpression]] = collector.assigned
        self.params: Dict[Key, cst.Param] = collector.params
        self.classes: Dict[int, cst.ClassDef] = collector.classes  # class scope uid -> its statement

    def _sole(self, name: str, scope: Scope) -> Optional[Scope]:
        where = scope.lookup_scope(name)
        if where is None or len(where.bindings[name]) != 1 or where.bindings[name][0] is not None:
            return None  # unbound here, bound more than once, or by an import
        return where

    def single_value(self, name: str, scope: Scope) -> Optional[cst.BaseExpression]:
        """The value of a name bound once, by one plain assignment in the scope it is read from."""
        where = self._sole(name, scope)
        if where is None:
            return None
        values = self.assigned.get((where.uid, name), [])
        return values[0] if len(values) == 1 else None

    def parameter(self, name: str, scope: Scope) -> Optional[cst.Param]:
        """The parameter a name read in ``scope`` is, when nothing else binds it."""
        where = self._sole(name, scope)
        return self.params.get((where.uid, name)) if where is not None else None


class _Collector(cst.CSTVisitor):
    def __init__(self, module_scope: Scope, scope_of: Dict[cst.CSTNode, Scope]) -> None:
        self.assigned: Dict[Key, List[cst.BaseExpression]] = {}
        self.params: Dict[Key, cst.Param] = {}
        self.classes: Dict[int, cst.ClassDef] = {}
        self.scopes = [module_scope]
        self.scope_of = scope_of

    def _enter(self, node: cst.CSTNode) -> None:
        self.scopes.append(self.scope_of.get(node, self.scopes[-1]))

    def _leave(self, node: cst.CSTNode) -> None:
        self.scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter(node)
        params = node.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        for param in every:
            self.params[(self.scopes[-1].uid, param.name.value)] = param

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._enter(node)
        self.classes[self.scopes[-1].uid] = node

    visit_Lambda = _enter  # type: ignore[assignment]
    leave_FunctionDef = leave_ClassDef = leave_Lambda = _leave  # type: ignore[assignment]

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.assigned.setdefault((self.scopes[-1].uid, target.target.value), []).append(node.value)

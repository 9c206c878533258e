"""What a name holds when one statement binds it: ``name = value`` or a parameter's default.

Rules that follow a value one step back (a dict of builders bound to a name, a flag that a
function receives with a boolean default) ask here. The answer is only given for a name bound
exactly once in the scope a read sees (tipcheck.facts.scopes); any other binding means "unknown".
Built on first use, a scope at a time: the scopes reads ask about.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from tipcheck.facts.scopes import Scope
from tipcheck.facts.walk import walk

Key = Tuple[int, str]  # (scope uid, name)


class Values:
    """Single assignments and parameters of one module, keyed by the scope that binds the name."""

    def __init__(self, module: cst.Module, module_scope: Scope, scope_of: Dict[cst.CSTNode, Scope]) -> None:
        self.module = module
        self.module_scope = module_scope
        self.scope_of = scope_of
        # Each scope's bindings are collected when a read first needs them, from the scope's own
        # node only (its function, class or the module, without the scopes nested in it): an
        # edited function costs the walk of the scopes asked about, not of the module.
        self._owners: Optional[Dict[int, cst.CSTNode]] = None
        self._collected: Set[int] = set()  # scope uids
        self.assigned: Dict[Key, List[cst.BaseExpression]] = {}
        self.params: Dict[Key, cst.Param] = {}
        self._classes: Optional[Dict[int, cst.ClassDef]] = None

    @property
    def classes(self) -> Dict[int, cst.ClassDef]:
        """class scope uid -> its statement."""
        if self._classes is None:
            collector = _Collector(self.module_scope, self.scope_of)
            walk(self.module, collector)
            self._classes = collector.classes
        return self._classes

    def _collect(self, scope: Scope) -> None:
        if scope.uid in self._collected:
            return
        self._collected.add(scope.uid)
        if self._owners is None:
            self._owners = {id(inner): node for node, inner in self.scope_of.items()}
        node = self.module if scope is self.module_scope else self._owners.get(id(scope))
        if node is None:  # a scope of no node here: what a walk of the whole module gives it
            collector = _Collector(self.module_scope, self.scope_of)
            walk(self.module, collector)
            assigned = {key: values for key, values in collector.assigned.items() if key[0] == scope.uid}
            params = {key: param for key, param in collector.params.items() if key[0] == scope.uid}
        else:
            one = _OneScope(scope, self.scope_of)
            walk(node, one)
            assigned, params = one.assigned, one.params
        self.assigned.update(assigned)
        self.params.update(params)

    def _sole(self, name: str, scope: Scope) -> Optional[Scope]:
        where = scope.lookup_scope(name)
        if where is None or len(where.bindings[name]) != 1 or where.bindings[name][0] is not None:
            return None  # unbound here, bound more than once, or by an import
        self._collect(where)
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


class _OneScope(cst.CSTVisitor):
    """The assignments and parameters of one scope, as _Collector gives them for it: walked from
    the scope's node, leaving out the functions, classes and lambdas that have scopes of their own."""

    def __init__(self, scope: Scope, scope_of: Dict[cst.CSTNode, Scope]) -> None:
        self.scope = scope
        self.uid = scope.uid
        self.scope_of = scope_of
        self.assigned: Dict[Key, List[cst.BaseExpression]] = {}
        self.params: Dict[Key, cst.Param] = {}

    def _other(self, node: cst.CSTNode) -> bool:
        inner = self.scope_of.get(node)
        return inner is not None and inner is not self.scope

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if self._other(node):
            return False
        params = node.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            self.params[(self.uid, param.name.value)] = param
        return True

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return not self._other(node)

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return not self._other(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.assigned.setdefault((self.uid, target.target.value), []).append(node.value)

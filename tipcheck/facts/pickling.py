"""What a DataLoader's workers must pickle, and what in it cannot be pickled (TIP304).

With `num_workers > 0` under the spawn or forkserver start method (macOS, Windows, and Linux from
Python 3.14), the loader pickles its dataset, `collate_fn` and `worker_init_fn` for each worker.
Pickle stores a function by its importable name, so these fail:

- a `lambda`, wherever it is defined (its name is `<lambda>`, even at module level);
- a function defined inside another function (`outer.<locals>.inner`), a *nested def*.

What is followed, from the loader:

- its `collate_fn=` and `worker_init_fn=` arguments: a lambda, or a name bound to one or to a
  nested def (in the loader's function, or at module level);
- its `dataset` argument, as an expression: a name assigned in the loader's function (or at
  module level), what a project function returns (`dataset = build_dataset(cfg)`), into the
  constructors it calls: a class keeps its arguments (`transforms.Compose([...])`,
  `transforms.Lambda(lambda x: ...)`, `Subset(ds, idx)`, `functools.partial`), a function call uses
  them and drops them (`filter(lambda i: ..., idx)`); a project class also by what its `__init__`
  keeps on `self` (`self.load = lambda path: ...`, `self.convert = convert` of a nested def), as
  does every project dataset class the facts find in the loader's dataset.

Something kept only in a local variable of `__init__`, or built inside `__getitem__`, is never
pickled and is not reported. ``Unpicklable`` gives the node to report (the lambda, or the
argument or assignment that hands a nested def over) with its module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set

import libcst as cst

from tipcheck.facts.walk import nodes_in

_DEPTH = 12  # how far a value is followed (names, constructors, returns): cycles end here


@dataclass(frozen=True)
class Unpicklable:
    module_id: str
    node: cst.CSTNode  # what to report: the lambda, or where a nested def is handed over
    what: str  # "a lambda", "the nested function `convert`"
    closes_over: bool = False  # a lambda that reads a name of an enclosing function


class _Bindings:
    """The names bound in one function (or module) body: `name = <value>`, `def name`, and what a
    list name is given (`name.append(value)`)."""

    def __init__(self, body: Sequence[cst.CSTNode], nested: bool) -> None:
        self.values: Dict[str, List[cst.BaseExpression]] = {}
        self.defs: Set[str] = set()
        for node in _own_nodes(body):
            if isinstance(node, cst.Assign):
                for target in node.targets:
                    if isinstance(target.target, cst.Name):
                        self.values.setdefault(target.target.value, []).append(node.value)
            elif isinstance(node, cst.FunctionDef) and nested:
                self.defs.add(node.name.value)
            elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.args:
                held = node.func.value
                if isinstance(held, cst.Name) and node.func.attr.value in ("append", "extend", "insert"):
                    self.values.setdefault(held.value, []).append(node.args[-1].value)  # `datasets.append(ds)`


def _own_nodes(body: Sequence[cst.CSTNode]):
    """The nodes of a body, not those of the functions and classes defined in it (their defs are)."""
    stack = list(reversed(list(body)))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        stack.extend(reversed(list(node.children)))


class PickleCheck:
    """Finds the unpicklable callables a loader hands its workers (see the module docstring)."""

    def __init__(self, project) -> None:
        self.project = project
        self._bindings: Dict[int, _Bindings] = {}

    def _bound(self, body, nested: bool) -> _Bindings:
        found = self._bindings.get(id(body))
        if found is None:
            found = self._bindings[id(body)] = _Bindings(body, nested)
        return found

    def _scopes(self, func, module_id: str) -> List[_Bindings]:
        """The bindings a name in ``func`` (a flow key) may come from: the function's, the module's."""
        scopes = []
        record = self.project.funcs.get(func) if func[0] == "func" else None
        if record is not None:
            scopes.append(self._bound(getattr(record.node.body, "body", ()), nested=True))
        module = self._module_body(module_id)
        if module is not None:
            scopes.append(self._bound(module, nested=False))
        return scopes

    def _module_body(self, module_id: str):
        summary = self.project.summaries.get(module_id)
        site = next((s for s in summary.calls if s.ctx.stmt_path), None) if summary is not None else None
        return site.ctx.stmt_path[0][1] if site is not None else None

    # -- the loader's own callables ------------------------------------------------------------
    def loader_callables(self, loader, arg: cst.Arg) -> List[Unpicklable]:
        return self.expression(arg.value, self._scopes(loader.site.ctx.func, loader.module_id), loader.module_id, arg)

    def expression(self, expr, scopes: List[_Bindings], module_id: str, handed, depth: int = 0) -> List[Unpicklable]:
        """The unpicklable callables an expression holds. ``handed`` is what to report for a nested def."""
        if depth > _DEPTH:
            return []
        if isinstance(expr, cst.Lambda):
            return [Unpicklable(module_id, expr, "a lambda")]
        if isinstance(expr, cst.Name):
            for scope in scopes:
                if expr.value in scope.defs:
                    return [Unpicklable(module_id, handed, f"the nested function `{expr.value}`")]
                if expr.value in scope.values:
                    found = []
                    for value in scope.values[expr.value]:
                        found += self.expression(value, scopes, module_id, handed, depth + 1)
                    return found
            return []
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            found = []
            for element in expr.elements:
                found += self.expression(element.value, scopes, module_id, handed, depth + 1)
            return found
        if isinstance(expr, cst.Call):
            key = self._project_definition(expr, module_id)
            if key is not None and key[0] == "func":
                return self._returned(key, depth + 1)  # `dataset = build_dataset(cfg)`
            if not _keeps_arguments(expr):
                return []  # `list(filter(lambda x: ..., idx))` uses the lambda and drops it
            found = []
            for arg in expr.args:
                found += self.expression(arg.value, scopes, module_id, arg, depth + 1)
            if key is not None and key[0] == "class":
                found += self.kept_on_self(key, depth + 1)
            return found
        return []

    def _project_definition(self, call: cst.Call, module_id: str):
        summary = self.project.summaries.get(module_id)
        site = next((s for s in summary.calls if s.node is call), None) if summary is not None else None
        if site is None or not site.callee:
            return None
        return self.project._definition(site.callee, module_id)

    def _returned(self, func, depth: int) -> List[Unpicklable]:
        """What a project function returns (each `return` of its own body), followed in its scopes."""
        record = self.project.funcs.get(func)
        if record is None:
            return []
        body = getattr(record.node.body, "body", ())
        scopes = self._scopes(func, func[1])
        found = []
        for node in _own_nodes(body):
            if isinstance(node, cst.Return) and node.value is not None:
                found += self.expression(node.value, scopes, func[1], node, depth)
        return found

    def kept_on_self(self, class_key, depth: int = 0) -> List[Unpicklable]:
        """What a project class's `__init__` (its own or inherited) keeps on `self` that cannot be
        pickled: `self.x = lambda ...`, `self.x = <nested def>`, `self.t = Compose([Lambda(lambda ...)])`."""
        seen = set()
        key = class_key
        while key is not None and key not in seen and key in self.project.classes:
            seen.add(key)
            record = self.project.classes[key]
            init = record.methods.get("__init__")
            if init is not None and init in self.project.funcs:
                node = self.project.funcs[init].node
                scopes = [self._bound(getattr(node.body, "body", ()), nested=True)]
                found = []
                for assign in nodes_in(node):
                    if not isinstance(assign, cst.Assign):
                        continue
                    if any(_self_attribute(t.target) for t in assign.targets):
                        found += self.expression(assign.value, scopes, key[1], assign, depth)
                return found
            bases = [self.project._definition(b, key[1]) for b in record.bases if b]
            key = next((b for b in bases if b is not None and b[0] == "class"), None)
        return []

    # -- the dataset ------------------------------------------------------------------------
    def dataset(self, loader, arg: cst.Arg, values) -> List[Unpicklable]:
        """What the loader's dataset holds: its `dataset` argument followed as an expression (the
        constructions it names, in the loader's function or what a project function returns),
        and what each project dataset class the facts find there keeps on `self` (every instance
        of a project class shares one value in the facts, so its construction arguments are only
        followed where the expression leads)."""
        found = self.expression(arg.value, self._scopes(loader.site.ctx.func, loader.module_id), loader.module_id, arg)
        for value in values or ():
            if value.custom and value.site.callee:
                key = self.project._definition(value.site.callee, value.module_id)
                if key is not None and key[0] == "class":
                    found += self.kept_on_self(key)
        return found


def _keeps_arguments(call: cst.Call) -> bool:
    """A call that keeps what it is given: a class (`transforms.Compose([...])`, `Lambda(f)`) or
    `functools.partial`; a function call (`filter(f, xs)`, `sorted(xs, key=f)`) uses it and drops it."""
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    return name[:1].isupper() or name == "partial"


def _self_attribute(target: cst.BaseExpression) -> bool:
    return isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self"


def closes_over(scope_of, node: cst.Lambda) -> Optional[bool]:
    """Whether a lambda reads a name bound in an enclosing function (None when unknown)."""
    scope = scope_of.get(node)
    if scope is None:
        return None
    params = {p.name.value for p in node.params.params}
    for name in nodes_in(node.body):
        if isinstance(name, cst.Name) and name.value not in params:
            where = scope.lookup_scope(name.value)
            if where is not None and where.kind in ("function", "lambda", "comprehension") and where is not scope:
                return True
    return False

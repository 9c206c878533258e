"""Whether a call of a project function can reach a given statement or expression of its body.

A helper often builds a value on one branch only, chosen by a flag parameter:

    def make_loader(ds, distributed=False):
        sampler = DistributedSampler(ds) if distributed else None

A call that passes a literal for the flag (`make_loader(ds)`, `make_loader(ds, distributed=False)`)
never reaches the other branch. ``call_may_reach`` says so when every test between the function's
`def` and the target is understood (a parameter, `not parameter`) and the call fixes it with a
literal (or leaves the literal default); anything else may reach (unknown is "may").
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Tuple

import libcst as cst

from tipcheck.facts.walk import children

_MISSING = object()


def _path_to(node: cst.CSTNode, target: cst.CSTNode) -> Optional[List[Tuple[cst.CSTNode, cst.CSTNode]]]:
    """The (parent, child) pairs from ``node`` down to ``target``, or None when it is not inside."""
    if node is target:
        return []
    for child in children(node):  # the syntax: a target is a call or a statement, never whitespace
        found = _path_to(child, target)
        if found is not None:
            return [(node, child)] + found
    return None


def _branches(record, target: cst.CSTNode) -> Iterator[Tuple[cst.BaseExpression, bool]]:
    """The tests governing ``target`` in the function of ``record``, each with the truth value that
    reaches it (True: the body, False: the `else`)."""
    path = _path_to(record.node.body, target) or []
    for parent, child in path:
        if isinstance(parent, cst.IfExp) and child is not parent.test:
            yield parent.test, child is parent.body
        elif isinstance(parent, cst.If) and child is not parent.test:
            yield parent.test, child is parent.body


def _literal_truth(expr) -> object:
    """The truth value of a literal (True, False, None, a number, a string), else _MISSING."""
    if isinstance(expr, cst.Name) and expr.value in ("True", "False", "None"):
        return expr.value == "True"
    if isinstance(expr, (cst.Integer, cst.Float)):
        return bool(float(expr.value)) if isinstance(expr, cst.Float) else bool(int(expr.value, 0))
    if isinstance(expr, cst.SimpleString):
        return len(expr.evaluated_value) > 0
    return _MISSING


def _argument(record, call: cst.Call, name: str) -> object:
    """What ``call`` passes for parameter ``name`` (or its default), as an expression; _MISSING
    when unknown (a star argument, a parameter rebound in the body is checked by the caller)."""
    if any(arg.star for arg in call.args):
        return _MISSING
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    params = list(record.params)
    if record.class_key is not None and not record.is_static and isinstance(call.func, cst.Attribute) and params:
        params = params[1:]  # `self.helper(...)`: self is bound
    positional = [arg.value for arg in call.args if arg.keyword is None]
    if name in params and params.index(name) < len(positional):
        return positional[params.index(name)]
    all_params = (*record.node.params.posonly_params, *record.node.params.params, *record.node.params.kwonly_params)
    for param in all_params:
        if param.name.value == name and param.default is not None:
            if any(a.keyword is None for a in call.args) and name not in params and name not in record.kwonly:
                return _MISSING
            return param.default
    return _MISSING


def _parameter_test(record, test) -> Optional[Tuple[str, bool]]:
    """`flag` -> ("flag", True); `not flag` -> ("flag", False), for a parameter never rebound."""
    polarity = True
    while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        test, polarity = test.expression, not polarity
    if not isinstance(test, cst.Name) or (test.value not in record.params and test.value not in record.kwonly):
        return None
    bindings = record.scope.bindings.get(test.value, ())
    if len(bindings) > 1:
        return None  # assigned in the body too
    return test.value, polarity


def call_may_reach(record, call: cst.Call, target: cst.CSTNode) -> bool:
    """Whether ``call`` (of the function of ``record``) may run ``target``: False only when a
    literal it passes (or a literal default it leaves) sends a governing test the other way."""
    for test, wanted in _branches(record, target):
        found = _parameter_test(record, test)
        if found is None:
            continue
        name, polarity = found
        value = _argument(record, call, name)
        truth = _literal_truth(value) if value is not _MISSING else _MISSING
        if truth is not _MISSING and (truth == polarity) != wanted:
            return False
    return True

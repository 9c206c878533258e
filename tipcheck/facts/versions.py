"""Code that runs only on an old version of a package: the branch of a version or feature check.

Projects that support several releases of a library write both spellings of a call:

    TV_VERSION = version.parse(torchvision.__version__)
    if TV_VERSION < version.parse("0.13"):
        net = models.inception_v3(pretrained=True)         # old torchvision only
    else:
        net = models.inception_v3(weights=...)

    if hasattr(torchvision.models, "ResNet18_Weights"):    # a feature check: new API first
        net = models.resnet18(weights=...)
    else:
        net = models.resnet18(pretrained=True)             # old torchvision only

``old_branch_calls`` gives the calls that only the old side of such a check reaches, so that a rule
about a deprecated interface says nothing about them. The test must name the package: its
``__version__`` (directly, through an import of it, or through a name bound once to an
expression that reads it) compared with ``<``/``<=``/``>``/``>=``, or ``hasattr`` on one of the
package's modules. ``not`` swaps the sides; any other test (``and``, ``or``, unknown names) is not
a version check.
"""

from __future__ import annotations

from typing import Optional, Set

import libcst as cst

from tipcheck.facts.scopes import Scope, resolve
from tipcheck.facts.walk import nodes_in, walk

_OLD_IF_LEFT_IS_VERSION = {cst.LessThan: True, cst.LessThanEqual: True, cst.GreaterThan: False}
_OLD_IF_LEFT_IS_VERSION[cst.GreaterThanEqual] = False


def old_branch_calls(facts, package: str) -> Set[int]:
    """ids of the calls that run only when ``package`` is older than a version check says."""
    finder = _Guards(facts, package)
    walk(facts.module, finder)
    return finder.found


class _Guards(cst.CSTVisitor):
    def __init__(self, facts, package: str) -> None:
        self.facts = facts
        self.package = package
        self.scopes = [facts.module_scope]
        self.depth = 0  # how many old branches enclose the node visited now
        self.found: Set[int] = set()

    def _enter(self, node: cst.CSTNode) -> None:
        self.scopes.append(self.facts.scope_of.get(node, self.scopes[-1]))

    def _leave(self, node: cst.CSTNode) -> None:
        self.scopes.pop()

    visit_FunctionDef = visit_ClassDef = visit_Lambda = _enter  # type: ignore[assignment]
    leave_FunctionDef = leave_ClassDef = leave_Lambda = _leave  # type: ignore[assignment]

    def visit_Call(self, node: cst.Call) -> None:
        if self.depth:
            self.found.add(id(node))

    def _branches(self, test, body, orelse) -> bool:
        old_is_body = self._old_side(test, self.scopes[-1])
        if old_is_body is None:
            return True  # not a version check: visit the children as usual
        walk(test, self)
        for branch, old in ((body, old_is_body), (orelse, not old_is_body)):
            if branch is None:
                continue
            self.depth += old
            walk(branch, self)
            self.depth -= old
        return False

    def visit_If(self, node: cst.If) -> bool:
        return self._branches(node.test, node.body, node.orelse)

    def visit_IfExp(self, node: cst.IfExp) -> bool:
        return self._branches(node.test, node.body, node.orelse)

    # -- the test --------------------------------------------------------------------------------
    def _old_side(self, test: cst.BaseExpression, scope: Scope) -> Optional[bool]:
        """True: the body runs on old versions only; False: the else branch does; None: not a check."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            inner = self._old_side(test.expression, scope)
            return None if inner is None else not inner
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            comparison = test.comparisons[0]
            old_if_left = _OLD_IF_LEFT_IS_VERSION.get(type(comparison.operator))
            if old_if_left is None:
                return None
            left, right = self._is_version(test.left, scope), self._is_version(comparison.comparator, scope)
            if left == right:
                return None  # neither side (or both) reads the version
            return old_if_left if left else not old_if_left
        if (
            isinstance(test, cst.Call)
            and isinstance(test.func, cst.Name)
            and test.func.value == "hasattr"
            and scope.lookup("hasattr") is None
            and len(test.args) == 2
        ):
            holder = resolve(test.args[0].value, scope)
            if holder is not None and (holder == self.package or holder.startswith(self.package + ".")):
                return False  # the attribute exists: the new API; the else branch is the old one
        return None

    def _is_version(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> bool:
        """Whether an expression reads the package's ``__version__``."""
        for found in nodes_in(node):
            if isinstance(found, (cst.Attribute, cst.Name)):
                qualified = resolve(found, scope)
                if qualified and qualified.split(".", 1)[0] == self.package and qualified.endswith(".__version__"):
                    return True
            if isinstance(found, cst.Name) and depth < 2:
                value = self.facts.values().single_value(found.value, scope)
                where = scope.lookup_scope(found.value)
                if value is not None and where is not None and self._is_version(value, where, depth + 1):
                    return True
        return False

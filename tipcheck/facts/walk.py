"""A fast way to run a read-only LibCST visitor over a tree.

`node.visit(visitor)` in LibCST is built for transformers: at every node it rebuilds the node from
its visited children (dataclass construction and validation) and calls the attribute hooks, even
for a visitor that changes nothing. For tipcheck's fact builders that is most of the analysis
time. `walk(node, visitor)` calls the same `on_visit` / `on_leave` (and so the same `visit_X` /
`leave_X` methods), on the same nodes in the same order, but only reads the tree.

Two differences, both invisible to tipcheck's visitors (none has a method for these nodes):
whitespace, comments, operators and brackets are not visited, and nothing is rebuilt.
The order of the children is LibCST's own: the order in which each node's
`_visit_and_replace_children` visits its fields, read once per node class from its source.
`tests/test_walk.py` checks, over real code, that `walk` visits exactly what `visit` visits.

`names_in(node)` is the query that facts and rules ask of an expression most: the names it uses.
`nodes_in(node)` gives a node and everything under it, whitespace included, in source order.
"""

from __future__ import annotations

import inspect
import re
from typing import Dict, List, Tuple

import libcst as cst
from libcst._nodes import op as _op
from libcst._nodes import whitespace as _whitespace

_FIELD = re.compile(r"visit_\w+\(\s*self,\s*\"(\w+)\"")
_BRACKETS = (
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
)

_fields: Dict[type, Tuple[str, ...]] = {}
_skipped: Dict[type, bool] = {}


def skipped(cls: type) -> bool:
    """Whether nodes of this class are pure syntax that `walk` does not visit."""
    known = _skipped.get(cls)
    if known is None:
        known = cls.__module__ in (_whitespace.__name__, _op.__name__) or issubclass(cls, _BRACKETS)
        _skipped[cls] = known
    return known


def child_fields(cls: type) -> Tuple[str, ...]:
    """The fields of a node class that hold children, in the order LibCST visits them."""
    names = _fields.get(cls)
    if names is None:
        try:
            source = inspect.getsource(cls._visit_and_replace_children)
            names = tuple(dict.fromkeys(_FIELD.findall(source)))
        except (OSError, TypeError):  # no source (a compiled LibCST): every dataclass field
            names = tuple(getattr(cls, "__dataclass_fields__", {}))
        _fields[cls] = names
    return names


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """Run ``visitor`` over ``node`` and its descendants, as ``node.visit(visitor)`` would."""
    if visitor.on_visit(node):
        for name in child_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                if not skipped(type(value)):
                    walk(value, visitor)
            elif isinstance(value, (tuple, list)):
                for item in value:
                    if isinstance(item, cst.CSTNode) and not skipped(type(item)):
                        walk(item, visitor)
    visitor.on_leave(node)


class _Names(cst.CSTVisitor):
    def __init__(self, attributes: bool) -> None:
        self.names: List[str] = []
        self.attributes = attributes

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if self.attributes:
            return True
        walk(node.value, self)  # `x.shape`: x, not shape
        return False


def nodes_in(node: cst.CSTNode):
    """The node and every node under it (LibCST's ``children``, whitespace included), depth first
    in source order, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def names_in(node: cst.CSTNode, attributes: bool = True) -> List[str]:
    """The names in ``node``, in the order of the walk: every `Name` node, the attribute names
    of `x.shape` included; without ``attributes``, only what attributes are taken of (`x`)."""
    collect = _Names(attributes)
    walk(node, collect)
    return collect.names

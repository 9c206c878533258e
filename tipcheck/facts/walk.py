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
from operator import attrgetter
from typing import Callable, Dict, List, Optional, Tuple

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


# What a field's value is, by its class: a node to walk, a sequence (of nodes, maybe), or anything
# else (a string, a sentinel, or a node `walk` leaves out). One dict lookup per value: the
# isinstance test against LibCST's abstract CSTNode goes through the ABC machinery each time.
_OTHER, _NODE, _SEQUENCE = 0, 1, 2
_kinds: Dict[type, int] = {}


def _kind(cls: type) -> int:
    kind = _kinds.get(cls)
    if kind is None:
        if issubclass(cls, cst.CSTNode):
            kind = _OTHER if skipped(cls) else _NODE
        else:
            kind = _SEQUENCE if issubclass(cls, (tuple, list)) else _OTHER
        _kinds[cls] = kind
    return kind


_getters: Dict[type, Callable[[cst.CSTNode], tuple]] = {}


def _getter(cls: type) -> Callable[[cst.CSTNode], tuple]:
    """A function that gives the values of the child fields of a node of ``cls``, as a tuple (one
    call into C for all of them)."""
    fields = child_fields(cls)
    if len(fields) > 1:
        get = attrgetter(*fields)
    elif fields:
        one = attrgetter(fields[0])

        def get(node, one=one):
            return (one(node),)
    else:

        def get(node):
            return ()

    _getters[cls] = get
    return get


def children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The children `walk` visits, in LibCST's order (of LibCST's ``children``, those that are
    not whitespace)."""
    get = _getters.get(type(node)) or _getter(type(node))
    found = []
    kinds = _kinds
    for value in get(node):
        kind = kinds.get(type(value))
        if kind is None:
            kind = _kind(type(value))
        if kind == _NODE:
            found.append(value)
        elif kind == _SEQUENCE:
            for item in value:
                kind = kinds.get(type(item))
                if kind == _NODE or (kind is None and _kind(type(item)) == _NODE):
                    found.append(item)
    return found


# The visit_X and leave_X methods of a visitor class for a node class (LibCST's CSTVisitor looks
# them up by name at every node: here once per pair of classes). Kept in the visitor class itself,
# so that they go with it: many visitors are classes made inside a function, one per call, whose
# methods hold that call's variables.
_HOOKS = "_tipcheck_walk_hooks"


def _hooks_of(visitor_class: type, node_class: type) -> Tuple[Optional[Callable], Optional[Callable]]:
    table = visitor_class.__dict__.get(_HOOKS)
    if table is None:
        table = {}
        setattr(visitor_class, _HOOKS, table)
    hooks = table.get(node_class)
    if hooks is None:
        name = node_class.__name__
        hooks = table[node_class] = (
            getattr(visitor_class, "visit_" + name, None),
            getattr(visitor_class, "leave_" + name, None),
        )
    return hooks


def visit_hook(visitor: cst.CSTVisitor, node: cst.CSTNode) -> bool:
    """What `CSTVisitor.on_visit` does (call ``visit_X``; False stops the walk into the node),
    for a visitor that overrides on_visit and hands on to it."""
    method = _hooks_of(type(visitor), type(node))[0]
    return method is None or method(visitor, node) is not False


def leave_hook(visitor: cst.CSTVisitor, node: cst.CSTNode) -> None:
    """What `CSTVisitor.on_leave` does: call ``leave_X``."""
    method = _hooks_of(type(visitor), type(node))[1]
    if method is not None:
        method(visitor, node)


_PLAIN_ON_VISIT = cst.CSTVisitor.on_visit
_PLAIN_ON_LEAVE = cst.CSTVisitor.on_leave


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """Run ``visitor`` over ``node`` and its descendants, as ``node.visit(visitor)`` would."""
    cls = type(visitor)
    if cls.on_visit is _PLAIN_ON_VISIT and cls.on_leave is _PLAIN_ON_LEAVE:
        _walk_hooks(node, visitor, cls)
    else:
        _walk(node, visitor)


def _walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    if visitor.on_visit(node):
        for child in children(node):
            _walk(child, visitor)
    visitor.on_leave(node)


def _walk_hooks(node: cst.CSTNode, visitor: cst.CSTVisitor, cls: type) -> None:
    """`_walk` for a visitor with only visit_X and leave_X methods: they are called directly."""
    visit, leave = _hooks_of(cls, type(node))
    if visit is None or visit(visitor, node) is not False:
        for child in children(node):
            _walk_hooks(child, visitor, cls)
    if leave is not None:
        leave(visitor, node)


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

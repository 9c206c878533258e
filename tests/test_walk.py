"""`walk` (tipcheck.facts.walk) visits what LibCST's own `visit` visits, in the same order.

The facts are built with `walk` because it does not rebuild the tree; the rules' correctness rests
on it seeing every node LibCST would show a visitor (apart from whitespace, operators and
brackets, which no fact builder looks at), in LibCST's order, with the same pruning when a
`visit_X` returns False. `names_in`, the names of an expression that facts and rules ask for, is
checked against the same names collected with LibCST's `visit`.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import libcst as cst
import pytest

from tipcheck.facts.walk import names_in, skipped, walk

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(
    [*ROOT.glob("tipcheck/**/*.py"), *ROOT.glob("fixtures/*.py"), *ROOT.glob("rules/**/*.py"), *ROOT.glob("tests/*.py")]
)
# Syntax the samples above may lack: match, walrus, star-except, decorators, lambdas, f-strings,
# comprehensions of every kind, async, global/nonlocal, type parameters.
EXTRA = """
import a.b as c
from .x import (y as z, w)
@dec(1)
@other
class K[T](Base, metaclass=M):
    x: int = 1
    async def f(self, a, /, b=2, *args, c: "int" = 3, **kw) -> None:
        global g
        async with ctx() as (p, q), other():
            async for i in aiter():
                yield i
        try:
            pass
        except* ValueError as e:
            raise
        finally:
            del p
def outer():
    n = 0
    def inner():
        nonlocal n
        n += 1
    return lambda v, w=1: (v := w) or inner()
match command:
    case [Point(x=0, y=0), *rest] if rest:
        pass
    case {"k": v, **others} | Other(_) as alias:
        pass
values = [i for i in range(3) if i], {k: v for k, v in d.items()}, {s for s in t}, (g for g in h)
text = f"{value!r:>{width}} {other=}" "plain" r"raw"
data = b"x" rb"y"
result = a if b else c[1:2, ::3]
print(*args, **kwargs, sep="")
assert x, "message"
"""


class Recorder(cst.CSTVisitor):
    def __init__(self, prune=()) -> None:
        self.seen: List[str] = []
        self.prune = prune

    def on_visit(self, node: cst.CSTNode) -> bool:
        if skipped(type(node)):
            return False  # LibCST still calls on_leave; not recorded on either side
        self.seen.append(f"visit {type(node).__name__}")
        return type(node).__name__ not in self.prune

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if not skipped(type(original_node)):
            self.seen.append(f"leave {type(original_node).__name__}")


def _both(module: cst.Module, prune=()) -> None:
    expected, actual = Recorder(prune), Recorder(prune)
    module.visit(expected)
    walk(module, actual)
    assert actual.seen == expected.seen
    # Pruned at its first function, a module shows little; so does a sampled file that is only a
    # docstring (a package's `__init__.py` in a corpus case).
    assert prune or len(expected.seen) > 10 or len(module.body) <= 2


@pytest.mark.parametrize(
    "path", SAMPLES[::7] + [None], ids=lambda p: "extra" if p is None else str(p.relative_to(ROOT))
)
def test_walk_visits_what_visit_visits(path):
    module = cst.parse_module(EXTRA if path is None else path.read_text("utf-8"))
    _both(module)
    _both(module, prune=("FunctionDef", "Call", "Lambda"))  # visit_X returning False prunes alike


class _VisitNames(cst.CSTVisitor):
    """The names of a node, collected the slow way: with LibCST's own `visit`."""

    def __init__(self, attributes: bool) -> None:
        self.names: List[str] = []
        self.attributes = attributes

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if not self.attributes:
            node.value.visit(self)
        return self.attributes


class _Expressions(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: List[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.BaseExpression, cst.BaseSmallStatement, cst.BaseCompoundStatement)):
            self.found.append(node)
        return True


@pytest.mark.parametrize(
    "path", SAMPLES[::9] + [None], ids=lambda p: "extra" if p is None else str(p.relative_to(ROOT))
)
def test_names_in_finds_the_names_visit_finds(path):
    module = cst.parse_module(EXTRA if path is None else path.read_text("utf-8"))
    expressions = _Expressions()
    module.visit(expressions)
    with_attributes = 0
    for node in expressions.found:
        for attributes in (True, False):
            expected = _VisitNames(attributes)
            node.visit(expected)
            assert names_in(node, attributes=attributes) == expected.names
        if isinstance(node, cst.Attribute):
            with_attributes += 1
            # `x.shape`: with attributes, one more "shape" than in `x`; without, those of `x`.
            assert names_in(node).count(node.attr.value) == names_in(node.value).count(node.attr.value) + 1
            assert names_in(node, attributes=False) == names_in(node.value, attributes=False)
    if path is None:  # the extra source has attributes; a sampled module may have none (or be tiny)
        assert len(expressions.found) > 10
        assert with_attributes

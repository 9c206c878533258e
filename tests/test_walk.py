"""`walk` (tipcheck.facts.walk) visits what LibCST's own `visit` visits, in the same order.

The facts are built with `walk` because it does not rebuild the tree; the rules' correctness rests
on it seeing every node LibCST would show a visitor (apart from whitespace, operators and
brackets, which no fact builder looks at), in LibCST's order, with the same pruning when a
`visit_X` returns False.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import libcst as cst
import pytest

from tipcheck.facts.walk import skipped, walk

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(
    [*ROOT.glob("tipcheck/**/*.py"), *ROOT.glob("fixtures/*.py"), *ROOT.glob("rules/**/*.py"), *ROOT.glob("tests/*.py")]
)
# Syntax the samples above may lack: match, walrus, star-except, decorators, lambdas, f-strings,
# comprehensions of every kind, async, global/nonlocal, type parameters.
EXTRA = '''
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
'''


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
    assert len(expected.seen) > 10


@pytest.mark.parametrize("path", SAMPLES[::7] + [None], ids=lambda p: "extra" if p is None else str(p.relative_to(ROOT)))
def test_walk_visits_what_visit_visits(path):
    module = cst.parse_module(EXTRA if path is None else path.read_text("utf-8"))
    _both(module)
    _both(module, prune=("FunctionDef", "Call", "Lambda"))  # visit_X returning False prunes alike

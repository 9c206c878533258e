"""Where statements can leave the iteration of the loop they stand in, before their end.

A fix that moves a statement further down a loop body is only behaviour-keeping for the paths that
reach the new place: a `continue`, `break`, `return`, `raise` or `yield` among the statements it
moves past makes some iterations skip it (or, for `yield`, lets the caller see the state before
it). This module finds those statements, at any depth at which they still act on the loop: a
`continue` or `break` inside an inner loop's body belongs to that loop and is left out (one in its
`else:` clause is not), and nothing inside a nested `def`, `lambda` or `class` runs here.

Exceptions raised by calls or by a failing `assert` are not counted: any statement may raise.
"""

from __future__ import annotations

from typing import Iterable, List

import libcst as cst

# The statements and expressions that leave the iteration, by the keyword shown to the user.
_KEYWORDS = (
    (cst.Continue, "continue"),
    (cst.Break, "break"),
    (cst.Return, "return"),
    (cst.Raise, "raise"),
    (cst.Yield, "yield"),
)
_DEFERRED = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def early_exits(statements: Iterable[cst.CSTNode]) -> List[str]:
    """The keywords (`continue`, `break`, `return`, `raise`, `yield`) by which running
    ``statements`` (in the body of a loop) can leave the loop's iteration early, in the order
    found, each once."""
    found: List[str] = []

    def visit(node: cst.CSTNode, in_inner_loop: bool) -> None:
        if isinstance(node, _DEFERRED):
            return
        for kind, keyword in _KEYWORDS:
            if isinstance(node, kind):
                if not (in_inner_loop and keyword in ("continue", "break")) and keyword not in found:
                    found.append(keyword)
                break
        if isinstance(node, (cst.For, cst.While)):
            # The header and the `else:` clause act on the outer loop; the body on the inner one.
            for child in node.children:
                visit(child, in_inner_loop or child is node.body)
            return
        for child in node.children:
            visit(child, in_inner_loop)

    for statement in statements:
        visit(statement, False)
    return found

"""Edits that add, move and remove whole statements, keeping indentation and line endings."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Edit


def indentation(ctx: RuleContext, stmt: cst.CSTNode) -> str:
    source = ctx.source
    row = source.location(ctx.range(stmt)[0]).row
    text = source.line_text(row)
    return text[: len(text) - len(text.lstrip(" \t"))]


def _line_after(ctx: RuleContext, stmt: cst.CSTNode) -> Optional[int]:
    """Offset of the start of the line after the statement's last line (None at end of file)."""
    source = ctx.source
    end_row = source.location(ctx.range(stmt)[1]).row
    return source.line_starts[end_row] if end_row < len(source.line_starts) else None


def insert_after(ctx: RuleContext, stmt: cst.CSTNode, code: str, indent: Optional[str] = None) -> Edit:
    """Add ``code`` (one line) after ``stmt``, at ``stmt``'s indentation unless told otherwise."""
    indent = indentation(ctx, stmt) if indent is None else indent
    newline = ctx.source.newline
    at = _line_after(ctx, stmt)
    if at is None:
        return Edit.insert(len(ctx.source.text), f"{newline}{indent}{code}")
    return Edit.insert(at, f"{indent}{code}{newline}")


def insert_before(ctx: RuleContext, stmt: cst.CSTNode, code: str) -> Edit:
    """Add ``code`` (one line) on its own line just before ``stmt``, at its indentation."""
    source = ctx.source
    row = source.location(ctx.range(stmt)[0]).row
    return Edit.insert(source.line_starts[row - 1], f"{indentation(ctx, stmt)}{code}{source.newline}")


def delete_line(ctx: RuleContext, stmt: cst.SimpleStatementLine) -> Optional[Edit]:
    """Remove a one-line statement with its line ending (None if it shares its lines)."""
    source = ctx.source
    start, end = ctx.range(stmt)
    start_row, end_row = source.location(start).row, source.location(end).row
    line_start = source.line_starts[start_row - 1]
    if source.text[line_start:start].strip() or start_row != end_row:
        return None
    after = _line_after(ctx, stmt)
    return Edit(line_start, after if after is not None else len(source.text), "")


def is_lone_call(stmt: Optional[cst.CSTNode], call: cst.Call) -> bool:
    """Whether ``stmt`` is a line holding nothing but the expression statement ``call``."""
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and stmt.body[0].value is call
    )


def bound_names(stmt: cst.CSTNode) -> set:
    """The names and dotted attributes (`self.scheduler`) that running ``stmt`` may assign:
    assignment, loop, `with ... as`, `:=`, `del`, import, `def` and `class` targets (not those
    inside the bodies of nested functions and classes, which do not run here)."""
    from tipcheck.facts import dotted_name

    bound: set = set()

    def add(target: cst.CSTNode) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                add(element.value)
        elif isinstance(target, cst.StarredElement):
            add(target.value)
        else:
            name = dotted_name(target) if isinstance(target, (cst.Name, cst.Attribute)) else None
            if name is not None:
                bound.add(name)

    def visit(node: cst.CSTNode) -> None:
        if isinstance(node, cst.Assign):
            for target in node.targets:
                add(target.target)
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
            add(node.target)
        elif isinstance(node, (cst.For, cst.CompFor)):
            add(node.target)
        elif isinstance(node, cst.AsName):
            add(node.name)
        elif isinstance(node, cst.Del):
            add(node.target)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            bound.add(node.name.value)
            return
        elif isinstance(node, cst.Lambda):
            return
        elif isinstance(node, cst.ImportAlias) and node.asname is None:
            bound.add(dotted_name(node.name).split(".", 1)[0])
        for child in node.children:
            visit(child)

    visit(stmt)
    return bound

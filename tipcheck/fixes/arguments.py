"""Edits to the arguments of a call: drop one, set a keyword's value, add a keyword."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Edit


def drop_argument(ctx: RuleContext, call: cst.Call, arg: cst.Arg) -> Edit:
    """Remove ``arg`` from ``call``, with its separator: up to the next argument, or (the last one)
    from the end of the one before it."""
    args = list(call.args)
    index = next(i for i, a in enumerate(args) if a is arg)
    start, end = ctx.range(arg.value)
    if arg.keyword is not None:
        start = ctx.range(arg.keyword)[0]
    if index + 1 < len(args):
        following = args[index + 1]
        end = ctx.range(following.keyword if following.keyword is not None else following.value)[0]
        if following.star:
            end -= len(following.star)
    elif index > 0:
        start = ctx.range(args[index - 1].value)[1]
    return Edit(start, end, "")


def set_value(ctx: RuleContext, arg: cst.Arg, code: str) -> Edit:
    """Replace the value of ``arg`` with ``code``."""
    start, end = ctx.range(arg.value)
    return Edit(start, end, code)


def add_keyword(ctx: RuleContext, call: cst.Call, name: str, code: str) -> Optional[Edit]:
    """Add ``name=code`` as the call's last argument (after its last one, before a trailing comma);
    None after `**kwargs`, where a keyword cannot go in every Python."""
    args = list(call.args)
    if not args:
        return Edit.insert(ctx.range(call)[1] - 1, f"{name}={code}")  # before the call's `)`
    last = args[-1]
    if last.star == "**":
        return None
    return Edit.insert(ctx.range(last.value)[1], f", {name}={code}")

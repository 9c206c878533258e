"""Moving a scheduler's `step()` call between the epoch loop and the batch loop (TIP404, TIP405)."""

from __future__ import annotations

from typing import Optional

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.flow import CallSite
from tipcheck.facts.training import ProjectFacts, Value
from tipcheck.fixes.statements import delete_line, insert_after, is_lone_call


def _line(ctx: RuleContext, stmt) -> str:
    return ctx.source.line_text(ctx.source.location(ctx.range(stmt)[0]).row).strip()  # keeps a comment


def move_into_batch_loop(ctx: RuleContext, project: ProjectFacts, value: Value, site: CallSite) -> Optional[Fix]:
    """Move a step made in the epoch loop to just after the one optimizer step of the batch loop
    in the same function (None when there is not exactly one)."""
    if not is_lone_call(site.ctx.stmt, site.node):
        return None
    optimizer = project.field_root(value, "optimizer")
    candidates = [
        s
        for s, module_id in project.optimizer_steps_at(optimizer)
        if module_id == ctx.source.path
        and s.ctx.func == site.ctx.func
        and any(loop.is_batch_loop for loop in map(project.loop_of, s.ctx.loops))
    ]
    if len(candidates) != 1 or candidates[0].ctx.stmt is None:
        return None
    removal = delete_line(ctx, site.ctx.stmt)
    if removal is None:
        return None
    return Fix(
        (removal, insert_after(ctx, candidates[0].ctx.stmt, _line(ctx, site.ctx.stmt))),
        "Move the scheduler step into the batch loop, after the optimizer step",
        Applicability.UNSAFE,
    )


def move_after_batch_loop(ctx: RuleContext, project: ProjectFacts, site: CallSite) -> Optional[Fix]:
    """Move a step made in the body of a batch loop (not nested in a block of it) to just after
    that loop, when the loop sits directly in an epoch loop's body in the same function."""
    if not is_lone_call(site.ctx.stmt, site.node) or not site.ctx.loops:
        return None
    record = site.ctx.loops[-1]
    loop = project.loop_of(record)
    if not loop.is_batch_loop or record.ctx.func != site.ctx.func:
        return None
    # The step sits directly in the batch loop's body: its path ends with (loop, ...), (step, body).
    path = site.ctx.stmt_path
    if len(path) < 2 or path[-2][0] is not record.node or path[-1][0] is not site.ctx.stmt:
        return None
    outer = record.ctx.loops[-1] if record.ctx.loops else None
    if outer is None or not project.is_epoch_loop(project.loop_of(outer)):
        return None
    loop_path = record.ctx.stmt_path
    if len(loop_path) < 2 or loop_path[-2][0] is not outer.node:
        return None  # the batch loop is nested in a block (`with`, `if`) of the epoch loop
    removal = delete_line(ctx, site.ctx.stmt)
    if removal is None:
        return None
    return Fix(
        (removal, insert_after(ctx, record.node, _line(ctx, site.ctx.stmt))),
        "Move the scheduler step out of the batch loop, to the end of the epoch",
        Applicability.UNSAFE,
    )

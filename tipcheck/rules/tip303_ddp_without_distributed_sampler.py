"""TIP303 ddp-without-distributed-sampler: under DDP every rank trains on the whole data set."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.loaders import (
    dataset_style,
    ddp_training,
    has_sampler,
    literal,
    loader_arg,
    shards_elsewhere,
    training_loaders,
    training_loops,
)
from tipcheck.facts.scopes import dotted_name
from tipcheck.facts.training import ProjectFacts, Value
from tipcheck.fixes.arguments import add_keyword, drop_argument
from tipcheck.fixes.imports import reach
from tipcheck.fixes.statements import insert_before
from tipcheck.rules.base import ProjectRule


class DdpWithoutDistributedSampler(ProjectRule):
    code = "TIP303"
    name = "ddp-without-distributed-sampler"
    finds = "a training `DataLoader` under `DistributedDataParallel` with no `DistributedSampler`"
    fix_safety = "unsafe"
    summary = (
        "DistributedDataParallel trains on a loader with no DistributedSampler: every rank sees the whole data set"
    )
    needs_text = ("DistributedDataParallel",)
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        for loader in training_loaders(project, ctx.source.path):
            if has_sampler(loader) or dataset_style(project, loader) != "map":
                continue
            loops = training_loops(project, loader)
            if not ddp_training(project, loader, loops) or shards_elsewhere(project, loader, loops):
                continue
            ctx.report(
                loader.site.node.func,
                "This DataLoader feeds a DistributedDataParallel model but has no DistributedSampler: every "
                "rank trains on the whole data set, so an epoch costs world-size times the work and the "
                "ranks repeat each other's batches",
                self._fix(ctx, project, loader, loops),
            )

    def _fix(self, ctx: RuleContext, project: ProjectFacts, loader: Value, loops: list) -> Optional[Fix]:
        """`sampler=DistributedSampler(dataset[, shuffle=False])` in place of `shuffle=`, and
        `loader.sampler.set_epoch(epoch)` first in the epoch loop: for a loader assigned to a name,
        over a dataset named by a name, in the function of an epoch loop `for epoch in range(...)`."""
        call, stmt = loader.site.node, loader.site.ctx.stmt
        target = _assigned_name(stmt, call)
        dataset = loader_arg(loader, "dataset")
        shuffle = loader_arg(loader, "shuffle")
        if target is None or dataset is None or not isinstance(dataset.value, cst.Name):
            return None
        if shuffle is not None and (shuffle.keyword is None or literal(shuffle) not in (True, False)):
            return None
        if any(isinstance(stmt, cst.If) for v in _ddp_values(project) for stmt, _ in v.site.ctx.stmt_path):
            return None  # DDP only on one branch: a DistributedSampler would need a process group on the other
        epoch = _epoch_loop(ctx, project, loader, loops)
        if epoch is None:
            return None
        loop, variable = epoch
        scope = next((s for c, s in ctx.facts.calls if c is call), ctx.facts.module_scope)
        head = dotted_name(call.func).split(".", 1)[0]
        found = reach(ctx, scope, head, "torch.utils.data", "DistributedSampler")
        if found is None:
            return None
        sampler_name, import_edits = found
        keeps_order = literal(shuffle) is not True
        value = f"{sampler_name}({dataset.value.value}{', shuffle=False' if keeps_order else ''})"
        edits = list(import_edits)
        if shuffle is not None:
            edits.append(drop_argument(ctx, call, shuffle))
        added = add_keyword(ctx, call, "sampler", value)
        if added is None:
            return None
        edits.append(added)
        edits.append(insert_before(ctx, loop.node.body.body[0], f"{target}.sampler.set_epoch({variable})"))
        return Fix(
            tuple(edits),
            f"Pass `sampler={value}` and call `{target}.sampler.set_epoch({variable})` each epoch",
            Applicability.UNSAFE,
        )


def _ddp_values(project: ProjectFacts) -> list:
    """Every DistributedDataParallel construction of the project."""
    return [v for v in project.values_of_kind("wrapper") if v.cls == "DistributedDataParallel"]


def _assigned_name(stmt, call: cst.Call) -> Optional[str]:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if isinstance(assign, cst.Assign) and assign.value is call and len(assign.targets) == 1:
        name = assign.targets[0].target
        if isinstance(name, cst.Name):
            return name.value
    return None


def _epoch_loop(ctx: RuleContext, project: ProjectFacts, loader: Value, loops: list):
    """(epoch loop, its variable): a `for epoch in range(...)` loop of this module, in the loader's
    function, around a training loop over the loader."""
    for inner in loops:
        for outer in project.enclosing_loops(inner):
            node = outer.node
            if outer.module_id != ctx.source.path or outer.record.ctx.func != loader.site.ctx.func:
                continue
            if not (isinstance(node, cst.For) and isinstance(node.target, cst.Name)):
                continue
            if not isinstance(node.body, cst.IndentedBlock) or outer.record in loader.site.ctx.loops:
                continue
            it = node.iter
            if isinstance(it, cst.Call) and dotted_name(it.func) in ("range", "trange", "tqdm.trange"):
                return outer, node.target.value
    return None

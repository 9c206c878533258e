"""TIP404 per-batch-scheduler-stepped-per-epoch: OneCycleLR/CyclicLR stepped once an epoch."""

from __future__ import annotations

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.facts.training import PER_BATCH_SCHEDULERS, ProjectFacts, Value
from tipcheck.fixes.scheduler_steps import move_into_batch_loop
from tipcheck.rules.base import ProjectRule


def _designed_per_epoch(value: Value) -> bool:
    """A OneCycleLR sized in epochs (`total_steps=epochs`, `steps_per_epoch=1`) is meant to step per epoch."""
    if value.cls != "OneCycleLR":
        return False
    steps_per_epoch = value.kwarg("steps_per_epoch", 4)
    if steps_per_epoch is not None:
        return isinstance(steps_per_epoch.value, cst.Integer) and steps_per_epoch.value.value == "1"
    total = value.kwarg("total_steps", 2)
    if total is None:
        return False
    text = cst.Module([]).code_for_node(total.value)
    return "len(" not in text and "iter" not in text.lower() and "step" not in text.lower()


class PerBatchSchedulerSteppedPerEpoch(ProjectRule):
    code = "TIP404"
    name = "per-batch-scheduler-stepped-per-epoch"
    finds = "`OneCycleLR` / `CyclicLR` stepped once an epoch"
    fix_safety = "unsafe"
    summary = "OneCycleLR/CyclicLR is stepped once an epoch: its schedule counts batches, so it barely moves"
    needs_text = ("OneCycleLR", "CyclicLR")
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        # Only the schedulers stepped in this file can be reported here.
        for value in project.values_called_in(ctx.source.path, "step", "scheduler"):
            # Every class the scheduler may have (by branch) counts batches, none sized in epochs.
            classes = project.classes_of(value)
            if not classes or not set(classes) <= PER_BATCH_SCHEDULERS or project.is_escaped(value):
                continue
            if any(_designed_per_epoch(v) for v in project.values_at(project.root_of(value))):
                continue
            label = project.class_label(value)
            steps = project.method_calls(project.root_of(value), "step")
            if not steps or any(loop.is_batch_loop for s, _ in steps for loop in project.loops_running(s.ctx)):
                continue
            for site, module_id in steps:
                if module_id != ctx.source.path or not any(
                    project.is_epoch_loop(loop) for loop in project.loops_running(site.ctx)
                ):
                    continue
                ctx.report(
                    site.node,
                    f"{label} counts batches but is stepped once per epoch: the learning rate barely moves",
                    move_into_batch_loop(ctx, project, value, site),
                )

"""TIP405 schedule-length-in-wrong-unit: a scheduler sized in batches stepped per epoch, or the reverse."""

from __future__ import annotations

from typing import Optional

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Fix
from tipcheck.facts.flow import CallSite
from tipcheck.facts.schedule_units import Length, length_of, step_cadence
from tipcheck.facts.training import ProjectFacts, Value
from tipcheck.fixes.scheduler_steps import move_after_batch_loop, move_into_batch_loop
from tipcheck.rules.base import ProjectRule


def _problem(value: Value, length: Length, cadence: str) -> Optional[str]:
    """What goes wrong with this length and this cadence, or None when they agree."""
    arg = f"`{length.keyword}`"
    if length.unit == "batch" and cadence == "epoch":
        if value.cls == "OneCycleLR":
            return None  # TIP404's finding
        if length.whole_run:
            return f"{arg} counts the run's batches, but the scheduler is stepped once per epoch: it walks 1/len(loader) of its schedule"
        return f"{arg} counts one epoch's batches (`len(loader)`), but the scheduler is stepped once per epoch: it counts that many epochs"
    if length.unit == "epoch" and cadence in ("batch", "accumulation"):
        if value.cls == "OneCycleLR":
            return f"{arg} counts epochs, but the scheduler is stepped every batch: OneCycleLR raises `ValueError` once the steps pass its total"
        if value.cls == "CosineAnnealingLR":
            return f"{arg} counts epochs, but the scheduler is stepped every batch: the cosine runs down and back up len(loader) / 2 times"
        return f"{arg} counts epochs, but the scheduler is stepped every batch: the schedule is over after that many batches, len(loader) times too early"
    if length.unit == "batch" and cadence == "accumulation" and not length.divided and length.whole_run:
        return (
            f"{arg} counts every batch, but the scheduler is stepped once per gradient-accumulation cycle: it walks "
            "1/accumulation of its schedule"
        )
    if length.unit == "batch" and cadence == "batch" and length.divided:
        message = f"{arg} divides the batches (by the accumulation steps?), but the scheduler is stepped every batch: "
        if value.cls == "OneCycleLR":
            return message + "OneCycleLR raises `ValueError` once the steps pass its total"
        return message + "the schedule runs out early"
    return None


class ScheduleLengthInWrongUnit(ProjectRule):
    code = "TIP405"
    name = "schedule-length-in-wrong-unit"
    finds = "a scheduler sized in batches stepped per epoch, or sized in epochs stepped per batch"
    fix_safety = "unsafe"
    summary = "The scheduler's length counts one unit (batches or epochs) and its step() the other"
    needs_text = ("T_max", "step_size", "milestones", "total_iters", "total_steps", "steps_per_epoch")
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        for value in project.values_called_in(ctx.source.path, "step", "scheduler"):
            root = project.root_of(value)
            values = project.values_at(root)
            if len(values) != 1 or project.is_escaped(value) or value.custom:
                continue  # one class on every path, not passed where it could be stepped unseen
            length = length_of(project, value)
            if length is None:
                continue
            cadence = step_cadence(project, root)
            if cadence is None:
                continue
            message = _problem(value, length, cadence)
            if message is None:
                continue
            for site, module_id in project.method_calls(root, "step"):
                if module_id == ctx.source.path:
                    ctx.report(site.node, message, self._fix(ctx, project, value, length, cadence, site))

    @staticmethod
    def _fix(
        ctx: RuleContext, project: ProjectFacts, value: Value, length: Length, cadence: str, site: CallSite
    ) -> Optional[Fix]:
        if len(project.method_calls(project.root_of(value), "step")) != 1:
            return None
        if length.unit == "batch" and cadence == "epoch" and (length.whole_run or length.keyword != "T_max"):
            # `T_max=epochs * len(loader)`, `step_size=len(loader)`: the length says batches.
            # `T_max=len(loader)` alone: one cosine per epoch, or a cosine over the epochs? Unclear.
            if length.keyword in ("total_iters", "T_max") and not length.whole_run:
                return None
            return move_into_batch_loop(ctx, project, value, site)
        if length.unit == "epoch" and cadence == "batch":
            return move_after_batch_loop(ctx, project, site)
        return None

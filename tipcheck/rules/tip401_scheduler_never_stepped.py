"""TIP401 scheduler-never-stepped: an LR scheduler is created and nothing ever steps it."""

from __future__ import annotations

from typing import List, Optional, Tuple

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.liveness import never_runs
from tipcheck.facts.training import ANY_CLASS, PER_BATCH_SCHEDULERS, ProjectFacts, Value
from tipcheck.fixes.statements import indentation, insert_after
from tipcheck.rules.base import ProjectRule


class SchedulerNeverStepped(ProjectRule):
    code = "TIP401"
    name = "scheduler-never-stepped"
    finds = "an LR scheduler that no `.step()` ever reaches"
    fix_safety = "unsafe"
    summary = "An LR scheduler is created but `.step()` never reaches it: training runs at the initial LR"
    needs_text = ("lr_scheduler",)
    reads_linted = True  # a method whose only call would be in a file the project step does not read
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        # One finding for each variable, whatever class each branch (or a dict of classes) gives it.
        for value, classes in project.tracked_roots("scheduler", ctx.source.path):
            root = project.root_of(value)
            steps = [site for site, _ in project.method_calls(root, "step")]
            built_in = value.site.ctx.func  # a step where it is built runs whenever it is built
            if any(site.ctx.func == built_in or not never_runs(project, site.ctx.func) for site in steps):
                continue
            label = project.class_label(value)
            if ANY_CLASS in classes:
                label = f"An LR scheduler of a class {label}"
            if steps:
                # Its only steps are in a method nothing calls (`MultiOptimizer.scheduler()`).
                owners = ", ".join(sorted({f"`{site.ctx.func[2][2:]}()`" for site in steps}))
                message = (
                    f"{label} is created but never stepped: its only `.step()` is in {owners}, which nothing "
                    "calls; the learning rate stays at its initial value"
                )
                ctx.report(value.site.node, message, None)  # the fix is a call of that method, where it belongs
                continue
            message = f"{label} is created but never stepped: the learning rate stays at its initial value"
            ctx.report(value.site.node, message, self._fix(ctx, project, value, classes))

    def _fix(self, ctx: RuleContext, project: ProjectFacts, value: Value, classes: Tuple[str, ...]) -> Optional[Fix]:
        if "ReduceLROnPlateau" in classes or ANY_CLASS in classes or value.site.node is None:
            return None  # its step needs a metric only the author knows (or the class is not known)
        per_batch = {cls in PER_BATCH_SCHEDULERS for cls in classes}
        if len(per_batch) != 1:
            return None  # one class steps per batch, another per epoch: no one place suits both
        optimizer = project.field_root(value, "optimizer")
        steps = [s for s, module_id in project.optimizer_steps_at(optimizer) if module_id == ctx.source.path]
        if len(steps) != 1:
            return None
        step = steps[0]
        if per_batch == {True}:
            # After the optimizer step, in the batch loop.
            if not any(loop.is_batch_loop for loop in map(project.loop_of, step.ctx.loops)):
                return None
            name = project.expression_for(project.root_of(value), step.ctx.func)
            if name is None or step.ctx.stmt is None:
                return None
            edit = insert_after(ctx, step.ctx.stmt, f"{name}.step()")
            return Fix((edit,), f"Call `{name}.step()` after the optimizer step", Applicability.UNSAFE)
        # Other schedulers: at the end of the epoch loop's body, after the batch loop.
        epochs: List = [
            loop
            for loop in project.loops_running(step.ctx)
            if loop.module_id == ctx.source.path and project.is_epoch_loop(loop)
        ]
        innermost = project.innermost(epochs)
        if len(innermost) != 1:
            return None
        epoch = innermost[0]
        if any(epoch.record in v.site.ctx.loops for v in project.values_at(project.root_of(value))):
            return None  # created anew in each epoch: stepping it there would not help
        body = getattr(epoch.node.body, "body", None)
        if not body or not hasattr(epoch.node.body, "indent"):
            return None
        name = project.expression_for(project.root_of(value), epoch.record.ctx.func)
        if name is None:
            return None
        edit = insert_after(ctx, body[-1], f"{name}.step()", indent=indentation(ctx, body[0]))
        return Fix((edit,), f"Call `{name}.step()` at the end of each epoch", Applicability.UNSAFE)

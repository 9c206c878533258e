"""TIP402 scheduler-step-before-optimizer: in the training loop, the scheduler steps first."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts import dotted_name
from tipcheck.facts.flow import CallSite
from tipcheck.facts.training import ANY_CLASS, Loop, ProjectFacts
from tipcheck.facts.walk import names_in
from tipcheck.fixes.exits import early_exits
from tipcheck.fixes.statements import bound_names, delete_line, insert_after, is_lone_call
from tipcheck.rules.base import ProjectRule

NOT_CHECKED = {"ReduceLROnPlateau", "CosineAnnealingWarmRestarts"}


def _compares_to_string(condition: cst.BaseExpression) -> bool:
    """`phase == "train"`: a condition on what the loop iterates, not on how far it got."""
    return isinstance(condition, cst.Comparison) and any(
        isinstance(part, (cst.SimpleString, cst.ConcatenatedString))
        for part in (condition.left, *(c.comparator for c in condition.comparisons))
    )


def _loop_var(loop: Loop) -> Optional[str]:
    target = loop.record.target
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Tuple) and target.elements and isinstance(target.elements[0].value, cst.Name):
        return target.elements[0].value.value
    return None


class SchedulerStepBeforeOptimizer(ProjectRule):
    code = "TIP402"
    name = "scheduler-step-before-optimizer"
    finds = "`scheduler.step()` before `optimizer.step()` in the loop"
    fix_safety = "safe, when both are in one block; unsafe past a `continue`, `break`, `return`, `raise` or `yield`"
    summary = "`scheduler.step()` runs before `optimizer.step()` in the loop: the first LR of the schedule is skipped"
    needs_text = ("lr_scheduler",)
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        # Only the schedulers stepped in this file can be reported here (indexes, not scans: the
        # check runs once per file).
        for value in project.values_called_in(ctx.source.path, "step", "scheduler"):
            # Every class the scheduler may have (by branch, or from a dict of classes) is checked.
            classes = project.classes_of(value)
            if not classes or NOT_CHECKED & set(classes) or project.is_escaped(value):
                continue
            name = project.own_class(value) if len(classes) == 1 and ANY_CLASS not in classes else "scheduler"
            also = "" if name != "scheduler" else f" (its class: {project.class_label(value)})"
            optimizer = project.field_root(value, "optimizer")
            opt_steps = [s for s, _ in project.optimizer_steps_at(optimizer)]
            sched_steps = [s for s, m in project.method_calls(project.root_of(value), "step") if m == ctx.source.path]
            if not opt_steps or not sched_steps:
                continue
            for sched_step in sched_steps:
                found = self._first_before(project, sched_step, opt_steps, sched_steps)
                if found is None:
                    continue
                loop, sched_stmt, opt_stmt, opt_step = found
                arg = self._epoch_argument(sched_step, loop)
                if arg is False or (arg is not None and ANY_CLASS in classes):
                    continue  # a class chosen at run time is known not to watch a metric only by a bare `step()`
                if arg is None:
                    message = (
                        f"`{name}.step()` runs before `optimizer.step()` in this loop{also}: the schedule's first "
                        "learning rate is skipped"
                    )
                else:
                    message = (
                        f"`{name}.step({arg})` runs before `optimizer.step()` in this loop{also}: the pre-1.1 idiom, "
                        "deprecated (PyTorch warns about the order and the epoch argument)"
                    )
                ctx.report(sched_step.node, message, self._fix(ctx, loop, sched_step, sched_stmt, opt_stmt, opt_step, arg))

    @staticmethod
    def _first_before(
        project: ProjectFacts, sched_step: CallSite, opt_steps: List[CallSite], sched_steps: List[CallSite]
    ) -> Optional[Tuple[Loop, cst.CSTNode, cst.CSTNode, CallSite]]:
        """The innermost loop running both steps, if this scheduler step is its first one and runs
        before the first optimizer step."""
        loops = [
            loop
            for loop in project.loops_running(sched_step.ctx)
            if loop.module_id == sched_step.ctx.func[1]
            and any(project.inside(s, loop) for s in opt_steps)
        ]
        loops = project.innermost(loops)
        if len(loops) != 1:
            return None
        loop = loops[0]
        body = getattr(loop.node.body, "body", None)
        if not body:
            return None
        index = {id(stmt): i for i, stmt in enumerate(body)}

        def position(site: CallSite) -> Optional[int]:
            stmt = project.statement_in(site, loop)
            return index.get(id(stmt)) if stmt is not None else None

        sched_stmt = project.statement_in(sched_step, loop)
        mine = position(sched_step)
        if mine is None:
            return None
        others = [position(s) for s in sched_steps if s is not sched_step and project.inside(s, loop)]
        if any(p is not None and p < mine for p in others):
            return None  # not the first scheduler step of the loop
        opt_positions = sorted((p, i) for i, s in enumerate(opt_steps) if project.inside(s, loop) for p in [position(s)] if p is not None)
        if not opt_positions or opt_positions[0][0] <= mine:
            return None
        first_opt = opt_steps[opt_positions[0][1]]
        return loop, sched_stmt, body[opt_positions[0][0]], first_opt

    @staticmethod
    def _epoch_argument(sched_step: CallSite, loop: Loop):
        """None for `step()`; the loop variable's name for `step(epoch)`; False for anything else
        (an explicit epoch such as `step(epoch + i / iters)` is deliberate)."""
        # A step under a condition on the loop variable (`if epoch > 0:`) runs after earlier epochs.
        var = _loop_var(loop)
        for condition in sched_step.ctx.conditions:
            if var is not None and var in names_in(condition) and not _compares_to_string(condition):
                return False
        args = sched_step.node.args
        if not args:
            return None
        if len(args) == 1 and args[0].keyword is None and isinstance(args[0].value, cst.Name) and args[0].value.value == var:
            return var
        return False

    @staticmethod
    def _fix(ctx: RuleContext, loop: Loop, sched_step: CallSite, sched_stmt, opt_stmt, opt_step: CallSite, arg) -> Optional[Fix]:
        if arg is not None:
            # `scheduler.step(epoch)` at the top of the epoch loop sets the epoch's LR from the
            # epoch number, also after a resume at `start_epoch` without the scheduler's state.
            # Moved after the epoch, neither `step()` nor `step(epoch)` gives the same LRs.
            return None
        if loop.module_id != ctx.source.path or not is_lone_call(sched_stmt, sched_step.node):
            return None
        # The optimizer step is a statement of the same block, or in a batch loop of that block.
        if not (is_lone_call(opt_stmt, opt_step.node) or isinstance(opt_stmt, (cst.For, cst.While))):
            return None
        if opt_step.ctx.func != loop.record.ctx.func:
            return None  # the optimizer steps inside a helper: moving past it is not for a fix
        body = list(loop.node.body.body)
        passed = body[_index(body, sched_stmt) + 1 : _index(body, opt_stmt) + 1]  # what the step moves past
        receiver = _prefixes(sched_step.node.func.value) if isinstance(sched_step.node.func, cst.Attribute) else None
        if not receiver or any(receiver & bound_names(stmt) for stmt in passed):
            return None  # the scheduler variable is rebound on the way: another object would step
        removal = delete_line(ctx, sched_stmt)
        if removal is None:
            return None
        call_text = ctx.text(sched_step.node)
        row = ctx.source.location(ctx.range(sched_stmt)[0]).row
        line = ctx.source.line_text(row).strip()  # keeps a trailing comment
        where = "the optimizer step" if is_lone_call(opt_stmt, opt_step.node) else "the batch loop"
        message = f"Move `{call_text}` after {where}"
        exits = early_exits(passed)
        if exits:
            # On the paths that leave the iteration before the new place, the scheduler no
            # longer steps: with `if (i + 1) % 4: continue`, the schedule would run 4x slower.
            shown = ", ".join(f"`{keyword}`" for keyword in exits)
            message += f" (iterations that leave early by {shown} then skip the scheduler step)"
        return Fix(
            (removal, insert_after(ctx, opt_stmt, line)),
            message,
            Applicability.UNSAFE if exits else Applicability.SAFE,
        )


def _index(body: List[cst.CSTNode], stmt: cst.CSTNode) -> int:
    return next(i for i, s in enumerate(body) if s is stmt)


def _prefixes(expr: cst.BaseExpression) -> set:
    """`{"self", "self.scheduler"}` for `self.scheduler` (empty if it is not a dotted name)."""
    name = dotted_name(expr)
    if name is None:
        return set()
    parts = name.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}

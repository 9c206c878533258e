"""TIP402 scheduler-step-before-optimizer: in the training loop, the scheduler steps first."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts import dotted_name
from tipcheck.facts.events import handler_before_update
from tipcheck.facts.flow import CallSite
from tipcheck.facts.ordering import Divergence, runs_before_any, runs_before_loop, runs_first
from tipcheck.facts.progress import compares_to_string, counts_passes, on_some_passes
from tipcheck.facts.training import ANY_CLASS, Loop, ProjectFacts
from tipcheck.facts.walk import names_in
from tipcheck.fixes.exits import early_exits
from tipcheck.fixes.statements import bound_names, delete_line, insert_after, is_lone_call
from tipcheck.rules.base import ProjectRule

NOT_CHECKED = {"ReduceLROnPlateau", "CosineAnnealingWarmRestarts"}
_LR_READS = {"get_last_lr", "get_lr", "optimizer"}  # what reading the learning rate uses of a scheduler


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
    needs_text = ("chedule",)  # lr_scheduler, self.scheduler, get_linear_schedule_with_warmup
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        # Only the schedulers stepped in this file can be reported here (indexes, not scans: the
        # check runs once per file). One finding per call site: a variable that holds one of
        # several schedulers (assigned on both branches of an `if`, or built by a class picked from a
        # dict of classes) is reported once, naming them, when every class it may have is checked.
        for sched_step, root in project.method_calls_in(ctx.source.path, "step"):
            values = project.values_at(root)
            if not values or any(v.kind != "scheduler" for v in values):
                continue
            classes = project.classes_of(values[0])
            if not classes or NOT_CHECKED & set(classes) or root in project.escaped:
                continue
            optimizer = project.field_root(values[0], "optimizer")
            opt_steps = [s for s, _ in project.optimizer_steps_at(optimizer)]
            sched_steps = [s for s, _ in project.method_calls(root, "step")]
            if _from_shared_factory(project, root):
                # Schedulers built by one factory are one value to the facts: `g_sched.step()` is
                # not an earlier step of `d_sched`. Only the steps of the same name count.
                sched_steps = [s for s in sched_steps if _same_receiver(s, sched_step)]
            named = _named(project, values, None)
            found = self._first_before(project, sched_step, opt_steps, sched_steps) if opt_steps else None
            if found is None:
                handler = handler_before_update(project, sched_step, optimizer, opt_steps)
                if handler is not None and not self._after_some_passes(sched_step) and not sched_step.node.args:
                    message = (
                        f"{named} runs in an `Events.{handler.event}` handler, before the engine's update steps the "
                        "optimizer: the schedule's first learning rate is skipped"
                    )
                    ctx.report(sched_step.node, message, None)
                elif not sched_step.node.args and self._before_training_loop(
                    project, sched_step, opt_steps, sched_steps
                ):
                    message = (
                        f"{named} runs before the training loop that steps the optimizer (and steps the scheduler "
                        "again): the schedule's first learning rate is skipped"
                    )
                    ctx.report(sched_step.node, message, None)
                continue
            loop, divergence = found
            arg = self._epoch_argument(sched_step, loop, divergence)
            if arg is False or (arg is not None and ANY_CLASS in classes):
                continue  # a class chosen at run time is known not to watch a metric only by a bare `step()`
            named = _named(project, values, arg)
            if arg is None:
                message = f"{named} runs before `optimizer.step()` in this loop: the schedule's first learning rate is skipped"
            else:
                message = (
                    f"{named} runs before `optimizer.step()` in this loop: the pre-1.1 idiom, "
                    "deprecated (PyTorch warns about the order and the epoch argument)"
                )
            # A factory called for several schedulers or optimizers (`build_scheduler(g_opt)`,
            # `build_scheduler(d_opt)`) makes them one value to the facts: the optimizer step
            # found first may be another one's, so there is no telling where the step should go.
            shared = _from_shared_factory(project, root) or _from_shared_factory(project, optimizer)
            fix = None if shared else self._fix(ctx, loop, sched_step, divergence, arg)
            ctx.report(sched_step.node, message, fix)

    @staticmethod
    def _first_before(
        project: ProjectFacts, sched_step: CallSite, opt_steps: List[CallSite], sched_steps: List[CallSite]
    ) -> Optional[Tuple[Loop, Divergence]]:
        """The innermost loop running both steps, if this scheduler step is its first one and runs
        before every optimizer step of the loop (in its body, or in helpers called from it), with
        where it parts from the first of them."""
        loops = [
            loop for loop in project.loops_running(sched_step.ctx) if any(project.inside(s, loop) for s in opt_steps)
        ]
        loops = project.innermost(loops)
        if len(loops) != 1:
            return None
        loop = loops[0]
        if any(
            not project.inside(s, loop) and runs_before_loop(project, s, loop.record, unconditional=True)
            for s in opt_steps
        ):
            # A deliberate optimizer step before the loop (`optimizer.step()` on zero gradients, to
            # keep PyTorch from warning): the scheduler's first step already follows one.
            return None
        others = [s for s in sched_steps if s is not sched_step and project.inside(s, loop)]
        if runs_before_any(project, loop.record, sched_step, others):
            return None  # not the first scheduler step of the loop
        inside = [s for s in opt_steps if project.inside(s, loop)]
        divergence = runs_first(project, loop.record, sched_step, inside)
        return (loop, divergence) if divergence is not None else None

    @staticmethod
    def _before_training_loop(
        project: ProjectFacts, sched_step: CallSite, opt_steps: List[CallSite], sched_steps: List[CallSite]
    ) -> bool:
        """Whether a scheduler step outside every loop runs before the loop that runs every
        optimizer step and steps the scheduler again (`self.scheduler.step()` in a trainer's
        `__init__`, then the epoch loop): no optimizer step runs before it."""
        if project.loops_running(sched_step.ctx) or _unreachable(sched_step):
            return False
        if any(counts_passes(name, None) for c in sched_step.ctx.conditions for name in names_in(c)):
            return False  # `if start_epoch > 0:` (a resume)
        common = None  # the loops that run every optimizer step
        for step in opt_steps:
            running = {id(loop): loop for loop in project.loops_running(step.ctx)}
            common = running if common is None else {k: v for k, v in common.items() if k in running}
        others = [s for s in sched_steps if s is not sched_step]
        loops = [loop for loop in (common or {}).values() if any(project.inside(s, loop) for s in others)]
        return any(runs_before_loop(project, sched_step, loop.record) for loop in project.innermost(loops))

    @staticmethod
    def _after_some_passes(sched_step: CallSite) -> bool:
        """Whether the step is under a condition on a count of epochs or steps (`if engine.state.epoch > 1:`)."""
        return any(on_some_passes(condition, None) for condition in sched_step.ctx.conditions)

    @staticmethod
    def _epoch_argument(sched_step: CallSite, loop: Loop, divergence: Divergence):
        """None for `step()`; the epoch's name for `step(epoch)` or `step(epoch=epoch)`; False for
        anything else (an explicit epoch such as `step(epoch + i / iters)` is deliberate), and for
        a step that runs only after some epochs (`if epoch > 0:`)."""
        var = _loop_var(loop)
        # In the loop's function: a condition on the loop variable (`if epoch > 0:`).
        calls = [level[2] for level in divergence.first_path if level[2] is not None]
        # A condition holding the optimizer step too (`if (step + 1) % accumulation == 0:` around
        # both) does not tell them apart: the scheduler still steps first whenever it steps.
        shared = {
            id(level[1].test) for level in divergence.first_path[: divergence.level] if isinstance(level[1], cst.If)
        }
        outer = [c for c in (calls[0].ctx.conditions if calls else sched_step.ctx.conditions) if id(c) not in shared]
        for condition in outer:
            if var is not None and var in names_in(condition) and not compares_to_string(condition):
                return False
        # In a helper the loop calls, all of it runs in the iteration: a condition on anything
        # that counts epochs or steps (`if epoch > 0:`, `if self.epoch >= self.warmup:`).
        inner = [c for call in calls[1:] for c in call.ctx.conditions] + list(
            sched_step.ctx.conditions if calls else ()
        )
        if any(id(condition) not in shared and on_some_passes(condition, var) for condition in inner):
            return False
        args = sched_step.node.args
        if not args:
            return None
        if len(args) != 1 or args[0].star or (args[0].keyword is not None and args[0].keyword.value != "epoch"):
            return False
        value = args[0].value
        if isinstance(value, cst.Name) and (value.value == var or (calls and counts_passes(value.value, None))):
            return value.value
        return False

    @staticmethod
    def _fix(ctx: RuleContext, loop: Loop, sched_step: CallSite, divergence: Divergence, arg) -> Optional[Fix]:
        if arg is not None:
            # `scheduler.step(epoch)` at the top of the epoch loop sets the epoch's LR from the
            # epoch number, also after a resume at `start_epoch` without the scheduler's state.
            # Moved after the epoch, neither `step()` nor `step(epoch)` gives the same LRs.
            return None
        sched_stmt, opt_stmt = divergence.first_stmt, divergence.other_stmt
        if divergence.first_paths != 1 or not divergence.first_ends_here or divergence.func[1] != ctx.source.path:
            return None  # the step is in a helper the loop calls, or runs by several paths
        if not is_lone_call(sched_stmt, sched_step.node):
            return None
        # What the step moves past: the optimizer step of the same block, a loop that runs it
        # (the batch loop), or a call that runs it (`train(epoch)`, `self.train_epoch()`).
        call = divergence.other_call
        if isinstance(opt_stmt, (cst.For, cst.While)):
            where = "the batch loop"
        elif call is None and is_lone_call(opt_stmt, divergence.other.node):
            where = "the optimizer step"
        elif call is not None and _holds_call(opt_stmt, call.node):
            text = ctx.text(call.node)
            where = f"`{text}`" if len(text) <= 60 and "\n" not in text else "the call that steps the optimizer"
        else:
            return None
        body = list(divergence.block)
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
        message = f"Move `{call_text}` after {where}"
        exits = early_exits(passed)
        if exits:
            # On the paths that leave the iteration before the new place, the scheduler no
            # longer steps: with `if (i + 1) % 4: continue`, the schedule would run 4x slower.
            shown = ", ".join(f"`{keyword}`" for keyword in exits)
            message += f" (iterations that leave early by {shown} then skip the scheduler step)"
        name = dotted_name(sched_step.node.func.value)
        reads = name is not None and _reads(passed, name)
        if reads:
            # `epoch = scheduler.last_epoch + 1` on the way: what it computes (a checkpoint name, a
            # stopping test) moves by one step too, beyond the learning rate the fix corrects.
            message += f" (the statements it moves past read `{name}`, which is then one step behind)"
        return Fix(
            (removal, insert_after(ctx, opt_stmt, line)),
            message,
            Applicability.UNSAFE if exits or reads else Applicability.SAFE,
        )


def _named(project: ProjectFacts, values, arg) -> str:
    """The step call as a message names it, for every class the scheduler may have: its own name
    for a project subclass (`WarmupPolyLR.step()`), "the scheduler's" for a class chosen at run time."""
    call = f"step({arg or ''})"
    names = []
    for value in values:
        own = "scheduler" if value.cls == ANY_CLASS else project.own_class(value)
        names.append(f"`{own}.{call}`" + (" (its class chosen at run time)" if value.cls == ANY_CLASS else ""))
    return " or ".join(dict.fromkeys(names))


def _from_shared_factory(project: ProjectFacts, root) -> bool:
    """Whether a value at ``root`` is built in a project function that is called more than once."""
    for value in project.values_at(root):
        func = value.site.ctx.func
        if func[0] == "func" and len(project.callers.get(func, ())) > 1:
            return True
    return False


def _same_receiver(a: CallSite, b: CallSite) -> bool:
    """Whether two method calls are made on the same name in the same function (`d_sched.step()`)."""
    if a is b:
        return True
    if (
        a.ctx.func != b.ctx.func
        or not isinstance(a.node.func, cst.Attribute)
        or not isinstance(b.node.func, cst.Attribute)
    ):
        return False
    name = dotted_name(a.node.func.value)
    return name is not None and name == dotted_name(b.node.func.value)


def _unreachable(site: CallSite) -> bool:
    """Whether a call sits after a `raise` or `return` of its own block or of one around it."""
    for stmt, block in site.ctx.stmt_path:
        for earlier in block:
            if earlier is stmt:
                break
            if isinstance(earlier, cst.SimpleStatementLine) and any(
                isinstance(small, (cst.Raise, cst.Return)) for small in earlier.body
            ):
                return True
    return False


def _reads(statements: List[cst.CSTNode], name: str) -> bool:
    """Whether the statements use ``name`` (`scheduler`, `self.scheduler`) other than to read the
    learning rate (`get_last_lr()`, `get_lr()`, `.optimizer`): `scheduler.last_epoch`, or the
    scheduler handed to a call (`save_checkpoint(scheduler)`)."""

    def visit(node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Name, cst.Attribute)):
            dotted = dotted_name(node)
            if dotted is not None:
                if dotted == name:
                    return True
                if dotted.startswith(name + "."):
                    return dotted[len(name) + 1 :].split(".", 1)[0] not in _LR_READS
                return False
        return any(visit(child) for child in node.children)

    return any(visit(stmt) for stmt in statements)


def _holds_call(stmt: cst.CSTNode, call: cst.Call) -> bool:
    """Whether ``stmt`` is a line holding one statement whose value is ``call`` (`train(epoch)`,
    `loss = train(epoch)`)."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    return isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign, cst.AugAssign)) and small.value is call


def _index(body: List[cst.CSTNode], stmt: cst.CSTNode) -> int:
    return next(i for i, s in enumerate(body) if s is stmt)


def _prefixes(expr: cst.BaseExpression) -> set:
    """`{"self", "self.scheduler"}` for `self.scheduler` (empty if it is not a dotted name)."""
    name = dotted_name(expr)
    if name is None:
        return set()
    parts = name.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}

"""TIP305 loader-in-main-process (preview): a CUDA training loop waits for data loaded in its own process."""

from __future__ import annotations

from typing import Optional

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.loaders import (
    cuda_training,
    literal,
    loader_arg,
    non_blocking_copies,
    training_loaders,
    training_loops,
    workers,
)
from tipcheck.facts.scopes import dotted_name
from tipcheck.facts.training import ProjectFacts, Value
from tipcheck.fixes.arguments import add_keyword, set_value
from tipcheck.fixes.imports import reach
from tipcheck.rules.base import ProjectRule


class LoaderInMainProcess(ProjectRule):
    code = "TIP305"
    name = "loader-in-main-process"
    finds = "a training `DataLoader` of a CUDA loop with no workers, or `non_blocking=True` copies without `pin_memory`"
    fix_safety = "unsafe"
    summary = "A CUDA training loop's DataLoader loads in the main process, or copies non_blocking from unpinned memory"
    needs_text = ("DataLoader",)
    fixable = "always"
    preview = True

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        for loader in training_loaders(project, ctx.source.path):
            loops = training_loops(project, loader)
            if not cuda_training(project, loader, loops):
                continue
            if workers(loader, ctx.source.text) == 0:
                ctx.report(
                    loader.site.node.func,
                    "This DataLoader feeds a CUDA training loop with no workers (`num_workers` is 0): each batch is "
                    "read and collated in the training process while the GPU waits",
                    self._workers_fix(ctx, loader),
                )
            elif literal(loader_arg(loader, "pin_memory")) is not True and non_blocking_copies(project, loops):
                ctx.report(
                    loader.site.node.func,
                    "Batches of this DataLoader are copied with `non_blocking=True`, but it does not pin its memory "
                    "(`pin_memory=True`): from pageable memory the copy is not asynchronous",
                    self._pin_fix(ctx, loader),
                )

    @staticmethod
    def _workers_fix(ctx: RuleContext, loader: Value) -> Optional[Fix]:
        call = loader.site.node
        scope = next((s for c, s in ctx.facts.calls if c is call), ctx.facts.module_scope)
        found = reach(ctx, scope, dotted_name(call.func).split(".", 1)[0], "os", "cpu_count")
        if found is None:
            return None
        name, imports = found
        value = f"min(8, {name}() or 1)"
        arg = loader_arg(loader, "num_workers")
        edit = set_value(ctx, arg, value) if arg is not None else add_keyword(ctx, call, "num_workers", value)
        if edit is None:
            return None
        return Fix((*imports, edit), f"Load in worker processes: `num_workers={value}`", Applicability.UNSAFE)

    @staticmethod
    def _pin_fix(ctx: RuleContext, loader: Value) -> Optional[Fix]:
        arg = loader_arg(loader, "pin_memory")
        edit = (
            set_value(ctx, arg, "True") if arg is not None else add_keyword(ctx, loader.site.node, "pin_memory", "True")
        )
        return Fix((edit,), "Pass `pin_memory=True`", Applicability.UNSAFE) if edit is not None else None

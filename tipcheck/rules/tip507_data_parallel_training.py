"""TIP507 data-parallel-training: a trained model wrapped in `torch.nn.DataParallel` (preview)."""

from __future__ import annotations

from tipcheck.context import RuleContext
from tipcheck.facts.graph import TRAINS
from tipcheck.facts.training import ProjectFacts, Value
from tipcheck.rules.base import ProjectRule


def _runs_with(project: ProjectFacts, wrapper: Value):
    """The functions that run in one program with the wrapper's construction: those that call
    its function (directly or not) and whatever they call. Values of one class built in two
    scripts may share a variable to the facts (an evaluation script's model and the training
    script's): an optimizer outside these functions trains the other script's model."""
    entries, stack = {wrapper.site.ctx.func}, [wrapper.site.ctx.func]
    while stack:
        for site in project.callers.get(stack.pop(), ()):
            if site.ctx.func not in entries:
                entries.add(site.ctx.func)
                stack.append(site.ctx.func)
    return {func for entry in entries for func in project.reachable_funcs(entry)}


def trained(project: ProjectFacts, wrapper: Value) -> bool:
    """Whether the wrapper, or the model it wraps, is trained: an optimizer built in the same
    program (see ``_runs_with``) gets its parameters (built on the wrapper, or on the model before
    it was wrapped). A model that is only called, even in a loop that trains something else (a
    frozen backbone), is not."""
    roots = {project.root_of(wrapper)}
    wrapped = wrapper.site.args[0] if wrapper.site.args else wrapper.site.kwargs.get("module")
    root = project.root(wrapped) if wrapped is not None else None
    if root is not None:
        roots.add(root)
    optimizers = [o for o in project.values_of_kind("optimizer") if project.field_root(o, TRAINS) in roots]
    if not optimizers:
        return False
    program = _runs_with(project, wrapper)
    return any(o.site.ctx.func in program for o in optimizers)


class DataParallelTraining(ProjectRule):
    code = "TIP507"
    name = "data-parallel-training"
    finds = "a trained model wrapped in `torch.nn.DataParallel`"
    fix_safety = "none"
    summary = (
        "`DataParallel` trains on one process and one Python thread per GPU: PyTorch recommends DistributedDataParallel"
    )
    needs_text = ("DataParallel",)
    fixable = "never"
    preview = True

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        for wrapper, anchor in project.anchored("wrapper", ctx.source.path, at_helper=False):
            if wrapper.cls != "DataParallel" or project.is_escaped(wrapper) or project.never_built(wrapper):
                continue
            # The wrapper shares its variable with the model it wraps (`model = DataParallel(model)`):
            # anything else there (a DDP on another branch) leaves it unknown.
            if any(
                v.kind not in ("wrapper", "model") or v.cls == "DistributedDataParallel"
                for v in project.values_at(project.root_of(wrapper))
            ):
                continue
            if not trained(project, wrapper):
                continue
            ctx.report(
                anchor.node,
                "This model is trained through `torch.nn.DataParallel`, which PyTorch recommends replacing with "
                "`DistributedDataParallel` (one process per GPU, launched by `torchrun`), even on a single machine",
            )

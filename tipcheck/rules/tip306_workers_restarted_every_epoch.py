"""TIP306 workers-restarted-every-epoch (preview): a loader's worker processes start again for every epoch."""

from __future__ import annotations

from typing import List, Optional

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.loaders import datasets_of, literal, loader_arg, training_loaders, training_loops, workers
from tipcheck.facts.training import Loop, ProjectFacts, Value
from tipcheck.fixes.arguments import add_keyword, set_value
from tipcheck.rules.base import ProjectRule


class WorkersRestartedEveryEpoch(ProjectRule):
    code = "TIP306"
    name = "workers-restarted-every-epoch"
    finds = "a training `DataLoader` with workers, walked once per epoch, without `persistent_workers=True`"
    fix_safety = "unsafe"
    summary = "A DataLoader's workers start again every epoch: no `persistent_workers=True`, or the loader is made anew"
    needs_text = ("DataLoader",)
    fixable = "sometimes"
    preview = True

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        for loader in training_loaders(project, ctx.source.path):
            if literal(loader_arg(loader, "persistent_workers")) is True or not workers(loader, ctx.source.text):
                continue
            epochs = _epoch_loops(project, loader)
            if not epochs or _dataset_changes(project, loader, epochs):
                continue
            if any(project.inside(loader.site, epoch) for epoch in epochs):
                if not _dataset_made_in(project, loader, epochs):
                    ctx.report(
                        loader.site.node.func,
                        "This DataLoader, with workers, is made anew in every epoch over a data set made once: its "
                        "workers start again each epoch; make it once, before the epoch loop, with "
                        "`persistent_workers=True`",
                    )
                continue
            ctx.report(
                loader.site.node.func,
                "This DataLoader's workers are started again for every epoch (no `persistent_workers=True`): each "
                "epoch pays their start-up, and re-imports the script under spawn",
                self._fix(ctx, loader),
            )

    @staticmethod
    def _fix(ctx: RuleContext, loader: Value) -> Optional[Fix]:
        arg = loader_arg(loader, "persistent_workers")
        if arg is not None and arg.keyword is None:
            return None
        edit = (
            set_value(ctx, arg, "True")
            if arg is not None
            else add_keyword(ctx, loader.site.node, "persistent_workers", "True")
        )
        return Fix((edit,), "Pass `persistent_workers=True`", Applicability.UNSAFE) if edit is not None else None


def _epoch_loops(project: ProjectFacts, loader: Value) -> List[Loop]:
    """The loops around a training pass over the loader (epoch loops)."""
    found: List[Loop] = []
    for loop in training_loops(project, loader):
        for outer in project.enclosing_loops(loop):
            if outer not in found:
                found.append(outer)
    return found


def _dataset_changes(project: ProjectFacts, loader: Value, epochs: List[Loop]) -> bool:
    """A method of the dataset called in an epoch loop (`dataset.set_epoch(epoch)`, `.resample()`):
    persistent workers would keep copies made before it."""
    root = project.field_root(loader, "dataset")
    if root is None:
        return False
    calls = [site for site, _, r in _all_method_calls(project) if r == root]
    return any(project.inside(site, epoch) for site in calls for epoch in epochs)


def _all_method_calls(project: ProjectFacts):
    cached = project.__dict__.get("_tip306_calls")
    if cached is None:
        cached = project.__dict__["_tip306_calls"] = [
            item
            for method in {s.method for m in project.summaries.values() for s in m.calls if s.method}
            for item in project.all_method_calls(method)
        ]
    return cached


def _dataset_made_in(project: ProjectFacts, loader: Value, epochs: List[Loop]) -> bool:
    values = datasets_of(project, loader)
    return values is None or any(project.inside(v.site, epoch) for v in values for epoch in epochs)

"""TIP302 loader-never-shuffles: the loader that feeds training gives its batches in one order."""

from __future__ import annotations

from typing import Optional

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.loaders import dataset_style, has_sampler, literal, loader_arg, training_loaders
from tipcheck.facts.training import ProjectFacts, Value
from tipcheck.fixes.arguments import add_keyword, set_value
from tipcheck.rules.base import ProjectRule


class LoaderNeverShuffles(ProjectRule):
    code = "TIP302"
    name = "loader-never-shuffles"
    finds = "a training `DataLoader` over a map-style dataset with no sampler and no `shuffle=True`"
    fix_safety = "unsafe"
    summary = "The DataLoader that feeds training never shuffles: every epoch sees the batches in one order"
    needs_text = ("DataLoader",)
    fixable = "always"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        for loader in training_loaders(project, ctx.source.path):
            if not never_shuffles(project, loader):
                continue
            ctx.report(
                loader.site.node.func,
                "This DataLoader feeds the training loop but never shuffles (no `shuffle=True`, no sampler): "
                "every epoch sees the batches in the same order",
                self._fix(ctx, loader),
            )

    @staticmethod
    def _fix(ctx: RuleContext, loader: Value) -> Optional[Fix]:
        shuffle = loader_arg(loader, "shuffle")
        if shuffle is not None:
            edit = set_value(ctx, shuffle, "True")
        else:
            edit = add_keyword(ctx, loader.site.node, "shuffle", "True")
        if edit is None:
            return None
        return Fix((edit,), "Pass `shuffle=True`", Applicability.UNSAFE)


def never_shuffles(project: ProjectFacts, loader: Value) -> bool:
    """A training loader (``training_loaders``) over a map-style dataset the facts know, with no
    sampler, and `shuffle` missing or a literal False."""
    shuffle = loader_arg(loader, "shuffle")
    if shuffle is not None and literal(shuffle) is not False:
        return False  # True, or computed (`shuffle=is_train`)
    return not has_sampler(loader) and dataset_style(project, loader) == "map"

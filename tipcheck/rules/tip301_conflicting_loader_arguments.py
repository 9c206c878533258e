"""TIP301 conflicting-loader-arguments: DataLoader arguments that torch refuses with a ValueError."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.loaders import dataset_style, literal, loader_arg
from tipcheck.facts.training import ProjectFacts, Value
from tipcheck.fixes.arguments import drop_argument, set_value
from tipcheck.rules.base import ProjectRule


def conflicts(project: ProjectFacts, loader: Value) -> List[Tuple[cst.Arg, str]]:
    """The arguments of a DataLoader construction that make torch raise, with why (torch's checks
    in `DataLoader.__init__`, on literal values only: a computed `shuffle=` may be False)."""
    found: List[Tuple[cst.Arg, str]] = []
    shuffle, sampler = loader_arg(loader, "shuffle"), loader_arg(loader, "sampler")
    batch_sampler = loader_arg(loader, "batch_sampler")
    shuffles = literal(shuffle) is True
    if batch_sampler is not None and literal(batch_sampler) is not None:
        size = loader_arg(loader, "batch_size")
        if literal(size) not in (1, None, ...):
            found.append((size, "`batch_sampler` is mutually exclusive with `batch_size`"))
        if shuffles:
            found.append((shuffle, "`batch_sampler` is mutually exclusive with `shuffle`"))
        if sampler is not None and literal(sampler) is not None:
            found.append((sampler, "`batch_sampler` is mutually exclusive with `sampler`"))
        drop_last = loader_arg(loader, "drop_last")
        if literal(drop_last) is True:
            found.append((drop_last, "`batch_sampler` is mutually exclusive with `drop_last`"))
        return found
    if shuffles and sampler is not None and literal(sampler) is not None:
        found.append((shuffle, "`sampler` is mutually exclusive with `shuffle`"))
    elif shuffles and dataset_style(project, loader) == "iterable":
        found.append((shuffle, "an `IterableDataset` cannot be shuffled by the loader (`shuffle=True`)"))
    return found


class ConflictingLoaderArguments(ProjectRule):
    code = "TIP301"
    name = "conflicting-loader-arguments"
    finds = "`DataLoader` arguments that torch refuses (`sampler=` with `shuffle=True`, ...): a `ValueError`"
    fix_safety = "safe"
    summary = "DataLoader arguments that exclude each other: a ValueError when the loader is built"
    needs_text = ("DataLoader",)
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        for loader, _ in project.anchored("loader", ctx.source.path, at_helper=False):
            if loader.module_id != ctx.source.path:
                continue
            for arg, why in conflicts(project, loader):
                ctx.report(
                    arg,
                    f"{why}: building this DataLoader raises a ValueError",
                    self._fix(ctx, loader.site.node, arg),
                )

    @staticmethod
    def _fix(ctx: RuleContext, call: cst.Call, arg: cst.Arg) -> Optional[Fix]:
        if arg.star:
            return None
        if arg.keyword is not None:
            edit = drop_argument(ctx, call, arg)
            return Fix((edit,), f"Remove `{arg.keyword.value}=`", Applicability.SAFE)
        if literal(arg) is True:  # `DataLoader(ds, 32, True, sampler)`: shuffle in its place
            return Fix((set_value(ctx, arg, "False"),), "Pass `False` for `shuffle`", Applicability.SAFE)
        return None

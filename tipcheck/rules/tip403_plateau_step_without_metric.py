"""TIP403 plateau-step-without-metric: `ReduceLROnPlateau.step()` needs the metric it watches."""

from __future__ import annotations

from tipcheck.context import RuleContext
from tipcheck.facts.training import ProjectFacts
from tipcheck.rules.base import ProjectRule


class PlateauStepWithoutMetric(ProjectRule):
    code = "TIP403"
    name = "plateau-step-without-metric"
    finds = "`ReduceLROnPlateau.step()` without the metric (a `TypeError`)"
    fix_safety = "none"
    summary = "`ReduceLROnPlateau.step()` is called without a metric: a TypeError at run time"
    needs_text = ("ReduceLROnPlateau",)

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        seen = set()
        for value in project.values_called_in(ctx.source.path, "step", "scheduler"):
            if value.cls != "ReduceLROnPlateau" or not project.unambiguous(value):
                continue
            root = project.root_of(value)
            if root in seen:
                continue
            seen.add(root)
            for site, module_id in project.method_calls(root, "step"):
                if module_id == ctx.source.path and not site.node.args:
                    ctx.report(
                        site.node,
                        "`ReduceLROnPlateau.step()` needs the metric it watches (e.g. `scheduler.step(val_loss)`); "
                        "without it, it raises a TypeError",
                    )

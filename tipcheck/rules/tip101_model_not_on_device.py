"""TIP101 model-not-on-device: a trained model that is never placed on a device."""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.devices import batch_use
from tipcheck.facts.testcode import is_test_module
from tipcheck.facts.training import ProjectFacts, Value
from tipcheck.fixes.devices import batch_move_edit, device_variable
from tipcheck.fixes.statements import insert_after
from tipcheck.rules.base import ProjectRule
from tipcheck.rules.tip103_batch_not_on_device import consumers

# A script that mentions any of these chooses (or delegates) a device somewhere: stay silent.
_CHOOSES_DEVICE = re.compile(
    r"\b(?:cuda|device|devices|mps|xpu|tpu|xla|accelerate|accelerator|Accelerator|lightning|Trainer|init_process_group)\b"
)


class ModelNotOnDevice(ProjectRule):
    code = "TIP101"
    name = "model-not-on-device"
    finds = "a trained model never placed on a device, in a script that never chooses one"
    fix_safety = "unsafe"
    summary = "A trained model is never placed on a device and the script never chooses one: it trains on the CPU"
    needs_text = ("DataLoader",)
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        called = project.models_called_in_batch_loops()
        reported = set()
        # Only the models whose report belongs in this file (indexes, not scans: once per file).
        for model, _ in project.anchored("model", ctx.source.path):
            root = project.root_of(model)
            if root not in called or model.cls.endswith("Loss") or model.cls == "inferred" or project.is_escaped(model):
                continue
            if any(v.kind == "wrapper" for v in project.values_at(root)):
                continue  # wrapped for DDP or DataParallel: the device is a deliberate choice
            anchor, module_id = project.anchor_site(model)
            if module_id != ctx.source.path or id(anchor) in reported or not project.trains(model):
                continue
            reported.add(id(anchor))  # one report for a helper that builds the model on several branches
            if project.placements(root) or model.kwarg("device") is not None:
                continue
            loops = project.batch_loops_calling(root)
            if not loops:
                continue
            modules = {model.module_id, *(loop.module_id for loop in loops)}
            if any(_CHOOSES_DEVICE.search(project.summaries[m].text) for m in modules):
                continue
            if any(is_test_module(m, project.summaries[m].text) for m in modules):
                continue  # a unit test trains on the CPU on purpose
            ctx.report(
                anchor.node,
                "This model is trained but never placed on a device, and the script never chooses one: "
                "it trains on the CPU even where a GPU is available",
                self._fix(ctx, project, model, anchor, loops),
            )

    @staticmethod
    def _fix(ctx: RuleContext, project: ProjectFacts, model: Value, anchor, loops) -> Optional[Fix]:
        if anchor is not model.site or any(loop.module_id != ctx.source.path for loop in loops):
            return None
        stmt = model.site.ctx.stmt
        if not (
            isinstance(stmt, cst.SimpleStatementLine)
            and len(stmt.body) == 1
            and isinstance(stmt.body[0], cst.Assign)
            and stmt.body[0].value is model.site.node
            and len(stmt.body[0].targets) == 1
        ):
            return None
        variable = device_variable(ctx, model.site)
        if variable is None:
            return None
        device, idiom = variable
        target = ctx.module.code_for_node(stmt.body[0].targets[0].target)
        edits = [insert_after(ctx, _last_change(ctx, model, stmt, target), f"{target}.to({device})"), *idiom]
        root = project.root_of(model)
        for loop in loops:
            if not isinstance(loop.node, cst.For):
                return None
            use = batch_use(loop.node, consumers(project, ctx.source.path, root))
            if use is None or (not use.unmoved and use.batch_name is None):
                return None
            edit = batch_move_edit(ctx, loop.node, use, use.unmoved, device)
            if edit is None:
                return None
            edits.append(edit)
        return Fix(tuple(edits), "Choose a device, move the model and each batch to it", Applicability.UNSAFE)


def _last_change(ctx: RuleContext, model: Value, stmt: cst.SimpleStatementLine, target: str) -> cst.CSTNode:
    """The statement after which to move the model: its construction, or the last statement of
    the same block that changes it (`model.fc = nn.Linear(...)` replaces the head on the CPU)."""
    block = next((b for s, b in model.site.ctx.stmt_path if s is stmt), None)
    if not block:
        return stmt
    last = stmt
    for later in list(block)[list(block).index(stmt) + 1 :]:
        if not isinstance(later, cst.SimpleStatementLine):
            continue
        for small in later.body:
            targets = small.targets if isinstance(small, cst.Assign) else []
            for assign_target in targets:
                text = ctx.module.code_for_node(assign_target.target)
                if text.startswith((f"{target}.", f"{target}[")):
                    last = later
    return last

"""TIP103 batch-not-on-device: the model is on a device, the batch the loader yields is not."""

from __future__ import annotations

from typing import List, Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.devices import BatchUse, batch_use, code, is_device_move
from tipcheck.facts.flow import CallSite
from tipcheck.facts.training import Loop, ProjectFacts, Value
from tipcheck.fixes.devices import batch_move_edit
from tipcheck.rules.base import ProjectRule


def consumers(project: ProjectFacts, module_id: str, root, model_moves_inputs: bool = False):
    """A predicate: is a call the model (at ``root``) or a loss? With ``model_moves_inputs``
    (DataParallel, DDP), only losses count: the wrapper moves the model's inputs itself."""

    def is_consumer(call: cst.Call) -> bool:
        site = project.site_of(call, module_id)
        if site is None:
            return False
        if site.func_path is not None and project.root(site.func_path) == root:
            return not model_moves_inputs
        return project.is_loss(site)

    return is_consumer


def data_already_placed(project: ProjectFacts, loader: Value) -> bool:
    """A loader whose batches may already be on the device: a custom collate_fn, or a dataset
    made of tensors that were moved (or created with `device=`)."""
    if loader.kwarg("collate_fn") is not None:
        return True
    path = loader.site.kwargs.get("dataset") or (loader.site.args[0] if loader.site.args else None)
    root = project.root(path)
    text = code(loader.site.node)
    if root is not None:
        for site in project.sites_with_result(root):
            text += code(site.node)
            # TensorDataset(x_all, y_all) after `x_all = x_all.to(device)`: its tensors are placed.
            for arg in (*site.args, *site.kwargs.values()):
                arg_root = project.root(arg)
                if arg_root is not None and any(is_device_move(s.node) for s in project.placements(arg_root)):
                    return True
    return ".cuda(" in text or ".to(" in text or "device" in text


class BatchNotOnDevice(ProjectRule):
    code = "TIP103"
    name = "batch-not-on-device"
    finds = "the model is on a device, the batch from the loader is not"
    fix_safety = "unsafe"
    summary = "The model is placed on a device but the batch from the loader reaches it (or the loss) unmoved"
    needs_text = ("DataLoader",)
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        for loop in project.loops_in(ctx.source.path):
            if not loop.is_batch_loop or not isinstance(loop.node, cst.For):
                continue
            if any(data_already_placed(project, loader) for loader in loop.loaders):
                continue
            for root in project.models_called_in(loop):
                models = project.values_at(root)
                wrapped = any(v.kind == "wrapper" for v in models)  # DataParallel/DDP move the inputs
                if any(v.cls.endswith("Loss") or project.is_escaped(v) for v in models if v.kind == "model"):
                    continue
                moves = [s for s in project.placements(root) if is_device_move(s.node)]
                if not moves:
                    continue
                use = batch_use(loop.node, consumers(project, ctx.source.path, root, model_moves_inputs=wrapped))
                if use is None or not use.unmoved or use.first_use is None:
                    continue
                shown = ", ".join(f"`{n}`" for n in use.unmoved)
                ctx.report(
                    use.first_use,
                    f"The model is on a device but the batch ({shown}) reaches it or the loss unmoved: "
                    '"Expected all tensors to be on the same device"',
                    self._fix(ctx, project, loop, use, moves, root),
                )

    @staticmethod
    def _fix(ctx, project: ProjectFacts, loop: Loop, use: BatchUse, moves: List[CallSite], root) -> Optional[Fix]:
        device = _device_of(ctx, project, loop, moves, root)
        if device is None:
            return None
        edit = batch_move_edit(ctx, loop.node, use, use.unmoved if use.batch_name is None else [], device)
        if edit is None:
            return None
        return Fix((edit,), f"Move the batch to `{device}` at the top of the loop", Applicability.UNSAFE)


def _device_of(ctx, project: ProjectFacts, loop: Loop, moves: List[CallSite], root) -> Optional[str]:
    """How to name the model's device inside the loop: the same expression as the model's
    `.to(...)` when it is a plain name or attribute, else the model's own parameters' device."""
    expressions = set()
    for site in moves:
        call = site.node
        if call.func.attr.value == "to" and call.args and isinstance(call.args[0].value, (cst.Name, cst.Attribute)):
            expressions.add(code(call.args[0].value))
        else:
            expressions.add(None)
    scope = project.scope_of_func(loop.record.ctx.func)
    if len(expressions) == 1 and None not in expressions:
        expression = expressions.pop()
        head = expression.split(".", 1)[0]
        if scope is not None and scope.lookup_scope(head) is not None:
            return expression
    model = project.expression_for(root, loop.record.ctx.func)
    return f"next({model}.parameters()).device" if model else None

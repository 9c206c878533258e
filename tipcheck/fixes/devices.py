"""The device idiom: `device = torch.device("cuda" if torch.cuda.is_available() else "cpu")`."""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Edit
from tipcheck.facts.flow import CallSite
from tipcheck.fixes.statements import insert_after

IDIOM_VALUE = 'torch.device("cuda" if torch.cuda.is_available() else "cpu")'


def _module_device_variable(ctx: RuleContext) -> Optional[str]:
    """A module-level variable that already holds a CUDA-or-CPU device choice."""
    for stmt in ctx.module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                text = ctx.module.code_for_node(small.value)
                if "torch.device(" in text and "is_available" in text:
                    name = small.targets[0].target.value
                    if ctx.facts.module_scope.bindings.get(name, []) == [None]:
                        return name
    return None


def device_variable(ctx: RuleContext, site: CallSite) -> Optional[Tuple[str, Tuple[Edit, ...]]]:
    """The name of a device variable usable at ``site``, and the edits that define it if needed.

    An existing module-level device choice is reused; otherwise `device = <idiom>` is added right
    after the module's first `import torch`, once (identical edits from several fixes merge).
    """
    module_scope = ctx.facts.module_scope
    summary = ctx.facts.flow(ctx.source.path)
    record = summary.funcs.get(site.ctx.func)
    scope = record.scope if record is not None else module_scope
    existing = _module_device_variable(ctx)
    name = existing or "device"
    if scope.lookup_scope(name) not in (None, module_scope):
        return None  # a local `device` would shadow the module's
    if existing is not None:
        return existing, ()
    if "device" in module_scope.bindings or module_scope.lookup("torch") != ["torch"]:
        return None
    line = _last_leading_import(ctx.module)
    torch_line = module_scope.first_import_lines.get("torch")
    if torch_line is None:
        return None
    body = list(ctx.module.body)
    if line is None or (torch_line in body and line in body and body.index(torch_line) > body.index(line)):
        line = torch_line  # torch is imported after the opening block (os.environ set first, say)
    return "device", (insert_after(ctx, line, f"device = {IDIOM_VALUE}"),)


def _last_leading_import(module: cst.Module) -> Optional[cst.SimpleStatementLine]:
    """The last import of the module's opening block of imports (after its docstring)."""
    last = None
    for index, stmt in enumerate(module.body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            break
        if all(isinstance(small, (cst.Import, cst.ImportFrom)) for small in stmt.body):
            last = stmt
        elif index == 0 and isinstance(stmt.body[0], cst.Expr) and isinstance(stmt.body[0].value, cst.SimpleString):
            continue  # the docstring
        else:
            break
    return last


def batch_move_edit(ctx: RuleContext, loop_node: cst.For, use, names, device: str) -> Optional[Edit]:
    """An edit that moves the batch tensors ``names`` to ``device`` at the top of a batch loop,
    matching how the batch is unpacked: names, a tuple, a dict or a list."""
    from tipcheck.fixes.statements import insert_after, insert_before

    body = loop_node.body.body
    if use.batch_name is not None:
        name = use.batch_name
        # Batches often hold more than tensors (file names, lengths as lists): move what can move.
        if use.subscripted == "str":
            code = f'{name} = {{k: v.to({device}) if hasattr(v, "to") else v for k, v in {name}.items()}}'
        elif use.subscripted == "int":
            code = f'{name} = [t.to({device}) if hasattr(t, "to") else t for t in {name}]'
        else:
            code = f"{name} = {name}.to({device})"
        return insert_before(ctx, body[0], code)
    if not names:
        return None
    targets = ", ".join(names)
    values = ", ".join(f"{n}.to({device})" for n in names)
    code = f"{targets} = {values}"
    if use.unpack is not None:
        return insert_after(ctx, use.unpack, code)
    first = body[0]
    return insert_before(ctx, first, code)

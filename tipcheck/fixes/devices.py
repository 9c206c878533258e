"""The device idiom: `device = torch.device("cuda" if torch.cuda.is_available() else "cpu")`."""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Edit
from tipcheck.facts import dotted_name
from tipcheck.facts.flow import CallSite
from tipcheck.facts.nodecode import code
from tipcheck.fixes.order import runs_before
from tipcheck.fixes.statements import insert_after

IDIOM_VALUE = 'torch.device("cuda" if torch.cuda.is_available() else "cpu")'


def idiom(torch: str = "torch") -> str:
    """The device idiom, with ``torch`` the name the module gives the torch package."""
    return f'{torch}.device("cuda" if {torch}.cuda.is_available() else "cpu")'


def _module_device_variable(ctx: RuleContext) -> Optional[Tuple[str, int]]:
    """A module-level variable that already holds a CUDA-or-CPU device choice, and the index of
    its statement in the module's body."""
    for index, stmt in enumerate(ctx.module.body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
            ):
                text = code(small.value)
                if ".device(" in text and "is_available" in text:
                    name = small.targets[0].target.value
                    if ctx.facts.module_scope.bindings.get(name, []) == [None]:
                        return name, index
    return None


def _binds_torch(stmt: cst.CSTNode, name: str) -> bool:
    """Whether the top-level statement ``stmt`` binds ``name`` to the torch package
    (`import torch`, `import torch.nn`, `import torch as th`)."""
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if not isinstance(small, cst.Import):
            continue
        for alias in small.names:
            full = dotted_name(alias.name)
            if alias.asname is not None:
                if full == "torch" and isinstance(alias.asname.name, cst.Name) and alias.asname.name.value == name:
                    return True
            elif full.split(".", 1)[0] == name == "torch":
                return True
    return False


def _torch_at_module_level(ctx: RuleContext) -> Optional[Tuple[str, int, bool]]:
    """Where a module-level definition can use torch: (the name torch goes by, the index of the
    top-level statement to put the definition after, whether `import torch` goes there first).

    The place is after the module's opening block of imports, or after its first import of torch
    if that comes later (`os.environ` set before it, say). A name bound to torch only further down
    (`from torch import nn` at the top, `import torch` after the code) is imported there too:
    torch is loaded by then, so the added import only binds the name. None when the module imports
    nothing from torch at its top level, or the name torch is bound to something else.
    """
    module_scope = ctx.facts.module_scope
    body = list(ctx.module.body)
    first_torch = module_scope.first_import_lines.get("torch")
    if first_torch is None or first_torch not in body:
        return None
    place = body.index(first_torch)
    leading = _last_leading_import(ctx.module)
    if leading is not None and leading in body:
        place = max(place, body.index(leading))
    # The name: `torch`, else an alias bound to torch alone (`import torch as th`), else `torch`
    # added by an import where the name is free.
    names = [n for n, bound in module_scope.bindings.items() if bound and all(b == "torch" for b in bound)]
    names.sort(key=lambda n: (n != "torch", n))
    bound_at = {}
    for name in names:
        at = next((i for i, stmt in enumerate(body) if _binds_torch(stmt, name)), None)
        if at is not None:
            bound_at[name] = at
    for name, at in bound_at.items():
        if at <= place:
            return name, place, False
    if bound_at:
        return next(iter(bound_at)), place, True
    if ctx.facts.is_bound("torch"):
        return None
    return "torch", place, True


def device_variable(ctx: RuleContext, site: CallSite) -> Optional[Tuple[str, Tuple[Edit, ...]]]:
    """The name of a device variable usable at ``site``, and the edits that define it if needed.

    An existing module-level device choice is reused; otherwise `device = <idiom>` is added after
    the module's opening imports (see _torch_at_module_level), once (identical edits from several
    fixes merge). Either way the definition must run before ``site`` does (tipcheck.fixes.order):
    if it cannot, there is no device variable.
    """
    module_scope = ctx.facts.module_scope
    summary = ctx.facts.flow(ctx.source.path)
    record = summary.funcs.get(site.ctx.func)
    scope = record.scope if record is not None else module_scope
    existing = ctx.once("module device variable", _module_device_variable)
    name = existing[0] if existing is not None else "device"
    if scope.lookup_scope(name) not in (None, module_scope):
        return None  # a local `device` would shadow the module's
    in_function = record is not None
    if existing is not None:
        return (name, ()) if runs_before(ctx, existing[1], site.node, in_function) else None
    if "device" in module_scope.bindings:
        return None
    torch = ctx.once("torch at module level", _torch_at_module_level)
    if torch is None:
        return None
    torch_name, place, add_import = torch
    if not runs_before(ctx, place, site.node, in_function):
        return None
    anchor = ctx.module.body[place]
    import_line = "import torch" if torch_name == "torch" else f"import torch as {torch_name}"
    code = f"device = {idiom(torch_name)}"
    edit = insert_after(ctx, anchor, code)
    if add_import:  # one edit, so that the import always comes first
        before = insert_after(ctx, anchor, import_line)
        edit = Edit(edit.start, edit.end, before.content + edit.content)
    return "device", (edit,)


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

"""TIP505 process-group-never-destroyed: `init_process_group` with no `destroy_process_group()`."""

from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Edit, Fix
from tipcheck.facts.kept import per_statement
from tipcheck.facts.ranks import (
    RankGuards,
    code_of,
    conditional,
    enclosing_function,
    is_main_guard,
    rank_test,
    stacks_of,
)
from tipcheck.facts.walk import walk
from tipcheck.fixes.imports import reach
from tipcheck.fixes.statements import indentation, insert_after, insert_before
from tipcheck.rules.base import ProjectRule

INITS = frozenset({"torch.distributed.init_process_group", "torch.distributed.distributed_c10d.init_process_group"})
# A helper that only sets the group up (`setup`, `init_distributed_mode`, `ddp_setup`): the group
# is destroyed at the end of its caller, not its own.
_SETUP = re.compile(r"setup|init|dist|ddp|process_group|prepare|env|launch", re.IGNORECASE)


class ProcessGroupNeverDestroyed(ProjectRule):
    code = "TIP505"
    name = "process-group-never-destroyed"
    finds = "`init_process_group` with no `destroy_process_group()` anywhere on the way out"
    fix_safety = "unsafe"
    summary = "A process group is initialised and never destroyed: torch warns at exit and may leak or hang"
    needs_text = ("init_process_group",)
    fixable = "sometimes"
    expands = False
    reads_linted = True

    def check(self, ctx: RuleContext) -> None:
        # A name in the code is in the text; each top-level statement's are kept with it (tipcheck.facts.kept).
        text = ctx.source.text
        destroys = (
            per_statement(ctx.kept, ctx.module.body, "destroys", _destroy_references)
            if "destroy_process_group" in text
            else []
        )
        if destroys and not all(destroys):
            return  # called, or handed to atexit / a cleanup helper, in this module
        linted = getattr(ctx.project, "linted", None) or {}
        if any("destroy_process_group" in text for path, text in linted.items() if path != ctx.source.path):
            return  # another module may destroy it (its cleanup(), atexit): unknown, so silent
        inits = [(call, scope) for call, scope, name in ctx.facts.callees() if name in INITS]
        if not inits:
            return
        stacks = stacks_of(ctx.module)
        fixed = False
        for call, scope in inits:
            if destroys:  # every destroy is for the chosen ranks only (`if rank == 0:`)
                ctx.report(
                    call,
                    "This process group is destroyed only under a rank check: every other rank exits with it "
                    "alive, so torch warns at exit there (NCCL) and pending work may leak or hang the shutdown; "
                    "call `destroy_process_group()` on every rank",
                )
                continue
            fix = None if fixed else self._fix(ctx, stacks, call, scope)
            fixed = fixed or fix is not None
            ctx.report(
                call,
                "This process group is never destroyed: no `destroy_process_group()` runs on the way out, so "
                'torch warns at exit (NCCL: "destroy_process_group() was not called before program exit") '
                "and pending work or communicators may leak or hang the shutdown",
                fix,
            )

    def _fix(self, ctx: RuleContext, stacks, call: cst.Call, scope) -> Optional[Fix]:
        stack = stacks.of.get(id(call), ())
        place = _place(stacks, stack)
        if place is None:
            return None
        body, guarded = place
        name, edits = _destroy_name(ctx, call, scope)
        if name is None:
            return None
        destroy = f"{name}()"
        if guarded:
            head = name.rsplit(".", 1)[0] if "." in name else None
            if head is None:
                return None
            code = f"if {head}.is_initialized():{ctx.source.newline}{{indent}}    {destroy}"
        else:
            code = destroy
        last = body[-1]
        leaves = _leaves(last)
        if leaves == "calls":
            return None  # `sys.exit(main())`, `return train()`: the group is still needed by that call
        if leaves == "plain" and len(body) > 1:
            indent = indentation(ctx, last)
            edit = insert_before(ctx, last, code.replace("{indent}", indent))
        else:
            indent = indentation(ctx, body[0])
            edit = insert_after(ctx, last, code.replace("{indent}", indent), indent=indent)
        return Fix((*edits, edit), f"Call `{destroy}` at the end", Applicability.UNSAFE)


def _destroy_references(module: cst.CSTNode) -> List[bool]:
    """Each place the code (not its strings or comments) names `destroy_process_group`, with
    whether it is in the body of an `if` that picks some ranks (`if args.rank == 0:`): there
    only those ranks destroy the group. ``module``: a module, or one of its top-level statements
    (an `if` and its bodies lie within one)."""
    found: List[bool] = []
    bodies: List[cst.CSTNode] = []

    class Visit(cst.CSTVisitor):
        def visit_If(self, node: cst.If) -> None:
            if rank_test(code_of(node.test)):
                bodies.append(node.body)

        def leave_If(self, original_node: cst.If) -> None:
            if bodies and bodies[-1] is original_node.body:
                bodies.pop()

        def visit_Else(self, node: cst.Else) -> bool:
            # The else of a rank test runs on the other ranks: look at it apart.
            saved = list(bodies)
            bodies.clear()
            walk(node.body, self)
            bodies.extend(saved)
            return False

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == "destroy_process_group":
                found.append(bool(bodies))

    walk(module, Visit())
    return found


_EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit"})


def _leaves(stmt: cst.CSTNode) -> Optional[str]:
    """For a last statement that leaves (`return x`, `raise ...`, `sys.exit(...)`): "plain" when
    what it evaluates calls nothing (the destroy goes before it), "calls" when it does
    (`sys.exit(main())`: no place for the destroy); None for any other statement."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, (cst.Return, cst.Raise)):
        value = small.value if isinstance(small, cst.Return) else small.exc
    elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and code_of(small.value.func) in _EXITS:
        value = cst.Tuple([cst.Element(a.value) for a in small.value.args]) if small.value.args else None
    else:
        return None
    if value is None:
        return "plain"
    calls = []

    class Visit(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            calls.append(node)

    walk(value, Visit())
    return "calls" if calls and not isinstance(small, cst.Raise) else "plain"


def _body(node: cst.CSTNode) -> Optional[Sequence[cst.CSTNode]]:
    block = getattr(node, "body", None)
    if isinstance(node, cst.Module):
        return node.body
    if isinstance(block, cst.IndentedBlock):
        return block.body
    return None


def _has_loop(node: cst.CSTNode) -> bool:
    found = []

    class Visit(cst.CSTVisitor):
        def visit_For(self, n):
            found.append(n)

        def visit_While(self, n):
            found.append(n)

        def visit_FunctionDef(self, n):
            return n is node

    walk(node, Visit())
    return bool(found)


def _place(stacks, stack: Sequence[cst.CSTNode], depth: int = 0) -> Optional[Tuple[Sequence[cst.CSTNode], bool]]:
    """(the body whose end the destroy goes to, whether it needs `if ...is_initialized():`): the
    function that initialised the group, unless it is a setup helper (named so, no loop in it:
    `def setup(rank, world): init_process_group(...)`), then the end of its only caller; the
    `if __name__ == "__main__":` block, or the module, for a group initialised at module level."""
    index = enclosing_function(stack)
    if index is None:
        guarded = conditional(stack, 0)
        for position, node in enumerate(stack):
            if is_main_guard(node) and position + 1 < len(stack) and stack[position + 1] is node.body:
                return node.body.body, conditional(stack, position + 1)
        if isinstance(stack[0], cst.Module) and not any(isinstance(n, (cst.ClassDef, cst.Lambda)) for n in stack):
            return stack[0].body, guarded
        return None
    func = stack[index]
    if not isinstance(func, cst.FunctionDef) or not isinstance(func.body, cst.IndentedBlock):
        return None
    guarded = conditional(stack, index)
    if _has_loop(func) or not _SETUP.search(func.name.value):
        return func.body.body, guarded
    if depth > 0:
        return None
    callers = RankGuards(stacks_module(stacks), stacks).references(func.name.value)
    calls = [c for c in callers if _calls(c, func.name.value)]
    if len(calls) != 1 or len(callers) != 1:
        return None
    place = _place(stacks, stacks.of[id(calls[0])], depth + 1)
    if place is None:
        return None
    return place[0], place[1] or guarded


def stacks_module(stacks) -> cst.Module:
    return next(iter(stacks.of.values()))[0]


def _calls(call: cst.Call, name: str) -> bool:
    func = call.func
    return (isinstance(func, cst.Name) and func.value == name) or (
        isinstance(func, cst.Attribute) and func.attr.value == name
    )


def _destroy_name(ctx: RuleContext, call: cst.Call, scope) -> Tuple[Optional[str], Tuple[Edit, ...]]:
    """How to call destroy_process_group where the init call is made: through the same module
    name (`dist.init_process_group` -> `dist.destroy_process_group`), or imported next to it."""
    func = call.func
    if isinstance(func, cst.Attribute):
        head = cst.Module(body=[]).code_for_node(func.value)
        root = head.split(".", 1)[0]
        module_scope = ctx.facts.module_scope
        if module_scope.lookup(root) is not None and module_scope.lookup(root) == scope.lookup(root):
            return f"{head}.destroy_process_group", ()
        return None, ()
    if isinstance(func, cst.Name):
        found = reach(ctx, ctx.facts.module_scope, func.value, "torch.distributed", "destroy_process_group")
        if found is None:
            return None, ()
        return found[0], found[1]
    return None, ()

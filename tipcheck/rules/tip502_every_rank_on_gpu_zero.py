"""TIP502 every-rank-on-gpu-zero: a DDP script places on plain `cuda` and never pins a GPU per rank."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.local_rank import (
    Placements,
    ddp_calls,
    local_rank_name,
    parents_of,
    process_group_calls,
    spawns,
    statement_path,
)
from tipcheck.fixes.imports import reach_module
from tipcheck.fixes.statements import indentation, insert_after, is_lone_call
from tipcheck.rules.base import Rule


class EveryRankOnGpuZero(Rule):
    code = "TIP502"
    name = "every-rank-on-gpu-zero"
    finds = (
        "a DDP script that places on `cuda` / `.cuda()` with no index and never calls "
        "`torch.cuda.set_device(local_rank)` nor passes `device_ids`"
    )
    fix_safety = "unsafe"
    summary = "Every rank of this DDP script places on plain `cuda` with no per-rank device: all of them use GPU 0"
    needs_text = ("init_process_group",)
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        facts = ctx.facts
        groups = process_group_calls(facts)
        if not groups or not ddp_calls(facts):
            return
        text = ctx.source.text
        placements = Placements(facts, text, ctx.kept)
        if placements.pinned or not placements.plain:
            return
        call, scope = groups[0]
        ctx.report(
            call,
            "This DDP script places its model and batches on `cuda` with no device index and never calls "
            "`torch.cuda.set_device(local_rank)` (nor passes `device_ids=[local_rank]`): every rank uses GPU 0 "
            "(NCCL: 'Duplicate GPU detected'; otherwise every rank's memory and work on one card)",
            self._fix(ctx, groups, placements, text),
        )

    def _fix(self, ctx: RuleContext, groups, placements: Placements, text: str) -> Optional[Fix]:
        """`torch.cuda.set_device(local_rank)` on the line after the one `init_process_group(...)`
        (a statement of its own), behind `if torch.cuda.is_available():` unless the backend is
        the literal "nccl"; `local_rank` is the script's own variable or the LOCAL_RANK variable
        torchrun sets (not for scripts that start their ranks themselves, or pass `rank=`)."""
        if len(groups) != 1:
            return None
        call, scope = groups[0]
        parents = parents_of(ctx.facts.module)
        path = statement_path(parents, call)
        if not path or not is_lone_call(path[-1][0], call):
            return None
        stmt = path[-1][0]
        start = ctx.range(stmt)[0]
        function = next((s for s, _ in reversed(path) if isinstance(s, cst.FunctionDef)), None)
        for node in placements.plain:
            if _inside(parents, node, function) and ctx.range(node)[0] < start:
                return None  # placed before the group exists: too late after it
        local = local_rank_name(path)
        edits = []
        if local is None:
            if spawns(text) or any(a.keyword is not None and a.keyword.value == "rank" for a in call.args):
                return None  # LOCAL_RANK may not be set
            found = reach_module(ctx, scope, "os")
            if found is None:
                return None
            os_name, os_edits = found
            edits.extend(os_edits)
            local = f'int({os_name}.environ["LOCAL_RANK"])'
        found = reach_module(ctx, scope, "torch")
        if found is None:
            return None
        torch_name, torch_edits = found
        edits.extend(torch_edits)
        set_device = f"{torch_name}.cuda.set_device({local})"
        backend = next((a.value for a in call.args if a.keyword is None or a.keyword.value == "backend"), None)
        nccl = isinstance(backend, cst.SimpleString) and backend.evaluated_value == "nccl"
        if nccl:
            line = set_device
        else:
            indent = indentation(ctx, stmt)
            line = f"if {torch_name}.cuda.is_available():{ctx.source.newline}{indent}    {set_device}"
        edits.append(insert_after(ctx, stmt, line))
        return Fix(tuple(edits), f"Call `{set_device}` after `init_process_group`", Applicability.UNSAFE)


def _inside(parents, node: cst.CSTNode, function: Optional[cst.CSTNode]) -> bool:
    """Whether ``node`` is in ``function`` (None: at module level, outside any function)."""
    parent = parents.get(node)
    while parent is not None:
        if isinstance(parent, (cst.FunctionDef, cst.Lambda)):
            return parent is function
        parent = parents.get(parent)
    return function is None

"""TIP504 checkpoint-saved-by-every-rank: every process of a DDP run writes the same checkpoint."""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Edit, Fix
from tipcheck.facts.ranks import RankGuards, code_of, conditional, enclosing_function, statement_of
from tipcheck.facts.scopes import resolve
from tipcheck.fixes.statements import indentation, is_lone_call
from tipcheck.rules.base import Rule

SAVES = frozenset({"torch.save", "torch.serialization.save"})
INITS = frozenset({"torch.distributed.init_process_group", "torch.distributed.distributed_c10d.init_process_group"})
# What a training script saves: a model, an optimizer, a state dict, a checkpoint dict.
_SAVED = re.compile(r"state|model|net|optim|ckpt|checkpoint|module|weight|param|save|snapshot|best", re.IGNORECASE)
# FSDP: every rank must save its own shard (sharded or local state dicts), and which of its
# saves hold a shard is not told apart here: the whole script is left alone. (torch.distributed.
# checkpoint's `dcp.save`, which every rank calls, is not `torch.save`: never reported.)
_SHARDED = re.compile(r"FullyShardedDataParallel|\bFSDP\b|fully_shard|SHARDED_STATE_DICT|LOCAL_STATE_DICT")
_SHARDED_WORDS = ("FSDP", "fully_shard", "FullyShardedDataParallel", "SHARDED_STATE_DICT", "LOCAL_STATE_DICT")


class CheckpointSavedByEveryRank(Rule):
    code = "TIP504"
    name = "checkpoint-saved-by-every-rank"
    finds = "`torch.save` of a model, optimizer or checkpoint in a DDP script with no rank-0 guard"
    fix_safety = "unsafe"
    summary = "Every rank of a DDP run saves the same checkpoint with torch.save: N writers of one file"
    needs_text = ("init_process_group", "DistributedDataParallel")
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        text = ctx.source.text
        if any(word in text for word in _SHARDED_WORDS) and _SHARDED.search(text):
            return
        callees = [(call, scope, name or "") for call, scope, name in ctx.facts.callees()]
        if not any(name in INITS or name.endswith(".DistributedDataParallel") for _, _, name in callees):
            return  # no process group or DDP model made here (a comment that names DDP is not one)
        saves = [(call, scope) for call, scope, name in callees if name in SAVES]
        if not saves:
            return
        guards = RankGuards(ctx.module)
        for call, scope in saves:
            if len(call.args) < 2 or any(a.star for a in call.args):
                continue
            obj, target = call.args[0].value, call.args[1].value
            if not (isinstance(obj, (cst.Dict, cst.DictComp)) or _SAVED.search(code_of(obj))):
                continue
            if guards.names_rank(target) or "BytesIO" in text and isinstance(target, cst.Name):
                continue  # a file per rank (its path, or a name assigned it, names the rank), or a buffer
            if guards.guarded(call):
                continue
            ctx.report(
                call,
                "Every process of this DDP run executes this `torch.save`, so all ranks write the same "
                "checkpoint at once (a torn or corrupt file, N times the I/O); save on rank 0 only",
                self._fix(ctx, guards, call, scope),
            )

    def _fix(self, ctx: RuleContext, guards: RankGuards, call: cst.Call, scope) -> Optional[Fix]:
        stack = guards.stacks.of.get(id(call), ())
        stmt = statement_of(stack)
        if not is_lone_call(stmt, call):
            return None
        source = ctx.source
        start, end = ctx.range(stmt)
        row = source.location(start).row
        if source.location(end).row != row:
            return None  # a statement over several lines: not re-indented
        name = _distributed_name(ctx, scope)
        if name is None:
            return None
        test = f"{name}.get_rank() == 0"
        if not _initialised_unconditionally(ctx, guards):
            test = f"not {name}.is_initialized() or {test}"
        indent = indentation(ctx, stmt)
        line_start = source.line_starts[row - 1]
        line = source.line_text(row)
        new = f"{indent}if {test}:{source.newline}{indent}    {line[len(indent) :]}"
        return Fix(
            (Edit(line_start, line_start + len(line), new),),
            f"Save on rank 0 only (`if {test}:`)",
            Applicability.UNSAFE,
        )


def _distributed_name(ctx: RuleContext, scope) -> Optional[str]:
    """How the file names torch.distributed where the call is: a name bound to it (`dist`), else
    `torch.distributed` through a visible `torch`."""
    current = scope
    while current is not None:
        for name, bindings in current.bindings.items():
            if bindings == ["torch.distributed"] and scope.lookup(name) == ["torch.distributed"]:
                return name
        current = current.parent
    if scope.lookup("torch") == ["torch"]:
        return "torch.distributed"
    return None


def _initialised_unconditionally(ctx: RuleContext, guards: RankGuards) -> bool:
    """The file initialises the process group with a call that runs whenever its function does."""
    for call, scope in ctx.facts.calls:
        if resolve(call.func, scope) in INITS:
            stack = guards.stacks.of.get(id(call), ())
            func = enclosing_function(stack)
            if not conditional(stack, func if func is not None else 0):
                return True
    return False

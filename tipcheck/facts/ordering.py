"""The order in which calls run within one iteration of a loop, through project helper calls.

A call may run in a loop's iteration directly (a statement of the loop's body holds it) or through
project functions the body calls: `train(epoch)` whose body holds the batch loop and
`optimizer.step()`, `self.train_epoch(loader)`, `trainer.train_one_epoch(...)` in another module,
through further helpers. A *path* says how: for each level, the statement of the block that runs
it (the loop's body first, then the body of each function called on the way) and the call made
from that statement to go one level down (None at the last level, where the call itself is).

Two paths are ordered where they first part: at the first level where their statements differ,
the earlier statement runs first (both statements are in one block there, since everything above
was the same call). Where both go on inside one compound statement (`if (i + 1) % k == 0:` holding
`scheduler.step()` then `optimizer.step()`), the path goes on into the nested block, one level per
statement: inside one block they are ordered the same way; in different blocks of the statement
(the `if` and the `else`), or where they go on by different calls, or one ends in the statement,
their order is not known: such pairs are not ordered.

``runs_first`` asks whether one call runs before every one of some others in each iteration (the
scheduler step before every optimizer step); ``Divergence`` says where, for a fix that moves it.
``runs_before_loop`` asks whether a call runs once before a loop starts (a trainer's constructor
that steps the scheduler, before the training loop).

A call to a method of a value that may be one of several project classes runs one of several
functions: paths through different ones are alternatives, never ordered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import libcst as cst

from tipcheck.facts.flow import CallSite, Key, LoopRecord

MAX_DEPTH = 6  # calls followed down from the loop's body
MAX_PATHS = 24  # paths kept for one call; past that its order is not known

# (index in the block, statement, call made from it (None inside a compound statement the path goes
# on into, and at the call itself), the block, the function whose code holds the block)
Level = Tuple[int, cst.CSTNode, Optional[CallSite], Sequence[cst.CSTNode], Key]
Path = Tuple[Level, ...]


@dataclass(eq=False)
class Divergence:
    """Where a call (``first``) is found to run before others in a loop's iteration: the block
    (``func``'s body, or the loop's body at ``level`` 0) in which its path parts from the earliest
    of theirs, its statement there and theirs."""

    level: int
    func: Key  # the function whose code holds ``block``
    block: Sequence[cst.CSTNode]
    first_stmt: cst.CSTNode
    first_ends_here: bool  # the call itself is in ``first_stmt`` (not in a helper called from it)
    other_stmt: cst.CSTNode
    other: CallSite  # the call of ``others`` that runs first after ``first``
    other_call: Optional[CallSite]  # the call of ``other_stmt`` through which it runs (None: it is there itself)
    first_path: Path
    first_paths: int  # how many paths ``first`` has (a fix moves it only when there is one)


def _body(node: cst.CSTNode) -> Optional[Sequence[cst.CSTNode]]:
    body = getattr(node, "body", None)
    return body.body if isinstance(body, cst.IndentedBlock) else None


def _index(block: Sequence[cst.CSTNode], stmt: cst.CSTNode) -> int:
    return next(i for i, s in enumerate(block) if s is stmt)


def _levels(stmt_path, block: Sequence[cst.CSTNode], call: Optional[CallSite], func: Key) -> Optional[Path]:
    """The levels from ``block`` (of ``func``) down to the innermost statement of ``stmt_path`` (the
    one holding the call), through the nested blocks of compound statements; ``call`` goes on the
    last one."""
    start = next((i for i, (_, parent) in enumerate(stmt_path) if parent is block), None)
    if start is None:
        return None
    levels: List[Level] = []
    for stmt, parent in stmt_path[start:]:
        if not any(s is stmt for s in parent):
            break  # a statement without a block of its own (an `elif`): not ordered inside
        levels.append((_index(parent, stmt), stmt, None, parent, func))
    index, stmt, _, parent, _ = levels[-1]
    levels[-1] = (index, stmt, call, parent, func)
    return tuple(levels)


def paths_in_loop(project, site: CallSite, record: LoopRecord) -> Optional[List[Path]]:
    """The paths by which ``site`` runs in an iteration of the loop (empty: it does not; None:
    too many to say)."""
    block = _body(record.node)
    if block is None:
        return []
    found: List[Path] = []
    if not _collect(project, site, record.ctx.func, block, record, 0, (record.ctx.func,), (), found):
        return None
    return found


def _collect(project, site, func: Key, block, record, depth: int, seen, prefix: Path, found: List[Path]) -> bool:
    """Add to ``found`` the paths of ``site`` through ``func``'s ``block``; False when there are too many."""
    if site.ctx.func == func and (record is None or record in site.ctx.loops):
        levels = _levels(site.ctx.stmt_path, block, None, func)
        if levels is not None:
            found.append(prefix + levels)
    if depth >= MAX_DEPTH:
        return len(found) <= MAX_PATHS
    for call in project.calls_by_func.get(func, ()):
        if record is not None and record not in call.ctx.loops:
            continue
        for target in project.targets_of(call):  # each method it may run, on a value of several classes
            if target in seen or site.ctx.func not in project.reachable_funcs(target):
                continue
            levels = _levels(call.ctx.stmt_path, block, call, func)
            definition = project.funcs.get(target)
            inner = _body(definition.node) if definition is not None else None
            if levels is None or inner is None:
                continue
            if not _collect(project, site, target, inner, None, depth + 1, seen + (target,), prefix + levels, found):
                return False
    return len(found) <= MAX_PATHS


def compare(a: Path, b: Path) -> Tuple[Optional[int], int]:
    """(-1 if ``a`` runs first, 1 if ``b`` does, None if not known; the level where they part)."""
    for level, ((ia, sa, ca, block_a, _), (ib, sb, cb, block_b, _)) in enumerate(zip(a, b)):
        if block_a is not block_b:
            # the two blocks of an `if` and its `else`; or one call, two of the methods it may run
            # (a value of one of several classes): one or the other runs
            return None, level
        if sa is not sb:
            return (-1 if ia < ib else 1), level
        if ca is not cb:
            return None, level
        if ca is None and (len(a) == level + 1 or len(b) == level + 1):
            return None, level  # one is in the statement itself (its condition, its header)
    return None, min(len(a), len(b))


def runs_before_any(project, record: LoopRecord, site: CallSite, others: Sequence[CallSite]) -> bool:
    """Whether one of ``others`` is known to run before ``site`` in an iteration of the loop."""
    mine = paths_in_loop(project, site, record) or []
    for other in others:
        for path in paths_in_loop(project, other, record) or []:
            if any(compare(path, own)[0] == -1 for own in mine):
                return True
    return False


def runs_first(project, record: LoopRecord, first: CallSite, others: Sequence[CallSite]) -> Optional[Divergence]:
    """Where ``first`` runs, in each iteration of the loop, before every call of ``others`` that
    runs in it (at least one must); None when it does not, or when that is not known for all."""
    mine = paths_in_loop(project, first, record)
    if not mine:
        return None
    best = None  # (-level, index of the other's statement, the two paths, the other)
    for other in others:
        theirs = paths_in_loop(project, other, record)
        if theirs is None:
            return None
        for path in theirs:
            for own in mine:
                order, level = compare(own, path)
                if order != -1:
                    return None
                # The other that runs first after `first`: it parts from `first` deepest, then earliest.
                key = (-level, path[level][0], own, path, other)
                if best is None or key[:2] < best[:2]:
                    best = key
    if best is None:
        return None
    level = -best[0]
    own, path = best[2], best[3]
    block, func = own[level][3], own[level][4]
    return Divergence(
        level=level,
        func=func,
        block=block,
        first_stmt=own[level][1],
        first_ends_here=len(own) == level + 1,
        other_stmt=path[level][1],
        other=best[4],
        other_call=path[level][2],
        first_path=own,
        first_paths=len(mine),
    )


def runs_before_loop(project, site: CallSite, record: LoopRecord, unconditional: bool = False) -> bool:
    """Whether ``site`` runs once before the loop starts, in the function that holds the loop: in a
    statement of a block around the loop that comes before the loop's own statement there (the call
    itself, or a project function called from there: a trainer's constructor), outside every loop
    but those around the loop (`Trainer(cfg)` whose `__init__` steps the scheduler, then the
    training loop). ``unconditional``: whenever the loop runs (under no `if` the loop is not under,
    nor any `if` in the helpers on the way)."""
    func = record.ctx.func
    around = [entry for entry in record.ctx.stmt_path]
    if not around or around[-1][0] is not record.node:
        return False  # where the loop statement sits is not known
    outer = set(map(id, record.ctx.loops))
    for loop_stmt, block in reversed(around):
        found: List[Path] = []
        if not _collect(project, site, func, block, None, 0, (func,), (), found):
            return False
        index = _index(block, loop_stmt)
        for path in found:
            if path[0][0] >= index:
                continue
            calls = [level[2] for level in path if level[2] is not None]
            first_ctx = calls[0].ctx if calls else site.ctx
            if not all(id(loop) in outer for loop in first_ctx.loops):
                continue  # it runs in another loop before this one
            if any(call.ctx.loops for call in calls[1:]) or (calls and site.ctx.loops):
                continue  # in a loop of a helper
            if unconditional and not _unconditional(first_ctx, record, calls, site):
                continue
            return True
    return False


def _unconditional(first_ctx, record: LoopRecord, calls: Sequence[CallSite], site: CallSite) -> bool:
    """Whether a path that runs before the loop does so under no condition but the loop's own."""
    around = set(map(id, record.ctx.conditions))
    if any(id(condition) not in around for condition in first_ctx.conditions):
        return False  # `if warm_start: optimizer.step()`
    inner = [call.ctx for call in calls[1:]] + ([site.ctx] if calls else [])
    return not any(ctx.conditions for ctx in inner)

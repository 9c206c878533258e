"""The order in which calls run within one iteration of a loop, through project helper calls.

A call may run in a loop's iteration directly (a statement of the loop's body holds it) or through
project functions the body calls: `train(epoch)` whose body holds the batch loop and
`optimizer.step()`, `self.train_epoch(loader)`, `trainer.train_one_epoch(...)` in another module,
through further helpers. A *path* says how: for each level, the statement of the block that runs
it (the loop's body first, then the body of each function called on the way) and the call made
from that statement to go one level down (None at the last level, where the call itself is).

Two paths are ordered where they first part: at the first level where their statements differ,
the earlier statement runs first (both statements are in one block there, since everything above
was the same call). Where they share a statement but go on by different calls, or one ends in it,
their order within the statement is not known: such pairs are not ordered.

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

# (index in the block, statement, call made from it, the function whose code holds the block)
Level = Tuple[int, cst.CSTNode, Optional[CallSite], Key]
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


def _child(stmt_path, block: Sequence[cst.CSTNode]) -> Optional[cst.CSTNode]:
    """The statement of ``block`` among the enclosing statements ``stmt_path``."""
    for stmt, parent_block in stmt_path:
        if parent_block is block:
            return stmt
    return None


def _index(block: Sequence[cst.CSTNode], stmt: cst.CSTNode) -> int:
    return next(i for i, s in enumerate(block) if s is stmt)


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
        stmt = _child(site.ctx.stmt_path, block)
        if stmt is not None:
            found.append(prefix + ((_index(block, stmt), stmt, None, func),))
    if depth >= MAX_DEPTH:
        return len(found) <= MAX_PATHS
    for call in project.calls_by_func.get(func, ()):
        if record is not None and record not in call.ctx.loops:
            continue
        for target in project.targets_of(call):  # each method it may run, on a value of several classes
            if target in seen or site.ctx.func not in project.reachable_funcs(target):
                continue
            stmt = _child(call.ctx.stmt_path, block)
            definition = project.funcs.get(target)
            inner = _body(definition.node) if definition is not None else None
            if stmt is None or inner is None:
                continue
            level = (_index(block, stmt), stmt, call, func)
            if not _collect(project, site, target, inner, None, depth + 1, seen + (target,), prefix + (level,), found):
                return False
    return len(found) <= MAX_PATHS


def compare(a: Path, b: Path) -> Tuple[Optional[int], int]:
    """(-1 if ``a`` runs first, 1 if ``b`` does, None if not known; the level where they part)."""
    for level, ((ia, sa, ca, fa), (ib, sb, cb, fb)) in enumerate(zip(a, b)):
        if fa != fb:
            return None, level  # one call, two of the methods it may run: one or the other runs
        if sa is not sb:
            return (-1 if ia < ib else 1), level
        if ca is None or cb is None or ca is not cb:
            return None, level
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
    if level == 0:
        func, block = record.ctx.func, _body(record.node)
    else:
        func = own[level][3]
        block = _body(project.funcs[func].node)
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


def runs_before_loop(project, site: CallSite, record: LoopRecord) -> bool:
    """Whether ``site`` runs once before the loop starts, in the function that holds the loop: in a
    statement of a block around the loop that comes before the loop's own statement there (the call
    itself, or a project function called from there: a trainer's constructor), outside every loop
    but those around the loop (`Trainer(cfg)` whose `__init__` steps the scheduler, then the
    training loop)."""
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
            return True
    return False

"""TIP501 distributed-sampler-without-set-epoch: every epoch of a DDP run sees the same order."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.catalogue import DISTRIBUTED_SAMPLERS
from tipcheck.facts.scopes import resolve
from tipcheck.facts.training import Loop, ProjectFacts, Value
from tipcheck.fixes.statements import bound_names, indentation, insert_before
from tipcheck.rules.base import ProjectRule

RANGE_LIKE = {"range", "tqdm.trange", "tqdm.auto.trange"}


def _shuffles(value: Value) -> bool:
    """Only a literal True (or the default) counts; a computed `shuffle=` may well be False."""
    arg = value.kwarg("shuffle", 3)
    return arg is None or (isinstance(arg.value, cst.Name) and arg.value.value == "True")


class DistributedSamplerWithoutSetEpoch(ProjectRule):
    code = "TIP501"
    name = "distributed-sampler-without-set-epoch"
    finds = "a shuffling `DistributedSampler` without `set_epoch(epoch)` in the epoch loop"
    fix_safety = "safe"
    summary = "A shuffling DistributedSampler is iterated epoch after epoch without `set_epoch`: same order every epoch"
    needs_text = ("DistributedSampler",)
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        for sampler, anchor in project.tracked("sampler", ctx.source.path):
            if not _shuffles(sampler):
                continue
            found = self._unset_epoch_loop(project, sampler)
            if found is None:
                continue
            loader, how, epoch_loop = found
            if epoch_loop is not None and project.inside(sampler.site, epoch_loop):
                ctx.report(
                    anchor.node,
                    "This shuffling DistributedSampler is made anew in every epoch (here or by a loader factory "
                    "called in the epoch loop) and never given `set_epoch`: each new one starts at epoch 0, so every "
                    "epoch repeats one order",
                )
            elif epoch_loop is None:
                ctx.report(
                    anchor.node,
                    "This shuffling DistributedSampler's loader is cycled forever (`itertools.cycle`) and "
                    "`set_epoch` is never called: every pass repeats the same order",
                )
            elif how == "step":
                # `except StopIteration: batches = iter(loader)` in the step loop: no epoch loop to fix.
                ctx.report(
                    anchor.node,
                    "This shuffling DistributedSampler's loader is walked again (`iter(loader)`) inside the "
                    "training loop and `set_epoch` is never called: every pass over the data repeats the same order",
                )
            else:
                ctx.report(
                    anchor.node,
                    "A shuffling DistributedSampler is iterated in an epoch loop with no `set_epoch(epoch)`: "
                    "every epoch sees the same order",
                    self._fix(ctx, project, sampler, loader, epoch_loop),
                )

        # A helper called several times: the facts merge its results; tell the calls apart by name.
        reported = set()
        for sampler in project.values_of_kind("sampler"):
            if not _shuffles(sampler) or not project.unambiguous(sampler):
                continue
            for call in _calls_left_unset(project, sampler, ctx.source.path):
                if id(call) in reported:
                    continue
                if project.is_escaped(sampler) or not self._unset_epoch_loop(project, sampler):
                    reported.add(id(call))
                    ctx.report(
                        call.node,
                        "This call of a helper builds a shuffling DistributedSampler that no `set_epoch(epoch)` "
                        "reaches: every epoch sees the same order",
                    )

    @staticmethod
    def _unset_epoch_loop(project: ProjectFacts, sampler: Value) -> Optional[Tuple[Value, str, Optional[Loop]]]:
        """(loader, how, epoch loop) for a pass over the sampler's loader that repeats: "loop" (a
        loop over the loader, or a generator's, in an epoch loop), "cycle" (cycled forever, no
        epoch loop), "iter" (`iter(loader)` in an epoch loop), "step" (`iter(loader)` again in the
        loop that pulls the batches)."""
        root = project.root_of(sampler)
        for loader in project.loaders_of_sampler(root):
            if project.is_escaped(loader):
                continue
            # set_epoch on the sampler, the loader or its batch sampler (indexed by receiver).
            reaching_sites = [
                s
                for r in project.sampler_handles(root, loader)
                for s, _ in project.method_calls(r, "set_epoch")
                if not _constant_epoch(s.node)
            ]
            loader_root = project.root_of(loader)
            for loop in project.loops_iterating(loader):
                if not project.pass_trains(loop):
                    continue
                if loop.cycled and not reaching_sites:
                    return loader, "cycle", None
                epoch = _unset_in(project, project.enclosing_loops(loop), loader_root, reaching_sites)
                if epoch is not None:
                    return loader, "loop", epoch
            for ctx in project.yield_from_passes(loader_root):  # `while True: yield from loader`
                epoch = _unset_in(project, project.loops_running(ctx), loader_root, reaching_sites)
                if epoch is not None:
                    return loader, "loop", epoch
            for site in project.iter_passes(loader_root):
                epoch = _unset_in(project, project.loops_running(site.ctx), loader_root, reaching_sites)
                if epoch is not None:
                    return loader, "step" if project.pulled_in_own_loop(site, loader_root) else "iter", epoch
        return None

    def _fix(
        self, ctx: RuleContext, project: ProjectFacts, sampler: Value, loader: Value, epoch: Loop
    ) -> Optional[Fix]:
        node = epoch.node
        if epoch.module_id != ctx.source.path or not isinstance(node.body, cst.IndentedBlock):
            return None
        if epoch.record in sampler.site.ctx.loops or epoch.record in loader.site.ctx.loops:
            return None  # made anew inside the loop
        func = epoch.record.ctx.func
        root = project.root_of(sampler)
        target = project.loader_expression(root, func, loader=project.root_of(loader))
        others = project.other_sources(root)
        if any(project.wraps_in_place(v, root) for v in project.values_at(root)):
            # `sampler = BatchSampler(sampler)`: its names may hold the batch sampler.
            target, others = _through_batch_sampler(project, loader, root, func), others + [BATCH_SAMPLER]
            if target is None:
                return None
        elif target is None:
            if project.field_root(loader, "sampler") != root:
                return None  # fed through a batch sampler: `loader.sampler` is a default sampler
            loader_name = project.loader_expression(project.root_of(loader), func)
            if loader_name is None:
                return None
            loader_others = _loader_others(project, loader, root)
            if loader_others is None:
                return None
            target = f"{loader_name}.sampler"
            others = others + loader_others
        if _rebound(target, node.body.body):
            return None  # the name is (re)bound in the loop: at its start it is not the value yet
        first = node.body.body[0]
        variable = self._epoch_variable(epoch, ctx)
        counter = variable or next(n for n in ("epoch", "epoch_index", "tipcheck_epoch") if not ctx.facts.is_bound(n))
        call = f"{target}.set_epoch({counter})"
        code, applicability, guard = call, Applicability.SAFE, ""
        if others:
            # One of several classes (`RandomSampler(ds) if ... else DistributedSampler(ds)`, or
            # None): call it only where it is a DistributedSampler.
            code, applicability = _guarded(ctx, project, func, target, call, others, node, first)
            guard = " where it is a DistributedSampler"
        if variable is not None:
            return Fix(
                (insert_before(ctx, first, code),), f"Call `{call}` at the start of each epoch{guard}", applicability
            )
        # No usable variable: count the epochs.
        edits = (
            insert_before(ctx, node, f"{counter} = 0"),
            insert_before(ctx, first, code),
            insert_before(ctx, first, f"{counter} += 1"),
        )
        return Fix(edits, f"Count the epochs and call `{call}` at the start of each{guard}", applicability)

    @staticmethod
    def _epoch_variable(epoch: Loop, ctx: RuleContext) -> Optional[str]:
        """The loop variable, when it is an epoch number (`for epoch in range(...)` and the like)."""
        node = epoch.node
        if not isinstance(node, cst.For):
            return None
        target, iterable = node.target, node.iter
        while isinstance(iterable, cst.Call) and iterable.args:
            name = _callee(ctx, iterable, epoch)
            if name in RANGE_LIKE:
                break
            if name in ("tqdm.tqdm", "tqdm.auto.tqdm") and iterable.args:
                iterable = iterable.args[0].value
                continue
            if name == "enumerate" and isinstance(target, cst.Tuple) and target.elements:
                target = target.elements[0].value
                break
            return None
        else:
            return None
        if isinstance(target, cst.Name) and target.value != "_":
            return target.value
        return None


def _constant_epoch(call: cst.Call) -> bool:
    """`set_epoch(0)`: the same seed every epoch, as if it were not called."""
    return len(call.args) == 1 and isinstance(call.args[0].value, (cst.Integer, cst.Float))


def _callee(ctx: RuleContext, call: cst.Call, epoch: Loop) -> Optional[str]:
    scope = ctx.project.scope_of_func(epoch.record.ctx.func)
    return resolve(call.func, scope) or (call.func.value if isinstance(call.func, cst.Name) else None)


# Torch samplers that have no `set_epoch`: on a branch where the value is one of them (or None),
# a guarded call is skipped, never an AttributeError.
NO_SET_EPOCH = frozenset(
    f"call:torch.utils.data.{module}{name}"
    for module in ("", "sampler.")
    for name in ("RandomSampler", "SequentialSampler", "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler")
)


def _unset_in(project: ProjectFacts, loops, loader_root, reaching_sites) -> Optional[Loop]:
    """The innermost of ``loops`` (those that run a pass over a loader) in which no `set_epoch`
    runs; a loop over a container of loaders (`for loader in loaders:`) is no epoch loop."""
    enclosing = [loop for loop in loops if not project.loop_takes_items(loop, loader_root)]
    for epoch in project.innermost(enclosing):
        if not any(project.inside(s, epoch) for s in reaching_sites):
            return epoch
    return None


BATCH_SAMPLER = "call:torch.utils.data.BatchSampler"


def _through_batch_sampler(project: ProjectFacts, loader: Value, root, func) -> Optional[str]:
    """`loader.batch_sampler.sampler`, for a sampler whose name was rebound to torch's
    BatchSampler around it (`sampler = BatchSampler(sampler, ...)`), when every value of the
    loader's name is a DataLoader given that batch sampler: torch's BatchSampler keeps what it
    wraps as `.sampler`, so the expression never raises. None for a project batch sampler class
    (it may keep no `.sampler`) or a loader that may be anything else."""
    wrappers = [v for v in project.values_at(root) if project.wraps_in_place(v, root)]
    if any(v.custom or v.cls != "BatchSampler" for v in wrappers):
        return None
    loader_root = project.root_of(loader)
    if project.other_sources(loader_root):
        return None
    for other in project.values_at(loader_root):
        if other.kind != "loader" or "batch_sampler" not in other.site.kwargs:
            return None
        if project.field_root(other, "batch_sampler") != root:
            return None
    name = project.loader_expression(loader_root, func)
    return f"{name}.batch_sampler.sampler" if name is not None else None


def _rebound(target: str, body) -> bool:
    """Whether a statement of ``body`` binds ``target`` or what it is an attribute of."""
    bound = set().union(*(bound_names(stmt) for stmt in body))
    parts = target.split(".")
    return any(".".join(parts[:count]) in bound for count in range(1, len(parts) + 1))


def _loader_others(project: ProjectFacts, loader: Value, root) -> Optional[List[str]]:
    """What `loader.sampler` may be besides the sampler at ``root`` (a DataLoader built without
    that sampler has a default one); None when the loader itself may be something else than a
    DataLoader (then `loader.sampler` may not exist)."""
    loader_root = project.root_of(loader)
    if project.other_sources(loader_root):
        return None
    found = []
    for other in project.values_at(loader_root):
        if other.kind != "loader":
            return None
        if project.field_root(other, "sampler") != root or "sampler" not in other.site.kwargs:
            found.append(f"loader:{other.cls}")
    return found


def _guarded(ctx: RuleContext, project: ProjectFacts, func, target: str, call: str, others, loop, first):
    """``call`` behind a test that holds only on a DistributedSampler, with the fix's safety:
    `isinstance(x, DistributedSampler)` (through a name the scope already imports) is exact on
    every class; `hasattr(x, "set_epoch")` is safe only when every other class is known to have
    no `set_epoch` (torch's other samplers, None)."""
    scope = project.scope_of_func(func)
    cls = _visible(scope, DISTRIBUTED_SAMPLERS) if scope is not None else None
    if cls is not None:
        test, applicability = f"isinstance({target}, {cls})", Applicability.SAFE
    else:
        known = all(other == "None" or other in NO_SET_EPOCH for other in others)
        test = f'hasattr({target}, "set_epoch")'
        applicability = Applicability.SAFE if known else Applicability.UNSAFE
    outer, inner = indentation(ctx, loop), indentation(ctx, first)
    step = inner[len(outer) :] if inner.startswith(outer) and len(inner) > len(outer) else "    "
    return f"if {test}:{ctx.source.newline}{inner}{step}{call}", applicability


def _visible(scope, qualified_names) -> Optional[str]:
    """An expression naming one of ``qualified_names`` through what ``scope`` already binds."""
    found = []
    current = scope
    while current is not None:
        for name, bindings in current.bindings.items():
            if len(set(bindings)) != 1 or bindings[0] is None or scope.lookup_scope(name) is not current:
                continue
            bound = bindings[0]
            for qualified in qualified_names:
                if qualified == bound or qualified.startswith(bound + "."):
                    found.append(name + qualified[len(bound) :])
        current = current.parent
    return min(found, key=lambda c: (len(c), c)) if found else None


BORROWING = frozenset({"iter", "next", "len", "enumerate", "print", "tqdm.tqdm", "tqdm.auto.tqdm", "itertools.cycle"})


def _calls_left_unset(project: ProjectFacts, sampler: Value, module_id: str) -> List:
    """Calls of the helper that builds ``sampler`` (called several times, so the facts merge
    what the calls return) whose own sampler no `set_epoch` reaches, told apart by the names the
    calling statement binds (`loader, sampler = make_loader(...)`), in the calling function only:
    a name handed on to anything but `iter`/`next`/`len` makes the call's uses unknown (skipped).
    Only the calls in ``module_id`` (the file checked, where they are reported): a helper called by
    every script of a project is checked once per script, not once per script and call."""
    contexts = [(call, names) for call, names in project.call_contexts(sampler) if call.ctx.func[1] == module_id]
    func = sampler.site.ctx.func
    if not contexts or project.funcs[func].class_key is not None or not _kept_inside(project, sampler, func):
        return []
    sampler_fields = project.returned_fields(func, project.root_of(sampler))
    left = []
    for loader in project.loaders_of_sampler(project.root_of(sampler)):
        loader_fields = project.returned_fields(func, project.root_of(loader))
        for call, names in contexts:
            loaders = {n for n, f in names.items() if f in loader_fields}
            samplers = {n for n, f in names.items() if f in sampler_fields}
            if loaders and _repeats_in(project, call, loaders, samplers) and call not in left:
                left.append(call)
    return left


def _kept_inside(project: ProjectFacts, sampler: Value, func) -> bool:
    """Whether the helper hands its sampler and loaders to nothing but the DataLoaders and batch
    samplers it builds (so each call's objects go only where its caller sends them)."""
    roots = {project.root_of(sampler)} | {
        project.root_of(v) for v in project.loaders_of_sampler(project.root_of(sampler))
    }
    for site in project.calls_by_func.get(func, ()):
        if any(p is not None and project.root(p) in roots for p in (*site.args, *site.kwargs.values())):
            if not any(
                v.kind in ("loader", "batch_sampler") for v in project.values_at(project.graph.find(site.result))
            ):
                return False
    return True


def _var_name(path) -> Optional[str]:
    return path[0][3] if path is not None and path[0][0] == "var" else None


def _repeats_in(project: ProjectFacts, call, loaders: set, samplers: set) -> bool:
    """Whether the function of ``call`` walks one of ``loaders`` epoch after epoch with no
    `set_epoch` on them or on ``samplers`` (see ``_calls_left_unset``)."""
    sites = project.calls_by_func.get(call.ctx.func, ())
    names = loaders | samplers
    setting = []
    for site in sites:
        if site.method == "set_epoch" and site.receiver is not None and _var_name(site.receiver) in names:
            setting.append(site)
            continue
        handed = [p for p in (*site.args, *site.kwargs.values()) if _var_name(p) in names]
        if handed and site.callee not in BORROWING:
            return False  # handed on: its uses are not all here
        if site.receiver is not None and _var_name(site.receiver) in names and site.method != "set_epoch":
            if not (site.method == "next" and not site.args):
                return False
    starts = [
        epoch
        for loop in project.loops_in(call.ctx.func[1])
        if loop.record.ctx.func == call.ctx.func
        and any(_var_name(p) in loaders and not p[1] for p in loop.record.iterated)
        and project.pass_trains(loop)
        for epoch in project.innermost(project.enclosing_loops(loop))
    ]
    starts += [
        epoch
        for site in sites
        if site.callee == "iter"
        and site.args
        and _var_name(site.args[0]) in loaders
        and not site.args[0][1]
        and project.pulls_train(project.root(site.args[0]))
        for epoch in project.innermost(project.loops_running(site.ctx))
    ]
    return any(not any(project.inside(s, epoch) for s in setting) for epoch in starts)

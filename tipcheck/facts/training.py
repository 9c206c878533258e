"""Training-script facts across the modules of the linted project: the questions rules ask.

``ProjectFacts`` is the combined picture of the project (tipcheck.facts.combine: tracked values,
the union-find graph of where they flow, escapes, loops) with the queries the rules and their
fixes ask of it: which values of a kind a file reports, which calls reach a value, which loops
run what (batch loops iterate a DataLoader; epoch loops run a batch loop in their body, directly
or through helpers), the innermost of several loops, which DataLoaders a sampler feeds, which
names refer to a value from inside a function.

The project rules ask their questions once per file. So every query answers from an index built
on its first use (values by kind and receiver root, method calls by root and by module, loops by
module, by loader and by the functions they run, ...), never by a scan of the whole project:
the project step then grows linearly with the number of files (tests/test_scaling.py counts it).

Rules import what they need of the project facts from here: ``ProjectFacts`` and its records
(``Value``, ``Loop``), and the scheduler families of the catalogue.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from tipcheck.facts.catalogue import ANY_CLASS, PER_BATCH_SCHEDULERS
from tipcheck.facts.choices import ClassChoices
from tipcheck.facts.combine import CombinedProject, Loop, Value
from tipcheck.facts.flow import CallSite, Key, KeyPath, LoopRecord, ModuleSummary
from tipcheck.facts.graph import TRAINS
from tipcheck.facts.passes import PassQueries
from tipcheck.facts.reach import call_may_reach

__all__ = ["ANY_CLASS", "PER_BATCH_SCHEDULERS", "Loop", "ProjectFacts", "Value"]


class ProjectFacts(PassQueries, CombinedProject, ClassChoices):
    """The project's combined facts and the queries of the rules (see the module docstring)."""

    linted = None  # the text of every linted file by path, for the rules that ask (Rule.reads_linted)
    # What the facts keep from one run to the next in a long-lived process (tipcheck.facts.kept: the
    # editor server's memo); None on the command line, where everything is derived afresh.
    kept = None
    # The absolute paths of the modules a deployment configuration runs on a GPU (tipcheck.deployment).
    gpu_deployed: frozenset = frozenset()

    def __init__(self, summaries: Sequence[ModuleSummary]) -> None:
        super().__init__(summaries)
        self._reach_cache: Dict[Key, Set[Key]] = {}
        self._derived: Dict[str, Any] = {}

    def deployed_on_gpu(self, module_id: str) -> bool:
        """A module that a deployment configuration runs on a GPU (tipcheck.deployment)."""
        return bool(self.gpu_deployed) and os.path.abspath(module_id) in self.gpu_deployed

    def derived(self, name: str, make: Callable[["ProjectFacts"], Any]) -> Any:
        """What another module derives from these facts (its checks, an index), made once and kept
        here: it lives as long as the facts, and no longer (a process that lints again and again,
        the editor server, makes new facts for each run)."""
        value = self._derived.get(name)
        if value is None:
            value = self._derived[name] = make(self)
        return value

    # -- queries for rules -----------------------------------------------------------------
    def root(self, path: Optional[KeyPath]) -> Optional[Key]:
        if path is None:
            return None
        node = self.graph.existing(path)
        return self.graph.find(node) if node is not None else None

    def values_at(self, root: Optional[Key]) -> List[Value]:
        return self.by_root.get(root, []) if root is not None else []

    def root_of(self, value: Value) -> Key:
        return self.graph.find(value.site.result)

    def is_escaped(self, value: Value) -> bool:
        return self.root_of(value) in self.escaped

    def values_of_kind(self, kind: str) -> List[Value]:
        by_kind = getattr(self, "_by_kind", None)
        if by_kind is None:
            by_kind = self._by_kind = {}
            for value in self.values:
                by_kind.setdefault(value.kind, []).append(value)
        return by_kind.get(kind, [])

    def values_called_in(self, module_id: str, method: str, kind: str) -> List[Value]:
        """Values of a kind on which ``module_id`` calls ``method`` (`scheduler.step()` in this
        file), in the order of ``values``: what a rule that reports such calls need look at."""
        order = self._value_order()
        found: Dict[Key, Value] = {}  # one value for each root: the first (see ``classes_of``)
        for _, root in self.method_calls_in(module_id, method):
            for value in self.values_at(root):
                if value.kind == kind and (root not in found or order[id(value)] < order[id(found[root])]):
                    found[root] = value
        return sorted(found.values(), key=lambda value: order[id(value)])

    def _value_order(self) -> Dict[int, int]:
        order = getattr(self, "_value_index", None)
        if order is None:
            order = self._value_index = {id(value): i for i, value in enumerate(self.values)}
        return order

    def field_root(self, value: Value, name: str) -> Optional[Key]:
        child = self.graph.fields.get(self.root_of(value), {}).get(name)
        return self.graph.find(child) if child is not None else None

    def _method_index(self) -> Dict[str, List[Tuple[CallSite, str, Optional[Key]]]]:
        """Method calls by method name, with their module and receiver root (built once, after
        every union is done); also by (method, root) and by (method, module)."""
        index = getattr(self, "_methods", None)
        if index is None:
            index = self._methods = {}
            self._methods_at: Dict[Tuple[str, Optional[Key]], List[Tuple[CallSite, str]]] = {}
            self._methods_in: Dict[Tuple[str, str], List[Tuple[CallSite, Optional[Key]]]] = {}
            for summary in self.summaries.values():
                for site in summary.calls:
                    if site.method is not None and site.receiver is not None:
                        root = self.root(site.receiver)
                        index.setdefault(site.method, []).append((site, summary.module_id, root))
                        self._methods_at.setdefault((site.method, root), []).append((site, summary.module_id))
                        self._methods_in.setdefault((site.method, summary.module_id), []).append((site, root))
        return index

    def method_calls(self, root: Key, method: str) -> List[Tuple[CallSite, str]]:
        """Calls ``x.method(...)`` where x is the value at ``root``, with their module."""
        self._method_index()
        return list(self._methods_at.get((method, root), ()))

    def method_calls_in(self, module_id: str, method: str) -> List[Tuple[CallSite, Optional[Key]]]:
        """Calls ``x.method(...)`` in a module, with the root of x."""
        self._method_index()
        return list(self._methods_in.get((method, module_id), ()))

    def all_method_calls(self, method: str) -> List[Tuple[CallSite, str, Optional[Key]]]:
        return list(self._method_index().get(method, ()))

    def loop_of(self, record: LoopRecord) -> Loop:
        return self._loop_of[id(record)]

    def reachable_funcs(self, func: Key) -> Set[Key]:
        """Project functions called, directly or not, from ``func`` (itself included)."""
        cached = self._reach_cache.get(func)
        if cached is not None:
            return cached
        seen = {func}
        stack = [func]
        while stack:
            current = stack.pop()
            for site in self.calls_by_func.get(current, ()):
                for target in self.targets_of(site):
                    if target not in seen:
                        seen.add(target)
                        stack.append(target)
        self._reach_cache[func] = seen
        return seen

    def funcs_called_in(self, loop: Loop) -> Set[Key]:
        """Project functions that run, directly or not, inside a loop's body."""
        cache = self.__dict__.setdefault("_funcs_in_loop", {})
        cached = cache.get(id(loop))
        if cached is None:
            cached = cache[id(loop)] = self._funcs_called_in(loop)
        return cached

    def _funcs_called_in(self, loop: Loop) -> Set[Key]:
        result: Set[Key] = set()
        for site in self.calls_by_func.get(loop.record.ctx.func, ()):
            if loop.record in site.ctx.loops:
                for target in self.targets_of(site):
                    result |= self.reachable_funcs(target)
        return result

    def inside(self, site: CallSite, loop: Loop) -> bool:
        """Whether a call runs inside a loop's body, directly or through helpers."""
        if site.ctx.func == loop.record.ctx.func and loop.record in site.ctx.loops:
            return True
        return site.ctx.func in self.funcs_called_in(loop)

    def loop_inside(self, inner: Loop, outer: Loop) -> bool:
        record = inner.record
        if record.ctx.func == outer.record.ctx.func and outer.record in record.ctx.loops:
            return True
        return record.ctx.func in self.funcs_called_in(outer)

    def innermost(self, loops: Sequence[Loop]) -> List[Loop]:
        """Of ``loops``, those that run none of the others in their body (the epoch loop right
        around a batch loop, not the run loop around both), in their order."""
        return [
            loop for loop in loops if not any(other is not loop and self.loop_inside(other, loop) for other in loops)
        ]

    def enclosing_loops(self, inner: Loop) -> List[Loop]:
        """Loops that run ``inner`` in their body (in its function, or calling it through helpers)."""
        return [loop for loop in self.loops_running(inner.record.ctx) if loop is not inner]

    def loops_running(self, ctx) -> List[Loop]:
        """The loops whose body runs what is at ``ctx`` (a call's or a loop's context): those
        around it in its function, and those that call its function (through helpers); in the
        order of ``loops``. The same loops as ``inside`` / ``loop_inside`` accept, without
        asking each loop of the project."""
        found = {}
        for record in ctx.loops:
            loop = self._loop_of.get(id(record))
            if loop is not None and loop.record.ctx.func == ctx.func:
                found[id(loop)] = loop
        for loop in self._loops_calling().get(ctx.func, ()):
            found.setdefault(id(loop), loop)
        if len(found) < 2:
            return list(found.values())
        order = self._loop_order()
        return sorted(found.values(), key=lambda loop: order[id(loop)])

    def _loop_order(self) -> Dict[int, int]:
        order = getattr(self, "_loop_index", None)
        if order is None:
            order = self._loop_index = {id(loop): i for i, loop in enumerate(self.loops)}
        return order

    def _loops_calling(self) -> Dict[Key, List[Loop]]:
        """Function -> the loops whose body runs it (``funcs_called_in`` turned around)."""
        index = getattr(self, "_calling", None)
        if index is None:
            index = self._calling = {}
            for loop in self.loops:
                for func in self.funcs_called_in(loop):
                    index.setdefault(func, []).append(loop)
        return index

    def optimizer_steps(self) -> List[Tuple[CallSite, str, Key]]:
        """`opt.step()` on an optimizer, and `scaler.step(opt)`, with the optimizer's root."""
        cached = getattr(self, "_optimizer_steps", None)
        if cached is not None:
            return cached
        steps = []
        for site, module_id, root in self.all_method_calls("step"):
            kinds = {v.kind for v in self.values_at(root)}
            if kinds == {"optimizer"}:
                steps.append((site, module_id, root))
            elif kinds == {"scaler"} and site.args:
                arg_root = self.root(site.args[0])
                if {v.kind for v in self.values_at(arg_root)} == {"optimizer"}:
                    steps.append((site, module_id, arg_root))
        self._optimizer_steps = steps
        return steps

    def optimizer_steps_at(self, root: Optional[Key]) -> List[Tuple[CallSite, str]]:
        """``optimizer_steps`` of the optimizer at ``root``, with their module."""
        index = getattr(self, "_optimizer_steps_at", None)
        if index is None:
            index = self._optimizer_steps_at = {}
            for site, module_id, step_root in self.optimizer_steps():
                index.setdefault(step_root, []).append((site, module_id))
        return list(index.get(root, ())) if root is not None else []

    def backward_calls(self) -> List[Tuple[CallSite, str]]:
        cached = getattr(self, "_backward_calls", None)
        if cached is None:
            cached = self._backward_calls = [(s, m) for s, m, _ in self.all_method_calls("backward")]
        return cached

    def anchor_site(self, value: Value) -> Tuple[CallSite, str]:
        """Where to report a value: its creation, or the helper call in another module that returns it."""
        cache = self.__dict__.setdefault("_anchors", {})
        found = cache.get(id(value))
        if found is None:
            found = cache[id(value)] = self._anchor_site(value)
        return found

    def _anchor_site(self, value: Value) -> Tuple[CallSite, str]:
        site, module_id = value.site, value.module_id
        func = site.ctx.func
        if func[0] == "func":
            ret = self.graph.find(("ret",) + func[1:])
            if ret == self.root_of(value) or self._returned_inside(func, value):
                outside = [c for c in self.callers.get(func, []) if self._module_of_site(c) != module_id]
                if outside and not any(self._module_of_site(c) == module_id for c in self.callers.get(func, [])):
                    # The first call whose arguments may reach the construction (`make(ds,
                    # distributed=False)` builds no DistributedSampler on a `... if distributed` branch).
                    record = self.funcs.get(func)
                    reaching = [c for c in outside if record is None or call_may_reach(record, c.node, site.node)]
                    first = (reaching or outside)[0]
                    return first, self._module_of_site(first)
        return site, module_id

    def _returned_inside(self, func: Key, value: Value) -> bool:
        """Whether the value is a part of what ``func`` returns: an item of a returned tuple, or
        a field of one (`return train_loader, test_loader` holds each loader's sampler)."""
        root = self.root_of(value)
        frontier, seen = [self.graph.find(("ret",) + func[1:])], set()
        for _ in range(3):
            children = []
            for key in frontier:
                for child in self.graph.fields.get(key, {}).values():
                    found = self.graph.find(child)
                    if found == root:
                        return True
                    if found not in seen:
                        seen.add(found)
                        children.append(found)
            frontier = children
        return False

    def _module_of_site(self, site: CallSite) -> str:
        func = site.ctx.func
        return func[1]

    # -- helpers for fixes -----------------------------------------------------------------
    def scope_of_func(self, func: Key):
        if func[0] == "module":
            return self.summaries[func[1]].module_scope
        record = self.funcs.get(func)
        return record.scope if record is not None else None

    def expression_for(self, root: Key, func: Key) -> Optional[str]:
        """A name (``sampler``) or attribute (``self.sampler``, ``args.sampler``) that refers to
        the value at ``root`` from inside ``func``: the first of ``expressions_for``."""
        found = self.expressions_for(root, func)
        return found[0] if found else None

    @staticmethod
    def direct_child(ctx_path, loop: "Loop") -> Optional[cst.CSTNode]:
        """The statement of ``loop``'s body through which something at ``ctx_path`` runs."""
        body = loop.node.body
        block = body.body if isinstance(body, cst.IndentedBlock) else None
        if block is None:
            return None
        for stmt, parent_block in ctx_path:
            if parent_block is block:
                return stmt
        return None

    def statement_in(self, site: CallSite, loop: "Loop") -> Optional[cst.CSTNode]:
        """The statement of ``loop``'s body through which ``site`` runs (directly or via helpers)."""
        func = loop.record.ctx.func
        if site.ctx.func == func and loop.record in site.ctx.loops:
            return self.direct_child(site.ctx.stmt_path, loop)
        for call in self.calls_by_func.get(func, ()):
            if loop.record in call.ctx.loops:
                if any(site.ctx.func in self.reachable_funcs(target) for target in self.targets_of(call)):
                    return self.direct_child(call.ctx.stmt_path, loop)
        return None

    def runs_backward_or_step(self, loop: "Loop") -> bool:
        """Whether a loop trains: an optimizer step runs in it, or a `.backward()` next to a
        `.step()` of something the facts do not know as an optimizer; a loop that only calls
        `.backward()` (gradients read as importance scores) does not."""
        index = getattr(self, "_training_calls", None)
        if index is None:
            index = self._training_calls = ({}, {}, {})
            for site in [s for s, _, _ in self.optimizer_steps()]:
                index[0].setdefault(site.ctx.func, []).append(site)
            for site, _ in self.backward_calls():
                index[1].setdefault(site.ctx.func, []).append(site)
            for site, _, _ in self.all_method_calls("step"):
                index[2].setdefault(site.ctx.func, []).append(site)
        return self._runs_any(loop, index[0]) or (self._runs_any(loop, index[1]) and self._runs_any(loop, index[2]))

    def _runs_any(self, loop: "Loop", by_func) -> bool:
        """Whether a call of ``by_func`` (calls by function) runs in the loop or in what it calls."""
        if any(loop.record in site.ctx.loops for site in by_func.get(loop.record.ctx.func, ())):
            return True
        return any(func in by_func for func in self.funcs_called_in(loop))

    def loops_in(self, module_id: str) -> List["Loop"]:
        by_module = getattr(self, "_loops_by_module", None)
        if by_module is None:
            by_module = self._loops_by_module = {}
            for loop in self.loops:
                by_module.setdefault(loop.module_id, []).append(loop)
        return list(by_module.get(module_id, ()))

    def loops_iterating(self, loader: Value) -> List["Loop"]:
        """The loops that iterate a DataLoader value."""
        index = getattr(self, "_loops_by_loader", None)
        if index is None:
            index = self._loops_by_loader = {}
            for loop in self.loops:
                for value in loop.loaders:
                    found = index.setdefault(id(value), [])
                    if not found or found[-1] is not loop:
                        found.append(loop)
        return list(index.get(id(loader), ()))

    def unambiguous(self, value: Value) -> bool:
        """Whether every value that may be where this one is has its kind and class (a variable
        that holds a ReduceLROnPlateau on one branch and a MultiStepLR on another does not)."""
        root = self.root_of(value)
        return all(
            (v.kind == value.kind and v.cls == value.cls) or self.wraps_in_place(v, root) for v in self.values_at(root)
        )

    def wraps_in_place(self, value: Value, root: Key) -> bool:
        """Whether ``value`` is a batch sampler around what its own variable held before
        (`sampler = BatchSampler(sampler, ...)`): the flow merges the two, the sampler is still one."""
        return value.kind == "batch_sampler" and self.field_root(value, "sampler") == root

    def tracked(self, kind: str, module_id: str, at_helper: bool = True) -> List[Tuple[Value, CallSite]]:
        """Unambiguous, non-escaping values of a kind whose report belongs in ``module_id``, with
        the call to anchor the report on: the construction, or with ``at_helper`` the call of a
        helper in another module that returns the value."""
        return [
            (value, site)
            for value, site in self.anchored(kind, module_id, at_helper)
            if not self.is_escaped(value) and self.unambiguous(value) and not self.never_built(value)
        ]

    def never_built(self, value: Value) -> bool:
        """Whether every call of the function that builds ``value`` passes literals that send it
        past the construction (`make(ds)` where `sampler = DistributedSampler(ds) if distributed ...`)."""
        func = value.site.ctx.func
        callers, record = self.callers.get(func, []), self.funcs.get(func)
        if func[0] != "func" or record is None or not callers:
            return False
        return not any(call_may_reach(record, call.node, value.site.node) for call in callers)

    def anchored(self, kind: str, module_id: str, at_helper: bool = True) -> List[Tuple[Value, CallSite]]:
        """Values of a kind whose report belongs in ``module_id`` (see ``tracked``), with the
        call to anchor it on, in the order of ``values``: found once for every module."""
        cache = self.__dict__.setdefault("_anchored", {})
        by_module = cache.get((kind, at_helper))
        if by_module is None:
            by_module = cache[kind, at_helper] = {}
            for value in self.values_of_kind(kind):
                site, anchor_module = self.anchor_site(value) if at_helper else (value.site, value.module_id)
                by_module.setdefault(anchor_module, []).append((value, site))
        return list(by_module.get(module_id, ()))

    def epoch_loops(self) -> List["Loop"]:
        """Loops that run a batch loop in their body (directly or through helpers)."""
        cached = getattr(self, "_epoch_loops", None)
        if cached is None:
            running = {id(outer) for b in self.loops if b.is_batch_loop for outer in self.enclosing_loops(b)}
            cached = self._epoch_loops = [loop for loop in self.loops if id(loop) in running]
            self._epoch_loop_ids = running
        return cached

    def is_epoch_loop(self, loop: "Loop") -> bool:
        """Whether a loop is one of ``epoch_loops``."""
        self.epoch_loops()
        return id(loop) in self._epoch_loop_ids

    # -- models and devices ----------------------------------------------------------------
    def site_of(self, call: cst.Call, module_id: str) -> Optional[CallSite]:
        index = getattr(self, "_site_index", None)
        if index is None:
            index = self._site_index = {id(s.node): s for m in self.summaries.values() for s in m.calls}
        return index.get(id(call))

    def sites_with_result(self, root: Key) -> List[CallSite]:
        """The calls whose value is the value at ``root`` (its constructions, helpers returning it)."""
        index = getattr(self, "_sites_by_root", None)
        if index is None:
            index = self._sites_by_root = {}
            for summary in self.summaries.values():
                for site in summary.calls:
                    index.setdefault(self.graph.find(site.result), []).append(site)
        return list(index.get(root, ()))

    def models_called_in(self, loop: "Loop") -> List[Key]:
        """Roots of the models called in a loop's body, in the loop's function (`model(x)`)."""
        return [root for root in self._called_roots(loop) if any(v.kind == "model" for v in self.values_at(root))]

    def _called_roots(self, loop: "Loop") -> List[Optional[Key]]:
        """Roots of the values called in a loop's body, in the loop's function, first call first."""
        cache = self.__dict__.setdefault("_called_in_loop", {})
        roots = cache.get(id(loop))
        if roots is None:
            roots = cache[id(loop)] = []
            for site in self.calls_by_func.get(loop.record.ctx.func, ()):
                if loop.record in site.ctx.loops and site.func_path is not None:
                    root = self.root(site.func_path)
                    if root not in roots:
                        roots.append(root)
        return roots

    def models_called_in_batch_loops(self) -> Set[Key]:
        """Roots of the models called in the body of a batch loop."""
        cached = getattr(self, "_models_in_batch_loops", None)
        if cached is None:
            cached = self._models_in_batch_loops = {
                root for loop in self.loops if loop.is_batch_loop for root in self.models_called_in(loop)
            }
        return cached

    def batch_loops_calling(self, root: Key) -> List["Loop"]:
        """Batch loops whose body (in the loop's function) calls the value at ``root``: the loops
        for which ``model_calls_in(loop, root)`` is not empty."""
        index = getattr(self, "_batch_loops_by_callee", None)
        if index is None:
            index = self._batch_loops_by_callee = {}
            for loop in self.loops:
                if loop.is_batch_loop:
                    for called in self._called_roots(loop):
                        index.setdefault(called, []).append(loop)
        return list(index.get(root, ()))

    def model_calls_in(self, loop: "Loop", root: Key) -> List[CallSite]:
        """Calls of the value at ``root`` (`model(x)`) in a loop's body, in the loop's function."""
        return [
            site
            for site in self.calls_by_func.get(loop.record.ctx.func, ())
            if loop.record in site.ctx.loops and site.func_path is not None and self.root(site.func_path) == root
        ]

    def is_loss(self, site: CallSite) -> bool:
        if site.callee and site.callee.startswith("torch.nn.functional."):
            name = site.callee.rsplit(".", 1)[1]
            return name.endswith("loss") or name in {
                "cross_entropy",
                "binary_cross_entropy",
                "binary_cross_entropy_with_logits",
                "kl_div",
            }
        root = self.root(site.func_path) if site.func_path is not None else None
        return any(v.kind == "model" and v.cls.endswith("Loss") for v in self.values_at(root))

    def trains(self, model: Value) -> bool:
        """Whether the model's parameters reach an optimizer."""
        trained = getattr(self, "_trained", None)
        if trained is None:
            trained = self._trained = {self.field_root(o, TRAINS) for o in self.values_of_kind("optimizer")}
        return self.root_of(model) in trained

    def loaders_of_sampler(self, root: Key) -> List[Value]:
        """DataLoaders whose sampler, batch sampler, or batch sampler's sampler is at ``root``."""
        index = getattr(self, "_loaders_by_sampler", None)
        if index is None:
            index = self._loaders_by_sampler = {}
            for loader in self.values_of_kind("loader"):
                batch_sampler = self.field_root(loader, "batch_sampler")
                inner = self.graph.fields.get(batch_sampler, {}).get("sampler") if batch_sampler is not None else None
                roots = (
                    self.field_root(loader, "sampler"),
                    batch_sampler,
                    self.graph.find(inner) if inner is not None else None,
                )
                for sampler_root in dict.fromkeys(r for r in roots if r is not None):
                    index.setdefault(sampler_root, []).append(loader)
        return list(index.get(root, ()))

    def sampler_handles(self, sampler: Key, loader: Value) -> List[Key]:
        """Roots of the values through which a call reaches the sampler at ``sampler`` that
        feeds ``loader`` (see ``loaders_of_sampler``): the sampler, the loader, and the loader's
        batch sampler (`loader.sampler.set_epoch(...)` is a call on the sampler)."""
        roots = (sampler, self.root_of(loader), self.field_root(loader, "batch_sampler"))
        return list(dict.fromkeys(root for root in roots if root is not None))

    def placements(self, root: Key) -> List[CallSite]:
        """`.to(...)` and `.cuda(...)` calls on the value at ``root``."""
        return [s for method in ("to", "cuda") for s, _ in self.method_calls(root, method)]

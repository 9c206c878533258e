"""The project combine step: the module summaries of a lint run linked into one picture.

The module summaries (tipcheck.facts.flow) are combined into:

- which values are what: models, optimizers, LR schedulers, DataLoaders, DistributedSamplers,
  DDP/DataParallel wrappers, GradScalers (torch classes by qualified name, from
  tipcheck.facts.catalogue; project subclasses by their bases);
- where each value flows: the union-find graph (tipcheck.facts.graph), with fields for
  attributes and simple dict entries (aliasing is merged, Steensgaard style); helper arguments
  bind to parameters, return values to the call's result, imports of project modules to what
  those modules define (names resolved by tipcheck.facts.modules); identity-keeping wrappers
  (`amp.initialize`, `accelerator.prepare`: tipcheck.facts.wrappers) hand back what they are given;
  a call of a class picked at run time (a dict of classes, `getattr(lr_scheduler, name)`, a class in
  a variable: tipcheck.facts.dynamic) makes one value for each class it may be, at one root;
- which values escape what the facts can see (passed to an unknown function, returned to an
  unknown caller): rules stay silent on them;
- which loops are batch loops (they iterate a DataLoader, or cycle one through ``next``).

It runs once per lint run, from summaries computed once per parsed module. The questions the
rules ask of the result are answered by ``ProjectFacts`` (tipcheck.facts.training).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from tipcheck.facts.baseinit import base_init
from tipcheck.facts.catalogue import COMPOSITE_SCHEDULERS, MODULE_BASES, OPTIMIZER_BASES, classify_torch
from tipcheck.facts.dynamic import dynamic_classes
from tipcheck.facts.flow import (
    HARMLESS_CALLS,
    CallSite,
    ClassRecord,
    FuncRecord,
    Key,
    KeyPath,
    LoopRecord,
    ModuleSummary,
)
from tipcheck.facts.flowitems import dict_of_pairs
from tipcheck.facts.graph import TRAINS, Graph
from tipcheck.facts.literals import formats_only
from tipcheck.facts.modules import ModuleIndex
from tipcheck.facts.names import ProjectNames
from tipcheck.facts.wrappers import ALL_METHODS as WRAPPER_METHODS
from tipcheck.facts.wrappers import FUNCTIONS as WRAPPER_FUNCTIONS
from tipcheck.facts.wrappers import INSTANCE_CLASSES, handed_back, receiver_class_by_name


@dataclass(eq=False)
class Value:
    """A tracked value: one construction of a catalogued torch class or of a project subclass."""

    kind: str
    cls: str  # class name: "StepLR", "OneCycleLR", "DistributedSampler", ...; custom ones too
    site: CallSite  # where it is created
    module_id: str
    custom: bool = False  # a project subclass

    def kwarg(self, name: str, position: Optional[int] = None) -> Optional[cst.Arg]:
        for arg in self.site.node.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg
        if position is not None:
            positional = [a for a in self.site.node.args if a.keyword is None and not a.star]
            if len(positional) > position:
                return positional[position]
        return None


@dataclass(eq=False)
class Loop:
    """A loop of the project, with the DataLoaders it iterates."""

    record: LoopRecord
    module_id: str
    loaders: List[Value] = field(default_factory=list)  # the DataLoaders it iterates
    cycled: bool = False  # iterates itertools.cycle(loader), directly or through next()

    @property
    def node(self) -> cst.CSTNode:
        return self.record.node

    @property
    def is_batch_loop(self) -> bool:
        return bool(self.loaders)


class CombinedProject(ProjectNames):
    """The linked graph of a project, its tracked values, escapes and loops (see the module
    docstring); ``ProjectFacts`` adds the queries.

    What the queries read: ``graph``; ``values`` and ``by_root`` (the values at each graph root);
    ``escaped`` (roots); ``funcs`` and ``classes`` (project definitions by key); ``call_targets``,
    ``calls_by_func`` and ``callers`` (the call graph); ``loops`` and ``_loop_of`` (by record);
    ``modules`` (tipcheck.facts.modules) and ``summaries`` (by module id)."""

    def __init__(self, summaries: Sequence[ModuleSummary]) -> None:
        self.summaries = {s.module_id: s for s in summaries}
        self.graph = Graph()
        self.values: List[Value] = []
        self.escaped: Set[Key] = set()
        self.funcs: Dict[Key, FuncRecord] = {}
        self.classes: Dict[Key, ClassRecord] = {}
        self.call_targets: Dict[int, Key] = {}  # id(call site) -> the project function it calls
        # id(call site) -> the other methods it may call, on a value of one of several classes
        # (`trainer = A(cfg) if a else B(cfg)`; `trainer.update()` calls A.update or B.update)
        self.more_targets: Dict[int, List[Key]] = {}
        self.calls_by_func: Dict[Key, List[CallSite]] = {}
        self.callers: Dict[Key, List[CallSite]] = {}
        self.loops: List[Loop] = []
        self.modules = ModuleIndex(
            [summary.module_id for summary in summaries], {s.module_id: s.text for s in summaries}
        )
        for summary in summaries:
            self.funcs.update(summary.funcs)
            self.classes.update(summary.classes)
        self._class_kind_cache: Dict[Key, Optional[Tuple[str, str]]] = {}
        self._pending_method_args: List[CallSite] = []
        self._pending_optimizers: List[Tuple[CallSite, Key]] = []
        self._dynamic_calls: List[CallSite] = []
        self._handed_to_wrappers: List[KeyPath] = []
        self._build()

    def handed_out(self, func: Key) -> bool:
        """A module's function handed by name to code outside the project (`Engine(step)`,
        `trainer.add_event_handler(..., log)`): it has calls that the call graph does not know."""
        if func[0] != "func" or func[2].count(".") != 1 or func[1] not in self.summaries:
            return False
        return self.graph.find(self._name_of(func)) in self.escaped

    def _name_of(self, func: Key) -> Key:
        """The module-level name a module's own function ("$.name") is bound to."""
        return ("var", func[1], self.summaries[func[1]].module_scope.uid, func[2][2:])

    def targets_of(self, site: CallSite) -> List[Key]:
        """Every project function a call may run (several for a method of one of several classes)."""
        target = self.call_targets.get(id(site))
        if target is None:
            return []
        return [target, *self.more_targets.get(id(site), ())]

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        graph = self.graph
        for summary in self.summaries.values():
            scope = summary.module_scope
            modobj = ("modobj", summary.module_id)
            for name in scope.bindings:
                graph.union(graph.field(modobj, name), ("var", summary.module_id, scope.uid, name))
            for a, b in summary.unions:
                graph.union(graph.node(a), graph.node(b))
        self._link_imports()
        self._link_annotations()
        methods: List[Tuple[CallSite, str]] = []
        for summary in self.summaries.values():
            for site in summary.calls:
                self.calls_by_func.setdefault(site.ctx.func, []).append(site)
                if not self._link_call(site, summary.module_id):
                    methods.append((site, summary.module_id))
        # Method calls resolve once instances are unified with their classes; binding their
        # arguments can make more of them resolvable, so go round a few times.
        for _ in range(3):
            self_roots: Dict[Key, List[Key]] = {}
            for key in self.classes:
                self_roots.setdefault(self.graph.find(("self",) + key[1:]), []).append(key)
            unresolved = []
            for site, module_id in methods:
                if not self._link_method(site, self_roots):
                    unresolved.append((site, module_id))
            if len(unresolved) == len(methods):
                break
            methods = unresolved
        for site, module_id in methods:
            self._link_unknown(site)
        self._close_items()
        self._link_callbacks()
        self._link_dynamic()
        self._mark_unused_returns()
        self._classify_loops()

    def _link_annotations(self) -> None:
        """A parameter annotated with a project class (`def fit(trainer: Trainer)`) holds an
        instance of it: its attributes are the class's (`trainer.scheduler` is what `__init__`
        stored in `self.scheduler`), even where no call of the function is known."""
        for summary in self.summaries.values():
            for path, name in summary.annotated:
                target = self._definition(name, summary.module_id)
                if target is not None and target[0] == "class":
                    self.graph.union(self.graph.node(path), ("self",) + target[1:])

    def _link_imports(self) -> None:
        """Unify ("ext", "pkg.mod.name") keys with what the project module defines."""
        for summary in self.summaries.values():
            for name in summary.ext_names:
                self._link_ext(("ext", name), summary.module_id)

    def _link_ext(self, key: Key, importer: str) -> None:
        split = self._split_qualified(key[1], importer)
        if split is None:
            return
        module_id, names = split
        target = ("modobj", module_id)
        for name in names:
            target = self.graph.field(target, name)
        self.graph.union(key, target)

    def _class_kind(self, key: Key, seen: Optional[Set[Key]] = None) -> Optional[Tuple[str, str]]:
        """(kind, class) for a project class deriving from a tracked torch class."""
        if key in self._class_kind_cache:
            return self._class_kind_cache[key]
        seen = seen or set()
        seen.add(key)
        result = None
        record = self.classes[key]
        for base in record.bases:
            if base is None:
                continue
            if base in MODULE_BASES:
                result = ("model", record.node.name.value)
            elif base in OPTIMIZER_BASES:
                result = ("optimizer", record.node.name.value)
            else:
                known = classify_torch(base)
                if known is not None and known[0] != "model":
                    result = known
                elif known is not None:
                    result = ("model", record.node.name.value)
                else:
                    target = self._definition(base, key[1])
                    if target is not None and target[0] == "class" and target not in seen:
                        result = self._class_kind(target, seen)
            if result is not None:
                break
        self._class_kind_cache[key] = result
        return result

    def _escape(self, path: Optional[KeyPath]) -> None:
        if path is not None:
            self.escaped.add(self.graph.node(path))
            if path[1] and path[1][-1] in ("step", "set_epoch"):
                # A bound method handed on (`register(scheduler.step)`): its object is used there.
                self.escaped.add(self.graph.node((path[0], path[1][:-1])))

    def _bind_params(self, func: FuncRecord, site: CallSite, skip_self: bool) -> None:
        graph = self.graph
        params = list(func.params[1:] if skip_self else func.params)
        scope_id = func.scope.uid
        module_id = func.key[1]
        for index, path in enumerate(site.args):
            if index < len(params):
                if path is not None:
                    graph.union(("var", module_id, scope_id, params[index]), graph.node(path))
            else:
                self._escape(path)  # into *args: wherever that goes
        for name, path in site.kwargs.items():
            if name in params or name in func.kwonly:
                if path is not None:
                    graph.union(("var", module_id, scope_id, name), graph.node(path))
            else:
                self._escape(path)  # into **kwargs

    def _lookup_method(self, class_key: Key, name: str, seen: Set[Key]) -> Optional[Key]:
        record = self.classes.get(class_key)
        if record is None or class_key in seen:
            return None
        seen.add(class_key)
        if name in record.methods:
            return record.methods[name]
        for base in record.bases:
            target = self._definition(base, class_key[1]) if base else None
            if target is not None and target[0] == "class":
                found = self._lookup_method(target, name, seen)
                if found is not None:
                    return found
        return None

    def _call_function(self, site: CallSite, target: Key, skip_self: bool, primary: bool = True) -> None:
        func = self.funcs[target]
        if primary:
            self.call_targets[id(site)] = target
        else:
            self.more_targets.setdefault(id(site), []).append(target)
        self.callers.setdefault(target, []).append(site)
        self._bind_params(func, site, skip_self=skip_self and func.class_key is not None and not func.is_static)
        self.graph.union(self.graph.node((site.result, ())), ("ret",) + target[1:])

    def _link_call(self, site: CallSite, module_id: str) -> bool:
        """Link a call whose callee is known by name; False for a call to resolve as a method."""
        graph = self.graph
        target = self._definition(site.callee, module_id) if site.callee else None
        target = target or self._star_target(site, module_id)
        if target is not None and target[0] == "func":
            self._call_function(site, target, skip_self=False)
            return True
        if target is not None and target[0] == "class":
            graph.union(graph.node((site.result, ())), ("self",) + target[1:])
            init = self._lookup_method(target, "__init__", set())
            if init is not None:
                self.call_targets[id(site)] = init
                self.callers.setdefault(init, []).append(site)
                self._bind_params(self.funcs[init], site, skip_self=True)
            else:  # a dataclass, a NamedTuple, an __init__ from outside the project: it keeps them
                for path in (*site.args, *site.kwargs.values()):
                    self._escape(path)
            kind = self._class_kind(target)
            if kind is not None:
                self.values.append(Value(kind[0], kind[1], site, module_id, custom=True))
                if kind[0] == "scheduler":  # a project scheduler takes its optimizer like torch's
                    path = site.kwargs.get("optimizer") or (site.args[0] if site.args else None)
                    if path is not None:
                        graph.union(graph.field(graph.node((site.result, ())), "optimizer"), graph.node(path))
            return True
        known = classify_torch(site.callee) if site.callee else None
        if known is not None:
            self._known_constructor(known, site, module_id)
            return True
        if site.callee in HARMLESS_CALLS or dict_of_pairs(site.node, site.callee) or formats_only(site):
            return True
        return False

    def _link_method(self, site: CallSite, self_roots: Dict[Key, List[Key]]) -> bool:
        """Link a method call on an instance of a project class; on a value that may be an instance
        of one of several classes, to each of their methods (the last class's is the main target)."""
        if site.receiver is None or site.method is None:
            return False
        class_keys = self_roots.get(self.graph.find(self.graph.node(site.receiver)))
        if not class_keys:
            return False
        targets: List[Key] = []
        for class_key in reversed(class_keys):
            target = self._lookup_method(("class",) + class_key[1:], site.method, set())
            if target is not None and target not in targets:
                targets.append(target)
        if not targets:
            return False
        for index, target in enumerate(targets):
            self._call_function(site, target, skip_self=True, primary=index == 0)
        return True

    def _link_unknown(self, site: CallSite) -> None:
        wrapper = site.callee in WRAPPER_FUNCTIONS or site.method in WRAPPER_METHODS
        items = handed_back(site, self._instance_class(site.receiver)) if wrapper else None
        if items is not None:  # an identity-keeping wrapper: the result holds what it is given
            result = self.graph.node((site.result, ()))
            for name, path in items:
                self.graph.union(self.graph.field(result, name) if name else result, self.graph.node(path))
                if site.callee is None:  # accelerate, fabric: their loaders set the sampler's epoch
                    self._handed_to_wrappers.append(path)
            return
        if site.callee == "functools.partial" and site.args and site.args[0] is not None:
            # `partial(StepLR, step_size=10)`: a class with arguments bound (tipcheck.facts.dynamic)
            self.graph.union(self.graph.node((site.result, ())), self.graph.node(site.args[0]))
            for path in (*site.args[1:], *site.kwargs.values()):
                self._escape(path)
            return
        if site.callee is None and (site.func_path or isinstance(site.node.func, cst.Call)):
            self._dynamic_calls.append(site)  # maybe a class picked at run time: see _link_dynamic
            return
        if site.receiver is not None and site.method is not None:
            # A method call on something: its receiver is not handed anywhere. Arguments of method
            # calls on tracked values (scaler.step(optimizer)) are sorted out once kinds are known.
            self._pending_method_args.append(site)
            return
        for path in (*site.args, *site.kwargs.values()):
            self._escape(path)

    def _instance_class(self, receiver: Optional[KeyPath]) -> Optional[str]:
        """What a method call's receiver is an instance of, of the classes of
        tipcheck.facts.wrappers (`accelerator = Accelerator()`; or by its name)."""
        if receiver is None:
            return None
        instances = getattr(self, "_wrapper_instances", None)
        if instances is None:
            instances = self._wrapper_instances = [
                (site.result, INSTANCE_CLASSES[site.callee])
                for summary in self.summaries.values()
                for site in summary.calls
                if site.callee in INSTANCE_CLASSES
            ]
        if instances:
            root = self.graph.find(self.graph.node(receiver))
            for result, name in instances:
                if self.graph.find(result) == root:
                    return name
        return receiver_class_by_name(receiver)

    def _known_constructor(self, known: Tuple[str, str], site: CallSite, module_id: str) -> None:
        graph = self.graph
        kind, cls = known
        result = graph.node((site.result, ()))
        self.values.append(Value(kind, cls, site, module_id))
        if kind == "loader":
            for name in ("sampler", "batch_sampler"):
                path = site.kwargs.get(name)
                if path is not None:
                    graph.union(graph.field(result, name), graph.node(path))
            path = site.kwargs.get("dataset") or (site.args[0] if site.args else None)
            if path is not None:
                graph.union(graph.field(result, "dataset"), graph.node(path))
            if site.star:
                self.escaped.add(result)
        elif kind == "batch_sampler":
            path = site.kwargs.get("sampler") or (site.args[0] if site.args else None)
            if path is not None:
                graph.union(graph.field(result, "sampler"), graph.node(path))
        elif kind == "scheduler":
            path = site.kwargs.get("optimizer") or (site.args[0] if site.args else None)
            if path is not None:
                graph.union(graph.field(result, "optimizer"), graph.node(path))
            if cls in COMPOSITE_SCHEDULERS:
                # The inner schedulers are stepped by the composite one.
                for inner in (*site.args[1:], *site.kwargs.values()):
                    self._escape(inner)
                    if inner is not None:
                        node = graph.existing(inner)
                        for child in graph.fields.get(node, {}).values() if node else ():
                            self.escaped.add(graph.find(child))
        elif kind == "optimizer":
            self._pending_optimizers.append((site, result))
        elif kind == "wrapper":
            path = site.kwargs.get("module") or (site.args[0] if site.args else None)
            if path is not None:
                graph.union(graph.field(result, "module"), graph.node(path))

    def _close_items(self) -> None:
        """A dict whose entries are also read by a non-literal key: all its entries are one."""
        graph = self.graph
        changed = True
        while changed:
            changed = False
            for root, fields in list(graph.fields.items()):
                if graph.find(root) != root or "[*]" not in fields:
                    continue
                items = [child for name, child in fields.items() if name.startswith("[") and name != "[*]"]
                for child in items:
                    if graph.find(child) != graph.find(fields["[*]"]):
                        graph.union(fields["[*]"], child)
                        changed = True

    def _link_callbacks(self) -> None:
        """A call of a parameter that holds a project function handed in by name
        (`make_trainer(model, prepare_batch)`, then `prepare_batch(batch, device=device)` inside):
        the call runs that function; one that may hold several runs any of them."""
        graph = self.graph
        by_root: Dict[Key, List[Key]] = {}
        for key, func in self.funcs.items():
            if func.class_key is None and key[2].count(".") == 1:  # a module's own function ("$.name")
                by_root.setdefault(graph.find(self._name_of(key)), []).append(key)
        found = []
        for site in self._dynamic_calls:
            path = site.func_path
            node = graph.existing(path) if path is not None and not path[1] else None
            targets = by_root.get(graph.find(node)) if node is not None else None
            if targets:
                found.append((site, sorted(targets)))
        for site, targets in found:
            self._dynamic_calls.remove(site)
            for index, target in enumerate(targets):
                self._call_function(site, target, skip_self=False, primary=index == 0)

    def _link_dynamic(self) -> None:
        """Calls of a class picked at run time (tipcheck.facts.dynamic): one value for each class
        the callee may be, all at the call's result; other calls of values hand their arguments on."""
        site_of_node = {id(s.node): s for s in self._dynamic_calls}
        if any(isinstance(s.node.func, cst.Call) for s in self._dynamic_calls):
            site_of_node = {id(s.node): s for summary in self.summaries.values() for s in summary.calls}
        for site in self._dynamic_calls:
            found = dynamic_classes(self, site, site_of_node)
            if found is None and site.receiver is not None and site.method is not None:
                self._pending_method_args.append(site)  # a method call after all (see _link_unknown)
                continue
            if found is None:
                for path in (*site.args, *site.kwargs.values()):
                    self._escape(path)
                continue
            module_id = site.ctx.func[1]
            for kind, cls, class_key in found:
                if class_key is not None:
                    self.graph.union(self.graph.node((site.result, ())), ("self",) + class_key[1:])
                self._known_constructor((kind, cls), site, module_id)
                self.values[-1].custom = class_key is not None

    def _mark_unused_returns(self) -> None:
        """A function that no analysed code calls is called from outside (a framework hook, an
        API): what it returns escapes to its caller, and its parameters (but `self`) are outside
        objects, so what it stores in them escapes too."""
        for summary in self.summaries.values():
            for func_key, path in summary.returns:
                if not self.callers.get(func_key):
                    self.escaped.add(self.graph.node(path))
        for key, func in self.funcs.items():
            if self.callers.get(key):
                continue
            params = [*func.params, *func.kwonly]
            if func.class_key is not None and not func.is_static and params:
                params = params[1:]
            for name in params:
                self.escaped.add(self.graph.find(("var", key[1], func.scope.uid, name)))

    # -- after linking: kinds, escapes, loops ----------------------------------------------
    def _classify_loops(self) -> None:
        graph = self.graph
        by_root: Dict[Key, List[Value]] = {}
        for value in self.values:
            by_root.setdefault(graph.find(value.site.result), []).append(value)
        self.by_root = by_root
        # Optimizers: which model's parameters they take.
        for site, result in self._pending_optimizers:
            first = site.args[0] if site.args else site.kwargs.get("params")
            model = self._parameters_owner(first)
            if model is not None:
                graph.union(graph.field(result, TRAINS), model)
        # What hands its parameters to an optimizer is a model, even when its class is not in sight
        # (imported from a module that is not linted): such values are marked "inferred".
        known = {graph.find(v.site.result) for v in self.values if v.kind == "model"}
        first_constructed: Optional[Dict[Key, CallSite]] = None  # root -> its first call with a known callee
        for site, result in self._pending_optimizers:
            owner = self.graph.fields.get(graph.find(result), {}).get(TRAINS)
            if owner is None or graph.find(owner) in known:
                continue
            owner = graph.find(owner)
            if first_constructed is None:
                first_constructed = {}
                for constructed in self._site_by_result().values():
                    if constructed.callee is not None:
                        first_constructed.setdefault(graph.find(constructed.result), constructed)
            constructed = first_constructed.get(owner)
            if constructed is not None:
                self.values.append(Value("model", "inferred", constructed, constructed.ctx.func[1], custom=True))
                known.add(owner)
        # Method calls on tracked values keep their arguments; others hand them on.
        for site in self._pending_method_args:
            receiver = graph.find(graph.node(site.receiver))
            if base_init(self, site):  # `super().__init__(sampler)` of a torch sampler subclass
                continue
            if receiver in by_root or site.method in (
                "step",
                "set_epoch",
                "backward",
                "zero_grad",
                "unscale_",
                "scale",
                "update",
            ):
                continue
            for path in (*site.args, *site.kwargs.values()):
                self._escape(path)
        # DataLoaders prepared by accelerate or fabric are theirs to run (they set the sampler's epoch).
        for path in self._handed_to_wrappers:
            root = graph.find(graph.node(path))
            if any(value.kind == "loader" for value in by_root.get(root, ())):
                self.escaped.add(root)
        # Escape spreads to everything reachable from an escaped value.
        self.escaped = graph.reachable_from_all(list(self.escaped))
        by_root = {}
        for value in self.values:
            by_root.setdefault(graph.find(value.site.result), []).append(value)
        self.by_root = by_root
        for summary in self.summaries.values():
            for record in summary.loops:
                loop = Loop(record, summary.module_id, cycled=record.cycle)
                for path in record.iterated:
                    node = graph.existing(path)
                    if node is None:
                        continue
                    loop.loaders.extend(v for v in by_root.get(graph.find(node), []) if v.kind == "loader")
                self.loops.append(loop)
        self._loop_of = {id(loop.record): loop for loop in self.loops}
        # `it = itertools.cycle(loader)` ... `next(it)` in a loop: that loop cycles the loader.
        for summary in self.summaries.values():
            for site in summary.calls:
                if site.callee == "next" and site.args and site.args[0] is not None and site.ctx.loops:
                    path = site.args[0]
                    node = graph.existing((path[0], path[1] + ("cycled",)))
                    cycled = [v for v in by_root.get(graph.find(node), []) if v.kind == "loader"] if node else []
                    if cycled:
                        loop = self._loop_of[id(site.ctx.loops[-1])]
                        loop.loaders.extend(cycled)
                        loop.cycled = True

    def _parameters_owner(self, path: Optional[KeyPath]) -> Optional[Key]:
        if path is None:
            return None
        site = self._site_by_result().get(path[0]) if not path[1] else None
        if site is None:
            return None
        if site.method == "parameters" and site.receiver is not None:
            return self.graph.node(site.receiver)
        if site.callee in ("filter", "list") and site.args:
            return self._parameters_owner(site.args[-1])
        return None

    def _site_by_result(self) -> Dict[Key, CallSite]:
        if not hasattr(self, "_sites"):
            self._sites = {site.result: site for s in self.summaries.values() for site in s.calls}
        return self._sites

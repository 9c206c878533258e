"""Training-script facts across the modules of the linted project.

The module summaries (tipcheck.facts.flow) are combined into one picture:

- which values are what: models, optimizers, LR schedulers, DataLoaders, DistributedSamplers,
  DDP/DataParallel wrappers, GradScalers (torch classes by qualified name, project subclasses by
  their bases);
- where each value flows: a union-find over key paths, with fields for attributes and simple
  dict entries (aliasing is merged, Steensgaard style); helper arguments bind to parameters, return
  values to the call's result, imports of project modules to what those modules define;
- which values escape what the facts can see (passed to an unknown function, returned to an
  unknown caller): rules stay silent on them;
- which loops are batch loops (they iterate a DataLoader) and epoch loops (they enclose one, or
  call a function that runs one).

Everything is computed once per lint run, from summaries computed once per parsed module.

The project rules ask their questions once per file. So every query answers from an index built
on its first use (values by kind and receiver root, method calls by root and by module, loops by
module, by loader and by the functions they run, ...), never by a scan of the whole project:
the project step then grows linearly with the number of files (tests/test_scaling.py counts it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst

from tipcheck.facts.flow import HARMLESS_CALLS, CallSite, ClassRecord, FuncRecord, Key, KeyPath, LoopRecord, ModuleSummary

# -- what torch's classes are --------------------------------------------------------------------
DATALOADERS = {"torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader"}
DISTRIBUTED_SAMPLERS = {"torch.utils.data.DistributedSampler", "torch.utils.data.distributed.DistributedSampler"}
BATCH_SAMPLERS = {"torch.utils.data.BatchSampler", "torch.utils.data.sampler.BatchSampler"}
WRAPPERS = {
    "torch.nn.parallel.DistributedDataParallel",
    "torch.nn.parallel.distributed.DistributedDataParallel",
    "torch.nn.DataParallel",
    "torch.nn.parallel.DataParallel",
    "torch.nn.parallel.data_parallel.DataParallel",
}
GRAD_SCALERS = {"torch.cuda.amp.GradScaler", "torch.amp.GradScaler", "torch.GradScaler", "torch.cpu.amp.GradScaler"}
MODULE_BASES = {"torch.nn.Module", "torch.nn.modules.module.Module"}
NOT_MODULES = {"Parameter", "Buffer", "ParameterList", "ParameterDict", "UninitializedParameter"}
COMPOSITE_SCHEDULERS = {"SequentialLR", "ChainedScheduler"}
PER_BATCH_SCHEDULERS = {"OneCycleLR", "CyclicLR"}

# The optimizer's relation to the model whose parameters it updates. Fields named with "@" are
# relations the facts derive, not attributes: an escape does not spread through them.
TRAINS = "@trains"


def classify_torch(qualified: str) -> Optional[Tuple[str, str]]:
    """(kind, class name) for a torch/torchvision/timm callable that creates a tracked value."""
    parts = qualified.split(".")
    last = parts[-1]
    if qualified.startswith("torch.optim.lr_scheduler.") and last.lstrip("_")[:1].isupper():
        return "scheduler", last.lstrip("_")
    if parts[:2] == ["torch", "optim"] and last[:1].isupper() and last != "Optimizer" and "lr_scheduler" not in parts:
        return "optimizer", last
    if qualified in DATALOADERS:
        return "loader", "DataLoader"
    if qualified in DISTRIBUTED_SAMPLERS:
        return "sampler", "DistributedSampler"
    if qualified in BATCH_SAMPLERS:
        return "batch_sampler", "BatchSampler"
    if qualified in WRAPPERS:
        return "wrapper", last
    if qualified in GRAD_SCALERS:
        return "scaler", "GradScaler"
    if qualified == "timm.create_model":
        return "model", "timm"
    if qualified.startswith("transformers.") and last == "from_pretrained" and "Model" in parts[-2]:
        return "model", parts[-2]
    if parts[:2] == ["torch", "nn"] and len(parts) == 3 and last[:1].isupper() and last not in NOT_MODULES:
        return "model", last
    if qualified.startswith("torchvision.models."):
        from tipcheck.data import torchvision_table

        if qualified in torchvision_table().by_path:
            return "model", last
    return None


@dataclass(eq=False)
class Value:
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


class Graph:
    """Union-find over keys, where every class has fields (attributes, dict entries, tuple items)."""

    def __init__(self) -> None:
        self.parent: Dict[Key, Key] = {}
        self.fields: Dict[Key, Dict[str, Key]] = {}
        self._count = 0

    def find(self, key: Key) -> Key:
        parent = self.parent
        root = key
        while root in parent:
            root = parent[root]
        while key in parent and parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    def field(self, key: Key, name: str) -> Key:
        root = self.find(key)
        fields = self.fields.setdefault(root, {})
        child = fields.get(name)
        if child is None:
            self._count += 1
            child = fields[name] = ("field", self._count)
        return self.find(child)

    def node(self, path: KeyPath) -> Key:
        key, names = path
        key = self.find(key)
        for name in names:
            key = self.field(key, name)
        return key

    def existing(self, path: KeyPath) -> Optional[Key]:
        """Like node(), without creating fields that nothing assigned."""
        key, names = path
        key = self.find(key)
        for name in names:
            fields = self.fields.get(key, {})
            child = fields.get(name)
            if child is None and name.startswith("[") and "[*]" in fields:
                child = fields["[*]"]  # `loaders["train"]` of a dict built by a comprehension
            if child is None:
                return None
            key = self.find(child)
        return key

    def union(self, a: Key, b: Key) -> None:
        work = [(a, b)]
        while work:
            x, y = work.pop()
            rx, ry = self.find(x), self.find(y)
            if rx == ry:
                continue
            self.parent[ry] = rx
            moved = self.fields.pop(ry, None)
            if moved:
                target = self.fields.setdefault(rx, {})
                for name, child in moved.items():
                    if name in target:
                        work.append((target[name], child))
                    else:
                        target[name] = child

    def reachable_from_all(self, keys: Iterable[Key]) -> Set[Key]:
        """The roots reachable from any of ``keys``: one walk for all of them (a key reached
        from one of them is not walked again from another)."""
        seen: Set[Key] = set()
        for key in keys:
            start = self.find(key)
            if start not in seen:
                seen.add(start)
                stack = [start]
                while stack:
                    for name, child in self.fields.get(stack.pop(), {}).items():
                        if name.startswith("@"):
                            continue  # a relation, not an attribute (see reachable)
                        child = self.find(child)
                        if child not in seen:
                            seen.add(child)
                            stack.append(child)
        return seen

    def reachable(self, root: Key) -> Iterable[Key]:
        seen = {root}
        stack = [root]
        while stack:
            key = stack.pop()
            yield key
            for name, child in self.fields.get(key, {}).items():
                if name.startswith("@"):
                    continue  # a relation, not an attribute: the optimizer does not hold the model
                child = self.find(child)
                if child not in seen:
                    seen.add(child)
                    stack.append(child)


def module_name_for(path: str) -> str:
    """The dotted module name of a file: its package folders (those with __init__.py) and stem."""
    path = os.path.abspath(path)
    directory, filename = os.path.split(path)
    parts = [os.path.splitext(filename)[0]]
    if parts[0] == "__init__":
        parts = []
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
    return ".".join(parts)


@dataclass(eq=False)
class Loop:
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


class ProjectFacts:
    def __init__(self, summaries: Sequence[ModuleSummary]) -> None:
        self.summaries = {s.module_id: s for s in summaries}
        self.graph = Graph()
        self.values: List[Value] = []
        self.escaped: Set[Key] = set()
        self.funcs: Dict[Key, FuncRecord] = {}
        self.classes: Dict[Key, ClassRecord] = {}
        self.call_targets: Dict[int, Key] = {}  # id(call site) -> the project function it calls
        self.calls_by_func: Dict[Key, List[CallSite]] = {}
        self.callers: Dict[Key, List[CallSite]] = {}
        self.loops: List[Loop] = []
        self._module_names: Dict[str, str] = {}
        self._name_of: Dict[str, str] = {}  # module id -> dotted name (module_name_for reads the disk)
        for summary in summaries:
            self.funcs.update(summary.funcs)
            self.classes.update(summary.classes)
            name = self._name_of[summary.module_id] = module_name_for(summary.module_id)
            self._module_names[name] = summary.module_id
        # "b.c" and "c" -> the modules whose dotted name ends with ".b.c" / ".c" (a tree linted
        # from inside a package), so that a name is resolved without a scan of every module.
        self._by_suffix: Dict[str, List[str]] = {}
        for name, module_id in self._module_names.items():
            parts = name.split(".")
            for cut in range(1, len(parts)):
                self._by_suffix.setdefault(".".join(parts[cut:]), []).append(module_id)
        self._class_kind_cache: Dict[Key, Optional[Tuple[str, str]]] = {}
        self._pending_method_args: List[CallSite] = []
        self._pending_optimizers: List[Tuple[CallSite, Key]] = []
        self._build()

    # -- resolving names across modules ----------------------------------------------------
    def _split_qualified(self, qualified: str, importer: str) -> Optional[Tuple[str, List[str]]]:
        """(module id, attribute names) for a qualified name that points into the project."""
        if qualified.startswith("$."):
            return importer, qualified[2:].split(".")
        if qualified.startswith("."):
            level = len(qualified) - len(qualified.lstrip("."))
            package = (self._name_of.get(importer) or module_name_for(importer)).split(".")
            is_init = os.path.basename(importer) == "__init__.py"
            base = package if is_init else package[:-1]
            base = base[: len(base) - (level - 1)] if level > 1 else base
            qualified = ".".join([*base, qualified.lstrip(".")]).strip(".")
        parts = qualified.split(".")
        for cut in range(len(parts), 0, -1):
            name = ".".join(parts[:cut])
            module_id = self._module_names.get(name)
            if module_id is None:
                matches = self._by_suffix.get(name, ())
                module_id = matches[0] if len(matches) == 1 else None
            if module_id is not None:
                return module_id, parts[cut:]
        return None

    def _definition(self, qualified: str, importer: str) -> Optional[Key]:
        """The project function or class a qualified name refers to."""
        split = self._split_qualified(qualified, importer)
        if split is None or not split[1]:
            return None
        module_id, names = split
        local = "$." + ".".join(names)
        for kind in ("func", "class"):
            key = (kind, module_id, local)
            if key in self.funcs or key in self.classes:
                return key
        return None

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
        methods: List[Tuple[CallSite, str]] = []
        for summary in self.summaries.values():
            for site in summary.calls:
                self.calls_by_func.setdefault(site.ctx.func, []).append(site)
                if not self._link_call(site, summary.module_id):
                    methods.append((site, summary.module_id))
        # Method calls resolve once instances are unified with their classes; binding their
        # arguments can make more of them resolvable, so go round a few times.
        for _ in range(3):
            self_roots = {self.graph.find(("self",) + key[1:]): key for key in self.classes}
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
        self._mark_unused_returns()
        self._classify_loops()

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

    def _call_function(self, site: CallSite, target: Key, skip_self: bool) -> None:
        func = self.funcs[target]
        self.call_targets[id(site)] = target
        self.callers.setdefault(target, []).append(site)
        self._bind_params(func, site, skip_self=skip_self and func.class_key is not None and not func.is_static)
        self.graph.union(self.graph.node((site.result, ())), ("ret",) + target[1:])

    def _link_call(self, site: CallSite, module_id: str) -> bool:
        """Link a call whose callee is known by name; False for a call to resolve as a method."""
        graph = self.graph
        target = self._definition(site.callee, module_id) if site.callee else None
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
        if site.callee in HARMLESS_CALLS:
            return True
        return False

    def _link_method(self, site: CallSite, self_roots: Dict[Key, Key]) -> bool:
        if site.receiver is None or site.method is None:
            return False
        class_key = self_roots.get(self.graph.find(self.graph.node(site.receiver)))
        if class_key is None:
            return False
        target = self._lookup_method(("class",) + class_key[1:], site.method, set())
        if target is None:
            return False
        self._call_function(site, target, skip_self=True)
        return True

    def _link_unknown(self, site: CallSite) -> None:
        if site.receiver is not None and site.method is not None:
            # A method call on something: its receiver is not handed anywhere. Arguments of method
            # calls on tracked values (scaler.step(optimizer)) are sorted out once kinds are known.
            self._pending_method_args.append(site)
            return
        for path in (*site.args, *site.kwargs.values()):
            self._escape(path)

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
            if receiver in by_root or site.method in ("step", "set_epoch", "backward", "zero_grad", "unscale_", "scale", "update"):
                continue
            for path in (*site.args, *site.kwargs.values()):
                self._escape(path)
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
        self._runs_batch_loop: Dict[Key, bool] = {}
        self._reach_cache: Dict[Key, Set[Key]] = {}

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
        found = {
            id(value): value
            for _, root in self.method_calls_in(module_id, method)
            for value in self.values_at(root)
            if value.kind == kind
        }
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
                target = self.call_targets.get(id(site))
                if target is not None and target not in seen:
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
                target = self.call_targets.get(id(site))
                if target is not None:
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
                    first = outside[0]
                    return first, self._module_of_site(first)
        return site, module_id

    def _returned_inside(self, func: Key, value: Value) -> bool:
        ret = self.graph.find(("ret",) + func[1:])
        return any(self.graph.find(child) == self.root_of(value) for child in self.graph.fields.get(ret, {}).values())

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
        the value at ``root`` from inside ``func``."""
        scope = self.scope_of_func(func)
        module_id = func[1]
        graph = self.graph
        candidates: List[str] = []
        attributes: List[str] = []
        while scope is not None:
            if scope.kind != "class":
                for name in sorted(scope.bindings):
                    node = graph.existing((("var", module_id, scope.uid, name), ()))
                    if node is None:
                        continue
                    if graph.find(node) == root:
                        candidates.append(name)
                    for attr, child in sorted(graph.fields.get(graph.find(node), {}).items()):
                        if not attr.startswith(("[", "#")) and graph.find(child) == root:
                            attributes.append(f"{name}.{attr}")
            scope = scope.parent
        found = candidates or attributes
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
                target = self.call_targets.get(id(call))
                if target is not None and site.ctx.func in self.reachable_funcs(target):
                    return self.direct_child(call.ctx.stmt_path, loop)
        return None

    def runs_backward_or_step(self, loop: "Loop") -> bool:
        """Whether a loop trains: an optimizer step or a `.backward()` runs in it."""
        by_func = getattr(self, "_training_calls", None)
        if by_func is None:
            by_func = self._training_calls = {}
            for site in [s for s, _, _ in self.optimizer_steps()] + [s for s, _ in self.backward_calls()]:
                by_func.setdefault(site.ctx.func, []).append(site)
        # inside(site, loop) for each of them, asked of the functions the loop runs.
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
        return all(v.kind == value.kind and v.cls == value.cls for v in self.values_at(self.root_of(value)))

    def tracked(self, kind: str, module_id: str, at_helper: bool = True) -> List[Tuple[Value, CallSite]]:
        """Unambiguous, non-escaping values of a kind whose report belongs in ``module_id``, with
        the call to anchor the report on: the construction, or with ``at_helper`` the call of a
        helper in another module that returns the value."""
        return [
            (value, site)
            for value, site in self.anchored(kind, module_id, at_helper)
            if not self.is_escaped(value) and self.unambiguous(value)
        ]

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
            return name.endswith("loss") or name in {"cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div"}
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
                roots = (self.field_root(loader, "sampler"), batch_sampler, self.graph.find(inner) if inner is not None else None)
                for sampler_root in dict.fromkeys(r for r in roots if r is not None):
                    index.setdefault(sampler_root, []).append(loader)
        return list(index.get(root, ()))

    def placements(self, root: Key) -> List[CallSite]:
        """`.to(...)` and `.cuda(...)` calls on the value at ``root``."""
        return [s for method in ("to", "cuda") for s, _ in self.method_calls(root, method)]

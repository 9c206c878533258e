"""Modules that hold no parameters and no buffers: `Module.cuda()` (or `Module.to(...)`) on one moves
nothing, so it needs no CUDA (TIP102, tipcheck.facts.cuda_checks). The one place for this fact.

- *torch.nn modules without state* (``torch_parameterless``): activations, pooling, dropout, padding,
  `Identity`, `Flatten` and the losses without a weight. A loss that keeps a `weight=` (or
  `pos_weight=`) tensor as a buffer when given one (`nn.CrossEntropyLoss(weight=w)`, `nn.NLLLoss(w)`)
  is parameterless only when every argument is a constant or a keyword that never holds a tensor
  (`ignore_index=`, `reduction=`).
- *project module classes without state* (``StatelessModules``): a torch.nn.Module subclass whose
  methods (and its project bases') only keep on self numbers, strings, flags, constants, an `__init__`
  parameter used as no more than a value (never called, indexed or looked into), plain objects
  (instances of project classes that are not modules), such torch modules (read with what the
  construction passes: `Loss2d(ignore_index=255)` hands `nn.NLLLoss(weight, ...)` its default
  `weight=None`) or other such project modules; and that never create an `nn.Parameter`, register a
  buffer or a parameter, add a module, or assign to self any other way (tuples, items). Anything
  unknown (a class or function that cannot be found, a torch.nn layer, a module handed in) keeps it
  stateful. The class and its bases may be defined in any linted module (tipcheck.facts.definitions).
- *factories*: the call of a project function whose every `return` hands back such a module, built
  there or kept in a local name only ever assigned such modules (`criterion = get_criterion(cfg)`).
- a name (of a function, or of the module) or an attribute only ever assigned such modules, or
  itself moved (`criterion = criterion.cuda()`) (``StatelessModules.holds``).
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Set

import libcst as cst

from tipcheck.byobject import ByObject
from tipcheck.facts.catalogue import MODULE_BASES
from tipcheck.facts.definitions import Definitions, Key
from tipcheck.facts.flow import CallSite
from tipcheck.facts.nodecode import code
from tipcheck.facts.walk import walk

# torch.nn modules that hold no parameters and no buffers, whatever their arguments.
_NO_STATE = frozenset(
    """L1Loss MSELoss SmoothL1Loss HuberLoss KLDivLoss SoftMarginLoss HingeEmbeddingLoss CosineEmbeddingLoss
    MarginRankingLoss TripletMarginLoss PoissonNLLLoss GaussianNLLLoss CTCLoss MultiLabelMarginLoss
    ReLU ReLU6 LeakyReLU ELU SELU CELU GELU SiLU Mish Sigmoid Tanh Softmax LogSoftmax Softmax2d Softmin Softplus
    Softsign Hardtanh Hardswish Hardsigmoid Tanhshrink Softshrink Hardshrink Threshold LogSigmoid GLU
    MaxPool1d MaxPool2d MaxPool3d AvgPool1d AvgPool2d AvgPool3d AdaptiveAvgPool1d AdaptiveAvgPool2d
    AdaptiveAvgPool3d AdaptiveMaxPool1d AdaptiveMaxPool2d AdaptiveMaxPool3d LPPool1d LPPool2d
    Dropout Dropout1d Dropout2d Dropout3d AlphaDropout FeatureAlphaDropout Flatten Unflatten Identity
    Upsample UpsamplingNearest2d UpsamplingBilinear2d PixelShuffle PixelUnshuffle ChannelShuffle ZeroPad2d
    ReflectionPad1d ReflectionPad2d ReflectionPad3d ReplicationPad1d ReplicationPad2d ReplicationPad3d
    ConstantPad1d ConstantPad2d ConstantPad3d CosineSimilarity PairwiseDistance""".split()
)
# Losses that keep a `weight=` (or `pos_weight=`) tensor as a buffer when given one: parameterless only
# when every argument is a constant or a keyword that never holds a tensor.
_WEIGHTED = frozenset(
    "CrossEntropyLoss NLLLoss NLLLoss2d BCELoss BCEWithLogitsLoss MultiLabelSoftMarginLoss MultiMarginLoss".split()
)
# Keywords of those losses that hold a number, a string or a flag, never a tensor; an `__init__`
# parameter of one of these names, handed on, is one of those too.
_PLAIN_KEYWORDS = frozenset(
    "reduction ignore_index label_smoothing size_average reduce p margin eps beta delta log_input full".split()
)
# Anything that gives a module state of its own, wherever it stands in the class.
_STATE_CALLS = re.compile(
    r"(?:^|\.)(?:Parameter|Buffer|ParameterList|ParameterDict|UninitializedParameter|UninitializedBuffer"
    r"|register_buffer|register_parameter|register_module|add_module)$"
)
_DEPTH = 4


def torch_parameterless(callee: Optional[str], node: cst.Call) -> bool:
    """Whether ``node``, a call of the torch.nn class ``callee``, builds a module without state."""
    if not callee or not callee.startswith("torch.nn."):
        return False
    name = callee.rsplit(".", 1)[-1]
    if name in _NO_STATE:
        return True
    if name not in _WEIGHTED:
        return False
    return all(
        _constant(arg.value) or (arg.keyword is not None and arg.keyword.value in _PLAIN_KEYWORDS) for arg in node.args
    )


class StatelessModules:
    """Which expressions build or hold modules without parameters and buffers (module docstring),
    with the definitions of the linted files (tipcheck.facts.definitions)."""

    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions
        self._sites: Dict[str, Dict[int, CallSite]] = {}
        self._module_class: Dict[Key, Optional[bool]] = {}
        self._factories: Dict[Key, bool] = {}

    def sites(self, module_id: str) -> Dict[int, CallSite]:
        if module_id not in self._sites:
            summary = self.definitions.summary(module_id)
            self._sites[module_id] = {id(s.node): s for s in summary.calls} if summary else {}
        return self._sites[module_id]

    def _class(self, qualified: Optional[str], module_id: str) -> Optional[Key]:
        key = self.definitions.find(qualified, module_id)
        return key if key is not None and key[0] == "class" and self.definitions.record(key) else None

    # -- expressions -----------------------------------------------------------------------
    def builds_stateless(self, value: cst.BaseExpression, module_id: str, depth: int = 0) -> bool:
        """Whether ``value`` (an expression of module ``module_id``) builds a module with nothing to
        move: a torch.nn one, a project module class, or a factory's call."""
        if not isinstance(value, cst.Call) or depth > _DEPTH:
            return False
        site = self.sites(module_id).get(id(value))
        callee = site.callee if site is not None else None
        if torch_parameterless(callee, value):
            return True
        key = self.definitions.find(callee, module_id)
        if key is None or not self.definitions.record(key):
            return False
        if key[0] == "func":
            return self._factory(key, depth + 1)
        return self.is_module(key) is True and self._stateless(key, value, depth, set())

    def holds(self, value: cst.BaseExpression, where: cst.CSTNode, module_id: str, depth: int = 0) -> bool:
        """Whether ``value`` builds such a module, or is a name or attribute that ``where`` (its
        function, or the module) only ever assigns such modules (or the same, moved: `x = x.cuda()`)."""
        if self.builds_stateless(value, module_id, depth):
            return True
        if not isinstance(value, (cst.Name, cst.Attribute)):
            return False
        found = assignments(where)
        text = code(value)
        values = found.values.get(text)
        if not values or text in found.unknown:
            return False
        moved = (f"{text}.cuda(", f"{text}.to(")
        fresh = [v for v in values if not code(v).startswith(moved)]
        return bool(fresh) and all(self.builds_stateless(v, module_id, depth) for v in fresh)

    def _factory(self, key: Key, depth: int) -> bool:
        """A project function whose every `return` hands back a module without state."""
        if key in self._factories:
            return self._factories[key]
        record = self.definitions.record(key)
        if depth > _DEPTH or record.class_key is not None:
            return False
        self._factories[key] = False  # while it is read: a factory that returns its own call
        returns = _Returns()
        walk(record.node.body, returns)
        found = bool(returns.values) and all(
            v is not None and self.holds(v, record.node, key[1], depth) for v in returns.values
        )
        self._factories[key] = found
        return found

    # -- classes ---------------------------------------------------------------------------
    def is_module(self, key: Key, seen: Optional[Set[Key]] = None) -> Optional[bool]:
        """True for a torch.nn.Module subclass, False for a plain class (no base, `object`, or
        plain project bases), None when a base is unknown."""
        if key in self._module_class:
            return self._module_class[key]
        seen = (seen or set()) | {key}
        result: Optional[bool] = False
        for base in self.definitions.record(key).bases:
            if base is None:
                result = None
            elif base in MODULE_BASES or base.startswith("torch.nn."):
                result = True
            elif base in ("object", "builtins.object"):
                continue
            else:
                target = self._class(base, key[1])
                found = self.is_module(target, seen) if target is not None and target not in seen else None
                result = found if found is not False else result
            if result is not False:
                break
        self._module_class[key] = result
        return result

    def _stateless(self, key: Key, call: Optional[cst.Call], depth: int, seen: Set[Key]) -> bool:
        if key in seen:
            return False
        seen.add(key)
        record = self.definitions.record(key)
        for base in record.bases:
            if base in MODULE_BASES or base in ("object", "builtins.object"):
                continue
            target = self._class(base, key[1])
            if target is None or not self._stateless(target, None, depth + 1, seen):
                return False  # a torch.nn layer or loss as base, or a base we cannot read
        visitor = _SelfState()
        walk(record.node, visitor)
        if visitor.stateful:
            return False
        init = record.node.body.body if isinstance(record.node.body, cst.IndentedBlock) else ()
        params = _init_params(init)
        for attr, value in visitor.assigned:
            if not self._plain_value(value, attr, params, call, record, key[1], depth):
                return False
        return True

    def _plain_value(self, value, attr, params, call, record, module_id, depth) -> bool:
        if _constant(value):
            return True
        if isinstance(value, cst.Name) and value.value in params:
            passed = _passed(call, params, value.value)
            if passed is not None and _constant(passed):
                return True
            return not _used_as_object(record.node, attr)  # a number or flag passed on, never a module
        if _root(value) in params:  # `cfg.LOSS.FACTORS`: a setting read from a parameter, maybe indexed
            return not _used_as_object(record.node, attr, indexed=True)
        return self._module_value(value, params, call, module_id, depth)

    def _module_value(self, value, params, call, module_id, depth) -> bool:
        """A construction in a class's methods that builds a module without state, or a plain object."""
        if not isinstance(value, cst.Call):
            return False
        site = self.sites(module_id).get(id(value))
        callee = site.callee if site else None
        if callee in _CONTAINERS:  # nn.ModuleList([Loss() if flag else None for flag in flags])
            elements = _elements(value)
            return elements is not None and all(
                _constant(e) or self._module_value(e, params, call, module_id, depth) for e in elements
            )
        if callee and callee.startswith("torch.nn."):
            return torch_parameterless(callee, _bound(value, params, call))
        target = self.definitions.find(callee, module_id)
        if target is None or not self.definitions.record(target):
            return False
        if target[0] == "func":
            return self._factory(target, depth + 1)
        kind = self.is_module(target)
        if kind is False:
            return True  # a plain object: Module.cuda() does not look into it
        return kind is True and depth < _DEPTH and self._stateless(target, value, depth + 1, set())


_CONTAINERS = frozenset({"torch.nn.ModuleList", "torch.nn.Sequential"})


def _elements(call: cst.Call) -> Optional[List[cst.BaseExpression]]:
    """The modules a `ModuleList([...])` or `Sequential(a, b)` holds, as written (each branch of a
    conditional element); None when they cannot be read (`*layers`, a list built elsewhere)."""
    if any(a.star or a.keyword is not None for a in call.args):
        return None
    values = [a.value for a in call.args]
    if len(values) == 1 and isinstance(values[0], (cst.List, cst.Tuple, cst.ListComp, cst.GeneratorExp)):
        held = values[0]
        values = [held.elt] if isinstance(held, (cst.ListComp, cst.GeneratorExp)) else [e.value for e in held.elements]
        if any(isinstance(e, cst.StarredElement) for e in getattr(held, "elements", ())):
            return None
    found: List[cst.BaseExpression] = []
    for value in values:
        while isinstance(value, cst.IfExp):
            found.append(value.body)
            value = value.orelse
        found.append(value)
    return found


def _root(node: cst.BaseExpression) -> Optional[str]:
    """`cfg` for `cfg.LOSS.WEIGHT`: the name an attribute chain starts from."""
    if not isinstance(node, cst.Attribute):
        return None
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _constant(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation):
        node = node.expression
    if isinstance(node, cst.Name):
        return node.value in ("None", "True", "False")
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(_constant(e.value) for e in node.elements)
    return isinstance(node, (cst.Integer, cst.Float, cst.SimpleString))


def _init_params(body: Sequence[cst.CSTNode]) -> Dict[str, tuple]:
    """The `__init__` parameters: name -> (position after self, default)."""
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "__init__":
            params = list(stmt.params.params)[1:]
            found = {p.name.value: (i, p.default) for i, p in enumerate(params)}
            found.update({p.name.value: (None, p.default) for p in stmt.params.kwonly_params})
            return found
    return {}


def _passed(call: Optional[cst.Call], params: Dict[str, tuple], name: str) -> Optional[cst.BaseExpression]:
    """What a construction call passes for an `__init__` parameter (its default when it passes none);
    None when unknown."""
    index, default = params[name]
    if call is None:
        return None
    if any(a.star for a in call.args):
        return None
    for position, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
        if arg.keyword is None and position == index:
            return arg.value
    return default


def _bound(value: cst.Call, params: Dict[str, tuple], call: Optional[cst.Call]) -> cst.Call:
    """A torch.nn construction in `__init__` with each parameter it passes on replaced by what the
    construction call gave (so `nn.NLLLoss(weight)` with `weight=None` reads as `nn.NLLLoss(None)`)."""
    args = []
    for position, arg in enumerate(value.args):
        if isinstance(arg.value, cst.Name) and arg.value.value in params:
            passed = _passed(call, params, arg.value.value)
            if passed is not None and _constant(passed):
                arg = arg.with_changes(value=passed)
            elif arg.value.value in _PLAIN_KEYWORDS and (arg.keyword is not None or position > 0):
                arg = arg.with_changes(value=cst.Integer("0"))  # `ignore_index` handed on: never a tensor
        args.append(arg)
    return value.with_changes(args=args)


def _used_as_object(class_node: cst.ClassDef, attr: str, indexed: bool = False) -> bool:
    """`self.attr(...)`, `self.attr.x`, `self.attr[...]`: used as more than a number or a flag. With
    ``indexed``, an item is a number too (`self.factors[i] * loss`), unless it is called or looked into."""
    text = code(class_node)
    after = r"(?:\[[^\]\n]*\]\s*)*[(.]" if indexed else r"[(.\[]"
    return bool(re.search(rf"\bself\.{re.escape(attr)}\s*{after}", text))


class _SelfState(cst.CSTVisitor):
    """Assignments `self.x = value` anywhere in a class, and any sign of state of its own."""

    def __init__(self) -> None:
        self.assigned = []
        self.stateful = False

    def visit_Call(self, node: cst.Call) -> None:
        func = code(node.func)
        if _STATE_CALLS.search(func):
            self.stateful = True
        elif func in ("setattr", "vars") or func.endswith("__setattr__") or func.startswith("self.__dict__"):
            # `setattr(self, name, layer)`, `self.__dict__.update(...)`: attributes that cannot be read
            self.stateful = self.stateful or "self" in func or any(_mentions_self(a.value) for a in node.args)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._target(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._target(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if _self_attr(node.target) is None and _mentions_self(node.target):
            self.stateful = True

    def _target(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        attr = _self_attr(target)
        if attr is not None:
            self.assigned.append((attr, value))
        elif _mentions_self(target):
            self.stateful = True  # `self.a, self.b = ...`, `self.x[...] = ...`, `setattr`-like shapes


def _self_attr(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
        return node.attr.value
    return None


def _mentions_self(node: cst.CSTNode) -> bool:
    return bool(re.search(r"\bself\b", code(node)))


class _Returns(cst.CSTVisitor):
    """The values a function body returns (None for a bare `return`), not those of nested functions."""

    def __init__(self) -> None:
        self.values: List[Optional[cst.BaseExpression]] = []

    def visit_Return(self, node: cst.Return) -> None:
        self.values.append(node.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


# The assignments of the last functions read (see assignments), kept with the node.
_ASSIGNED: ByObject[cst.CSTNode, "Assignments"] = ByObject(512)


def assignments(where: cst.CSTNode) -> "Assignments":
    """Every value ``where`` (a function, or a module) assigns to each plain target (Assignments):
    read once for each node, which never changes; a long-lived process (the editor server) asks
    again at each run about the functions an edit did not touch. The newest few hundred are kept."""
    return _ASSIGNED.get(where, _read_assignments)


def _read_assignments(where: cst.CSTNode) -> "Assignments":
    found = Assignments()
    walk(where, found)
    return found


class Assignments(cst.CSTVisitor):
    """Every value assigned to each plain target (`name = ...`, `self.x = ...`), by its text; targets
    bound any other way (tuples, loops, parameters, `with ... as`) are marked unknown."""

    def __init__(self) -> None:
        self.values: Dict[str, List[cst.BaseExpression]] = {}
        self.unknown: Set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, (cst.Name, cst.Attribute)):
                self.values.setdefault(code(target.target), []).append(node.value)
            else:
                self.unknown.update(code(n) for n in _names(target.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.values.setdefault(code(node.target), []).append(node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.unknown.add(code(node.target))

    def visit_For(self, node: cst.For) -> None:
        self.unknown.update(code(n) for n in _names(node.target))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.unknown.update(code(n) for n in _names(node.asname.name))

    def visit_Param(self, node: cst.Param) -> None:
        self.unknown.add(node.name.value)


def _names(node: cst.CSTNode) -> List[cst.CSTNode]:
    if isinstance(node, (cst.Name, cst.Attribute)):
        return [node]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for element in node.elements for n in _names(element.value)]
    if isinstance(node, cst.StarredElement):
        return _names(node.value)
    return []

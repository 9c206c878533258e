"""Per-module flow summary: where values go, which loops there are, what is called where.

One pass over a module records, in terms of symbolic *key paths*, everything the project-wide
training facts (tipcheck.facts.training) need:

- aliasing: ``b = a``, tuple unpacking, attributes (``self.x``, ``args.sampler``), simple dict
  entries, return values;
- call sites, with the key paths of their arguments and result (a constructor, a project helper,
  or something unknown: the project facts decide which, across modules);
- method events on values (``.step()``, ``.set_epoch()``, ``.backward()``, ...);
- loops, with the key paths of what they iterate.

A key path is ``(base, fields)``: a base key plus a tuple of attribute / subscript fields. Base
keys are plain tuples, so the summary holds no state but the CST nodes it anchors to.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import libcst as cst

from tipcheck.facts.flowitems import ItemFlow
from tipcheck.facts.scopes import Scope, annotation_name, dotted_name, resolve, resolve_call
from tipcheck.facts.walk import leave_hook, visit_hook, walk

Key = tuple
KeyPath = Tuple[Key, Tuple[str, ...]]

ANY_ITEM = "[*]"

# Methods that return their receiver (for modules and tensors), so `model = model.to(device)`
# keeps `model` the same value.
SELF_RETURNING = frozenset(
    {"to", "cuda", "cpu", "train", "eval", "float", "half", "double", "bfloat16", "requires_grad_"}
)

# Methods recorded as events on the receiver.
EVENT_METHODS = frozenset(
    {
        "step",
        "set_epoch",
        "backward",
        "zero_grad",
        "update",
        "to",
        "cuda",
        "parameters",
        "state_dict",
        "load_state_dict",
    }
)

# Iteration wrappers whose first argument (or any argument, for zip) is what is really iterated.
ITER_WRAPPERS = {
    "enumerate": "first",
    "zip": "all",
    "iter": "first",
    "tqdm.tqdm": "first",
    "tqdm.auto.tqdm": "first",
    "tqdm.notebook.tqdm": "first",
    "tqdm.rich.tqdm": "first",
    "reversed": "first",
    "itertools.islice": "first",
    "itertools.cycle": "cycle",
}

# Calls whose value is their first argument, for what the facts need.
PASS_THROUGH = frozenset({"iter", "torch.compile"})

# Callables that may receive a value without it escaping the analysis.
HARMLESS_CALLS = frozenset(
    {
        "print",
        "len",
        "str",
        "repr",
        "isinstance",
        "hasattr",
        "getattr",
        "type",
        "id",
        "format",
        "enumerate",
        "zip",
        "iter",
        "next",
        "range",
        "bool",
        "int",
        "float",
        "max",
        "min",
        "sorted",
        "tqdm.tqdm",
        "tqdm.auto.tqdm",
        "tqdm.notebook.tqdm",
        "itertools.islice",
        "itertools.cycle",
        "reversed",
        "super",
        "dir",
        "callable",
        "issubclass",
        "pickle.dump",  # serialised: read, neither kept nor changed
        "pickle.dumps",
    }
)


@dataclass(eq=False)
class Context:
    """Where something happens: the function it is in, the loops around it, its statement."""

    func: Key  # ("func", module_id, "$.name") or ("module", module_id)
    loops: Tuple["LoopRecord", ...]  # enclosing loops of the same function, outermost first
    stmt: Optional[cst.CSTNode]  # the innermost enclosing statement
    # The enclosing statements, outermost first, each with the block (a list of statements) it sits in.
    stmt_path: Tuple[Tuple[cst.CSTNode, Sequence[cst.CSTNode]], ...] = ()
    conditions: Tuple[cst.BaseExpression, ...] = ()  # tests of enclosing ifs within the function


@dataclass(eq=False)
class LoopRecord:
    node: cst.CSTNode  # For or While
    ctx: Context  # where the loop statement itself is
    iterated: Tuple[KeyPath, ...]  # key paths of what the loop iterates (after unwrapping)
    cycle: bool = False  # iterates itertools.cycle(...)
    target: Optional[cst.BaseExpression] = None
    iter_expr: Optional[cst.BaseExpression] = None


@dataclass(eq=False)
class CallSite:
    node: cst.Call
    ctx: Context
    callee: Optional[str]  # qualified name, when the callee is a plain name or dotted import
    receiver: Optional[KeyPath]  # for `x.m(...)`: x's key path
    method: Optional[str]
    args: Tuple[Optional[KeyPath], ...]  # positional arguments (None: not a tracked expression)
    kwargs: Dict[str, Optional[KeyPath]]
    result: Key  # fresh key of the call's value
    star: bool = False  # *args / **kwargs present
    func_path: Optional[KeyPath] = None  # what is called, when it is a tracked value (`model(x)`)


@dataclass(eq=False)
class FuncRecord:
    key: Key
    node: cst.FunctionDef
    scope: Scope
    params: Tuple[str, ...]  # positional-or-keyword parameters, in order (self included)
    kwonly: Tuple[str, ...]
    class_key: Optional[Key]  # for methods
    is_static: bool = False


@dataclass(eq=False)
class ClassRecord:
    key: Key
    node: cst.ClassDef
    bases: Tuple[Optional[str], ...]  # qualified names of the bases ("$.Base" for local ones)
    methods: Dict[str, Key] = field(default_factory=dict)


@dataclass
class ModuleSummary:
    module_id: str  # the file path
    unions: List[Tuple[KeyPath, KeyPath]] = field(default_factory=list)
    calls: List[CallSite] = field(default_factory=list)
    loops: List[LoopRecord] = field(default_factory=list)
    funcs: Dict[Key, FuncRecord] = field(default_factory=dict)
    classes: Dict[Key, ClassRecord] = field(default_factory=dict)
    returns: List[Tuple[Key, KeyPath]] = field(default_factory=list)
    module_scope: Optional[Scope] = None
    ext_names: set = field(default_factory=set)  # imported qualified names used as values
    text: str = ""  # the module's source, for rules that look at it as text
    # tipcheck.facts.flowitems: what key paths may hold untracked ("None", "?"); generator loops
    others: List[Tuple[KeyPath, str]] = field(default_factory=list)
    yields: List[Tuple[Key, "LoopRecord"]] = field(default_factory=list)
    yield_froms: List[Tuple["Context", KeyPath]] = field(default_factory=list)
    # Parameters annotated with a class (`def fit(trainer: Trainer)`): the parameter, the name.
    annotated: List[Tuple[KeyPath, str]] = field(default_factory=list)


def _subscript_field(node: cst.Subscript) -> str:
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        index = node.slice[0].slice.value
        if isinstance(index, cst.SimpleString):
            value = index.evaluated_value
            if isinstance(value, str):
                return f"[{value!r}]"
        if isinstance(index, cst.Integer):
            return f"[{index.value}]"
    return ANY_ITEM


class FlowBuilder(ItemFlow, cst.CSTVisitor):
    """Builds a ModuleSummary; needs the scopes the ScopeBuilder made for the same tree."""

    def __init__(self, module_id: str, module_scope: Scope, scope_of: Dict[cst.CSTNode, Scope], numbers=None) -> None:
        self.summary = ModuleSummary(module_id, module_scope=module_scope)
        self.module_id = module_id
        self.scope_of = scope_of
        self.scope = module_scope
        self.func: Key = ("module", module_id)
        self.loops: List[LoopRecord] = []
        self.stmts: List[Tuple[cst.CSTNode, Sequence[cst.CSTNode]]] = []
        self.conditions: List[cst.BaseExpression] = []
        self.def_path: List[str] = []
        self.class_stack: List[Optional[ClassRecord]] = []
        # Numbers the fresh keys of the module; shared by the builders of its statements
        # (tipcheck.facts.parts), and by those of its next version: a key is never given twice.
        self.numbers = numbers if numbers is not None else itertools.count(1)
        self._fresh = 0
        self._blocks: Dict[int, Sequence[cst.CSTNode]] = {}  # id(statement) -> the block it is in

    # -- context ---------------------------------------------------------------------------
    def ctx(self) -> Context:
        return Context(
            func=self.func,
            loops=tuple(self.loops),
            stmt=self.stmts[-1][0] if self.stmts else None,
            stmt_path=tuple(self.stmts),
            conditions=tuple(self.conditions),
        )

    def _note_block(self, body: Sequence[cst.CSTNode]) -> None:
        for stmt in body:
            self._blocks[id(stmt)] = body

    def visit_Module(self, node: cst.Module) -> None:
        self._note_block(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._note_block(node.body)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._note_block(node.body)

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.BaseCompoundStatement, cst.SimpleStatementLine)):
            self.stmts.append((node, self._blocks.get(id(node), ())))
        return visit_hook(self, node)  # CSTVisitor.on_visit, without its lookup by name at each node

    def on_leave(self, original_node: cst.CSTNode) -> None:
        leave_hook(self, original_node)
        if isinstance(original_node, (cst.BaseCompoundStatement, cst.SimpleStatementLine)):
            self.stmts.pop()

    def fresh(self, node: cst.CSTNode) -> Key:
        self._fresh = next(self.numbers)
        return ("new", self.module_id, self._fresh)

    # -- key paths -------------------------------------------------------------------------
    def keypath(self, expr: Optional[cst.BaseExpression]) -> Optional[KeyPath]:
        """The key path of an expression, or None when it is nothing the facts track."""
        if expr is None:
            return None
        if isinstance(expr, cst.Name):
            scope = self.scope.lookup_scope(expr.value)
            if scope is None:
                return None
            bindings = scope.bindings[expr.value]
            if len(set(bindings)) == 1 and bindings[0] is not None and not bindings[0].startswith("$"):
                self.summary.ext_names.add(bindings[0])
                return (("ext", bindings[0]), ())  # an imported name: resolved across modules
            return (("var", self.module_id, scope.uid, expr.value), ())
        if isinstance(expr, cst.Attribute):
            base = self.keypath(expr.value)
            return (base[0], base[1] + (expr.attr.value,)) if base else None
        if isinstance(expr, cst.Subscript):
            base = self.keypath(expr.value)
            return (base[0], base[1] + (_subscript_field(expr),)) if base else None
        if isinstance(expr, cst.Call):
            return self._call_keypath(expr)
        if isinstance(expr, (cst.Tuple, cst.List)):
            key = self.fresh(expr)
            for index, element in enumerate(expr.elements):
                if isinstance(element, cst.Element):
                    path = self.keypath(element.value)
                    self.union((key, (f"#{index}",)), path)
                    if isinstance(expr, cst.List):  # lists are iterated; tuples mostly unpacked
                        self.union((key, (ANY_ITEM,)), path)
            return (key, ())
        if isinstance(expr, cst.Dict):
            key = self.fresh(expr)
            for element in expr.elements:
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                    value = element.key.evaluated_value
                    if isinstance(value, str):
                        self.union((key, (f"[{value!r}]",)), self.keypath(element.value))
            return (key, ())
        if isinstance(expr, cst.DictComp):
            key = self.fresh(expr)
            self.pending_comp.append((key, expr, expr.value))
            return (key, ())
        if isinstance(expr, (cst.ListComp, cst.GeneratorExp)):
            key = self.fresh(expr)
            self.pending_comp.append((key, expr, expr.elt))
            return (key, ())
        if isinstance(expr, cst.IfExp):
            key = self.fresh(expr)
            self.keypath(expr.test)
            self.conditions.append(expr.test)
            for branch in (expr.body, expr.orelse):
                self.union_or_other((key, ()), branch)
            self.conditions.pop()
            return (key, ())
        if isinstance(expr, cst.BooleanOperation):
            key = self.fresh(expr)
            for branch in (expr.left, expr.right):
                self.union_or_other((key, ()), branch)
            return (key, ())
        if isinstance(expr, cst.NamedExpr):
            path = self.keypath(expr.value)
            self.union(self.keypath(expr.target), path)
            return path
        if isinstance(expr, cst.Await):
            return self.keypath(expr.expression)
        if isinstance(expr, cst.Lambda):  # a callable of its own: not a class a dict or branch offers
            self._fresh = next(self.numbers)
            return (("lambda", self.module_id, self._fresh), ())
        return None

    # (key, comprehension, its element): resolved once the comprehension's own scope is known
    pending_comp: List[Tuple[Key, cst.CSTNode, cst.BaseExpression]]

    def union(self, a: Optional[KeyPath], b: Optional[KeyPath]) -> None:
        if a is not None and b is not None and a != b:
            self.summary.unions.append((a, b))

    # -- calls -----------------------------------------------------------------------------
    def _call_keypath(self, call: cst.Call) -> KeyPath:
        site = self._calls_seen.get(id(call))
        if site is not None:
            return (site.result, ())
        func = call.func
        receiver: Optional[KeyPath] = None
        method: Optional[str] = None
        callee = resolve_call(func, self.scope)
        if callee is None and isinstance(func, cst.Name) and self.scope.lookup(func.value) is None:
            if self.scope.star_import_for(func.value) is None:
                callee = func.value  # a builtin: enumerate, zip, len, isinstance, ...
        if isinstance(func, cst.Attribute):
            receiver = self.keypath(func.value)
            method = func.attr.value
        args: List[Optional[KeyPath]] = []
        kwargs: Dict[str, Optional[KeyPath]] = {}
        star = False
        for arg in call.args:
            if arg.star:
                star = True
                continue
            path = self.keypath(arg.value)
            if arg.keyword is not None:
                kwargs[arg.keyword.value] = path
            else:
                args.append(path)
        site = CallSite(
            node=call,
            ctx=self.ctx(),
            callee=callee,
            receiver=receiver,
            method=method,
            args=tuple(args),
            kwargs=kwargs,
            result=self.fresh(call),
            star=star,
            func_path=self.keypath(func)
            if callee is None and isinstance(func, (cst.Name, cst.Attribute, cst.Subscript))
            else None,
        )
        self._calls_seen[id(call)] = site
        self.summary.calls.append(site)
        if receiver is not None and method in SELF_RETURNING:
            self.union((site.result, ()), receiver)
        if (callee in PASS_THROUGH or ITER_WRAPPERS.get(callee or "") == "first") and args and callee != "enumerate":
            self.union((site.result, ()), args[0])  # `pbar = tqdm(loader)` is the loader
        self.note_dict_of_pairs(call, callee, site.result, args)
        if callee == "itertools.cycle" and args:
            self.union((site.result, ("cycled",)), args[0])  # `next(it)` pulls from the loader forever
        return (site.result, ())

    _calls_seen: Dict[int, CallSite]

    def visit_Call(self, node: cst.Call) -> None:
        self._call_keypath(node)

    # -- statements ------------------------------------------------------------------------
    def _assign(self, target: cst.BaseExpression, value: Optional[KeyPath]) -> None:
        if value is None:
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            for index, element in enumerate(target.elements):
                if isinstance(element, cst.StarredElement):
                    return
                self._assign(element.value, (value[0], value[1] + (f"#{index}",)))
            return
        self.union(self.keypath(target), value)

    def visit_Assign(self, node: cst.Assign) -> None:
        value = self.keypath(node.value)
        for target in node.targets:
            self._assign(target.target, value)
            if value is None:
                self.assign_other(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            value = self.keypath(node.value)
            self._assign(node.target, value)
            if value is None:
                self.assign_other(node.target, node.value)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and self.func[0] == "func":
            path = self.keypath(node.value)
            if path is not None:
                self.summary.returns.append((self.func, path))
                self.union((("ret",) + self.func[1:], ()), path)

    def visit_IfExp(self, node: cst.IfExp) -> bool:
        walk(node.test, self)
        self.conditions.append(node.test)
        walk(node.body, self)
        walk(node.orelse, self)
        self.conditions.pop()
        return False

    def visit_If(self, node: cst.If) -> None:
        self.conditions.append(node.test)

    def leave_If(self, original_node: cst.If) -> None:
        self.conditions.pop()

    def visit_For(self, node: cst.For) -> bool:
        walk(node.iter, self)
        iterated, cycle = self._iterated(node.iter)
        record = LoopRecord(node, self.ctx(), iterated, cycle, node.target, node.iter)
        self.summary.loops.append(record)
        # `for name in dict_or_list`: the name is an item of what is iterated.
        if iterated and isinstance(node.target, cst.Name) and not cycle:
            self.union(self.keypath(node.target), (iterated[0][0], iterated[0][1] + (ANY_ITEM,)))
        self.bind_items(node.target, node.iter, comprehension=False)
        walk(node.target, self)
        self.loops.append(record)
        walk(node.body, self)
        self.loops.pop()
        if node.orelse is not None:
            walk(node.orelse, self)
        return False

    def visit_While(self, node: cst.While) -> bool:
        walk(node.test, self)
        record = LoopRecord(node, self.ctx(), ())
        self.summary.loops.append(record)
        self.loops.append(record)
        walk(node.body, self)
        self.loops.pop()
        if node.orelse is not None:
            walk(node.orelse, self)
        return False

    def _iterated(self, expr: cst.BaseExpression) -> Tuple[Tuple[KeyPath, ...], bool]:
        cycle = False
        exprs = [expr]
        for _ in range(4):  # unwrap enumerate(tqdm(zip(...)))
            unwrapped = []
            changed = False
            for item in exprs:
                if isinstance(item, cst.Call) and item.args:
                    name = resolve_call(item.func, self.scope) or dotted_name(item.func)
                    how = ITER_WRAPPERS.get(name or "")
                    if how is not None:
                        changed = True
                        cycle = cycle or how == "cycle"
                        positional = [a.value for a in item.args if a.keyword is None and not a.star]
                        unwrapped.extend(positional if how == "all" else positional[:1])
                        continue
                unwrapped.append(item)
            exprs = unwrapped
            if not changed:
                break
        paths = tuple(p for p in (self.keypath(e) for e in exprs) if p is not None)
        return paths, cycle

    # -- definitions -----------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:
            walk(decorator, self)
        scope = self.scope_of[node]
        name = ".".join(["$", *self.def_path, node.name.value])
        key = ("func", self.module_id, name)
        owner = self.class_stack[-1] if self.class_stack and self.scope.kind == "class" else None
        decorators = {dotted_name(d.decorator) for d in node.decorators}
        params = node.params
        record = FuncRecord(
            key=key,
            node=node,
            scope=scope,
            params=tuple(p.name.value for p in (*params.posonly_params, *params.params)),
            kwonly=tuple(p.name.value for p in params.kwonly_params),
            class_key=owner.key if owner else None,
            is_static="staticmethod" in decorators,
        )
        self.summary.funcs[key] = record
        self.note_none_defaults(params, scope.uid)
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if isinstance(param.default, cst.Call):
                walk(param.default, self)  # evaluated where the function is defined
            named = annotation_name(param.annotation, self.scope)
            if named is not None:
                self.summary.annotated.append(((("var", self.module_id, scope.uid, param.name.value), ()), named))
        if owner is not None:
            owner.methods[node.name.value] = key
            if record.params and not record.is_static and "classmethod" not in decorators:
                self.union((("var", self.module_id, scope.uid, record.params[0]), ()), (("self",) + owner.key[1:], ()))
        saved = (self.scope, self.func, self.loops, self.conditions)
        self.scope, self.func, self.loops, self.conditions = scope, key, [], []
        self.def_path.append(node.name.value)
        self.class_stack.append(None)
        walk(node.body, self)
        self.class_stack.pop()
        self.def_path.pop()
        self.scope, self.func, self.loops, self.conditions = saved
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        name = ".".join(["$", *self.def_path, node.name.value])
        key = ("class", self.module_id, name)
        bases = tuple(resolve(arg.value, self.scope) for arg in node.bases if arg.keyword is None)
        record = ClassRecord(key, node, bases)
        self.summary.classes[key] = record
        saved = self.scope
        self.scope = self.scope_of[node]
        self.def_path.append(node.name.value)
        self.class_stack.append(record)
        walk(node.body, self)
        # Class attributes (`scheduler_class = StepLR`) are what instances read as `self.name`.
        for attr in self.scope.bindings:
            if attr not in record.methods:
                var = (("var", self.module_id, self.scope.uid, attr), ())
                self.union((("self",) + key[1:], (attr,)), var)
        self.class_stack.pop()
        self.def_path.pop()
        self.scope = saved
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        saved = self.scope
        self.scope = self.scope_of.get(node, self.scope)
        body = self.keypath(node.body)
        if body is not None:  # what a lambda returns goes to callers the facts do not see
            self._fresh = next(self.numbers)
            self.summary.returns.append((("lambda", self.module_id, self._fresh), body))
        walk(node.body, self)
        self.scope = saved
        return False

    def _visit_comp(self, node) -> bool:
        saved = self.scope
        self.scope = self.scope_of.get(node, self.scope)
        for_in = node.for_in
        while for_in is not None:
            walk(for_in.iter, self)
            self.bind_items(for_in.target, for_in.iter, comprehension=True)
            for condition in for_in.ifs:
                walk(condition, self)
            for_in = for_in.inner_for_in
        parts = [node.key, node.value] if isinstance(node, cst.DictComp) else [node.elt]
        for part in parts:
            walk(part, self)
        self.scope = saved
        return False

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _visit_comp

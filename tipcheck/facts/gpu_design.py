"""Modules and classes whose CUDA placements need no check (TIP102), decided from what they are.

- *A module that cannot run without CUDA because of what it imports*: a module-level import of a
  CUDA-only library (NVIDIA apex, pytorch_quantization, TensorRT, torch2trt, PyCUDA, CuPy) that is not optional
  (not inside a `try` whose `except ImportError` carries on; one that re-raises keeps it required).
  Everything in such a module is GPU-only by design, and in a module that requires a project module
  that is so (`from tensorrt_processor import Processor`, one level: tipcheck.facts.entries).
- *A CUDA kernel test*: a `test*.py` module that checks a compiled op with
  `torch.autograd.gradcheck`/`gradgradcheck`. An evaluation script named `test.py` is no such thing.
- *An entry that launches one process per GPU*: `mp.spawn(main_worker, nprocs=ngpus_per_node)`
  (the count of processes read from the GPUs: `torch.cuda.device_count()`, a name assigned from it,
  a GPU list) starts no process without a GPU. The spawn is a GPU-only statement, and the function
  it spawns runs only where there are GPUs (``spawned_over_gpus``).
- *An `if` whose every branch is GPU-only* (``gpu_only_ifs``): `if distributed: DDP(model,
  device_ids=[rank]) else: DataParallel(model, device_ids=gpus)`, or a GPU-only branch whose `else`
  raises (`else: raise NotImplementedError("only DDP")`). Whichever way it goes, the code cannot
  run without GPUs: the `if` governs the block it stands in, as a GPU-only statement does.
- *A project module class that holds no parameters and no buffers* (a loss whose `__init__` only
  keeps numbers, strings, flags, plain objects or parameterless torch.nn modules): `.cuda()` on it
  moves nothing and needs no CUDA.
"""

from __future__ import annotations

import os
import re
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from tipcheck.facts.catalogue import MODULE_BASES
from tipcheck.facts.flow import CallSite, ClassRecord, ModuleSummary
from tipcheck.facts.walk import walk

_CUDA_ONLY_LIBRARIES = frozenset({"apex", "pytorch_quantization", "tensorrt", "torch2trt", "pycuda", "cupy"})
_GRADCHECK = re.compile(r"^torch\.autograd\.(?:gradcheck\.)?(?:gradcheck|gradgradcheck)$")
# `__init__` parameters that, by their name, hold a number or a flag when handed to a torch loss.
_PLAIN_PARAMS = frozenset("reduction ignore_index size_average reduce label_smoothing".split())
_TEST_NAME = re.compile(r"^test[^/]*\.py$")
# Anything that gives a module state of its own, wherever it stands in the class.
_STATE_CALLS = re.compile(r"(?:^|\.)(?:Parameter|register_buffer|register_parameter|add_module|ParameterList)$")


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


# -- modules that import a CUDA-only library --------------------------------------------------
def imports_cuda_only_library(module_body: Sequence[cst.CSTNode], project_module=None) -> bool:
    """A module-level import of a CUDA-only library that the module cannot do without; or, given
    ``project_module(import) -> bool`` (whether an import statement brings in a project module that
    itself requires such a library: `from tensorrt_processor import Processor`), of such a module."""
    for small in _required_imports(module_body):
        if _cuda_only_import(small) or project_module is not None and project_module(small):
            return True
    return False


def _required_imports(module_body: Sequence[cst.CSTNode]):
    """The module-level import statements a module cannot do without (not in a `try` that carries on)."""
    for stmt in module_body:
        if isinstance(stmt, cst.Try) and _reraises_import_error(stmt):
            for inner in getattr(stmt.body, "body", ()):
                if isinstance(inner, cst.SimpleStatementLine):
                    yield from (s for s in inner.body if isinstance(s, (cst.Import, cst.ImportFrom)))
        elif isinstance(stmt, cst.SimpleStatementLine):
            yield from (s for s in stmt.body if isinstance(s, (cst.Import, cst.ImportFrom)))


def imported_names(small) -> List[Tuple[str, int]]:
    """The dotted names an import statement brings in, with its leading dots (`from . import x`)."""
    if isinstance(small, cst.Import):
        return [(_code(alias.name), 0) for alias in small.names]
    module = _code(small.module) if small.module is not None else ""
    names = small.names if isinstance(small.names, Sequence) else ()
    found = [(f"{module}.{_code(a.name)}".strip("."), len(small.relative)) for a in names]
    return found or [(module, len(small.relative))]


def _cuda_only_import(small: cst.BaseSmallStatement) -> bool:
    if isinstance(small, cst.Import):
        return any(_code(alias.name).split(".")[0] in _CUDA_ONLY_LIBRARIES for alias in small.names)
    if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        return _code(small.module).split(".")[0] in _CUDA_ONLY_LIBRARIES
    return False


def _reraises_import_error(stmt: cst.Try) -> bool:
    """Every handler that catches ImportError (or everything) ends by raising: the import is required."""
    handlers = [h for h in stmt.handlers if h.type is None or "ImportError" in _code(h.type)]
    if not handlers:
        return False
    for handler in handlers:
        body = getattr(handler.body, "body", ())
        last = body[-1] if body else None
        if not (isinstance(last, cst.SimpleStatementLine) and last.body and isinstance(last.body[-1], cst.Raise)):
            return False
    return True


# -- CUDA kernel tests ------------------------------------------------------------------------
def kernel_test(summary: ModuleSummary) -> bool:
    """A `test*.py` module that runs gradcheck over an op (a compiled CUDA extension's, in practice)."""
    name = os.path.basename(summary.module_id.replace(os.sep, "/"))
    if not _TEST_NAME.match(name) or "gradcheck" not in summary.text:
        return False
    return any(site.callee and _GRADCHECK.match(site.callee) for site in summary.calls)


# -- launches over the GPUs, and ifs that are GPU-only whichever way they go --------------------
_SPAWN = re.compile(r"(?:^|\.)(?:multiprocessing|mp)\.spawn$")
_GPU_COUNT = re.compile(r"device_count|gpu|cuda", re.IGNORECASE)


def spawned_over_gpus(site: CallSite, assigned) -> Optional[str]:
    """For `mp.spawn(fn, nprocs=...)` (torch.multiprocessing) whose count of processes is read from
    the GPUs, the name of ``fn`` (a plain name); None for any other call. ``assigned(site, name)``
    gives what a name is assigned in the function of the call (None when bound otherwise)."""
    name = site.callee or _code(site.node.func)
    if not _SPAWN.search(name) and not _SPAWN.search(_code(site.node.func)):
        return None
    args = site.node.args
    if any(a.star for a in args):
        return None
    positional = [a.value for a in args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in args if a.keyword is not None}
    fn = keywords.get("fn", positional[0] if positional else None)
    nprocs = keywords.get("nprocs", positional[2] if len(positional) > 2 else None)
    if not isinstance(fn, cst.Name) or nprocs is None:
        return None
    return fn.value if _counts_gpus(nprocs, site, assigned, 0) else None


def _counts_gpus(expr: cst.BaseExpression, site: CallSite, assigned, depth: int) -> bool:
    if _GPU_COUNT.search(_code(expr)):
        return True
    if depth > 1 or not isinstance(expr, (cst.Name, cst.Attribute)):
        return False
    values = assigned(site, _code(expr))
    return bool(values) and all(_counts_gpus(v, site, assigned, depth + 1) for v in values)


def whole_body_on_gpus(body: Sequence[cst.CSTNode], blocks: Set[int]) -> bool:
    """A function body that a GPU-only statement governs (its id in ``blocks``) and that does not
    return before its last statement: `if not distributed: return` ahead of `set_device(...)` lets
    a call run without GPUs."""
    if id(body) not in blocks:
        return False
    found: List[cst.Return] = []

    class Returns(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

    for stmt in body[:-1]:
        walk(stmt, Returns())
    return not found


def cuda_stream_blocks(module: cst.Module) -> List[Sequence[cst.CSTNode]]:
    """The bodies of `with torch.cuda.stream(s):` where ``s`` only ever holds a CUDA stream: every
    assignment of it (of `self.stream` in its class, of a name in its function) is
    `torch.cuda.Stream()`, which needs CUDA; a stream that may be None (`... if cuda else None`),
    a parameter, or anything else keeps the body as it is."""
    found: List[Sequence[cst.CSTNode]] = []
    scopes: List[cst.CSTNode] = [module]

    class Visit(cst.CSTVisitor):
        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            scopes.append(node)

        def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
            scopes.pop()

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            scopes.append(node)

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            scopes.pop()

        def visit_With(self, node: cst.With) -> None:
            for item in node.items:
                call = item.item
                if not (isinstance(call, cst.Call) and _code(call.func) == "torch.cuda.stream" and len(call.args) == 1):
                    continue
                held = call.args[0].value
                if isinstance(held, cst.Attribute):
                    scope = next((c for c in reversed(scopes) if isinstance(c, cst.ClassDef)), None)
                else:
                    scope = scopes[-1] if isinstance(held, cst.Name) else None
                if scope is not None and _only_streams(scope, _code(held)):
                    found.append(getattr(node.body, "body", ()))

    walk(module, Visit())
    return found


def _only_streams(scope: cst.CSTNode, held: str) -> bool:
    values: List[cst.BaseExpression] = []
    other: List[cst.CSTNode] = []

    class Visit(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                if _code(target.target) == held:
                    values.append(node.value)
                elif held in _code(target.target):
                    other.append(node)  # `self.stream, x = ...`: bound some other way

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if held in _code(node.target):
                other.append(node)

        def visit_Param(self, node: cst.Param) -> None:
            if node.name.value == held:
                other.append(node)

    walk(scope, Visit())
    return (
        bool(values)
        and not other
        and all(isinstance(v, cst.Call) and _code(v.func) == "torch.cuda.Stream" for v in values)
    )


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


def comprehension_iterables(stmt: Optional[cst.CSTNode], target: cst.CSTNode) -> List[cst.BaseExpression]:
    """What the comprehensions around ``target`` (in statement ``stmt``) iterate, when ``target``
    stands in what they build (`[Detector(device=f"cuda:{i}") for i in range(args.ngpu)]`)."""
    found: List[cst.BaseExpression] = []

    def visit(node: cst.CSTNode, trail: List[cst.BaseExpression]) -> bool:
        if node is target:
            found.extend(trail)
            return True
        built = {id(getattr(node, name, None)) for name in ("elt", "key", "value")}
        for child in node.children:
            inner = trail
            if isinstance(node, _COMPREHENSIONS) and id(child) in built:
                loop, inner = node.for_in, list(trail)
                while loop is not None:
                    inner.append(loop.iter)
                    loop = loop.inner_for_in
            if visit(child, inner):
                return True
        return False

    if stmt is not None:
        visit(stmt, [])
    return found


def _stops(block: Sequence[cst.CSTNode]) -> bool:
    """A branch that ends by raising or leaving the process (a `return` carries on elsewhere)."""
    last = block[-1] if block else None
    if not (isinstance(last, cst.SimpleStatementLine) and last.body):
        return False
    small = last.body[-1]
    if isinstance(small, cst.Raise):
        return True
    return (
        isinstance(small, cst.Expr)
        and isinstance(small.value, cst.Call)
        and (_code(small.value.func) in ("sys.exit", "exit", "quit", "os._exit"))
    )


def _branches(node: cst.If) -> Optional[List[Sequence[cst.CSTNode]]]:
    """The blocks of an `if`/`elif`/`else` chain; None without a final `else` or with a one-line branch."""
    found: List[Sequence[cst.CSTNode]] = []
    current: object = node
    while isinstance(current, cst.If):
        found.append(getattr(current.body, "body", None))
        current = current.orelse
    if not isinstance(current, cst.Else):
        return None
    found.append(getattr(current.body, "body", None))
    return None if any(not isinstance(b, (list, tuple)) for b in found) else found


def gpu_only_ifs(module_body: Sequence[cst.CSTNode], blocks: Set[int]) -> Set[int]:
    """The blocks (ids) governed by an `if` whose branches are all GPU-only (ids in ``blocks``) or
    stop (one GPU-only at least), found again until nothing changes: the block it stands in, as for
    a GPU-only statement (tipcheck.facts.cuda_checks)."""
    found = set(blocks)
    changed = True
    while changed:
        changed = False

        def scan(body: Sequence[cst.CSTNode], governing: Optional[Sequence[cst.CSTNode]]) -> None:
            nonlocal changed
            for stmt in body:
                if isinstance(stmt, cst.If):
                    parts = _branches(stmt)
                    if parts and governing is not None and id(governing) not in found:
                        if any(id(p) in found for p in parts) and all(id(p) in found or _stops(p) for p in parts):
                            found.add(id(governing))
                            changed = True
                    current: object = stmt
                    while isinstance(current, cst.If):
                        inner = getattr(current.body, "body", ())
                        scan(inner, inner)
                        current = current.orelse
                    if isinstance(current, cst.Else):
                        inner = getattr(current.body, "body", ())
                        scan(inner, inner)
                elif isinstance(stmt, cst.FunctionDef):
                    inner = getattr(stmt.body, "body", ())
                    scan(inner, inner)
                elif isinstance(stmt, cst.ClassDef):
                    scan(getattr(stmt.body, "body", ()), None)
                elif isinstance(stmt, cst.BaseCompoundStatement):
                    for suite in _suites(stmt):
                        scan(suite, governing)

        scan(module_body, module_body)
    return found - blocks


def _suites(stmt: cst.BaseCompoundStatement) -> List[Sequence[cst.CSTNode]]:
    """The blocks of a loop, `with` or `try` (they run with what encloses them)."""
    suites = [getattr(stmt.body, "body", ())]
    for part in (getattr(stmt, "orelse", None), getattr(stmt, "finalbody", None)):
        if part is not None:
            suites.append(getattr(part.body, "body", ()))
    suites.extend(getattr(h.body, "body", ()) for h in getattr(stmt, "handlers", ()))
    return suites


# -- devices kept as parameter defaults -------------------------------------------------------
def default_always_passed(param: cst.Param, record, callers: Sequence[CallSite]) -> bool:
    """Every known call of the function (one at least) passes the parameter whose default this is:
    the default is never used."""
    if not callers:
        return False
    name = param.name.value
    position = record.params.index(name) if name in record.params else None
    if position is not None and record.class_key is not None and not record.is_static:
        position -= 1  # `obj.method(a)`: self is not among the arguments
    for caller in callers:
        args = caller.node.args
        if any(a.star for a in args) or any(a.keyword is not None and a.keyword.value == name for a in args):
            continue
        positional = sum(1 for a in args if a.keyword is None)
        if position is None or positional <= position:
            return False
    return True


# -- recovery from a CUDA out-of-memory error ------------------------------------------------
_OOM_TYPE = re.compile(r"\bOutOfMemoryError\b")
_OOM_HANDLING = re.compile(r"cuda\.empty_cache\(|out of memory|\bOOM\b", re.IGNORECASE)


def in_cuda_oom_handler(stmt_path) -> bool:
    """A statement in an `except` handler that recovers from a CUDA out-of-memory error: it catches
    `torch.cuda.OutOfMemoryError`, or `RuntimeError` and frees the CUDA cache (`empty_cache()`) or
    says it ran out of memory. It only runs after the GPU ran out of memory."""
    for index in range(1, len(stmt_path)):
        stmt, block = stmt_path[index - 1][0], stmt_path[index][1]
        if not isinstance(stmt, cst.Try):
            continue
        for handler in stmt.handlers:
            if getattr(handler.body, "body", None) is not block or handler.type is None:
                continue
            caught = _code(handler.type)
            if _OOM_TYPE.search(caught):
                return True
            if "RuntimeError" in caught and _OOM_HANDLING.search(_code(handler)):
                return True
    return False


# -- project module classes without state -----------------------------------------------------
class StatelessClasses:
    """Which project classes, built at a call, make modules without parameters and buffers.

    ``definition(qualified, importer)`` finds the project class a name refers to (the project
    facts'), ``classes`` holds every known class record, ``torch_stateless(callee, call)`` says
    whether a call of a torch.nn class builds a parameterless module (tipcheck.facts.cuda_checks)."""

    def __init__(self, classes: Dict[tuple, ClassRecord], definition, summaries, torch_stateless) -> None:
        self.classes = classes
        self.definition = definition
        self.summaries = summaries
        self.torch_stateless = torch_stateless
        self._sites: Dict[str, Dict[int, CallSite]] = {}
        self._module_class: Dict[tuple, Optional[bool]] = {}

    def sites(self, module_id: str) -> Dict[int, CallSite]:
        if module_id not in self._sites:
            summary = self.summaries.get(module_id)
            self._sites[module_id] = {id(s.node): s for s in summary.calls} if summary else {}
        return self._sites[module_id]

    def class_of(self, callee: Optional[str], module_id: str) -> Optional[tuple]:
        if not callee:
            return None
        key = self.definition(callee, module_id)
        return key if key is not None and key[0] == "class" and key in self.classes else None

    def builds_stateless(self, call: cst.BaseExpression, module_id: str, depth: int = 0) -> bool:
        """Whether ``call`` (in module ``module_id``) builds a project module with nothing to move."""
        if not isinstance(call, cst.Call) or depth > 4:
            return False
        site = self.sites(module_id).get(id(call))
        key = self.class_of(site.callee if site else None, module_id)
        if key is None or self.is_module(key) is not True:
            return False
        return self._stateless(key, call, depth, set())

    def is_module(self, key: tuple, seen: Optional[Set[tuple]] = None) -> Optional[bool]:
        """True for a torch.nn.Module subclass, False for a plain class (no base, `object`, or
        plain project bases), None when a base is unknown."""
        if key in self._module_class:
            return self._module_class[key]
        seen = (seen or set()) | {key}
        result: Optional[bool] = False
        for base in self.classes[key].bases:
            if base is None:
                result = None
            elif base in MODULE_BASES or base.startswith("torch.nn."):
                result = True
            elif base in ("object", "builtins.object"):
                continue
            else:
                target = self.class_of(base, key[1])
                found = self.is_module(target, seen) if target is not None and target not in seen else None
                result = found if found is not False else result
            if result is not False:
                break
        self._module_class[key] = result
        return result

    def _stateless(self, key: tuple, call: Optional[cst.Call], depth: int, seen: Set[tuple]) -> bool:
        if key in seen:
            return False
        seen.add(key)
        record = self.classes[key]
        for base in record.bases:
            if base in MODULE_BASES or base in ("object", "builtins.object"):
                continue
            target = self.class_of(base, key[1])
            if target is None or not self._stateless(target, None, depth + 1, seen):
                return False  # a torch.nn layer or loss as base, or a base we cannot read
        visitor = _SelfState()
        walk(record.node, visitor)
        if visitor.stateful:
            return False
        init = record.node.body.body if isinstance(record.node.body, cst.IndentedBlock) else ()
        params = _init_params(init)
        sites = self.sites(key[1])
        for attr, value in visitor.assigned:
            if not self._plain_value(value, attr, params, call, record, sites, key[1], depth):
                return False
        return True

    def _plain_value(self, value, attr, params, call, record, sites, module_id, depth) -> bool:
        if _constant(value):
            return True
        if isinstance(value, cst.Name) and value.value in params:
            passed = _passed(call, params, value.value)
            if passed is not None and _constant(passed):
                return True
            return not _used_as_object(record.node, attr)  # a number or flag passed on, never a module
        if isinstance(value, cst.Call):
            site = sites.get(id(value))
            callee = site.callee if site else None
            if callee and callee.startswith("torch.nn."):
                return self.torch_stateless(callee, _bound(value, params, call))
            target = self.class_of(callee, module_id)
            if target is not None:
                kind = self.is_module(target)
                if kind is False:
                    return True  # a plain object: Module.cuda() does not look into it
                return kind is True and self._stateless(target, value, depth + 1, set())
        return False


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
    for arg in value.args:
        if isinstance(arg.value, cst.Name) and arg.value.value in params:
            passed = _passed(call, params, arg.value.value)
            if passed is not None and _constant(passed):
                arg = arg.with_changes(value=passed)
            elif arg.value.value in _PLAIN_PARAMS:  # `ignore_index` handed on: a number, never a tensor
                arg = arg.with_changes(value=cst.Integer("0"))
        args.append(arg)
    return value.with_changes(args=args)


def _used_as_object(class_node: cst.ClassDef, attr: str) -> bool:
    """`self.attr(...)`, `self.attr.x`, `self.attr[...]`: used as more than a number or a flag."""
    text = _code(class_node)
    return bool(re.search(rf"\bself\.{re.escape(attr)}\s*[(.\[]", text))


class _SelfState(cst.CSTVisitor):
    """Assignments `self.x = value` anywhere in a class, and any sign of state of its own."""

    def __init__(self) -> None:
        self.assigned = []
        self.stateful = False

    def visit_Call(self, node: cst.Call) -> None:
        if _STATE_CALLS.search(_code(node.func)):
            self.stateful = True

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
    return bool(re.search(r"\bself\b", _code(node)))

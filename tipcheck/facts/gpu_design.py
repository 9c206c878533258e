"""Modules and classes whose CUDA placements need no check (TIP102), decided from what they are.

- *A module that cannot run without CUDA because of what it imports*: a module-level import of a
  CUDA-only library (NVIDIA apex, pytorch_quantization, TensorRT, torch2trt, PyCUDA, CuPy, PPQ) that is not optional
  (not inside a `try` whose `except ImportError` carries on; one that re-raises keeps it required),
  or of a CUDA extension the project builds itself (`CUDAExtension("gnn_propagate", ...)` in its
  setup.py, then `import gnn_propagate`), or a module that compiles CUDA sources as it loads
  (`load(name=..., sources=[..., "kernel.cu"])` at its top level), or one that requires Triton and
  defines kernels with it (`@triton.jit`).
  Everything in such a module is GPU-only by design, and in a module that requires a project module
  that is so (`from tensorrt_processor import Processor`, however deep: tipcheck.facts.entries).
- *A CUDA kernel test*: a `test*.py` module that checks a compiled op with
  `torch.autograd.gradcheck`/`gradgradcheck`. An evaluation script named `test.py` is no such thing.
- *The CUDA variant of a script*: `estimate_cuda.py` (or `_gpu.py`) beside `estimate.py`, which
  the author wrote for the CPU; a `train_gpu.py` with no such sibling is no variant.
- *An entry that launches one process per GPU*: `mp.spawn(main_worker, nprocs=ngpus_per_node)`
  (the count of processes read from the GPUs: `torch.cuda.device_count()`, a name assigned from it,
  a GPU list) starts no process without a GPU. The spawn is a GPU-only statement, and the function
  it spawns runs only where there are GPUs (``spawned_over_gpus``).
- *An `if` whose every branch is GPU-only* (``gpu_only_ifs``): `if distributed: DDP(model,
  device_ids=[rank]) else: DataParallel(model, device_ids=gpus)`, or a GPU-only branch whose `else`
  raises (`else: raise NotImplementedError("only DDP")`). Whichever way it goes, the code cannot
  run without GPUs: the `if` governs the block it stands in, as a GPU-only statement does.

- *A GPU-only statement* (``gpu_only_call``): an NCCL process group, `set_device(...)`,
  `current_device()`, DataParallel or DDP over `device_ids`, a multi-GPU scatter, `with
  torch.cuda.device(i):`; it governs the block it stands in (``governing_block``).

Module classes that hold nothing to move are another fact's (tipcheck.facts.stateless).
"""

from __future__ import annotations

import os
import re
from typing import FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst

from tipcheck.byobject import ByObject
from tipcheck.facts.backends import NCCL_LITERAL
from tipcheck.facts.flow import CallSite, ModuleSummary
from tipcheck.facts.nodecode import code
from tipcheck.facts.walk import nodes_in, walk

# Libraries that need a CUDA device to do anything; PPQ says so in its installation notes ("at least
# one CUDA computing device is required": it compiles its CUDA kernels as it runs).
_CUDA_ONLY_LIBRARIES = frozenset({"apex", "pytorch_quantization", "tensorrt", "torch2trt", "pycuda", "cupy", "ppq"})
_TRITON_JIT = frozenset({"triton.jit", "triton.jit()"})
_GRADCHECK = re.compile(r"^torch\.autograd\.(?:gradcheck\.)?(?:gradcheck|gradgradcheck)$")
_TEST_NAME = re.compile(r"^test[^/]*\.py$")


# -- modules that import a CUDA-only library --------------------------------------------------
def imports_cuda_only_library(
    module_body: Sequence[cst.CSTNode], project_module=None, extensions: FrozenSet[str] = frozenset()
) -> bool:
    """A module-level import of a CUDA-only library that the module cannot do without (or of one of
    the project's own CUDA extensions, ``extensions``: `import gnn_propagate`), or a CUDA extension
    compiled as the module loads; or, given ``project_module(import) -> bool`` (whether an import
    statement brings in a project module that itself requires such a library: `from
    tensorrt_processor import Processor`), of such a module."""
    for small in required_imports(module_body):
        if _cuda_only_import(small, extensions) or project_module is not None and project_module(small):
            return True
    return compiles_cuda_extension(module_body) or defines_triton_kernels(module_body)


_IMPORTS_CUDA_ONLY = re.compile(
    r"^[ \t]*(?:import|from)[ \t]+(?:%s)\b" % "|".join(sorted(_CUDA_ONLY_LIBRARIES | {"triton"})), re.M
)
_LOADS_CU = re.compile(r"^\S.*\bload\(", re.M)


def may_need_cuda(text: str, extensions: FrozenSet[str] = frozenset()) -> bool:
    """A cheap first look at a module's text: whether it may be one that cannot be imported
    without CUDA (``imports_cuda_only_library`` says for sure): an import of a CUDA-only library or
    Triton, a top-level `load(...)` in a text that names `.cu` sources, or an import of one of the
    project's CUDA extensions."""
    named = any(name in text for name in _CUDA_ONLY_LIBRARIES) or "triton" in text
    if (named and _IMPORTS_CUDA_ONLY.search(text)) or (".cu" in text and _LOADS_CU.search(text)):
        return True
    return any(re.search(rf"^[ \t]*(?:import|from)[ \t]+{re.escape(name)}\b", text, re.M) for name in extensions)


def defines_triton_kernels(module_body: Sequence[cst.CSTNode]) -> bool:
    """A module that requires Triton and defines GPU kernels with it (`@triton.jit` on a function
    of its top level): the kernels it launches run only on a GPU, and the buffers it makes for them
    (`torch.empty(..., device="cuda")`) are for those kernels. An optional Triton (`try: import
    triton` that carries on without it) is no such module."""
    if not any(
        name.split(".")[0] == "triton" for small in required_imports(module_body) for name, _ in imported_names(small)
    ):
        return False
    return any(
        isinstance(stmt, cst.FunctionDef) and any(code(d.decorator) in _TRITON_JIT for d in stmt.decorators)
        for stmt in module_body
    )


# -- the project's own CUDA extensions ---------------------------------------------------------
# `CUDAExtension("gnn_propagate", ...)` / `CUDAExtension(name="encoding.gpu", ...)` in a setup.py.
_CUDA_EXTENSION = re.compile(r"""\bCUDAExtension\(\s*(?:name\s*=\s*)?["']([\w.]+)["']""")
_LOADERS = frozenset({"load", "cpp_extension.load", "torch.utils.cpp_extension.load"})


def cuda_extension_names(texts: Iterable[str]) -> FrozenSet[str]:
    """The modules the project builds as CUDA extensions (`CUDAExtension("gnn_propagate", ...)` in
    its setup scripts): importing one needs a GPU build, as importing apex does."""
    return frozenset(name for text in texts if "CUDAExtension" in text for name in _CUDA_EXTENSION.findall(text))


def compiles_cuda_extension(module_body: Sequence[cst.CSTNode]) -> bool:
    """A module whose top level compiles CUDA sources as it is imported (`_backend =
    load(name="inplace_abn", sources=[..., "inplace_abn_cuda.cu"])`, torch.utils.cpp_extension):
    without the CUDA toolkit and a GPU it cannot be imported. A load under `if
    torch.cuda.is_available():` is optional and does not count."""
    for stmt in module_body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            value = getattr(small, "value", None)
            if isinstance(value, cst.Call) and code(value.func) in _LOADERS and _cuda_source(value):
                return True
    return False


def _cuda_source(call: cst.Call) -> bool:
    return any(
        isinstance(node, cst.SimpleString) and str(node.evaluated_value).endswith(".cu") for node in nodes_in(call)
    )


def required_imports(module_body: Sequence[cst.CSTNode]):
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
        return [(code(alias.name), 0) for alias in small.names]
    module = code(small.module) if small.module is not None else ""
    names = small.names if isinstance(small.names, Sequence) else ()
    found = [(f"{module}.{code(a.name)}".strip("."), len(small.relative)) for a in names]
    return found or [(module, len(small.relative))]


def _cuda_only_import(small: cst.BaseSmallStatement, extensions: FrozenSet[str] = frozenset()) -> bool:
    if isinstance(small, cst.Import):
        if any(code(alias.name).split(".")[0] in _CUDA_ONLY_LIBRARIES for alias in small.names):
            return True
    elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        if code(small.module).split(".")[0] in _CUDA_ONLY_LIBRARIES:
            return True
    if extensions and not getattr(small, "relative", None):
        return any(name in extensions or name.rpartition(".")[0] in extensions for name, _ in imported_names(small))
    return False


def _reraises_import_error(stmt: cst.Try) -> bool:
    """Every handler that catches ImportError (or everything) ends by raising: the import is required."""
    handlers = [h for h in stmt.handlers if h.type is None or "ImportError" in code(h.type)]
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


# -- the CUDA variant of a script -------------------------------------------------------------
_VARIANT = re.compile(r"^(.+)_(?:cuda|gpu)\.py$")


def gpu_only_by_name(summary: ModuleSummary, paths) -> bool:
    """A CUDA kernel test (``kernel_test``), or the CUDA variant of a module beside it:
    `estimate_cuda.py` (or `_gpu.py`) next to `estimate.py`, one of ``paths`` (the linted files):
    the author wrote the CPU version apart and this one for the GPU. Alone, the name says nothing."""
    if kernel_test(summary):
        return True
    name = os.path.basename(summary.module_id.replace(os.sep, "/"))
    variant = _VARIANT.match(name)
    if variant is None or not paths:
        return False
    return os.path.join(os.path.dirname(summary.module_id), variant.group(1) + ".py") in paths


# -- launches over the GPUs, and ifs that are GPU-only whichever way they go --------------------
_SPAWN = re.compile(r"(?:^|\.)(?:multiprocessing|mp)\.spawn$")
_GPU_COUNT = re.compile(r"device_count|gpu|cuda", re.IGNORECASE)


def spawned_over_gpus(site: CallSite, assigned) -> Optional[str]:
    """For `mp.spawn(fn, nprocs=...)` (torch.multiprocessing) whose count of processes is read from
    the GPUs, the name of ``fn`` (a plain name); None for any other call. ``assigned(site, name)``
    gives what a name is assigned in the function of the call (None when bound otherwise)."""
    name = site.callee or code(site.node.func)
    if not _SPAWN.search(name) and not _SPAWN.search(code(site.node.func)):
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
    if _GPU_COUNT.search(code(expr)):
        return True
    if depth > 1 or not isinstance(expr, (cst.Name, cst.Attribute)):
        return False
    values = assigned(site, code(expr))
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


def cuda_stream_blocks(module: cst.Module, within: Optional[cst.CSTNode] = None) -> List[Sequence[cst.CSTNode]]:
    """The bodies of `with torch.cuda.stream(s):` where ``s`` only ever holds a CUDA stream: every
    assignment of it (of `self.stream` in its class, of a name in its function) is
    `torch.cuda.Stream()`, which needs CUDA; a stream that may be None (`... if cuda else None`),
    a parameter, or anything else keeps the body as it is. ``within``: those of one top-level
    statement of the module only."""
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
                if not (isinstance(call, cst.Call) and code(call.func) == "torch.cuda.stream" and len(call.args) == 1):
                    continue
                held = call.args[0].value
                if isinstance(held, cst.Attribute):
                    scope = next((c for c in reversed(scopes) if isinstance(c, cst.ClassDef)), None)
                else:
                    scope = scopes[-1] if isinstance(held, cst.Name) else None
                if scope is not None and _only_streams(scope, code(held)):
                    found.append(getattr(node.body, "body", ()))

    walk(module if within is None else within, Visit())
    return found


def _only_streams(scope: cst.CSTNode, held: str) -> bool:
    values: List[cst.BaseExpression] = []
    other: List[cst.CSTNode] = []

    class Visit(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                if code(target.target) == held:
                    values.append(node.value)
                elif held in code(target.target):
                    other.append(node)  # `self.stream, x = ...`: bound some other way

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if held in code(node.target):
                other.append(node)

        def visit_Param(self, node: cst.Param) -> None:
            if node.name.value == held:
                other.append(node)

    walk(scope, Visit())
    return (
        bool(values)
        and not other
        and all(isinstance(v, cst.Call) and code(v.func) == "torch.cuda.Stream" for v in values)
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
        and (code(small.value.func) in ("sys.exit", "exit", "quit", "os._exit"))
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
    if not found:
        return set()  # no branch is GPU-only
    ifs = _ifs(module_body)
    changed = True
    while changed:
        changed = False
        for parts, governing in ifs:
            if id(governing) not in found and any(id(p) in found for p in parts):
                if all(id(p) in found or _stops(p) for p in parts):
                    found.add(id(governing))
                    changed = True
    return found - blocks


_Ifs = List[Tuple[List[Sequence[cst.CSTNode]], Sequence[cst.CSTNode]]]
# The `if`s of the last few module bodies (see _ifs), kept with the body object.
_IFS: ByObject[Sequence[cst.CSTNode], _Ifs] = ByObject(4)


def _ifs(module_body: Sequence[cst.CSTNode]) -> _Ifs:
    """Every `if` with branches (tipcheck.facts.gpu_design._branches) and the block it stands in
    (a function's body, an `if` branch, the module's body; loops, `with` and `try` run with what
    encloses them; not in a class body), in the order of the module."""
    return _IFS.get(module_body, _find_ifs)


def _find_ifs(module_body: Sequence[cst.CSTNode]) -> _Ifs:
    found: _Ifs = []

    def scan(body: Sequence[cst.CSTNode], governing: Optional[Sequence[cst.CSTNode]]) -> None:
        for stmt in body:
            if isinstance(stmt, cst.If):
                parts = _branches(stmt)
                if parts and governing is not None:
                    found.append((parts, governing))
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
    return found


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
            caught = code(handler.type)
            if _OOM_TYPE.search(caught):
                return True
            if "RuntimeError" in caught and _OOM_HANDLING.search(code(handler)):
                return True
    return False


# -- GPU-only statements (tipcheck.facts.cuda_checks) -----------------------------------------
# The endings of the names below: a call with none of them (nor a scatter's) is no GPU-only statement.
_GPU_ONLY_ENDINGS = (
    "init_process_group",
    "cuda.set_device",
    "cuda.current_device",
    "cuda.device",
    "cuda.device_of",
    "DataParallel",
)
_SCATTER = re.compile(
    r"\bcomm\.(?:scatter|broadcast|broadcast_coalesced|reduce_add|gather)$|\bScatter\.apply$|scatter_kwargs$"
)


def gpu_only_call(site: CallSite) -> bool:
    """A call that only runs with GPUs: an NCCL process group, `set_device(...)`, `current_device()`, a DataParallel or
    DDP over `device_ids`, a multi-GPU scatter or broadcast, a `with torch.cuda.device(...)` (or `device_of`)."""
    call = site.node
    name = site.callee or code(call.func)
    if not name.endswith(_GPU_ONLY_ENDINGS) and site.method != "set_device" and not _SCATTER.search(name):
        return False  # most calls: none of the names below
    if name.endswith("init_process_group"):
        return bool(NCCL_LITERAL.search(code(call)))
    if site.method == "set_device" or name.endswith(("cuda.set_device", "cuda.current_device")):
        return True  # current_device() raises without CUDA: the code around it is written for GPUs
    if _SCATTER.search(name):
        return True
    if name.endswith(("cuda.device", "cuda.device_of")) and _with_item(site):
        return True  # `with torch.cuda.device_of(image):`: the code around it is written for a GPU's tensors
    if name.endswith("DataParallel"):  # DataParallel, DistributedDataParallel
        for index, arg in enumerate(call.args):
            if (arg.keyword is not None and arg.keyword.value == "device_ids") or (arg.keyword is None and index == 1):
                return not (isinstance(arg.value, cst.Name) and arg.value.value == "None")
    return False


def _with_item(site: CallSite) -> bool:
    """The call is what a `with` statement enters (`with torch.cuda.device(idx):`)."""
    stmt = site.ctx.stmt
    return isinstance(stmt, cst.With) and any(item.item is site.node for item in stmt.items)


def governing_block(stmt_path) -> Optional[Sequence[cst.CSTNode]]:
    """The block a GPU-only statement governs: the innermost `if` branch or function body (or the
    module body) around it; loops, `with` and `try` blocks run with what encloses them."""
    for index in range(len(stmt_path) - 1, -1, -1):
        stmt, block = stmt_path[index]
        parent = stmt_path[index - 1][0] if index else None
        if parent is None or isinstance(parent, (cst.FunctionDef, cst.If, cst.Else)):
            return block
        if isinstance(parent, cst.ClassDef):
            return None
    return None

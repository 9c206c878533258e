"""What decides whether a CUDA-only placement runs on a machine without CUDA (TIP102).

A placement (tipcheck.facts.devices.Placement) is *governed* when something about CUDA decides
whether it runs. Every exemption belongs to the code it governs, never to a whole file because the
file mentions CUDA somewhere:

- a condition about CUDA around it: an `if` or conditional expression (`if torch.cuda.is_available():`,
  `x.cuda() if use_gpu else x`; not a flag its function only sets to a constant, `no_cuda = False`),
  or a loop or comprehension over the GPUs (`for i in range(torch.cuda.device_count())`: none without);
- an up-front check in its function or at the top of its module: `if not torch.cuda.is_available():
  raise ...`, `assert torch.cuda.is_available()`, `if torch.cuda.is_available(): ... else: raise ...`
  (not `if n_gpu > 1: ... else: return`, whose `else` runs with one GPU as well), or a call of a
  function that checks so or is GPU-only by design (`set_model()` raises without a GPU);
- code that is GPU-only by design. A GPU-only statement (an NCCL process group, `set_device(...)`,
  `DataParallel`/`DistributedDataParallel` with `device_ids`, a multi-GPU scatter, the choice of the
  visible GPUs `os.environ["CUDA_VISIBLE_DEVICES"] = ...`, `torch.cuda.current_device()`, `with
  torch.cuda.device(i):` or `with torch.cuda.device_of(t):` (the code around it is written for a GPU's
  tensors), `with torch.cuda.stream(s):` over a stream only ever made by `torch.cuda.Stream()`, a spawn
  of one process per GPU, an `if` GPU-only whichever way it goes) governs the block it stands in: the `if`
  branch it is in, or else its whole function (or module). The other branch of that `if` is not
  governed. The choice of the visible GPUs governs a function's body or an `if` branch, never a
  whole module: at the top of a script it is a setting, not a design; and only a choice of several
  GPUs (a list joined, `"0,1"`) is a design, one id (`cfg.gpu_id`) is a setting;
- distributed-only code in a project whose process groups are all NCCL (tipcheck.facts.backends):
  what follows a function's early return when there is one process (`if world_size == 1: return`,
  `if not is_dist_avail_and_initialized(): return`), the branch of `if args.distributed:`, or a
  function that calls a collective under no `if`;
- a module that requires a CUDA-only library (apex, TensorRT, ...), or a gradcheck test of a CUDA
  kernel (tipcheck.facts.gpu_design), or one its deployment runs on a GPU (tipcheck.deployment);
- a test module (`test_*.py` or in `tests/`, with test functions or a TestCase): GPU-only by design;
- its callers: a function whose every call in the project is governed (a helper that only GPU-only
  entry scripts call; a call that hands it several GPUs joined from a GPU list is so, and so is a
  launch that Ray gives GPUs: tipcheck.facts.gpu_launchers), through the call graph of the project
  facts when there are some (a callback a project function is handed and calls is called there); a
  module that only GPU-only entry scripts import, directly or through other modules
  (tipcheck.facts.entries).

A `.cuda()` (or `.to("cuda")`) on a module that holds no parameters and no buffers
(`nn.CrossEntropyLoss().cuda()`, a project loss class that keeps only such modules) is no placement
at all: `Module.cuda()` then moves nothing and does not need CUDA (``parameterless``; which modules
those are: tipcheck.facts.stateless).
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from tipcheck.facts.backends import (
    DISTRIBUTED,
    Backends,
    after_exit,
    calls_any,
    collective_inputs,
    distributed_blocks,
    exits,
    feeds_collective,
    project_predicates,
)
from tipcheck.facts.definitions import Definitions
from tipcheck.facts.devices import DeviceFacts, code, default_of, mentions_cuda
from tipcheck.facts.entries import EntryReach, gpu_only_entry
from tipcheck.facts.flow import CallSite, ModuleSummary
from tipcheck.facts.gpu_design import (
    comprehension_iterables,
    cuda_stream_blocks,
    default_always_passed,
    governing_block,
    gpu_only_by_name,
    gpu_only_call,
    gpu_only_ifs,
    imports_cuda_only_library,
    in_cuda_oom_handler,
    spawned_over_gpus,
    whole_body_on_gpus,
)
from tipcheck.facts.gpu_launchers import gpu_granted, hands_gpu_list, several_gpus, uses_ray
from tipcheck.facts.kept import per_statement
from tipcheck.facts.stateless import StatelessModules, assignments
from tipcheck.facts.testcode import is_test_module
from tipcheck.facts.walk import walk

_LOOP_OVER_GPUS = re.compile(r"device_count|device_ids|gpu|cuda", re.IGNORECASE)
# A test about CUDA that holds when CUDA may be missing: its `else` is the branch with CUDA.
# A test for more than one GPU: one GPU fails it as no GPU does, so neither branch is a check.
_SEVERAL_GPUS = re.compile(r">\s*1\b|>=\s*2\b")
_VISIBLE_DEVICES = re.compile(r"""environ\[\s*["']CUDA_VISIBLE_DEVICES["']\s*\]$""")


class ModuleChecks:
    """The CUDA checks of one module (see the module docstring)."""

    def __init__(self, devices: DeviceFacts, module_body: Sequence[cst.CSTNode], project: Optional["ProjectChecks"]):
        self.devices = devices
        self.summary: ModuleSummary = devices.summary
        self.module_body = module_body
        self.project = project
        self.test_module = is_test_module(self.summary.module_id, self.summary.text)
        self._sites = {id(site.node): site for site in self.summary.calls}
        self._gpu_blocks: Optional[Set[int]] = None
        self._after_exit: Dict[int, int] = {}  # function bodies that run distributed from an early exit on
        self._collective_inputs: Dict[tuple, Set[str]] = {}  # what each function's collectives are given
        self._guarded: Dict[tuple, bool] = {}
        self._module_node: Optional[cst.Module] = None
        self._module_checked: Optional[bool] = None  # the module's top level stops without CUDA
        self._gpu_only_module: Optional[bool] = None
        self._stateless: Optional[StatelessModules] = None  # without project facts: this module's
        self._spawn_sites: Optional[Dict[str, List[CallSite]]] = None
        self._spawn_text = "spawn" in self.summary.text
        self._granted_gpus: Optional[Tuple[Set[str], Set[int]]] = None
        # What the facts keep from run to run (tipcheck.facts.kept), through the project facts.
        self._kept = getattr(getattr(project, "project", None), "kept", None)

    def module_node(self) -> cst.Module:
        """The module's statements as a tree to walk (the same nodes)."""
        if self._module_node is None:
            self._module_node = cst.Module(body=list(self.module_body))
        return self._module_node

    # -- GPU-only blocks ---------------------------------------------------------------------
    def gpu_blocks(self) -> Set[int]:
        """ids of the blocks (statement sequences) that only run on GPUs: each GPU-only statement's
        `if` branch, or its function's body, or the module's body."""
        if self._gpu_blocks is None:
            blocks: Set[int] = set()
            nccl_only = self.project is not None and self.project.nccl_only()
            for site in self.summary.calls:
                nccl_group = nccl_only and (site.callee or "").endswith("init_process_group")
                if gpu_only_call(site) or nccl_group or self._spawned(site):
                    block = governing_block(site.ctx.stmt_path)
                    if block is not None:
                        blocks.add(id(block))
            for block in [*self._blocks_choosing_gpus(), *self._stream_blocks()]:
                blocks.add(id(block))
            if nccl_only:
                for node in self._distributed_blocks():
                    blocks.add(id(node))
                self._collective_inputs = collective_inputs(self.summary.calls)
            self._gpu_blocks = self._calling_gpu_functions(blocks | gpu_only_ifs(self.module_body, blocks))
        return self._gpu_blocks

    def _calling_gpu_functions(self, blocks: Set[int]) -> Set[int]:
        """Add the blocks that call a function of this module whose body only runs on GPUs by design
        (`score = self.predict_window(window, device)` where `predict_window` enters `with
        torch.cuda.device(...)`): the call is a GPU-only statement of its own, and so on up through
        the module's functions. Calls are resolved by the project facts (methods through `self`)."""
        targets = getattr(getattr(self.project, "project", None), "call_targets", None)
        if not targets:
            return blocks
        sites = []
        for site in self.summary.calls:
            key = targets.get(id(site))
            record = self.summary.funcs.get(key) if key is not None and key[1] == self.summary.module_id else None
            block = governing_block(site.ctx.stmt_path) if record is not None else None
            if block is not None and record.node is not site.ctx.stmt:
                sites.append((site, getattr(record.node.body, "body", ()), block))
        changed = True
        while changed:
            changed = False
            for site, body, block in sites:
                if id(block) not in blocks and body and whole_body_on_gpus(body, blocks):
                    blocks = blocks | {id(block)} | gpu_only_ifs(self.module_body, blocks | {id(block)})
                    changed = True
        return blocks

    def _blocks_choosing_gpus(self) -> List[Sequence[cst.CSTNode]]:
        """Blocks that choose the GPUs the process sees, as a statement of their own:
        `os.environ["CUDA_VISIBLE_DEVICES"] = ",".join(args.gpus)` (a function's body, an `if`
        branch's: the run that `main()` or `if __name__ == "__main__":` sets up). At the top level of
        a module the choice is no such block: it would exempt the whole file, every function in it
        included, and there it is a setting that says which GPU to use when there is one (`"0"` at
        the head of a script), not that the script runs only on GPUs. Other CUDA variables
        (`CUDA_LAUNCH_BLOCKING`) choose nothing. Only a choice of several GPUs is a design (a list
        joined, `"0,1"`); one id (`cfg.DEVICE_ID`, `"0"`) says which GPU to take when there is one."""
        if "CUDA_VISIBLE_DEVICES" not in self.summary.text:
            return []
        found: List[Sequence[cst.CSTNode]] = []

        def check(body: Sequence[cst.CSTNode]) -> None:
            for stmt in body:
                if isinstance(stmt, cst.SimpleStatementLine) and any(
                    isinstance(small, cst.Assign)
                    and any(_VISIBLE_DEVICES.search(code(t.target)) for t in small.targets)
                    and several_gpus(small.value)
                    for small in stmt.body
                ):
                    found.append(body)
                    return

        class Visit(cst.CSTVisitor):
            def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
                check(getattr(node.body, "body", ()))

            def visit_If(self, node: cst.If) -> None:
                check(getattr(node.body, "body", ()))
                if isinstance(node.orelse, cst.Else):
                    check(getattr(node.orelse.body, "body", ()))

        def choosing(stmt: cst.CSTNode) -> List[Sequence[cst.CSTNode]]:
            found.clear()
            walk(stmt, Visit())
            return list(found)

        return per_statement(self._kept, self.module_body, "blocks choosing GPUs", choosing)

    def _stream_blocks(self) -> List[Sequence[cst.CSTNode]]:
        """tipcheck.facts.gpu_design.cuda_stream_blocks, a top-level statement at a time: a
        function's or a class's own (the stream is its name or attribute) are kept with it; none
        in a text without `torch.cuda.stream`, the only way in that it knows."""
        if "torch.cuda.stream" not in self.summary.text:
            return []
        module = self.module_node()
        found: List[Sequence[cst.CSTNode]] = []
        for stmt in self.module_body:
            if self._kept is not None and isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                found.extend(self._kept.statement(stmt, "stream blocks", lambda s: cuda_stream_blocks(module, s)))
            else:  # `with torch.cuda.stream(s):` at the top level reads the whole module's `s`
                found.extend(cuda_stream_blocks(module, stmt))
        return found

    def _distributed_blocks(self) -> List[Sequence[cst.CSTNode]]:
        """Blocks that only run with several processes (tipcheck.facts.backends): the branch of `if
        args.distributed:` (the `else` of `if not ...`); what follows a function's early exit when
        there is one process is kept in ``_after_exit``."""
        predicates = self.project.predicates() if self.project is not None else set()

        def about_group(test: cst.BaseExpression) -> bool:
            return bool(DISTRIBUTED.search(code(test))) or calls_any(test, predicates)

        def blocks(stmt: cst.CSTNode) -> List[tuple]:
            branches, after = distributed_blocks(stmt, about_group)
            return [*((branch, None) for branch in branches), *after.items()]

        branches = []
        self._after_exit = {}
        # A statement's blocks depend on it and on the project's predicates only.
        for block, index in per_statement(self._kept, self.module_body, ("distributed", frozenset(predicates)), blocks):
            if index is None:
                branches.append(block)
            else:
                self._after_exit[block] = index
        return branches

    def governed(self, site: CallSite) -> bool:
        if self.test_module or self.gpu_only_module() or in_cuda_oom_handler(site.ctx.stmt_path):
            return True
        if self.checked_where(site):
            return True
        if self.project is not None and self.project.only_from_gpu_entries(self.summary.module_id):
            return True
        if any(self._over_gpus(loop.iter_expr) for loop in site.ctx.loops if loop.iter_expr is not None):
            return True
        if any(self._over_gpus(it) for it in comprehension_iterables(site.ctx.stmt, site.node)):
            return True  # `[Detector(device=f"cuda:{i}") for i in range(args.ngpu)]`
        return self.function_governed(site.ctx.func, set())

    def checked_where(self, site: CallSite) -> bool:
        """A CUDA check on the way to the call: the branch of an `if` about CUDA that runs with it
        (the body of `if use_cuda:`, the `else` of `if not use_cuda:` or `if args.cpu:`, but not the
        `else` of `if n_gpu > 1:`, which runs without), a conditional expression about CUDA, or a
        block that only runs on GPUs."""
        ifs = set()
        path = site.ctx.stmt_path
        for index in range(len(path) - 1, 0, -1):
            stmt = path[index - 1][0]
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                break
            if isinstance(stmt, cst.If):
                ifs.add(id(stmt.test))
                if self._constant_flag(stmt.test, site):
                    continue  # `no_cuda = False` ... `if not no_cuda:`: it always runs
                when_true, when_false = self.devices.cuda_when(stmt.test)
                if when_true if path[index][1] is stmt.body.body else when_false:
                    return True
        if any(
            id(test) not in ifs and self.devices.about_cuda(test) and not self._constant_flag(test, site)
            for test in site.ctx.conditions
        ):
            return True  # a conditional expression: `x.cuda() if use_gpu else x`
        blocks = self.gpu_blocks()
        if any(id(block) in blocks for _, block in path) or after_exit(path, self._after_exit):
            return True
        return feeds_collective(site, self._collective_inputs)

    def _constant_flag(self, test: cst.BaseExpression, site: CallSite) -> bool:
        """A test of a name that its function only ever sets to True or False (`no_cuda = False`,
        then `if not no_cuda:`): a constant, whatever its name says; it checks nothing about CUDA.
        A parameter, a name set from anything else (`no_cuda = args.no_cuda`), or set to both (`use_gpu
        = False`, then `use_gpu = True` under `if torch.cuda.is_available():`) is a real flag."""
        while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            test = test.expression
        if not isinstance(test, cst.Name) or site.ctx.func[0] == "module":
            return False
        values = self._assigned(site, test.value)
        if not values or not all(isinstance(v, cst.Name) and v.value in ("True", "False") for v in values):
            return False
        return len({v.value for v in values}) == 1  # `use_gpu = False`, then `use_gpu = True` if a check holds: a flag

    def _over_gpus(self, iterable: cst.BaseExpression) -> bool:
        """`for i in range(torch.cuda.device_count())`, `for gpu in args.gpu_ids`: no iteration
        without a GPU (a loop over anything else, a loader, is no check)."""
        if _LOOP_OVER_GPUS.search(code(iterable)):
            return True
        return isinstance(iterable, cst.Call) and code(iterable.func) == "range" and self.devices.about_cuda(iterable)

    def function_governed(self, func: tuple, seen: set) -> bool:
        """A function that checks for CUDA up front, or whose every caller runs only where CUDA was
        checked (main() asserts it, then calls train()): callers in the project when there are
        project facts, else in the module."""
        if func in self._guarded:
            return self._guarded[func]
        if func in seen:
            return False
        seen.add(func)
        if self._module_checked is None:
            self._module_checked = self._checks_body(self.module_body, set())
        guarded = self._module_checked
        if not guarded and func[0] != "module":
            record = self.summary.funcs.get(func)
            body = getattr(record.node.body, "body", ()) if record else ()
            guarded = self._checks_body(body, {func})
            if not guarded:
                callers = self._callers(func)
                here = func[1] == self.summary.module_id
                spawned = here and (bool(self._spawns().get(func[2])) or func[2] in self._granted()[0])
                guarded = bool(callers or spawned) and all(self._caller_governed(c, seen) for c in callers)
        self._guarded[func] = guarded
        return guarded

    def callers(self, func: tuple) -> List[CallSite]:
        """The known calls of a function: in the project when there are project facts, else in the module."""
        return self._callers(func)

    def all_calls_known(self, func: tuple) -> bool:
        """No call of the function is out of sight: it is not handed to code outside the project
        (then its parameter defaults may be used, whatever the known calls pass)."""
        return self.project is None or not self.project.project.handed_out(func)

    def _spawned(self, site: CallSite) -> Optional[str]:
        """The function `mp.spawn(...)` starts once per GPU at ``site`` (tipcheck.facts.gpu_design)."""
        return spawned_over_gpus(site, self._assigned) if self._spawn_text else None

    def _spawns(self) -> Dict[str, List[CallSite]]:
        """The module's functions spawned once per GPU ("$.main_worker"), with the spawns."""
        if self._spawn_sites is None:
            self._spawn_sites = {}
            for site in self.summary.calls:
                name = self._spawned(site)
                if name is not None:
                    self._spawn_sites.setdefault(f"$.{name}", []).append(site)
        return self._spawn_sites

    def _granted(self) -> Tuple[Set[str], Set[int]]:
        """What Ray runs only on workers with GPUs (tipcheck.facts.gpu_launchers)."""
        if self._granted_gpus is None:
            self._granted_gpus = gpu_granted(self.module_node()) if uses_ray(self.summary.text) else (set(), set())
        return self._granted_gpus

    def granted_gpus(self, site: CallSite) -> bool:
        """A call in a lambda that Ray runs only on workers with GPUs."""
        return id(site.node) in self._granted()[1]

    def _assigned(self, site: CallSite, name: str) -> Optional[List[cst.BaseExpression]]:
        """What ``name`` is assigned in the function of ``site`` (its module), None when bound otherwise."""
        record = self.summary.funcs.get(site.ctx.func)
        where = record.node if record is not None else self.module_node()
        found = assignments(where)
        return None if name in found.unknown else found.values.get(name)

    def _callers(self, func: tuple) -> List[CallSite]:
        if self.project is not None:
            return self.project.callers(func)
        return [c for c in self.summary.calls if c.callee == func[2]]

    def _caller_governed(self, caller: CallSite, seen: set) -> bool:
        if hands_gpu_list(caller):
            return True  # `main_worker(",".join(str(i) for i in cfg.GPUS), ...)`: it runs on those GPUs
        checks = self.project.checks_for(caller) if self.project is not None else self
        if checks is None:
            return False
        if checks.granted_gpus(caller):
            return True  # `register_trainable(name, lambda cfg, rpt: evaluate(cfg, rpt))`, trials on GPUs
        return checks.checked_where(caller) or checks.function_governed(caller.ctx.func, seen)

    def _checks_body(self, body: Sequence[cst.CSTNode], seen: Set[tuple]) -> bool:
        """A body that stops without CUDA: `if not torch.cuda.is_available(): raise ...`, `if
        torch.cuda.is_available(): ... else: raise ...`, `assert torch.cuda.is_available()`, or a
        call, as a statement of its own, of a function of this module whose body does so or is
        GPU-only by design (`model = setup_model()`, placing on `torch.cuda.current_device()`; in
        another module too)."""
        for stmt in body:
            if isinstance(stmt, cst.If) and self.devices.about_cuda(stmt.test):
                if exits(stmt.body) or isinstance(stmt.orelse, cst.Else) and exits(stmt.orelse.body):
                    if not _SEVERAL_GPUS.search(code(stmt.test)):
                        return True
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assert) and mentions_cuda(small.test):
                        return True
                    value = getattr(small, "value", None)
                    if isinstance(value, cst.Call) and isinstance(small, (cst.Expr, cst.Assign)):
                        site = self._sites.get(id(value))
                        target = ("func", self.summary.module_id, site.callee) if site and site.callee else None
                        if target in self.summary.funcs and target not in seen:
                            inner, deeper = getattr(self.summary.funcs[target].node.body, "body", ()), seen | {target}
                            if whole_body_on_gpus(inner, self.gpu_blocks()) or self._checks_body(inner, deeper):
                                return True  # it stops without CUDA, or it is GPU-only by design
                        elif site and site.callee and self.project is not None:
                            if self.project.gpu_only_function(site.callee, self.summary.module_id):
                                return True  # `trainer.train_model()`, whose body wraps DDP over device_ids
        return False

    def body_on_gpus(self, func: tuple) -> bool:
        """A function of this module whose body only runs on GPUs by design, or stops without CUDA."""
        record = self.summary.funcs.get(func)
        body = getattr(record.node.body, "body", ()) if record is not None else ()
        return bool(body) and (whole_body_on_gpus(body, self.gpu_blocks()) or self._checks_body(body, {func}))

    def gpu_only_module(self) -> bool:
        """A module that cannot run without CUDA by what it is (tipcheck.facts.gpu_design): it requires a
        CUDA-only library, or its package does, or it is a CUDA kernel test or variant, or its
        deployment gives it a GPU (tipcheck.deployment: a Cog predictor)."""
        if self._gpu_only_module is None:
            requires = self.project.requirer(self.summary.module_id) if self.project is not None else None
            entries = self.project.entries() if self.project is not None else None
            extensions = entries.extensions() if entries is not None else frozenset()
            self._gpu_only_module = (
                imports_cuda_only_library(self.module_body, requires, extensions)
                or gpu_only_by_name(self.summary, self.project.project.linted if self.project else None)
                or (entries is not None and entries.package_requires(self.summary.module_id))
                or (self.project is not None and self.project.project.deployed_on_gpu(self.summary.module_id))
            )
        return self._gpu_only_module

    def default_unused(self, site: CallSite) -> bool:
        """A device built as a parameter default that every call of the function overrides."""
        param = default_of(site)
        if param is None:
            return False
        record = next((r for r in self.summary.funcs.values() if r.node is site.ctx.stmt), None)
        if record is None or not self.all_calls_known(record.key):
            return False
        return default_always_passed(param, record, self._callers(record.key))

    # -- modules that hold nothing to move ----------------------------------------------------
    def parameterless(self, site: CallSite) -> bool:
        """`.cuda()` or `.to(...)` on a module that holds no parameters and no buffers: built right
        there (`nn.CrossEntropyLoss().cuda()`), or kept in a name of its function (an attribute: of its
        module) that is only ever assigned such modules (tipcheck.facts.stateless)."""
        func = site.node.func
        if not isinstance(func, cst.Attribute):
            return False
        receiver = func.value
        if self.project is not None:
            stateless = self.project.stateless()
        else:
            if self._stateless is None:
                summaries = {self.summary.module_id: self.summary}
                self._stateless = StatelessModules(Definitions(None, summaries, None))
            stateless = self._stateless
        record = self.summary.funcs.get(site.ctx.func) if isinstance(receiver, cst.Name) else None
        where = record.node if record is not None else self.module_node()
        return stateless.holds(receiver, where, self.summary.module_id)


class ProjectChecks:
    """The CUDA checks of every module of a project, built as they are asked for."""

    def __init__(self, project) -> None:
        self.project = project
        self._modules: Dict[str, Optional[ModuleChecks]] = {}
        self._nccl_only: Optional[bool] = None
        self._predicates: Optional[Set[str]] = None
        self._stateless: Optional[StatelessModules] = None
        self._entries: Optional[EntryReach] = None

    def stateless(self) -> StatelessModules:
        """Which modules hold nothing to move, through every linted file (tipcheck.facts.stateless)."""
        if self._stateless is None:
            self._stateless = StatelessModules(Definitions.of_project(self.project))
        return self._stateless

    def module(self, module_id: str, module_body: Optional[Sequence[cst.CSTNode]] = None) -> Optional[ModuleChecks]:
        if module_id not in self._modules:
            summary = self.project.summaries.get(module_id)
            if summary is None or module_body is None:
                return None
            devices = DeviceFacts(summary.text, summary)
            self._modules[module_id] = ModuleChecks(devices, module_body, self)
        return self._modules[module_id]

    def checks_for(self, site: CallSite) -> Optional[ModuleChecks]:
        module_id = site.ctx.func[1]
        body = site.ctx.stmt_path[0][1] if site.ctx.stmt_path else None
        return self.module(module_id, body)

    def callers(self, func: tuple) -> List[CallSite]:
        return list(self.project.callers.get(func, ()))

    def nccl_only(self) -> bool:
        """Every process group of the project is NCCL (there is one at least), and no other
        backend is named (tipcheck.facts.backends)."""
        if self._nccl_only is None:
            project = self.project
            backends = Backends(project.summaries, getattr(project, "linted", None), self.callers)
            self._nccl_only = backends.nccl_only()
        return self._nccl_only

    def entries(self) -> Optional[EntryReach]:
        """The GPU-only entry scripts and what they reach (tipcheck.facts.entries), with linted texts."""
        if self._entries is None and getattr(self.project, "linted", None):
            self._entries = EntryReach(self.project.linted, self._gpu_only_entry, getattr(self.project, "kept", None))
        return self._entries

    def only_from_gpu_entries(self, module_id: str) -> bool:
        """Every linted file importing the module leads to a GPU-only entry script, one at least."""
        return (entries := self.entries()) is not None and entries.only_from_gpu_entries(module_id)

    def requirer(self, module_id: str):
        """Whether an import statement of the module requires a project module that needs a CUDA-only library."""
        entries = self.entries()
        return None if entries is None else lambda small: entries.requires_cuda_library(small, module_id)

    def gpu_only_function(self, callee: str, importer: str) -> bool:
        """The project function ``callee`` (as named in ``importer``) has a body that only runs on
        GPUs by design (a GPU-only statement governs it)."""
        key = self.project._definition(callee, importer)
        if key is None or key[0] != "func" or key[1] == importer:
            return False
        checks = self._read(key[1])
        record = checks.summary.funcs.get(key) if checks is not None else None
        inner = getattr(record.node.body, "body", ()) if record is not None else ()
        return bool(inner) and whole_body_on_gpus(inner, checks.gpu_blocks())

    def _read(self, path: str) -> Optional[ModuleChecks]:
        """The checks of a module the project step read (its body found through a call site)."""
        summary = self.project.summaries.get(path)
        body = next((s.ctx.stmt_path[0][1] for s in summary.calls if s.ctx.stmt_path), None) if summary else None
        return self.module(path, body)

    def _gpu_only_entry(self, path: str) -> bool:
        return (checks := self._read(path)) is not None and gpu_only_entry(checks)  # None: not read, unknown

    def predicates(self) -> Set[str]:
        """The project functions that answer whether the process group is up (`is_dist_avail_and_initialized`)."""
        if self._predicates is None:
            self._predicates = project_predicates(self.project.summaries.values())
        return self._predicates


def project_checks(project) -> ProjectChecks:
    """The CUDA checks of a project, made once per ProjectFacts."""
    return project.derived("cuda checks", ProjectChecks)

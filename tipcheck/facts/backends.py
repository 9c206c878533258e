"""Which backends a project's process groups use, and which code only runs with one (TIP102).

- *Every process group is NCCL* (``nccl_only``): each `init_process_group(...)` call of the project
  names the backend `"nccl"`, given as a literal, or through a name or attribute that only ever
  holds `"nccl"`: assigned so in the function of the call (`args.dist_backend = "nccl"`), a
  parameter whose default is `"nccl"` and that no call passes anything else, or a command-line
  option whose default is `"nccl"` (`parser.add_argument("--dist-backend", default="nccl")`).
  A call without a backend (gloo and NCCL both, since torch 2.0), one whose backend may be
  anything else (`"nccl" if cuda else "gloo"`, a free-form option), or a `"gloo"`/`"mpi"` string
  anywhere in the project's read files, and the project is not GPU-only by design. Calls in files
  the rule did not parse (no CUDA word in them) are read from their text: only a literal `"nccl"`
  counts there.
- *Code that only runs with several processes* (``distributed_blocks``): the branch of an `if`
  about the process group (`if args.distributed:`, the `else` of `if not dist.is_initialized():`),
  and what follows an early exit of a function when there is one process (`if world_size == 1:
  return [data]`, `if not is_dist_avail_and_initialized(): return`). The test is about the
  process group by its words (`world_size`, `is_initialized`, `distributed`, ...) or because it
  calls a project function that returns such a thing (`def ready(): return dist.is_available() and
  dist.is_initialized()`).
- *A placement a collective needs* (``feeds_collective``): a tensor placed on CUDA and handed to a
  collective that its function calls whatever happens (`part = x.cuda(rank)` then
  `dist.all_reduce(part)`, with no `if` around the collective and no `return` before it): the
  function cannot run without a process group, and NCCL only takes CUDA tensors.

When every process group is NCCL, a `.cuda()` in such code is GPU-only by design.
"""

from __future__ import annotations

import re
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst

from tipcheck.facts.flow import CallSite, ModuleSummary
from tipcheck.facts.nodecode import code
from tipcheck.facts.walk import walk

NCCL_LITERAL = re.compile(r"""init_process_group\(\s*(?:backend\s*=\s*)?["']nccl["']\s*[,)]""")
_ANY_GROUP = re.compile(r"init_process_group\(")
_OTHER_BACKEND = re.compile(r"""["'](?:gloo|mpi|ucc)["']""")
DISTRIBUTED = re.compile(r"world_size|get_world_size|is_initialized|is_dist_avail|\bdistributed\b|\bnum_gpus\b")
# A test that holds with one process: its `else`, or what follows its early exit, runs with several.
ONE_PROCESS = re.compile(r"^\s*not\b|==\s*1\b|<\s*2\b|<=\s*1\b")
_PROCESS_GROUP_CALL = re.compile(r"\b(?:is_initialized|get_world_size)\(")


def _named(site: CallSite, suffix: str) -> bool:
    """Whether the call's name (its callee, or else its code) ends with ``suffix``, without making
    the code: a function that is no plain or dotted name without brackets ends in a bracket, a
    quote, a digit or dots."""
    if site.callee:
        return site.callee.endswith(suffix)
    func = site.node.func
    last = func.attr if isinstance(func, cst.Attribute) else func
    if not isinstance(last, cst.Name) or func.lpar or func.rpar:
        return code(func).endswith(suffix)
    return last.value.endswith(suffix)


def _literal(node: Optional[cst.BaseExpression]) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


# -- the backends of the process groups -------------------------------------------------------
# What the texts of the last nccl_only said (a process that lints again, the editor server, asks
# about the same unchanged texts at every run): only those texts are kept.
_READ: Dict[str, Tuple[bool, int, int]] = {}


def _backends_named(text: str, read: Dict[str, Tuple[bool, int, int]]) -> Tuple[bool, int, int]:
    """Whether a text names a backend other than NCCL; how many process groups it makes, and how
    many of them name NCCL (counted on the text: a module the project step did not read)."""
    known = read.get(text) or _READ.get(text)
    if known is None:
        other = ("gloo" in text or "mpi" in text or "ucc" in text) and bool(_OTHER_BACKEND.search(text))
        if "init_process_group" in text:
            known = (other, len(_ANY_GROUP.findall(text)), len(NCCL_LITERAL.findall(text)))
        else:
            known = (other, 0, 0)
    read[text] = known
    return known


class Backends:
    """Whether every process group of a project is NCCL. ``summaries``: the parsed modules by id;
    ``linted``: the text of every linted file (None when unknown); ``callers(func)``: the known
    calls of a function of the project."""

    def __init__(self, summaries: Dict[str, ModuleSummary], linted: Optional[Dict[str, str]], callers) -> None:
        self.summaries = summaries
        self.linted = linted or {}
        self.callers: Callable[[tuple], Sequence[CallSite]] = callers
        self._options: Optional[Dict[str, List[Optional[cst.BaseExpression]]]] = None

    def nccl_only(self) -> bool:
        global _READ
        groups = 0
        read: Dict[str, Tuple[bool, int, int]] = {}  # what each text says (see _backends_named)
        try:
            for summary in self.summaries.values():
                if _backends_named(summary.text, read)[0]:
                    return False
                if summary.text and "init_process_group" not in summary.text:
                    continue  # no call's name can end so: a callee is read from the module's own text
                for site in summary.calls:
                    if not _named(site, "init_process_group"):
                        continue
                    groups += 1
                    if not self._nccl_call(site, summary):
                        return False
            for path, text in self.linted.items():
                if path in self.summaries or "init_process_group" not in text:
                    continue
                other, found, nccl = _backends_named(text, read)
                if other or found != nccl:
                    return False
                groups += found
            return groups > 0
        finally:
            _READ = read

    def _nccl_call(self, site: CallSite, summary: ModuleSummary) -> bool:
        args = site.node.args
        if any(a.star for a in args):
            return False
        backend = next((a.value for a in args if a.keyword is not None and a.keyword.value == "backend"), None)
        if backend is None and args and args[0].keyword is None:
            backend = args[0].value
        return backend is not None and self._nccl_value(backend, site, summary, 0)

    def _nccl_value(self, value: cst.BaseExpression, site: CallSite, summary: ModuleSummary, depth: int) -> bool:
        """``value`` (at ``site``) is `"nccl"` whatever happens."""
        literal = _literal(value)
        if literal is not None:
            return literal == "nccl"
        if depth > 2 or not isinstance(value, (cst.Name, cst.Attribute)):
            return False
        text = code(value)
        record = summary.funcs.get(site.ctx.func)
        if record is None and not site.ctx.stmt_path:
            return False
        where = record.node if record is not None else cst.Module(body=list(site.ctx.stmt_path[0][1]))
        assigned = _Assigned(text)
        walk(where, assigned)
        if assigned.unknown:
            return False
        if assigned.values:
            return all(self._nccl_value(v, site, summary, depth + 1) for v in assigned.values)
        if record is not None and isinstance(value, cst.Name):
            return self._nccl_parameter(record, value.value)
        if isinstance(value, cst.Attribute):
            defaults = self.options().get(value.attr.value)
            return bool(defaults) and all(_literal(d) == "nccl" for d in defaults)
        return False

    def _nccl_parameter(self, record, name: str) -> bool:
        """A parameter whose default is `"nccl"`, and that no known call passes anything else."""
        params = list(record.node.params.params) + list(record.node.params.kwonly_params)
        param = next((p for p in params if p.name.value == name), None)
        if param is None or _literal(param.default) != "nccl":
            return False
        position = record.params.index(name) if name in record.params else None
        if position is not None and record.class_key is not None and not record.is_static:
            position -= 1
        for caller in self.callers(record.key):
            for index, arg in enumerate(caller.node.args):
                if arg.star:
                    return False
                given = (arg.keyword is not None and arg.keyword.value == name) or (
                    arg.keyword is None and index == position
                )
                if given and _literal(arg.value) != "nccl":
                    return False
        return True

    def options(self) -> Dict[str, List[Optional[cst.BaseExpression]]]:
        """The command-line options of the project (`add_argument`), by destination: their defaults."""
        if self._options is None:
            found: Dict[str, List[Optional[cst.BaseExpression]]] = {}
            for summary in self.summaries.values():
                if "add_argument" not in summary.text:
                    continue
                for site in summary.calls:
                    if site.method == "add_argument" or (site.callee or "").endswith(".add_argument"):
                        dest, default = _option(site.node)
                        if dest is not None:
                            found.setdefault(dest, []).append(default)
            self._options = found
        return self._options


def _option(call: cst.Call) -> Tuple[Optional[str], Optional[cst.BaseExpression]]:
    """The destination of an `add_argument(...)` and its default (None: no default)."""
    names = [_literal(a.value) for a in call.args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    dest = _literal(keywords.get("dest"))
    if dest is None:
        longs = [n for n in names if n and n.startswith("--")]
        plain = [n for n in names if n and not n.startswith("-")]
        chosen = longs[0][2:] if longs else plain[0] if plain else None
        dest = chosen.replace("-", "_") if chosen else None
    return dest, keywords.get("default")


class _Assigned(cst.CSTVisitor):
    """The values assigned to one target (a name or attribute, by its text) in a function; unknown
    when it is also bound another way (a tuple target, a loop, `+=`, `with ... as`)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.values: List[cst.BaseExpression] = []
        self.unknown = False

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if code(target.target) == self.target:
                self.values.append(node.value)
            elif self._within(target.target):
                self.unknown = True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None and code(node.target) == self.target:
            self.values.append(node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if code(node.target) == self.target:
            self.unknown = True

    def visit_For(self, node: cst.For) -> None:
        if self._within(node.target):
            self.unknown = True

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and self._within(node.asname.name):
            self.unknown = True

    def _within(self, target: cst.CSTNode) -> bool:
        """A tuple or list target that binds the name."""
        if not isinstance(target, (cst.Tuple, cst.List)):
            return False
        return any(code(e.value) == self.target or self._within(e.value) for e in target.elements)


# -- code that only runs with several processes -----------------------------------------------
def distributed_blocks(
    module: cst.Module, process_group_test: Callable[[cst.BaseExpression], bool]
) -> Tuple[List[Sequence[cst.CSTNode]], Dict[int, int]]:
    """The blocks of ``module`` that only run with several processes: `if` branches (whole), and
    function bodies from an early exit on (by id of the body: the index of the exit statement)."""
    branches: List[Sequence[cst.CSTNode]] = []
    after: Dict[int, int] = {}

    class Visit(cst.CSTVisitor):
        def visit_If(self, node: cst.If) -> None:
            if not process_group_test(node.test):
                return
            if ONE_PROCESS.search(code(node.test)):
                if isinstance(node.orelse, cst.Else):
                    branches.append(node.orelse.body.body)
            else:
                branches.append(node.body.body)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            body = getattr(node.body, "body", ())
            for index, stmt in enumerate(body):
                if (
                    isinstance(stmt, cst.If)
                    and process_group_test(stmt.test)
                    and ONE_PROCESS.search(code(stmt.test))
                    and exits(stmt.body)
                ):
                    after[id(body)] = index
                    break

    walk(module, Visit())
    return branches, after


def after_exit(path, after: Dict[int, int]) -> bool:
    """A statement (its ``stmt_path``) that follows an early exit of its function with one process."""
    for stmt, block in path:
        index = after.get(id(block))
        if index is not None and any(s is stmt for s in list(block)[index + 1 :]):
            return True
    return False


def calls_any(test: cst.BaseExpression, names: Set[str]) -> bool:
    """A test that calls one of the named functions (`not utils.ready()`)."""
    if not names:
        return False
    found = []

    class Visit(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
            if name in names:
                found.append(node)

    walk(test, Visit())
    return bool(found)


def project_predicates(summaries: Iterable[ModuleSummary]) -> Set[str]:
    """Names of the project functions that answer about the process group: one whose every
    `return` gives a value that asks `is_initialized()` or `get_world_size()` (`return
    dist.is_available() and dist.is_initialized()`; `if not ready(): return 1; return
    dist.get_world_size()` counts too, a constant return standing for one process)."""
    global _ANSWERS
    names: Set[str] = set()
    known, kept = _ANSWERS, {}
    for summary in summaries:
        if "is_initialized" not in summary.text and "get_world_size" not in summary.text:
            continue
        for record in summary.funcs.values():
            node = record.node
            hit = known.get(id(node))
            answer = hit[1] if hit is not None and hit[0] is node else _answers_process_group(node)
            kept[id(node)] = (node, answer)
            if answer:
                names.add(node.name.value)
    _ANSWERS = kept
    return names


# The verdicts of the last call of project_predicates, by function node: a process that lints
# again (the editor server) keeps the trees of the files an edit did not touch, and their functions
# are not walked again. Only the functions of the last call are kept.
_ANSWERS: Dict[int, Tuple[cst.FunctionDef, bool]] = {}


def _answers_process_group(node: cst.FunctionDef) -> bool:
    returns = _Returns()
    walk(node, returns)
    asks = [r is not None and bool(_PROCESS_GROUP_CALL.search(code(r))) for r in returns.values]
    return any(asks) and all(a or (r is not None and _constant(r)) for a, r in zip(asks, returns.values))


def _constant(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.Integer, cst.Name)) and (
        not isinstance(node, cst.Name) or node.value in ("True", "False")
    )


class _Returns(cst.CSTVisitor):
    def __init__(self) -> None:
        self.values: List[Optional[cst.BaseExpression]] = []
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return self.depth == 1  # not into nested functions

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_Return(self, node: cst.Return) -> None:
        self.values.append(node.value)


def exits(block: cst.BaseSuite, exit_calls: frozenset = frozenset({"sys.exit", "exit", "quit", "os._exit"})) -> bool:
    """Whether a block ends by leaving: raise, return, sys.exit(...)."""
    body = getattr(block, "body", None)
    if not body:
        return False
    last = body[-1]
    if isinstance(last, cst.SimpleStatementLine) and last.body:
        small = last.body[-1]
        if isinstance(small, (cst.Raise, cst.Return)):
            return True
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return code(small.value.func) in exit_calls
    return False


# -- functions that need a process group -------------------------------------------------------
_COLLECTIVES = frozenset(
    """all_reduce all_gather all_gather_into_tensor all_gather_object all_to_all all_to_all_single barrier
    broadcast broadcast_object_list gather gather_object reduce reduce_scatter reduce_scatter_tensor scatter
    scatter_object_list send recv isend irecv""".split()
)


def collective_inputs(calls: Iterable[CallSite]) -> Dict[tuple, Set[str]]:
    """By function: what its collectives that run whatever happens (``needs_process_group``) are
    given, names and attributes by their text (`dist.all_gather(sizes, local)`: sizes, local)."""
    found: Dict[tuple, Set[str]] = {}
    for site in calls:
        if needs_process_group(site):
            names = found.setdefault(site.ctx.func, set())
            for arg in site.node.args:
                if isinstance(arg.value, (cst.Name, cst.Attribute)):
                    names.add(code(arg.value))
            names.add(f"@{id(site.ctx.stmt)}")  # the collective's own statement
    return found


def feeds_collective(site: CallSite, inputs: Dict[tuple, Set[str]]) -> bool:
    """A placement whose tensor a collective of its function is given: assigned to a name the
    collective is given (`part = x.cuda(rank)` then `dist.all_reduce(part)`), appended to one
    (`gathered.append(torch.empty(n, device="cuda"))`), or made in the collective's own statement.
    NCCL only takes CUDA tensors: in an NCCL-only project the placement is what the collective needs."""
    names = inputs.get(site.ctx.func)
    stmt = site.ctx.stmt
    if not names or not isinstance(stmt, cst.SimpleStatementLine):
        return False
    if f"@{id(stmt)}" in names:
        return True
    for small in stmt.body:
        if isinstance(small, (cst.Assign, cst.AnnAssign)):
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
            if any(code(t) in names for t in targets):
                return True
        value = getattr(small, "value", None)
        if isinstance(small, cst.Expr) and isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
            if value.func.attr.value in ("append", "extend") and code(value.func.value) in names:
                return True
    return False


def needs_process_group(site: CallSite) -> bool:
    """A collective of torch.distributed that its function calls whatever happens: under no `if`, no
    `try` and no conditional expression there, and with no `return` or `raise` before it. Without
    an initialised process group it raises, so the function cannot run without one."""
    callee = site.callee or ""
    if not callee.startswith("torch.distributed.") or callee.rsplit(".", 1)[-1] not in _COLLECTIVES:
        return False
    if site.ctx.conditions or site.ctx.func[0] != "func":
        return False
    path = site.ctx.stmt_path
    for index in range(len(path) - 1, -1, -1):
        stmt = path[index][0]
        if isinstance(stmt, cst.ClassDef):
            return False
        if isinstance(stmt, cst.FunctionDef):
            if index + 1 >= len(path):
                return False
            first, body = path[index + 1]
            earlier = []
            for other in body:
                if other is first:
                    break
                earlier.append(other)
            return not any(_leaves(other) for other in earlier)
        if isinstance(stmt, (cst.If, cst.Try)):
            return False
    return False


def _leaves(stmt: cst.CSTNode) -> bool:
    """A statement that may leave its function (a `return` or `raise` in it, outside nested definitions)."""
    found = []

    class Visit(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

        def visit_Raise(self, node: cst.Raise) -> None:
            found.append(node)

    walk(stmt, Visit())
    return bool(found)

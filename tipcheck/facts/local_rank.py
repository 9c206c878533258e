"""Facts about how a DDP script knows its local rank and which GPU its ranks use (TIP502, TIP503).

All of it is read from one module:

- *process groups* (``process_group_calls``): the `torch.distributed.init_process_group(...)` calls;
- *a read of the LOCAL_RANK variable* (``reads_local_rank_env``): `os.environ["LOCAL_RANK"]`,
  `os.environ.get("LOCAL_RANK")`, `os.getenv("LOCAL_RANK")` or `"LOCAL_RANK" in os.environ`
  (writing it, `os.environ["LOCAL_RANK"] = str(args.local_rank)`, is no read);
- *the `--local_rank` options* (``local_rank_options``): `add_argument("--local_rank", ...)` or
  `"--local-rank"`, with their default and whether they are required;
- *plain CUDA placements* (``plain_cuda_placements``): `.cuda()` with no index, and the literal
  `"cuda"` (no index) where a device goes: `torch.device("cuda")`, `.to("cuda")`, `device="cuda"`,
  `device = "cuda"`, through a conditional expression (`"cuda" if ... else "cpu"`);
- *per-rank pinning* (``pins_devices``): anything that makes a rank use its own GPU or shows the
  script chose one: `torch.cuda.set_device(...)`, `torch.cuda.device(...)`, a `device_ids=`
  argument, an indexed placement (`.cuda(rank)`, `"cuda:1"`, `f"cuda:{rank}"`,
  `torch.device("cuda", rank)`, `.to(rank)`), or `CUDA_VISIBLE_DEVICES` in the text;
- *the script's own local rank* (``local_rank_name``): a name assigned from a LOCAL_RANK read, or
  a name `local_rank` bound in the function, before a given statement.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import libcst as cst

from tipcheck.facts import ModuleFacts, Scope
from tipcheck.facts.devices import is_cuda_string, is_plain_cuda
from tipcheck.facts.kept import per_statement
from tipcheck.facts.nodecode import code
from tipcheck.facts.scopes import dotted_name
from tipcheck.facts.walk import nodes_in, walk

INIT_PROCESS_GROUP = ("torch.distributed.init_process_group", "torch.distributed.distributed_c10d.init_process_group")
DDP = ("torch.nn.parallel.DistributedDataParallel", "torch.nn.parallel.distributed.DistributedDataParallel")
LOCAL_RANK_OPTIONS = ("--local_rank", "--local-rank")

_ENV_READ = re.compile(
    r"""environ\s*\[\s*["']LOCAL_RANK["']\s*\](?!\s*=[^=])"""
    r"""|environ\s*\.\s*get\s*\(\s*["']LOCAL_RANK["']"""
    r"""|getenv\s*\(\s*["']LOCAL_RANK["']"""
    r"""|["']LOCAL_RANK["']\s+(?:not\s+)?in\b"""
)
_SPAWN = re.compile(r"\bspawn\s*\(|start_processes\s*\(|\bProcess\s*\(\s*target\s*=")


def reads_local_rank_env(facts: ModuleFacts) -> bool:
    """Whether the module's code reads the LOCAL_RANK environment variable (see the module's doc;
    docstrings and comments do not count)."""
    parents = parents_of(facts.module)
    for node in _strings(facts.module):
        if _string(node) != "LOCAL_RANK":
            continue
        parent = parents.get(node)
        if isinstance(parent, cst.Index):  # environ["LOCAL_RANK"], unless assigned to
            subscript = parents.get(parents.get(parent))
            if isinstance(subscript, cst.Subscript) and code(subscript.value).endswith("environ"):
                target = parents.get(subscript)
                if not (isinstance(target, cst.AssignTarget) and target.target is subscript):
                    return True
        elif isinstance(parent, cst.Arg):  # environ.get("LOCAL_RANK"), getenv("LOCAL_RANK")
            call = parents.get(parent)
            if isinstance(call, cst.Call) and re.search(
                r"(?:environ\.get|getenv|environ\.setdefault)$", code(call.func)
            ):
                return True
        elif isinstance(parent, cst.Comparison) and parent.left is node:  # "LOCAL_RANK" in os.environ
            if any(isinstance(c.operator, (cst.In, cst.NotIn)) for c in parent.comparisons):
                return True
    return False


def spawns(text: str) -> bool:
    """Whether the module starts its ranks itself (`mp.spawn`, `start_processes`,
    `Process(target=...)`): LOCAL_RANK is then not set by a launcher."""
    return ("spawn" in text or "start_processes" in text or "Process" in text) and bool(_SPAWN.search(text))


def process_group_calls(facts: ModuleFacts) -> List[Tuple[cst.Call, Scope]]:
    return [(call, scope) for call, scope, name in facts.callees() if name in INIT_PROCESS_GROUP]


def ddp_calls(facts: ModuleFacts) -> List[Tuple[cst.Call, Scope]]:
    return [(call, scope) for call, scope, name in facts.callees() if name in DDP]


@dataclass
class LocalRankOption:
    call: cst.Call  # the add_argument(...) call
    scope: Scope
    default: Optional[cst.Arg]  # the `default=` argument, None when there is none
    required: bool  # `required=True` (or anything but a literal False)


def _string(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def local_rank_options(facts: ModuleFacts) -> List[LocalRankOption]:
    found = []
    for call, scope in facts.calls:
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "add_argument"):
            continue
        names = [_string(a.value) for a in call.args if a.keyword is None and not a.star]
        if not any(n in LOCAL_RANK_OPTIONS for n in names):
            continue
        keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
        required = keywords.get("required")
        is_required = required is not None and not (
            isinstance(required.value, cst.Name) and required.value.value == "False"
        )
        found.append(LocalRankOption(call, scope, keywords.get("default"), is_required))
    return found


# -- placements ---------------------------------------------------------------------------------


def _parents(module: cst.Module) -> Dict[cst.CSTNode, cst.CSTNode]:
    """The parent of each node (whitespace, operators and brackets aside: tipcheck.facts.walk)."""
    parents: Dict[cst.CSTNode, cst.CSTNode] = {}
    stack: List[cst.CSTNode] = []

    class Visit(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if stack:
                parents[node] = stack[-1]
            stack.append(node)
            return True

        def on_leave(self, original_node: cst.CSTNode) -> None:
            stack.pop()

    walk(module, Visit())
    return parents


def _is_device_call(call: cst.Call) -> bool:
    func = call.func
    last = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else None
    if last != "device":
        return False  # most calls: no dotted name ending in `device`
    name = dotted_name(func) or ""
    return name == "device" or name.endswith(".device")


def _indexed_cuda(node: cst.BaseExpression) -> bool:
    """A CUDA device with an index: `"cuda:1"`, `f"cuda:{rank}"`, `"cuda:{}".format(rank)`, ...
    (tipcheck.facts.devices.is_cuda_string, less the plain `"cuda"`)."""
    return is_cuda_string(node) and not is_plain_cuda(node)


class Placements:
    """The plain CUDA placements of a module and whether it pins a GPU per rank (module doc)."""

    def __init__(self, facts: ModuleFacts, text: str, kept=None) -> None:
        """``kept``: what the facts keep from run to run (tipcheck.facts.kept): the strings of each
        top-level statement are read once for each statement object."""
        self.plain: List[cst.CSTNode] = []
        self.pinned = "CUDA_VISIBLE_DEVICES" in text
        for call, scope, name in facts.callees():
            name = name or ""
            if name in ("torch.cuda.set_device", "torch.cuda.device"):
                self.pinned = True
            args = call.args
            if args and any(a.keyword is not None and a.keyword.value == "device_ids" for a in args):
                self.pinned = True
            func = call.func
            attribute = func.attr.value if type(func) is cst.Attribute else None
            if attribute == "cuda" and not name.startswith("torch.cuda"):
                if args:
                    self.pinned = True  # .cuda(rank), .cuda(device=...)
                else:
                    self.plain.append(call)
            elif attribute == "to" and args:
                positional = [a for a in args if a.keyword is None]
                first = positional[0].value if positional else None
                if isinstance(first, (cst.Name, cst.Attribute)) and _rank_like(code(first)):
                    self.pinned = True  # .to(rank), .to(args.local_rank)
            if args and _is_device_call(call):
                positional = [a for a in args if a.keyword is None]
                if len(positional) >= 2 and _string(positional[0].value) == "cuda":
                    self.pinned = True  # torch.device("cuda", local_rank)
                if any(a.keyword is not None and a.keyword.value == "index" for a in args):
                    self.pinned = True
        # A string's parents, up to the call or assignment it is in, are in its own statement.
        for node, indexed in per_statement(kept, facts.module.body, "cuda strings", _cuda_strings):
            if indexed:
                self.pinned = True
            else:
                self.plain.append(node)

    @staticmethod
    def _device_position(node: cst.CSTNode, parents) -> bool:
        """A "cuda" string where a device goes (see the module's doc)."""
        child, parent = node, parents.get(node)
        while isinstance(parent, cst.IfExp) and child is not parent.test:
            child, parent = parent, parents.get(parent)
        if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is child:
            return True
        if isinstance(parent, cst.Arg):
            call = parents.get(parent)
            if not isinstance(call, cst.Call):
                return False
            if parent.keyword is not None:
                return parent.keyword.value == "device"
            positional = [a for a in call.args if a.keyword is None]
            if _is_device_call(call):
                return len(positional) == 1 and positional[0] is parent
            return isinstance(call.func, cst.Attribute) and call.func.attr.value == "to" and positional[0] is parent
        return False


def _cuda_strings(stmt: cst.CSTNode) -> List[Tuple[cst.CSTNode, bool]]:
    """The CUDA strings of one top-level statement that matter here, in order: an indexed CUDA
    device (True), or a plain "cuda" where a device goes (False)."""
    found: List[Tuple[cst.CSTNode, bool]] = []
    parents = _parents(stmt)
    for node in _strings(stmt):
        if _indexed_cuda(node):
            found.append((node, True))
        elif _string(node) == "cuda" and Placements._device_position(node, parents):
            found.append((node, False))
    return found


_RANK_WORDS = re.compile(r"(?:^|[._])(?:local_rank|rank|gpu|gpu_id|device_id|local_gpu)$", re.IGNORECASE)


def _rank_like(text: str) -> bool:
    return bool(_RANK_WORDS.search(text))


def _strings(module: cst.Module) -> List[cst.BaseExpression]:
    found: List[cst.BaseExpression] = []

    class Visit(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            found.append(node)

        def visit_FormattedString(self, node: cst.FormattedString) -> None:
            found.append(node)

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
                found.append(node)

        def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
            found.append(node)

    walk(module, Visit())
    return found


# -- the script's own local rank ------------------------------------------------------------------


def statement_path(parents: Dict[cst.CSTNode, cst.CSTNode], node: cst.CSTNode) -> List[Tuple[cst.CSTNode, tuple]]:
    """The statements that enclose ``node``, each with the block it is in, outermost first."""
    path = []
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, (cst.IndentedBlock, cst.Module)) and isinstance(child, cst.BaseStatement):
            path.append((child, tuple(parent.body)))
        child, parent = parent, parents.get(parent)
    return path[::-1]


def parents_of(module: cst.Module) -> Dict[cst.CSTNode, cst.CSTNode]:
    return _parents(module)


def local_rank_name(path) -> Optional[str]:
    """A name holding the local rank, assigned ahead of the innermost statement of ``path``
    (``statement_path``) in the blocks that enclose it: from a LOCAL_RANK read, else a name
    `local_rank`. Only names bound in the innermost function's blocks (or the module's, at
    module level) are looked at."""
    found_env, found_plain = None, None
    inner = [(s, b) for s, b in path]
    for index in range(len(path) - 1, -1, -1):
        if isinstance(path[index][0], (cst.FunctionDef, cst.ClassDef)):
            inner = path[index + 1 :]
            break
    for stmt, block in inner:
        for other in block:
            if other is stmt:
                break
            if not isinstance(other, cst.SimpleStatementLine):
                continue
            for small in other.body:
                if not isinstance(small, cst.Assign) or len(small.targets) != 1:
                    continue
                target = small.targets[0].target
                if not isinstance(target, cst.Name):
                    continue
                if _ENV_READ.search(code(small.value)):
                    found_env = target.value
                elif target.value == "local_rank":
                    found_plain = target.value
    return found_env or found_plain


def reassigns_attribute(facts: ModuleFacts, attribute: str) -> bool:
    """Whether the module assigns `X.attribute = ...` (alone or in a tuple target: `args.local_rank,
    args.rank = get_envs()`): the parsed value is then replaced, from what the parser cannot tell.
    `self.attribute = ...` does not count: an object keeping its own copy."""
    found = []

    class Visit(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            self._target(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._target(node.target)

        def _target(self, target: cst.BaseExpression) -> None:
            if isinstance(target, cst.Attribute) and target.attr.value == attribute:
                if not (isinstance(target.value, cst.Name) and target.value.value in ("self", "cls")):
                    found.append(target)  # `self.local_rank = args.local_rank` copies the parsed value
            elif isinstance(target, (cst.Tuple, cst.List)):
                for element in target.elements:
                    self._target(element.value)

    walk(facts.module, Visit())
    return bool(found)


# -- a parser built in a helper module -----------------------------------------------------------
# `args.local_rank = ...`, `args.local_rank, args.rank = get_envs()` as statements of their own
_REASSIGNED = re.compile(r"^[ \t]*(?:[\w.]+[ \t]*,[ \t]*)*[\w.]+\.local_rank[ \t]*(?:,[ \t]*[\w.]+[ \t]*)*=(?!=)", re.M)
_INITS_GROUP = re.compile(r"\binit_process_group\s*\(")


def option_function(module: cst.Module, call: cst.Call) -> Optional[str]:
    """The name of the module-level function whose body holds the option (`def get_argparse():
    parser.add_argument("--local_rank", ...)`), None at the top level or in a class."""
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef) and any(node is call for node in nodes_in(stmt)):
            return stmt.name.value
    return None


def scripts_parsing_with(path: str, function: str, linted: Dict[str, str], imports) -> List[str]:
    """The other linted scripts that import the module at ``path``, call its ``function`` (the
    parser factory) and start a process group, with their local rank from that parser only: they
    read no LOCAL_RANK variable, start no ranks of their own (`spawn`) and assign no `.local_rank`
    after parsing. Read from their text (``imports``: a tipcheck.facts.modules.TextImports of the
    linted files), as the run_ner scripts of a fine-tuning repository use `get_argparse()` of
    `tools/finetuning_argparse.py`."""
    call = re.compile(rf"\b{re.escape(function)}\s*\(")
    found = []
    for other, text in linted.items():
        if other == path or function not in text or "init_process_group" not in text:
            continue
        if not call.search(text) or not _INITS_GROUP.search(text):
            continue
        if ("LOCAL_RANK" in text and _ENV_READ.search(text)) or spawns(text):
            continue
        if ".local_rank" in text and _REASSIGNED.search(text):
            continue
        if _imports_module(imports, other, text, path):
            found.append(other)
    return sorted(found)


def _imports_module(imports, importer: str, text: str, path: str) -> bool:
    """The file at ``importer`` imports the module at ``path``: a name it imports means that file,
    and only that one or one under the importer's own folder (two experiments' `tools/options.py`
    are not one module)."""
    folder = os.path.dirname(importer)
    for dotted in imports.module_names(importer, text):
        candidates = imports.index.candidates(dotted)
        if path in candidates and (len(candidates) == 1 or not folder or path.startswith(folder + os.sep)):
            return True
    return False

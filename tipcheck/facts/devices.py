"""Facts about device placement in one module: CUDA-only placements and what governs them.

A placement is CUDA-only when it names CUDA outright: `.cuda()`, `.to("cuda")`,
`torch.device("cuda")`, `device="cuda"`, or `torch.accelerator.current_accelerator()` without
`check_available=True` (which answers cuda on a CUDA build with no GPU). It is governed when a
CUDA check decides whether it runs: an enclosing `if` or conditional expression about CUDA or the
GPU, an early `if not torch.cuda.is_available(): raise` or an `assert` in its function, or a module
that is GPU-only by design (an NCCL process group, `torch.cuda.set_device`, `device_ids=[...]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import libcst as cst

from tipcheck.facts.flow import CallSite, ModuleSummary
from tipcheck.facts.nodecode import code
from tipcheck.facts.walk import names_in, walk

# A leaf test that is true without CUDA (`args.cpu`, `args.no_cuda`, `n_gpu == 0`, `args.gpu is None`);
# `not` is read from the tree (DeviceFacts.cuda_when).
_WITHOUT_CUDA = re.compile(
    r"\bis None\b|==\s*0\b|<\s*1\b|<=\s*0\b|\bno_?cuda\b|\bdisable_?cuda\b|^[^!]*\bcpu\b[^!]*$", re.IGNORECASE
)
# A name that holds a device's index (`device`, `device_id`, `self.device_index`), not a rank.
_DEVICE_INDEX = re.compile(r"^(?:device|dev)(?:_?id|_?index|_?idx)?$", re.IGNORECASE)
_CUDA_WORDS = re.compile(r"cuda|gpu|is_available|device_count|accelerator", re.IGNORECASE)

# What a flag computed from a CUDA check is assigned (`use_gpu = torch.cuda.is_available()`); a
# value moved to the GPU (`network = Net().cuda()`) is a model or a tensor, no flag.
_FLAG_VALUE = re.compile(r"cuda|gpu|is_available|accelerator", re.IGNORECASE)
_MOVED = re.compile(r"\.cuda\([^()]*\)")


def is_plain_cuda(node: cst.BaseExpression) -> bool:
    """The literal "cuda", with no device index."""
    return isinstance(node, cst.SimpleString) and node.evaluated_value == "cuda"


def is_cuda_string(node: cst.BaseExpression) -> bool:
    """The literal "cuda" or "cuda:1", or a CUDA device with a computed index: `"cuda:{}".format(rank)`,
    `f"cuda:{rank}"`, `"cuda:%d" % rank`, `"cuda:" + str(rank)`."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return isinstance(value, str) and (value == "cuda" or value.startswith("cuda:"))
    if isinstance(node, cst.FormattedString):
        first = node.parts[0] if node.parts else None
        return isinstance(first, cst.FormattedStringText) and first.value.startswith("cuda:")
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
        return _cuda_prefix(node.func.value)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Modulo, cst.Add)):
        return _cuda_prefix(node.left)
    return False


def _cuda_prefix(node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.SimpleString):
        return False
    value = node.evaluated_value
    return isinstance(value, str) and value.startswith("cuda:")


def mentions_cuda(node: cst.CSTNode) -> bool:
    return bool(_CUDA_WORDS.search(code(node)))


@dataclass
class Placement:
    site: CallSite
    # What the finding is reported on: the method name of `.cuda()`/`.to(...)` (its own line, in a
    # call chain that spans lines), the `torch.device(...)` call, or the `device="cuda"` argument.
    anchor: cst.CSTNode
    form: str  # "cuda()", "to", "device", "device=", "accelerator"
    literal: Optional[cst.CSTNode] = None  # the "cuda" string to replace, for "to" and "device="


class DeviceFacts:
    """The CUDA-only placements of one module, and what its conditions say about CUDA. What governs
    a placement (checks, GPU-only code, callers) is tipcheck.facts.cuda_checks."""

    def __init__(self, text: str, summary: ModuleSummary) -> None:
        self.text = text
        self._flag_patterns: Dict[str, bool] = {}
        self.summary = summary

    def about_cuda(self, test: cst.BaseExpression) -> bool:
        """A condition about CUDA: it says so (`torch.cuda.is_available()`, `args.cuda`), or it tests
        a flag computed from such a check (`use_accel = torch.accelerator.is_available()`)."""
        if mentions_cuda(test):
            return True
        for name in set(names_in(test)):
            pattern = self._flag_patterns.get(name)
            if pattern is None:
                pattern = self._flag_patterns[name] = any(
                    _FLAG_VALUE.search(_MOVED.sub("", value))
                    for value in re.findall(rf"^[ \t]*{re.escape(name)}\s*=([^\n]*)", self.text, re.M)
                )
            if pattern:
                return True
        return False

    def cuda_when(self, test: cst.BaseExpression) -> Tuple[bool, bool]:
        """Whether CUDA is there when ``test`` is true, and when it is false: `torch.cuda.is_available()`
        (True, False), `args.cpu` or `args.gpu is None` (False, True), anything else (False, False).
        `not`, `and` and `or` are followed: `not args.disable_cuda and torch.cuda.is_available()` is
        (True, False), as is `not args.no_cuda`. A device index compared with the "no GPU" value
        (`self.device >= 0`, `device_id != -1`: the caller chose a GPU) is (True, False)."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            when_true, when_false = self.cuda_when(test.expression)
            return when_false, when_true
        if isinstance(test, cst.BooleanOperation):
            left, right = self.cuda_when(test.left), self.cuda_when(test.right)
            if isinstance(test.operator, cst.And):  # true: both are; false: one is not
                return left[0] or right[0], left[1] and right[1]
            return left[0] and right[0], left[1] or right[1]  # or: true: one is; false: both are not
        index = _device_index_test(test)
        if index is not None:
            return index
        if not self.about_cuda(test):
            return False, False
        without = bool(_WITHOUT_CUDA.search(code(test)))
        return not without, without

    def cuda_placements(self) -> List[Placement]:
        found: List[Placement] = []
        for site in self.summary.calls:
            call = site.node
            func = site.ctx.func
            if func[0] == "func" and func[2].rsplit(".", 1)[-1] in ("cuda", "to"):
                continue  # the implementation of a `.cuda()`/`.to()` of its own: it forwards
            untracked = site.callee is None or not site.callee.startswith("torch.")
            if site.method == "cuda" and untracked:
                if _torch_cuda_signature(call):
                    found.append(Placement(site, _method_name(call), "cuda()"))
            elif site.method == "to" and untracked:
                for arg in call.args:
                    if arg.keyword is None or arg.keyword.value == "device":
                        if is_cuda_string(arg.value) or _is_cuda_device_call(arg.value):
                            found.append(Placement(site, _method_name(call), "to", arg.value))
                        break
            elif site.callee in ("torch.device", "torch.accelerator.current_accelerator") and (
                _assigned(site) or default_of(site) is not None
            ):
                if site.callee == "torch.device" and call.args and is_cuda_string(call.args[0].value):
                    found.append(Placement(site, call, "device"))
                elif site.callee == "torch.accelerator.current_accelerator" and not any(
                    a.keyword is not None and a.keyword.value == "check_available" for a in call.args
                ):
                    found.append(Placement(site, call, "accelerator"))
            if not (site.method == "to" and untracked):
                for arg in call.args:
                    if arg.keyword is not None and arg.keyword.value == "device":
                        if is_cuda_string(arg.value) or _is_cuda_device_call(arg.value):
                            found.append(Placement(site, arg, "device=", arg.value))
        return found


def _device_index_test(test: cst.BaseExpression) -> Optional[Tuple[bool, bool]]:
    """`self.device >= 0`, `device_id > -1`, `args.device != -1` (the caller chose a GPU by its
    index; -1 means the CPU, as in transformers' pipelines): (True, False); `device < 0`,
    `device_id == -1`: (False, True). Only for a name that says it is a device index."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    left, target = test.left, test.comparisons[0]
    name = left.attr.value if isinstance(left, cst.Attribute) else left.value if isinstance(left, cst.Name) else ""
    if not _DEVICE_INDEX.match(name):
        return None
    value = code(target.comparator).replace(" ", "")
    operator = type(target.operator)
    if (operator, value) in ((cst.GreaterThanEqual, "0"), (cst.GreaterThan, "-1"), (cst.NotEqual, "-1")):
        return True, False
    if (operator, value) in ((cst.LessThan, "0"), (cst.LessThanEqual, "-1"), (cst.Equal, "-1")):
        return False, True
    return None


def _method_name(call: cst.Call) -> cst.CSTNode:
    """`cuda` in `Net(\n ...\n).cuda()`: the line the placement is on, not where the chain starts."""
    return call.func.attr if isinstance(call.func, cst.Attribute) else call


def _assigned(site: CallSite) -> bool:
    """Whether the call is the whole value of an assignment (`DEVICE = torch.device("cuda")`):
    a device kept for placement, rather than one built to be compared or returned."""
    stmt = site.ctx.stmt
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    return any(isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is site.node for small in stmt.body)


def default_of(site: CallSite) -> Optional[cst.Param]:
    """The parameter whose default value the call is (`def predict(x, device=torch.device("cuda"))`):
    a device kept for the calls that pass none."""
    stmt = site.ctx.stmt
    if not isinstance(stmt, cst.FunctionDef):
        return None
    params = stmt.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.default is site.node:
            return param
    return None


def _torch_cuda_signature(call: cst.Call) -> bool:
    """`Tensor.cuda(device=None, non_blocking=False, memory_format=...)` and `Module.cuda(device=None)`:
    a `.cuda(...)` with other arguments belongs to something else."""
    positional = [a for a in call.args if a.keyword is None]
    if len(positional) > 1 or any(a.star for a in call.args):
        return False
    return all(a.keyword is None or a.keyword.value in ("device", "non_blocking", "memory_format") for a in call.args)


def _is_cuda_device_call(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Call)
        and code(node.func) == "torch.device"
        and len(node.args) == 1
        and is_cuda_string(node.args[0].value)
    )


# -- batches ------------------------------------------------------------------------------------
_NOT_PLACEMENT = re.compile(r"float|half|double|bfloat|int\d|dtype|memory_format|\"cpu\"|'cpu'")


def is_device_move(call: cst.Call) -> bool:
    """`.cuda()`, or `.to(x)` where x is a device rather than a dtype or the CPU."""
    func = call.func
    if not isinstance(func, cst.Attribute):
        return False
    if func.attr.value == "cuda":
        return True
    if func.attr.value != "to" or not call.args:
        return False
    first = call.args[0]
    if first.keyword is not None and first.keyword.value != "device":
        return False
    return not _NOT_PLACEMENT.search(code(first.value))


def target_names(target: Optional[cst.BaseExpression]) -> List[str]:
    """Names a loop target binds: `x`, `(x, y)`, `i, (x, y)` (enumerate: the item part only)."""
    if target is None:
        return []
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for element in target.elements for n in target_names(element.value)]
    return []


@dataclass
class BatchUse:
    """How one batch loop feeds the model: the names the batch is unpacked into, and the first
    statement that hands one of them, unmoved, to the model or the loss."""

    names: List[str]  # the batch's names, in order
    unmoved: List[str]  # of those, the ones that reach the model or the loss unmoved
    first_use: Optional[cst.CSTNode]  # the statement of the loop body where that first happens
    unpack: Optional[cst.CSTNode] = None  # `x, y = batch` at the top of the body, if any
    batch_name: Optional[str] = None  # `for batch in loader:`
    subscripted: Optional[str] = None  # "str" for batch["image"], "int" for batch[0]


def loop_batch_names(loop_node: cst.For) -> List[str]:
    target = loop_node.target
    iterable = loop_node.iter
    if isinstance(iterable, cst.Call) and code(iterable.func).endswith("enumerate") and isinstance(target, cst.Tuple):
        if len(target.elements) == 2:
            return target_names(target.elements[1].value)
        return []
    return target_names(target)


def batch_use(loop_node: cst.For, is_consumer) -> Optional[BatchUse]:
    """Analyse a batch loop's body. ``is_consumer(call)`` says whether a call is the model or a loss.

    Returns None when the batch goes somewhere the analysis cannot follow (an unknown function
    that may move it, a reassignment from something else)."""
    body = getattr(loop_node.body, "body", None)
    if not body:
        return None
    names = loop_batch_names(loop_node)
    if not names:
        return None
    use = BatchUse(names=list(names), unmoved=[], first_use=None)
    if len(names) == 1:
        use.batch_name = names[0]
        first = body[0]
        if (
            isinstance(first, cst.SimpleStatementLine)
            and len(first.body) == 1
            and isinstance(first.body[0], cst.Assign)
            and isinstance(first.body[0].value, cst.Name)
            and first.body[0].value.value == names[0]
            and len(first.body[0].targets) == 1
        ):
            unpacked = target_names(first.body[0].targets[0].target)
            if unpacked:
                use.unpack = first
                use.names = unpacked
                use.batch_name = None
    pending = set(use.names)

    class Walk(cst.CSTVisitor):
        def __init__(self, stmt) -> None:
            self.stmt = stmt

        def visit_Assign(self, node: cst.Assign) -> None:
            if _reshaped_in_place(node.value, pending):
                return  # `images = images.reshape(-1, 784)`: still the CPU batch
            targets = [n for t in node.targets for n in target_names(t.target)]
            for name in targets:
                if name in pending:
                    pending.discard(name)  # moved, or replaced by something else: no longer the CPU batch

        def visit_Call(self, node: cst.Call) -> None:
            if not is_consumer(node):
                return
            for arg in node.args:
                if ".to(" in code(arg.value) or ".cuda(" in code(arg.value):
                    continue
                for name in names_in(arg.value, attributes=False):
                    if name in pending and name not in use.unmoved:
                        use.unmoved.append(name)
                        if use.first_use is None:
                            use.first_use = self.stmt

    for stmt in body:
        if stmt is use.unpack:
            continue
        walk(stmt, Walk(stmt))
    if use.batch_name is not None:
        text = code(loop_node.body)
        if re.search(rf"\b{re.escape(use.batch_name)}\[\s*['\"]", text):
            use.subscripted = "str"
        elif re.search(rf"\b{re.escape(use.batch_name)}\[\s*\d", text):
            use.subscripted = "int"
    return use


def _reshaped_in_place(value: cst.BaseExpression, pending) -> bool:
    """`x.reshape(...)`, `x.view(...).float()`: a method chain on a batch name that does not move it."""
    node = value
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value in ("to", "cuda"):
            return False
        node = node.func.value
    return node is not value and isinstance(node, cst.Name) and node.value in pending

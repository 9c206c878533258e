"""CUDA device strings kept in a name (TIP102): `device = "cuda"`, then `.to(device)`.

A placement may name its device through a variable: `.to(device)`, `device=device`,
`torch.device(device)`. It places on CUDA when that name holds a CUDA string and nothing else:

- a name bound once, by a plain assignment of a CUDA string (`device = "cuda"`, `"cuda:0"`), in
  the scope the use reads it from (its function's, or the module's for a global), and not under an
  `if` about CUDA (`if use_gpu: device = "cuda"`: the check is the author's);
- a parameter whose default is a CUDA string (`def __init__(self, device="cuda")`), read as it is or
  after `device = torch.device(device)`, unless every call in the project passes it;
- an attribute a method places through (`device=self.device`), when the module assigns it once,
  in a method of that class, to such a string or from such a parameter (`self.device = "cuda"`,
  `self.device = device`); set on another object, by a subclass or more than once, or bound as a
  class attribute or a property, it holds a choice.

A name bound more than once (`device = "cuda"` and, in an `else`, `device = "cpu"`) or from anything
else (`device = args.device`, `"cuda" if torch.cuda.is_available() else "cpu"`) holds a choice, not
CUDA alone. The finding is reported on the string where it is kept, once for all its uses, unless
every use is governed (tipcheck.facts.cuda_checks): `model.to(device)` under `if
torch.cuda.is_available():` is checked where it runs.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence

import libcst as cst

from tipcheck.facts.devices import DeviceFacts, Placement, is_cuda_string
from tipcheck.facts.flow import CallSite
from tipcheck.facts.gpu_design import default_always_passed
from tipcheck.facts.walk import walk


def device_names(site: CallSite) -> List[cst.Name]:
    """The names a call uses as its device: `.to(device)` (its first positional argument or
    `device=`), `torch.device(device)`, `f(..., device=device)`."""
    return [node for node in _device_arguments(site) if isinstance(node, cst.Name)]


def kept_device_name(site: CallSite) -> str:
    """How a placement through a kept CUDA string names its device: `device`, `self.device`."""
    for node in _device_arguments(site):
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            return f"{node.value.value}.{node.attr.value}"
    return "device"


def _device_arguments(site: CallSite) -> List[cst.BaseExpression]:
    call = site.node
    untracked = site.callee is None or not site.callee.startswith("torch.")
    found: List[cst.BaseExpression] = []
    if site.method == "to" and untracked:
        for arg in call.args:
            if arg.keyword is None or arg.keyword.value == "device":
                found.append(arg.value)
                break
    else:
        if site.callee == "torch.device" and call.args and call.args[0].keyword is None:
            found.append(call.args[0].value)
        found.extend(a.value for a in call.args if a.keyword is not None and a.keyword.value == "device")
    return found


def _self_attribute(site: CallSite, record) -> Optional[str]:
    """`self.device` used as the device by a method (its first parameter's attribute): the name."""
    if record is None or record.class_key is None or record.is_static or not record.params:
        return None
    for node in _device_arguments(site):
        if (
            isinstance(node, cst.Attribute)
            and isinstance(node.value, cst.Name)
            and node.value.value == record.params[0]
        ):
            return node.attr.value
    return None


class _AttributeAssignments(cst.CSTVisitor):
    """Every assignment of ``attr`` on anything (`self.device = ...`, `core.device = ...`), with
    the function it is in, and whether the class binds the name otherwise (a class attribute, a
    property, a method of that name)."""

    def __init__(self, attr: str) -> None:
        self.attr = attr
        self.found: List[tuple] = []  # (target's receiver, value, function node)
        self.functions: List[cst.FunctionDef] = []
        self.other = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value == self.attr:
            self.other = True  # a property or a method called like the attribute
        self.functions.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._target(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target, None)

    def _target(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression]) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value, None)  # unpacked: no one value
        elif isinstance(target, cst.Attribute) and target.attr.value == self.attr:
            self.found.append((target.value, value, self.functions[-1] if self.functions else None))
        elif isinstance(target, cst.Name) and target.value == self.attr and not self.functions:
            self.other = True  # `device = "cpu"` in the class body


class _Tests(cst.CSTVisitor):
    """The tests of the `if` statements around ``target`` within ``root`` (not into nested defs)."""

    def __init__(self, root: cst.CSTNode, target: cst.CSTNode) -> None:
        self.root = root
        self.target = target
        self.stack: List[cst.If] = []
        self.found: Optional[List[cst.BaseExpression]] = None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.found is not None:
            return False
        if node is self.target:
            self.found = [stmt.test for stmt in self.stack]
            return False
        if node is not self.root and isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            return False
        if isinstance(node, cst.If):
            self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if self.stack and self.stack[-1] is original_node:
            self.stack.pop()


def _under_cuda_check(devices: DeviceFacts, root: cst.CSTNode, value: cst.CSTNode) -> bool:
    tests = _Tests(root, value)
    walk(root, tests)
    return any(devices.about_cuda(test) for test in tests.found or ())


def _rebound_from_itself(body: cst.CSTNode, name: str) -> bool:
    """Every assignment of ``name`` in ``body`` derives it from itself (`device =
    torch.device(device)`): the parameter's value is what is placed on."""

    class Visit(cst.CSTVisitor):
        ok = True

        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                if isinstance(target.target, cst.Name) and target.target.value == name:
                    if not any(isinstance(n, cst.Name) and n.value == name for n in _names(node.value)):
                        Visit.ok = False

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == name:
                Visit.ok = False

    walk(body, Visit())
    return Visit.ok


def _names(node: cst.CSTNode) -> List[cst.Name]:
    found: List[cst.Name] = []

    class Visit(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.append(n)

    walk(node, Visit())
    return found


def kept_cuda_strings(
    devices: DeviceFacts,
    facts,
    callers: Callable[[tuple], Sequence[CallSite]],
) -> List[Placement]:
    """The placements through a name that holds a CUDA string (see the module docstring), one for
    each use, each anchored on the string: ``facts`` is the module's tipcheck.facts.ModuleFacts,
    ``callers(func_key)`` the known calls of a function."""
    summary = devices.summary
    values = facts.values()
    found: List[Placement] = []
    verdicts: Dict[int, bool] = {}  # id(string) -> whether it is a CUDA-only device kept in a name
    assignments: Dict[str, _AttributeAssignments] = {}  # by attribute: where the module assigns it
    for site in summary.calls:
        func = site.ctx.func
        if func[0] == "func" and func[2].rsplit(".", 1)[-1] in ("cuda", "to"):
            continue
        record = summary.funcs.get(func)
        for name in device_names(site):
            scope = facts.scope_of.get(record.node, facts.module_scope) if record else facts.module_scope
            value = values.single_value(name.value, scope)
            if value is not None and is_cuda_string(value):
                if id(value) not in verdicts:
                    where = scope.lookup_scope(name.value)
                    root = _scope_node(where, facts) or facts.module
                    verdicts[id(value)] = not _under_cuda_check(devices, root, value)
                if verdicts[id(value)]:
                    found.append(Placement(site, value, "name", value))
                continue
            param = _cuda_default(record, name.value) if record is not None else None
            if param is not None and param.default is not None:
                if id(param.default) not in verdicts:
                    verdicts[id(param.default)] = not default_always_passed(param, record, callers(record.key))
                if verdicts[id(param.default)]:
                    found.append(Placement(site, param.default, "name", param.default))
        attr = _self_attribute(site, record)
        if attr is not None and attr not in assignments:
            assignments[attr] = _AttributeAssignments(attr)
            walk(facts.module, assignments[attr])
        kept = _kept_in_attribute(devices, summary, record, assignments[attr], callers, verdicts) if attr else None
        if kept is not None:
            found.append(Placement(site, kept, "name", kept))
    return found


def _kept_in_attribute(
    devices: DeviceFacts, summary, record, visit: "_AttributeAssignments", callers, verdicts
) -> Optional[cst.CSTNode]:
    """The CUDA string a method's `self.<attr>` holds (``visit``: the module's assignments of the
    attribute): the one assignment of the attribute in the
    module is `self.<attr> = "cuda"` in a method of the same class, not under a CUDA check, or
    `self.<attr> = device` from a parameter whose default is a CUDA string that some call leaves as
    it is (`def __init__(self, device="cuda")`). Any other assignment of the attribute (another
    value, on another object, in another class), a class attribute or a property of that name: a
    choice, not CUDA alone."""
    if visit.other or summary.classes.get(record.class_key) is None:
        return None
    methods = {id(r.node): r for r in summary.funcs.values()}
    subclassed = any(record.class_key[2] in c.bases for c in summary.classes.values())
    own = []
    for receiver, value, function in visit.found:
        method = methods.get(id(function)) if function is not None else None
        on_self = method is not None and method.params and not method.is_static
        on_self = on_self and isinstance(receiver, cst.Name) and receiver.value == method.params[0]
        if not on_self or (method.class_key == record.class_key and subclassed):
            return None  # set on another object (`sampler.device = args.device`), or by a subclass
        if method.class_key == record.class_key:
            own.append((value, method))
    if len(own) != 1 or own[0][0] is None:
        return None
    value, method = own[0]
    function = method.node
    if is_cuda_string(value):
        if id(value) not in verdicts:
            verdicts[id(value)] = not _under_cuda_check(devices, function, value)
        return value if verdicts[id(value)] else None
    if isinstance(value, cst.Name):
        param = _cuda_default(method, value.value)
        if param is not None and param.default is not None:
            if id(param.default) not in verdicts:
                verdicts[id(param.default)] = not default_always_passed(param, method, callers(method.key))
            return param.default if verdicts[id(param.default)] else None
    return None


def _scope_node(scope, facts) -> Optional[cst.CSTNode]:
    """The function (or class) whose scope ``scope`` is; None for the module."""
    if scope is None or scope is facts.module_scope:
        return None
    for node, candidate in facts.scope_of.items():
        if candidate is scope:
            return node
    return None


def _cuda_default(record, name: str) -> Optional[cst.Param]:
    """The parameter ``name`` of the function, when its default is a CUDA string and the function
    rebinds it only from itself."""
    params = record.node.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name and param.default is not None and is_cuda_string(param.default):
            return param if _rebound_from_itself(record.node.body, name) else None
    return None

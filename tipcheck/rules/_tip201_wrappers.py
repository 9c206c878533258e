"""TIP201 through a wrapper of the module: a function that hands its arguments on to one torchvision
builder, unchanged, as `_inception_v3(*args, **kwargs)` does in the widely copied FID code:

    def _inception_v3(*args, **kwargs):
        kwargs["init_weights"] = False
        return torchvision.models.inception_v3(*args, **kwargs)

    inception = _inception_v3(pretrained=True)

A call of such a wrapper is a call of the builder: `pretrained=True` there is torchvision's
deprecated flag, and `weights=` written in its place reaches the builder the same way. A wrapper is
only taken as such when nothing in it can see or change the weights: its only parameters are
`*args` and `**kwargs`, the builder call hands them on as they are (other keywords may be added),
and its text never names a parameter the weights depend on (the legacy flag, `weights`, one that
picks the legacy case such as `quantize`: `kwargs.pop("pretrained")`, `if pretrained:`). Anything
else may do what it likes with the flag: not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Optional

import libcst as cst

from tipcheck.data import Builder, TorchvisionTable


@dataclass(frozen=True)
class Wrapper:
    name: str  # the function's qualified name ("$._inception_v3")
    builder: Builder
    positional: bool  # it hands `*args` on: positional arguments bind the builder's parameters
    head: str  # the name the builder call goes through (`torchvision`), for the enum's import


def forwarding_wrappers(ctx, table: TorchvisionTable) -> Dict[str, Wrapper]:
    """The module-level functions of the module that only hand their arguments on to a builder."""
    found: Dict[str, Wrapper] = {}
    calls = [
        (call, scope, table.by_path[qualified])
        for call, scope, qualified in ctx.facts.calls_to("torchvision")
        if scope.kind == "function" and qualified in table.by_path and any(arg.star == "**" for arg in call.args)
    ]
    if not calls:
        return found
    functions = {scope: node for node, scope in ctx.facts.scope_of.items() if isinstance(node, cst.FunctionDef)}
    module_defs = {stmt.name.value: stmt for stmt in ctx.module.body if isinstance(stmt, cst.FunctionDef)}
    several = set()
    for call, scope, builder in calls:
        func = functions.get(scope)
        if func is None or module_defs.get(func.name.value) is not func:
            continue
        positional = _hands_on(func, call)
        if positional is None or _names_weights(ctx, func, builder):
            continue
        name = f"$.{func.name.value}"
        if name in found or name in several:
            found.pop(name, None)  # two builder calls: which one a call reaches is not known
            several.add(name)
            continue
        head = call.func
        while isinstance(head, cst.Attribute):
            head = head.value
        if isinstance(head, cst.Name):
            found[name] = Wrapper(name, builder, positional, head.value)
    return found


def _hands_on(func: cst.FunctionDef, call: cst.Call) -> Optional[bool]:
    """Whether the builder call hands on `*args` too (True) or only `**kwargs` (False); None when
    the function has other parameters or the call does not hand its arguments on as they are."""
    params = func.params
    kwargs = params.star_kwarg
    star = params.star_arg if isinstance(params.star_arg, cst.Param) else None
    if params.params or params.posonly_params or params.kwonly_params or kwargs is None:
        return None
    handed = {arg.star: arg.value for arg in call.args if arg.star}
    if any(arg.keyword is None and not arg.star for arg in call.args):
        return None  # a positional argument of its own: the caller's ones bind later parameters
    if not (isinstance(handed.get("**"), cst.Name) and handed["**"].value == kwargs.name.value):
        return None
    if star is None:
        return False if "*" not in handed else None
    return isinstance(handed.get("*"), cst.Name) and handed["*"].value == star.name.value or None


def _names_weights(ctx, func: cst.FunctionDef, builder: Builder) -> bool:
    """Whether the wrapper's text names a parameter the weights depend on (the legacy flag, the
    weights, or one that picks the legacy case: `quantize`, `aux_logits`, ...)."""
    names = {
        n for legacy in builder.legacy for n in (legacy.pretrained_param, legacy.weights_param, *legacy.depends_on)
    }
    text = ctx.text(func)
    return any(re.search(rf"\b{re.escape(n)}\b", text) for n in names)

"""Functions that only run where GPUs are, because of how they are launched (TIP102).

A call that hands a function several GPUs joined from a GPU list (`main_worker(",".join(str(i)
for i in cfg.GPUS), ...)`, ``hands_gpu_list``) launches it on those GPUs. And Ray starts a task or
a tuning trial only where the GPUs it asks for are free:

- `@ray.remote(num_gpus=1)` on a function, or `ray.remote(num_gpus=1)(train_fn)`;
- `tune.run(train_fn, resources_per_trial={"gpu": 1})`, `tune.with_resources(train_fn, {"gpu": 1})`;
- `register_trainable("search", train_fn)` in a module whose every request of trial resources
  (`resources_per_trial`, as a keyword or as an entry of an experiment's dict) asks for a GPU.

What such a function runs, runs where a GPU is: like a function that `mp.spawn` starts once per
GPU (tipcheck.facts.gpu_design). A request of no GPU (`num_gpus=0`), or of a number read from a
setting (`{"gpu": args.gpus}`), makes no such promise. ``train_fn`` is a module function named
there, or a lambda: then the calls in its body (`lambda cfg, rpt: evaluate(cfg, rpt)`) run there.
"""

from __future__ import annotations

import re
from typing import List, Optional, Set, Tuple

import libcst as cst

from tipcheck.facts.devices import code, mentions_cuda
from tipcheck.facts.flow import CallSite
from tipcheck.facts.walk import nodes_in

_REMOTE = re.compile(r"(?:^|\.)remote$")
_WITH_RESOURCES = re.compile(r"(?:^|\.)(?:tune\.run|with_resources)$")
_REGISTER = re.compile(r"(?:^|\.)register_trainable$")


def _positive(value: cst.BaseExpression) -> bool:
    """A number of GPUs written out, more than none."""
    if isinstance(value, (cst.Integer, cst.Float)):
        try:
            return float(value.value.replace("_", "")) > 0
        except ValueError:
            return False
    return False


def _asks_gpu(value: Optional[cst.BaseExpression]) -> bool:
    """`{"gpu": 1}` (with or without other resources): a dict that asks for GPUs, written out."""
    if not isinstance(value, cst.Dict):
        return False
    for element in value.elements:
        key = getattr(element, "key", None)
        if isinstance(key, cst.SimpleString) and key.evaluated_value.lower() == "gpu":
            return _positive(element.value)
    return False


def _keyword(call: cst.Call, name: str) -> Optional[cst.BaseExpression]:
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def _trial_requests(module: cst.Module) -> List[Optional[cst.BaseExpression]]:
    """Every request of trial resources in the module: `resources_per_trial=...` and
    `"resources_per_trial": ...` in a dict."""
    found: List[Optional[cst.BaseExpression]] = []
    for node in nodes_in(module):
        if isinstance(node, cst.Arg) and node.keyword is not None and node.keyword.value == "resources_per_trial":
            found.append(node.value)
        elif isinstance(node, cst.DictElement) and isinstance(node.key, cst.SimpleString):
            if node.key.evaluated_value == "resources_per_trial":
                found.append(node.value)
    return found


_IMPORTS_RAY = re.compile(r"^[ \t]*(?:import|from)[ \t]+ray\b", re.M)


def uses_ray(text: str) -> bool:
    """A module that imports Ray (only such a module's launches are looked at)."""
    return "ray" in text and bool(_IMPORTS_RAY.search(text))


def gpu_granted(module: cst.Module) -> Tuple[Set[str], Set[int]]:
    """The module's functions ("$.name") that Ray runs only on workers with GPUs, and the ids of
    the calls in the lambdas it runs so."""
    names: Set[str] = set()
    calls: Set[int] = set()

    def grant(fn: Optional[cst.BaseExpression]) -> None:
        if isinstance(fn, cst.Name):
            names.add(f"$.{fn.value}")
        elif isinstance(fn, cst.Lambda):
            calls.update(id(call) for call in nodes_in(fn.body) if isinstance(call, cst.Call))

    requests = None
    for node in nodes_in(module):
        if not isinstance(node, (cst.FunctionDef, cst.Call)):
            continue
        if isinstance(node, cst.FunctionDef):
            for decorator in node.decorators:
                call = decorator.decorator
                if isinstance(call, cst.Call) and _REMOTE.search(code(call.func)):
                    if _positive_keyword(call, "num_gpus"):
                        names.add(f"$.{node.name.value}")
            continue
        func = code(node.func)
        first = node.args[0].value if node.args and node.args[0].keyword is None else None
        if isinstance(node.func, cst.Call) and _REMOTE.search(code(node.func.func)):
            if _positive_keyword(node.func, "num_gpus"):
                grant(first)  # ray.remote(num_gpus=1)(train_fn)
        elif _WITH_RESOURCES.search(func):
            asked = _keyword(node, "resources_per_trial") or _keyword(node, "resources")
            if asked is None and len(node.args) > 1 and node.args[1].keyword is None:
                asked = node.args[1].value  # tune.with_resources(train_fn, {"gpu": 1})
            if _asks_gpu(asked):
                grant(first)
        elif _REGISTER.search(func) and len(node.args) > 1 and node.args[1].keyword is None:
            if requests is None:
                requests = _trial_requests(module)
            if requests and all(_asks_gpu(r) for r in requests):
                grant(node.args[1].value)
    return names, calls


def _positive_keyword(call: cst.Call, name: str) -> bool:
    value = _keyword(call, name)
    return value is not None and _positive(value)


def several_gpus(value: cst.BaseExpression) -> bool:
    """A value for CUDA_VISIBLE_DEVICES that names several GPUs: `",".join(...)` of a list, or a
    string with a comma in it."""
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
        return value.func.attr.value == "join"
    if isinstance(value, cst.SimpleString):
        text = value.evaluated_value
        return isinstance(text, str) and "," in text
    return False


def hands_gpu_list(site: CallSite) -> bool:
    """A call that gives the function the several GPUs to run on, joined from a GPU list
    (`main_worker(",".join(str(i) for i in cfg.GPUS), ...)`): as `DataParallel(device_ids=gpus)`, a
    design for GPUs, not a setting (one id, `cfg.gpu_id`, is a setting)."""
    return any(several_gpus(arg.value) and mentions_cuda(arg.value) for arg in site.node.args)

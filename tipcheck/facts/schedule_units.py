"""In which unit a scheduler's length is written, and how often the scheduler is stepped.

A scheduler's length (`T_max`, `step_size`, `milestones`, `total_iters`, OneCycleLR's
`total_steps` or `epochs` x `steps_per_epoch`) is a count of `step()` calls. Written from
`len(loader)` (or a `steps_per_epoch` / `iters_per_epoch` name) it counts batches; written from an
epoch count alone (`args.epochs`, `EPOCHS`, `num_epochs - warmup_epochs`) it counts epochs. A
literal, or anything else, has no unit here: the rules that compare units stay silent about it.

`step_cadence` says where the step calls of a scheduler run: "batch" (in a batch loop, every
iteration), "accumulation" (in a batch loop under `if (i + 1) % accum == 0:`), "epoch" (in an
epoch loop, outside every batch loop), or None (mixed, unknown, or with an argument).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

import libcst as cst

from tipcheck.facts import dotted_name
from tipcheck.facts.progress import on_some_passes
from tipcheck.facts.training import ProjectFacts, Value
from tipcheck.facts.walk import nodes_in

# class -> the (keyword, position) of its length argument; a length that counts steps.
LENGTH_ARGUMENTS = {
    "CosineAnnealingLR": ("T_max", 1),
    "StepLR": ("step_size", 1),
    "MultiStepLR": ("milestones", 1),
    "LinearLR": ("total_iters", 3),
    "ConstantLR": ("total_iters", 2),
    "PolynomialLR": ("total_iters", 1),
    "OneCycleLR": ("total_steps", 2),
}
# The lengths that count a whole run (a position counted from the start is not one).
TOTAL_LENGTHS = {"T_max", "total_iters", "total_steps"}

_PER_EPOCH_BATCHES = ("steps_per_epoch", "iters_per_epoch", "batches_per_epoch", "num_batches", "n_batches")
_STEP_WORDS = ("step", "iter", "batch", "sample", "len")


@dataclass(frozen=True)
class Length:
    """A scheduler's length argument: its keyword, its expression, its unit ("batch" or
    "epoch"), and whether it counts a whole run (`epochs * len(loader)`, `args.epochs`) rather
    than one epoch's batches (`len(loader)`)."""

    keyword: str
    node: cst.BaseExpression
    unit: str
    whole_run: bool
    divided: bool  # `len(loader) // accumulation_steps`


def _names(node: cst.CSTNode) -> List[str]:
    """The lower-cased names and attribute names read in an expression (`args.epochs` gives
    "args" and "epochs")."""
    found = []
    for child in nodes_in(node):
        if isinstance(child, cst.Name):
            found.append(child.value.lower())
    return found


def _loader_lens(project: ProjectFacts, node: cst.CSTNode) -> int:
    """How many `len(x)` calls of the expression measure a DataLoader (a tracked loader, or a
    name that says it is one: `train_loader`, `self.train_dl`)."""
    count = 0
    for child in nodes_in(node):
        if not (isinstance(child, cst.Call) and isinstance(child.func, cst.Name) and child.func.value == "len"):
            continue
        if len(child.args) != 1:
            continue
        name = dotted_name(child.args[0].value)
        last = name.rsplit(".", 1)[-1].lower() if name else ""
        if "loader" in last or last.endswith("_dl") or last == "dl":
            count += 1
    return count


def _divided(node: cst.CSTNode) -> bool:
    """Whether the expression divides by a gradient-accumulation count (`len(loader) // accum_steps`,
    `/ args.gradient_accumulation_steps`); a division by anything else (`/ world_size`) is not read."""
    for child in nodes_in(node):
        if isinstance(child, cst.BinaryOperation) and isinstance(child.operator, (cst.FloorDivide, cst.Divide)):
            if any("accum" in n or n.startswith("grad") for n in _names(child.right)):
                return True
    return False


def unit_of(project: ProjectFacts, keyword: str, node: cst.BaseExpression) -> Optional[Length]:
    """The unit of a length expression (see the module docstring), or None."""
    names = _names(node)
    epochs = any("epoch" in n for n in names if not any(n == p or n.endswith(p) for p in _PER_EPOCH_BATCHES))
    per_epoch_batches = _loader_lens(project, node) > 0 or any(n.endswith(p) for n in names for p in _PER_EPOCH_BATCHES)
    if per_epoch_batches:
        if any("len" == n for n in names) and not _loader_lens(project, node):
            return None  # `len(dataset)`: samples, not batches
        return Length(keyword, node, "batch", epochs, _divided(node))
    if epochs and not any(w in n for n in names for w in _STEP_WORDS if "epoch" not in n):
        if any(w in n for n in names for w in ("step", "iter", "batch")):
            return None  # `max_epoch_iters`, `steps_epoch`: a count of batches spelled with "epoch"
        return Length(keyword, node, "epoch", True, _divided(node))
    return None


def length_of(project: ProjectFacts, value: Value) -> Optional[Length]:
    """The unit of a scheduler's length argument, if it has one (OneCycleLR: `total_steps`, or
    `epochs` with `steps_per_epoch`)."""
    if value.cls == "OneCycleLR":
        total = value.kwarg("total_steps", 2)
        if total is not None:
            return unit_of(project, "total_steps", total.value)
        epochs, per_epoch = value.kwarg("epochs", 3), value.kwarg("steps_per_epoch", 4)
        if epochs is None or per_epoch is None:
            return None
        if isinstance(per_epoch.value, cst.Integer) and per_epoch.value.value == "1":
            found = unit_of(project, "epochs", epochs.value)
            return found if found is not None and found.unit == "epoch" else None
        found = unit_of(project, "steps_per_epoch", per_epoch.value)
        if found is None or found.unit != "batch":
            return None
        return Length("steps_per_epoch", per_epoch.value, "batch", True, found.divided)
    spec = LENGTH_ARGUMENTS.get(value.cls)
    if spec is None:
        return None
    arg = value.kwarg(*spec)
    if arg is None:
        return None
    found = unit_of(project, spec[0], arg.value)
    if found is not None and spec[0] not in TOTAL_LENGTHS:
        # `step_size=len(loader)`: a period or a position, not a whole run.
        return Length(found.keyword, found.node, found.unit, False, found.divided)
    return found


def _is_accumulation(condition: cst.BaseExpression) -> bool:
    """`(i + 1) % accum == 0`, `step % args.grad_accum_steps == 0`: every n-th batch."""
    return any(
        isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo) for node in nodes_in(condition)
    )


def _conditions_inside(site, loop_node: cst.CSTNode) -> List[cst.BaseExpression]:
    """The tests of the `if`s around a call inside ``loop_node`` (in the call's function)."""
    found, inside = [], False
    for stmt, _ in site.ctx.stmt_path:
        if stmt is loop_node:
            inside = True
        elif inside and isinstance(stmt, cst.If):
            found.append(stmt.test)
    return found


def step_cadence(project: ProjectFacts, root) -> Optional[str]:
    """How often the scheduler at ``root`` is stepped (see the module docstring)."""
    steps = project.method_calls(root, "step")
    if not steps:
        return None
    cadences = set()
    for site, _ in steps:
        if site.node.args:
            return None  # `step(epoch)`, `step(metric)`: not a plain count
        loops = project.loops_running(site.ctx)
        batch_loops = [loop for loop in loops if loop.is_batch_loop]
        if batch_loops:
            inner = batch_loops[-1]
            if inner.record not in site.ctx.loops:
                return None  # stepped in a helper the batch loop calls: its tests are not read here
            conditions = [c for c in _conditions_inside(site, inner.node) if on_some_passes(c)]
            if conditions and all(_is_accumulation(c) for c in conditions) and len(conditions) == 1:
                cadences.add("accumulation")
            elif conditions:
                return None  # stepped on some batches only, by a test it cannot read
            else:
                cadences.add("batch")
        elif any(project.is_epoch_loop(loop) for loop in loops):
            epoch_loops = [loop for loop in loops if project.is_epoch_loop(loop)]
            inner = epoch_loops[-1]
            if inner.record in site.ctx.loops and any(on_some_passes(c) for c in _conditions_inside(site, inner.node)):
                return None  # `if epoch >= warmup:`: fewer steps than epochs
            cadences.add("epoch")
        else:
            return None
    return cadences.pop() if len(cadences) == 1 else None

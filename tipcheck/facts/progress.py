"""Conditions on how far training got: a test that may hold on some passes of a loop only.

`if epoch > 0:`, `if self.epoch >= self.warmup:`, `if ep % 2 == 0:`, `if global_step < warmup_steps:`
hold on some epochs or steps and not on others; `if scheduler:`, `if scheduler is not None:` or
`if phase == "train":` (a condition on what the loop iterates) hold on every pass or none. TIP402
reads them to tell a scheduler step that runs on later passes only; tipcheck.facts.schedule_units
to tell a step taken on some batches only.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from tipcheck.facts.walk import names_in, nodes_in

# Parts of a name that count passes: `epoch`, `start_epoch`, `global_step`, `iteration`, `batch_idx`,
# `warmup_steps`.
_COUNTING_WORDS = ("epoch", "iter", "step", "batch", "warm")
_ORDERING = (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)


def counts_passes(name: str, loop_var: Optional[str] = None) -> bool:
    """Whether a name counts epochs or steps (or is the loop's own variable)."""
    lowered = name.lower()
    return name == loop_var or any(word in lowered for word in _COUNTING_WORDS)


def compares_to_string(condition: cst.BaseExpression) -> bool:
    """`phase == "train"`: a condition on what the loop iterates, not on how far it got."""
    return isinstance(condition, cst.Comparison) and any(
        isinstance(part, (cst.SimpleString, cst.ConcatenatedString))
        for part in (condition.left, *(c.comparator for c in condition.comparisons))
    )


def on_some_passes(condition: cst.BaseExpression, loop_var: Optional[str] = None) -> bool:
    """Whether a condition may hold on some passes only (see the module docstring): it reads a
    count of passes, orders two values, or takes a remainder."""
    if compares_to_string(condition):
        return False
    if any(counts_passes(name, loop_var) for name in names_in(condition)):
        return True
    for node in nodes_in(condition):
        if isinstance(node, cst.Comparison) and any(isinstance(c.operator, _ORDERING) for c in node.comparisons):
            return True
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
            return True
    return False

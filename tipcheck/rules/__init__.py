"""The rule registry. Each rule is one module; its page is rules/CODE.md at the repository root."""

from __future__ import annotations

from typing import Dict, Iterable, List

from tipcheck.rules.base import Rule
from tipcheck.rules.tip001_unused_suppression import UnusedSuppression
from tipcheck.rules.tip101_model_not_on_device import ModelNotOnDevice
from tipcheck.rules.tip102_cuda_without_fallback import CudaWithoutFallback
from tipcheck.rules.tip103_batch_not_on_device import BatchNotOnDevice
from tipcheck.rules.tip201_deprecated_pretrained import DeprecatedPretrained
from tipcheck.rules.tip401_scheduler_never_stepped import SchedulerNeverStepped
from tipcheck.rules.tip402_scheduler_step_before_optimizer import SchedulerStepBeforeOptimizer
from tipcheck.rules.tip403_plateau_step_without_metric import PlateauStepWithoutMetric
from tipcheck.rules.tip404_per_batch_scheduler_stepped_per_epoch import PerBatchSchedulerSteppedPerEpoch
from tipcheck.rules.tip501_distributed_sampler_without_set_epoch import DistributedSamplerWithoutSetEpoch

ALL_RULES: List[Rule] = [
    UnusedSuppression(),
    ModelNotOnDevice(),
    CudaWithoutFallback(),
    BatchNotOnDevice(),
    DeprecatedPretrained(),
    SchedulerNeverStepped(),
    SchedulerStepBeforeOptimizer(),
    PlateauStepWithoutMetric(),
    PerBatchSchedulerSteppedPerEpoch(),
    DistributedSamplerWithoutSetEpoch(),
]

RULES_BY_CODE: Dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}


class SelectionError(ValueError):
    """An unknown code or prefix in --select/--ignore."""


def _matches(rule: Rule, selector: str) -> bool:
    return selector == "ALL" or rule.code.startswith(selector)


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> List[Rule]:
    """Rules enabled by code prefixes, as Ruff's --select/--ignore (the longer prefix wins)."""
    select = [s.strip().upper() for s in select if s.strip()] or ["ALL"]
    ignore = [s.strip().upper() for s in ignore if s.strip()]
    for selector in (*select, *ignore):
        if selector != "ALL" and not any(_matches(rule, selector) for rule in ALL_RULES):
            if not (selector.startswith("TIP") and selector[3:].isdigit() and len(selector) < 6):
                raise SelectionError(f"unknown rule selector `{selector}`")
    enabled = []
    for rule in ALL_RULES:
        best_select = max((len(s) for s in select if _matches(rule, s)), default=-1)
        best_ignore = max((len(s) for s in ignore if _matches(rule, s)), default=-1)
        if best_select >= 0 and best_select > best_ignore:
            enabled.append(rule)
    return enabled

"""The rule registry. Each rule is one module; its page is rules/CODE.md at the repository root."""

from __future__ import annotations

from typing import Dict, Iterable, List

from tipcheck.rules.base import Rule
from tipcheck.selection import SelectionError, select_codes  # noqa: F401 (SelectionError: raised here)
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


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> List[Rule]:
    """Rules enabled by code prefixes, as Ruff's --select/--ignore (tipcheck.selection)."""
    return [RULES_BY_CODE[code] for code in select_codes(list(RULES_BY_CODE), select, ignore)]

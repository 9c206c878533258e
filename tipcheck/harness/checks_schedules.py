"""Checks on the shape of a cosine schedule as the run walked it (TIP405).

A `CosineAnnealingLR` gives `eta_min + (base - eta_min) * (1 + cos(pi * t / T_max)) / 2` at step
`t`. From the LR each optimizer step used, `cosine_phases` recovers how far down the cosine each
step was (0: at the base LR, 1: at `eta_min`). How much of the cosine the run covered is the total
distance walked in that phase (1: once from top to bottom), and the restarts are the times the LR
turned back up. Registered in `tipcheck.harness.checks.CHECKS` when `tipcheck.harness.expectations` imports it.
Nothing here imports torch.
"""

from __future__ import annotations

import math
from typing import List, Optional, Tuple

from tipcheck.harness.checks import Context, _all, _rank, _scheduler, check
from tipcheck.harness.observables import step_lrs

COSINE = "CosineAnnealingLR"


def _eta_min(record: dict) -> float:
    if "eta_min" in record["kwargs"]:
        return float(record["kwargs"]["eta_min"])
    return float(record["args"][2]) if len(record["args"]) > 2 else 0.0


def cosine_phases(lrs: List[float], base: float, eta_min: float) -> List[float]:
    """How far down the cosine each LR is: 0 at `base`, 1 at `eta_min`."""
    span = base - eta_min
    phases = []
    for lr in lrs:
        x = max(-1.0, min(1.0, 2 * (lr - eta_min) / span - 1)) if span else 1.0
        phases.append(math.acos(x) / math.pi)
    return phases


def covered(phases: List[float]) -> float:
    """The distance walked along the cosine, in cosines (one top-to-bottom pass is 1)."""
    return sum(abs(b - a) for a, b in zip(phases, phases[1:])) + (phases[0] if phases else 0.0)


def restarts(lrs: List[float], tolerance: float = 1e-12) -> int:
    """How many times the LR turned back up after going down (or staying)."""
    count, rising = 0, False
    for a, b in zip(lrs, lrs[1:]):
        if b > a + tolerance * max(abs(a), 1.0):
            if not rising:
                count += 1
            rising = True
        elif b < a - tolerance * max(abs(a), 1.0):
            rising = False
    return count


def _cosine_runs(
    ctx: Context, scheduler: int, group: int
) -> List[Tuple[str, Optional[List[float]], Optional[str], float, float]]:
    """(where, the LRs of the scheduler's optimizer, why not, base LR, eta_min) for each rank."""
    runs = []
    for index, report in enumerate(_all(ctx)):
        where = _rank(report, index)
        record = _scheduler(report, scheduler)
        if record["class"] != COSINE:
            runs.append((where, None, f"scheduler #{scheduler} is a {record['class']}, not a {COSINE}", 0.0, 0.0))
            continue
        optimizer = record.get("optimizer")
        lrs = step_lrs(report, optimizer, group) if optimizer is not None else []
        if not lrs:
            runs.append((where, None, f"the optimizer of {record['class']} never stepped", 0.0, 0.0))
            continue
        runs.append((where, lrs, None, float(record["optimizer_lrs"][group]), _eta_min(record)))
    return runs


@check("cosine_fraction_covered")
def cosine_fraction_covered(
    ctx: Context, min: float = 0.0, max: float = math.inf, scheduler: int = 0, group: int = 0
) -> Tuple[bool, str]:
    """The LRs the optimizer of `CosineAnnealingLR` #`scheduler` trained with walked between `min`
    and `max` cosines (1: once from the base LR down to `eta_min`; 0.1: a tenth of the way;
    a cosine that goes back up counts its way up too)."""
    problems, seen = [], []
    for where, lrs, why, base, eta_min in _cosine_runs(ctx, scheduler, group):
        if lrs is None:
            problems.append(f"{where}{why}")
            continue
        walked = covered(cosine_phases(lrs, base, eta_min))
        text = f"{where}the LR covers {walked:.3g} of its cosine over {len(lrs)} steps"
        (seen if min <= walked <= max else problems).append(
            text if min <= walked <= max else f"{text}, not between {min:g} and {max:g}"
        )
    return not problems, "; ".join(problems) or "; ".join(seen)


@check("cosine_restarts")
def cosine_restarts(ctx: Context, n: int = 0, scheduler: int = 0, group: int = 0) -> Tuple[bool, str]:
    """The LRs the optimizer of `CosineAnnealingLR` #`scheduler` trained with turned back up
    exactly `n` times (0: one cosine, never restarted)."""
    problems, seen = [], []
    for where, lrs, why, _, _ in _cosine_runs(ctx, scheduler, group):
        if lrs is None:
            problems.append(f"{where}{why}")
            continue
        found = restarts(lrs)
        text = f"{where}the LR turned back up {found} time(s) over {len(lrs)} steps"
        (seen if found == n else problems).append(text if found == n else f"{text}, not {n}")
    return not problems, "; ".join(problems) or "; ".join(seen)

"""Checks about what each rank of a distributed run ended up with: the CUDA device a bare `cuda`
means there (TIP502) and a command-line option such as `local_rank` (TIP503). Registered in the
vocabulary of `tipcheck.harness.checks` (imported at its end). Nothing here imports torch."""

from __future__ import annotations

from typing import Any, List, Tuple, Union

from tipcheck.harness.checks import Context, _all, _rank, check


def _local_rank(ctx: Context, report: dict, index: int) -> int:
    rank = report.get("rank")
    rank = index if rank is None else rank
    return rank % max(1, ctx.env.nproc) if ctx.env.distributed else rank


def _wanted(ctx: Context, report: dict, index: int, expected: Union[str, int, None]) -> Any:
    return _local_rank(ctx, report, index) if expected == "rank" else expected


@check("cuda_device_per_rank")
def cuda_device_per_rank(ctx: Context, expected: Union[str, int] = "rank") -> Tuple[bool, str]:
    """Each process's CUDA device (the last index it gave `torch.cuda.set_device`, 0 if none: where
    a bare `cuda` goes) is its local rank (`expected="rank"`), or `expected` (an index) on every
    process. On a CPU-only machine the index is recorded and not used (the 1-GPU stand-in)."""
    reports = _all(ctx)
    problems, seen = [], []
    for index, report in enumerate(reports):
        got = report.get("cuda_device", 0)
        want = _wanted(ctx, report, index, expected)
        calls = report.get("cuda_set_device") or []
        how = f"set_device{tuple(calls)}" if calls else "no set_device"
        seen.append(f"{_rank(report, index)}device {got} ({how})")
        if got != want:
            problems.append(f"{_rank(report, index)}device {got} ({how}), not {want}")
    return not problems, "; ".join(problems) or "; ".join(seen)


def _option(report: dict, name: str) -> List[Any]:
    return [namespace[name] for namespace in report.get("parsed_args") or [] if name in namespace]


@check("option_per_rank")
def option_per_rank(
    ctx: Context, name: str = "local_rank", expected: Union[str, int, None] = "rank"
) -> Tuple[bool, str]:
    """The value of the command-line option `name` (its `dest`) the script's last `parse_args` gave
    each process is its local rank (`expected="rank"`; under the harness RANK and LOCAL_RANK are set
    as torchrun sets them, and no option is passed), or `expected` on every process. Fails where
    the script parsed no such option."""
    reports = _all(ctx)
    problems, seen = [], []
    for index, report in enumerate(reports):
        values = _option(report, name)
        where = _rank(report, index)
        if not values:
            problems.append(f"{where}no `{name}` was parsed")
            continue
        want = _wanted(ctx, report, index, expected)
        seen.append(f"{where}{name}={values[-1]!r}")
        if values[-1] != want:
            problems.append(f"{where}{name}={values[-1]!r}, not {want!r}")
    return not problems, "; ".join(problems) or "; ".join(seen)

"""The checks an expectation file names (the vocabulary), and what a check sees.

`CHECKS` maps each check's name to its function (registered with `@check`); a check takes a
`Context` (the reports of the phase it checks, the original's reports, the `Environment`) and its
parameters, and returns `(ok, detail)`. `help_text()` lists them with their parameters. The
expectation files that name them are read and evaluated by `tipcheck.harness.expectations`.
Nothing here imports torch, libcst or click.
"""

from __future__ import annotations

import inspect
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from tipcheck.harness.errors import ExpectationError
from tipcheck.harness.observables import (
    loader_passes,
    loader_record,
    loader_shard_problems,
    sampler_orders,
    sampler_problems,
    step_lrs,
)

PRETEND_CUDA = "pretend-cuda"


@dataclass(frozen=True)
class Environment:
    """Where a pair of runs happens: `cpu`, `cuda`, `gloo×N`, `nccl×N`, `pretend-cuda`."""

    device: str  # "cpu" or "cuda"
    nproc: int = 1
    distributed: bool = False
    pretend: bool = False  # cuda played on the CPU (tipcheck.harness.pretend_cuda); gloo when distributed

    @property
    def backend(self) -> Optional[str]:
        if not self.distributed:
            return None
        return "nccl" if self.device == "cuda" and not self.pretend else "gloo"

    @property
    def name(self) -> str:
        if self.pretend:
            return f"{PRETEND_CUDA}×{self.nproc}" if self.distributed else PRETEND_CUDA
        return f"{self.backend}×{self.nproc}" if self.distributed else self.device

    def expected_device(self, local_rank: int = 0) -> str:
        """Where a script that follows the device idiom puts its model and batches here."""
        return f"cuda:{local_rank}" if self.device == "cuda" else "cpu"


@dataclass
class Context:
    """What a check sees: the reports of the phase it checks (None for a rank that left none),
    the reports of the original's run (for the checks that compare), and the environment."""

    phase: str
    reports: List[Optional[dict]]
    before: List[Optional[dict]]
    env: Environment
    errors: List[str] = field(default_factory=list)  # why ranks left no report


# -- the vocabulary ---------------------------------------------------------------------------------

CHECKS: Dict[str, Callable[..., Tuple[bool, str]]] = {}
AFTER_ONLY = set()


def check(name: str, after_only: bool = False):
    def register(func):
        CHECKS[name] = func
        if after_only:
            AFTER_ONLY.add(name)
        return func

    return register


class _Missing(Exception):
    pass


def _all(ctx: Context) -> List[dict]:
    """Every rank's report; raises _Missing if a rank left none."""
    if not ctx.reports or any(r is None for r in ctx.reports):
        raise _Missing("; ".join(ctx.errors) or "a process left no report")
    return list(ctx.reports)


def _rank(report: dict, index: int) -> str:
    rank = report.get("rank")
    return f"rank {rank}: " if rank is not None else ("" if index == 0 else f"process {index}: ")


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def _short(values: Sequence[Any], limit: int = 8) -> str:
    shown = ", ".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in list(values)[:limit])
    return f"[{shown}{', ...' if len(values) > limit else ''}] ({len(values)})"


@check("exit_ok")
def exit_ok(ctx: Context) -> Tuple[bool, str]:
    """Every process exited 0 and raised nothing."""
    problems = []
    for index, report in enumerate(_all(ctx)):
        if report["exception"]:
            exc = report["exception"]
            problems.append(f"{_rank(report, index)}{exc['type']}: {exc['message'][:300]}")
        elif report["exit"] != 0:
            problems.append(f"{_rank(report, index)}exit code {report['exit']}")
    return not problems, "; ".join(problems) or "exit 0 on every process"


@check("crash_matching")
def crash_matching(ctx: Context, pattern: str) -> Tuple[bool, str]:
    """A process failed (an exception, or a non-zero exit) and its exception, `Type: message`
    (or, without one, the end of its stderr), matches the regular expression `pattern`. The type is
    the exception's class, qualified by its module except for builtins (`ValueError`,
    `_pickle.PicklingError`): `^ValueError:` asks for that type (and not a message that names it)."""
    seen = []
    for index, report in enumerate(ctx.reports):
        if report is None:
            continue
        if report["exception"]:
            text = f"{report['exception']['type']}: {report['exception']['message']}"
        elif report["exit"] != 0:
            text = report.get("stderr_tail") or f"exit code {report['exit']}"
        else:
            continue
        if re.search(pattern, text):
            return True, f"{_rank(report, index)}{text.strip()[:300]}"
        seen.append(f"{_rank(report, index)}{text.strip()[:200]}")
    if not seen and ctx.errors:
        return False, "; ".join(ctx.errors)
    return False, ("crashed otherwise: " + "; ".join(seen)) if seen else "no process crashed"


@check("loss_finite")
def loss_finite(ctx: Context) -> Tuple[bool, str]:
    """A scalar loss was backpropagated, and every one was finite (on every process)."""
    problems, last = [], []
    for index, report in enumerate(_all(ctx)):
        if report["loss"] is None:
            problems.append(f"{_rank(report, index)}no scalar loss was backpropagated")
        elif not (report["loss_all_finite"] and math.isfinite(report["loss"])):
            problems.append(f"{_rank(report, index)}a loss was not finite (last {report['loss']})")
        else:
            last.append(f"{report['loss']:.4g}")
    return not problems, "; ".join(problems) or f"final loss {', '.join(last)}"


@check("loss_decreasing")
def loss_decreasing(ctx: Context, factor: float = 1.0) -> Tuple[bool, str]:
    """On every process, the mean loss of the last epoch (DataLoader iteration) is below `factor`
    times the mean loss of the first."""
    problems, seen = [], []
    for index, report in enumerate(_all(ctx)):
        epochs = [e for e in report.get("loss_epochs", []) if e.get("mean") is not None]
        if len(epochs) < 2:
            problems.append(f"{_rank(report, index)}losses in {len(epochs)} epoch(s): need 2")
            continue
        first, last = epochs[0]["mean"], epochs[-1]["mean"]
        seen.append(f"{first:.4g} -> {last:.4g}")
        if not last < factor * first:
            problems.append(f"{_rank(report, index)}mean loss {first:.4g} in the first epoch, {last:.4g} in the last")
    return not problems, "; ".join(problems) or f"mean loss first -> last epoch: {', '.join(seen)}"


def _lr_series(report: dict, optimizer: int, group: int) -> List[float]:
    return step_lrs(report, optimizer, group)


@check("lr_constant")
def lr_constant(ctx: Context, optimizer: int = 0, group: int = 0, value: Optional[float] = None) -> Tuple[bool, str]:
    """The optimizer stepped, always at one LR (that `value`, if given)."""
    problems, seen = [], []
    for index, report in enumerate(_all(ctx)):
        lrs = _lr_series(report, optimizer, group)
        if not lrs:
            problems.append(f"{_rank(report, index)}optimizer #{optimizer} never stepped")
            continue
        distinct = sorted(set(lrs))
        if not all(_close(v, lrs[0]) for v in lrs):
            problems.append(f"{_rank(report, index)}the LR took {len(distinct)} values: {_short(distinct)}")
        elif value is not None and not _close(lrs[0], value):
            problems.append(f"{_rank(report, index)}the LR was {lrs[0]:.6g}, not {value:.6g}")
        else:
            seen.append(f"{lrs[0]:.6g} over {len(lrs)} steps")
    return not problems, "; ".join(problems) or f"constant LR: {', '.join(seen)}"


def _scheduler(report: dict, scheduler: int) -> dict:
    if len(report["schedulers"]) <= scheduler:
        raise _Missing(f"no scheduler #{scheduler} was built ({len(report['schedulers'])} were)")
    return report["schedulers"][scheduler]


@check("lr_follows_scheduler")
def lr_follows_scheduler(
    ctx: Context,
    per: str = "epoch",
    skip: int = 0,
    scheduler: int = 0,
    optimizer: Optional[int] = None,
    group: int = 0,
) -> Tuple[bool, str]:
    """The LR the optimizer trained with is the schedule of scheduler #`scheduler` (what the same
    class and arguments give stepped alone, recorded by the instrumentation), `skip` values ahead:
    with `per: "batch"` one value per optimizer step; with `per: "epoch"` one per epoch (DataLoader
    iteration), constant over its steps. Fails too if the schedule does not move over the run
    (the check could not tell a stepped scheduler from a forgotten one)."""
    if per not in ("batch", "epoch"):
        raise ExpectationError(f"lr_follows_scheduler: per must be 'batch' or 'epoch', not {per!r}")
    problems, seen = [], []
    for index, report in enumerate(_all(ctx)):
        where = _rank(report, index)
        record = _scheduler(report, scheduler)
        reference = record.get("reference_lrs")
        if reference is None:
            problems.append(
                f"{where}the schedule of {record['class']} could not be replayed: {record.get('reference_error')}"
            )
            continue
        reference = [values[group] for values in reference]
        opt = record.get("optimizer") if optimizer is None else optimizer
        if opt is None:
            problems.append(f"{where}the optimizer of {record['class']} never stepped")
            continue
        if per == "batch":
            actual = _lr_series(report, opt, group)
        else:
            by_iter: Dict[int, List[float]] = {}
            for entry in report["lr"]:
                if entry["optimizer"] == opt:
                    by_iter.setdefault(entry["loader_iter"], []).append(entry["lrs"][group])
            varying = [k for k, lrs in by_iter.items() if not all(_close(v, lrs[0]) for v in lrs)]
            if varying:
                problems.append(f"{where}the LR changed within epoch(s) {sorted(varying)[:5]}")
                continue
            actual = [by_iter[k][0] for k in sorted(by_iter)]
        if not actual:
            problems.append(f"{where}the optimizer never stepped")
            continue
        expected = reference[skip : skip + len(actual)]
        if len(expected) < len(actual):
            problems.append(
                f"{where}{len(actual)} {per} LRs, the schedule has {len(reference) - skip} from value {skip}"
            )
            continue
        if all(_close(v, expected[0]) for v in expected):
            problems.append(
                f"{where}the schedule does not move over these {len(expected)} {per + ('es' if per == 'batch' else 's')}: it cannot tell"
            )
            continue
        mismatch = next((i for i, (a, e) in enumerate(zip(actual, expected)) if not _close(a, e)), None)
        if mismatch is not None:
            problems.append(
                f"{where}{per} {mismatch}: LR {actual[mismatch]:.6g}, the schedule gives {expected[mismatch]:.6g}; "
                f"LRs {_short(actual)} vs schedule {_short(expected)}"
            )
        else:
            seen.append(f"{record['class']} per {per}: {_short(actual)}")
    return not problems, "; ".join(problems) or "; ".join(seen)


@check("warning_matching")
def warning_matching(ctx: Context, pattern: str, category: Optional[str] = None) -> Tuple[bool, str]:
    """Some process showed a warning whose message matches the regular expression `pattern` (and
    whose class is named `category`, if given)."""
    for index, report in enumerate(_all(ctx)):
        for w in report["warnings"]:
            if re.search(pattern, w["message"]) and (category is None or w["category"] == category):
                return True, f"{_rank(report, index)}{w['category']}: {w['message'][:200]}"
    return False, "no such warning"


@check("no_warning_matching")
def no_warning_matching(ctx: Context, pattern: str, category: Optional[str] = None) -> Tuple[bool, str]:
    """No process showed a warning matching `pattern` (and `category`, if given)."""
    ok, detail = warning_matching(ctx, pattern, category)
    return (not ok), ("no such warning" if not ok else f"shown: {detail}")


@check("sampler_same_order_every_epoch")
def sampler_same_order_every_epoch(ctx: Context, sampler: int = 0, min_epochs: int = 2) -> Tuple[bool, str]:
    """On every rank, DistributedSampler #`sampler` yielded one and the same index order in every
    epoch, over `min_epochs` epochs or more."""
    reports = _all(ctx)
    orders = sampler_orders(reports, sampler)
    if len(orders) != len(reports):
        return False, f"{len(orders)} of {len(reports)} processes built DistributedSampler #{sampler}"
    problems = []
    for rank, epochs in sorted(orders.items(), key=lambda kv: str(kv[0])):
        if len(epochs) < min_epochs:
            problems.append(f"rank {rank}: {len(epochs)} epochs, need {min_epochs}")
        changed = [i for i in range(1, len(epochs)) if epochs[i] != epochs[0]]
        if changed:
            problems.append(f"rank {rank}: epoch {changed[0]} has another order than epoch 0")
    counts = {rank: len(e) for rank, e in orders.items()}
    return not problems, "; ".join(problems) or f"each rank repeats its order; epochs per rank {counts}"


@check("sampler_reshuffled_disjoint_covering")
def sampler_reshuffled_disjoint_covering(ctx: Context, sampler: int = 0) -> Tuple[bool, str]:
    """DistributedSampler #`sampler` gave each rank another order every epoch (two or more), and in
    each epoch the ranks' indices were disjoint (when the dataset divides evenly) and covered the
    dataset."""
    reports = _all(ctx)
    problems = sampler_problems(reports, sampler)
    if problems:
        return False, "; ".join(problems[:6]) + (f" (+{len(problems) - 6} more)" if len(problems) > 6 else "")
    orders = sampler_orders(reports, sampler)
    return True, f"{len(orders)} ranks, {min(len(e) for e in orders.values())} epochs: reshuffled, disjoint, covering"


def _loader_passes(ctx: Context, loader: int) -> List[Tuple[str, dict, List[List[int]]]]:
    """(where, record, complete passes) of DataLoader #`loader` on every process; raises _Missing
    where a process iterated no such loader."""
    out = []
    for index, report in enumerate(_all(ctx)):
        record = loader_record(report, loader)
        if record is None:
            count = len(report.get("loader_epochs") or [])
            raise _Missing(f"{_rank(report, index)}no DataLoader #{loader} was iterated ({count} were)")
        out.append((_rank(report, index), record, loader_passes(report, loader)))
    return out


@check("loader_same_order_every_epoch")
def loader_same_order_every_epoch(ctx: Context, loader: int = 0, min_epochs: int = 2) -> Tuple[bool, str]:
    """On every process, DataLoader #`loader` (numbered in order of first pass) drew one and the
    same index order in each of its passes (`__iter__` calls), over `min_epochs` complete passes or
    more (a pass left early, or a `next(iter(loader))`, is not counted)."""
    problems, seen = [], []
    for where, record, passes in _loader_passes(ctx, loader):
        if len(passes) < min_epochs:
            problems.append(f"{where}{len(passes)} complete pass(es), need {min_epochs}")
        changed = [i for i in range(1, len(passes)) if passes[i] != passes[0]]
        if changed:
            problems.append(f"{where}pass {changed[0]} drew another order than pass 0")
        seen.append(f"{len(passes)} passes of {len(passes[0]) if passes else 0} ({record['sampler']})")
    return not problems, "; ".join(problems) or f"one order every pass: {', '.join(seen)}"


@check("loader_reshuffled")
def loader_reshuffled(ctx: Context, loader: int = 0) -> Tuple[bool, str]:
    """On every process, DataLoader #`loader` made two complete passes or more, and each drew
    another index order than the pass before it."""
    problems, seen = [], []
    for where, record, passes in _loader_passes(ctx, loader):
        if len(passes) < 2:
            problems.append(f"{where}{len(passes)} complete pass(es), need 2")
        repeated = [i for i in range(1, len(passes)) if passes[i] == passes[i - 1]]
        if repeated:
            problems.append(
                f"{where}pass {repeated[0]} repeats the order of pass {repeated[0] - 1} ({record['sampler']})"
            )
        seen.append(f"{len(passes)} passes ({record['sampler']})")
    return not problems, "; ".join(problems) or f"a new order every pass: {', '.join(seen)}"


@check("ranks_each_cover_dataset")
def ranks_each_cover_dataset(ctx: Context, loader: int = 0) -> Tuple[bool, str]:
    """On every process (rank), the first complete pass of DataLoader #`loader` drew every index of
    its dataset: each rank trains on the whole dataset (what a loader without DistributedSampler
    does under torch.distributed)."""
    problems = []
    entries = _loader_passes(ctx, loader)
    for where, record, passes in entries:
        length = record["dataset_len"]
        if length is None:
            problems.append(f"{where}the dataset has no length")
        elif not passes:
            problems.append(f"{where}no complete pass")
        elif not set(range(length)) <= set(passes[0]):
            problems.append(f"{where}the first pass drew {len(set(passes[0]))} of {length} indices")
    done = f"{len(entries)} process(es) each drew all {entries[0][1]['dataset_len']}"
    return not problems, "; ".join(problems) or done


@check("ranks_disjoint_covering")
def ranks_disjoint_covering(ctx: Context, loader: int = 0) -> Tuple[bool, str]:
    """In each complete pass of DataLoader #`loader` the ranks drew disjoint indices that together
    cover its dataset: shards, as DistributedSampler gives (its padding is allowed: when the length
    does not divide by the number of ranks, up to ranks - length % ranks indices repeat). Every
    rank must have the same number of passes, one or more."""
    entries = _loader_passes(ctx, loader)
    problems = loader_shard_problems(_all(ctx), loader)
    if problems:
        return False, "; ".join(problems[:6]) + (f" (+{len(problems) - 6} more)" if len(problems) > 6 else "")
    counts = min(len(passes) for _, _, passes in entries)
    return True, f"{len(entries)} ranks, {counts} pass(es): disjoint shards covering {entries[0][1]['dataset_len']}"


@check("loader_workers")
def loader_workers(ctx: Context, loader: int = 0, start_method: Optional[str] = None) -> Tuple[bool, str]:
    """On every process, DataLoader #`loader` loaded its data in worker processes (num_workers > 0)
    and finished a pass; started by `start_method` (`spawn`, `forkserver`, `fork`), if given."""
    problems, seen = [], []
    for where, record, passes in _loader_passes(ctx, loader):
        method = record.get("start_method")
        if not record["num_workers"]:
            problems.append(f"{where}num_workers=0: the data was loaded in the main process")
        elif start_method is not None and method != start_method:
            problems.append(f"{where}the workers started by {method}, not {start_method}")
        elif not passes:
            problems.append(f"{where}no complete pass")
        else:
            seen.append(f"{record['num_workers']} workers ({method})")
    return not problems, "; ".join(problems) or ", ".join(seen)


@check("params_and_inputs_on_device")
def params_and_inputs_on_device(ctx: Context, expected: Optional[str] = None) -> Tuple[bool, str]:
    """At every top-level module call (the model's, the loss module's: calls nested in another
    module are not counted), the module's parameters and the tensors among its inputs were all on
    the environment's device (`cuda:LOCAL_RANK` on cuda, `cpu` on cpu), or on `expected` if given.
    Fails if no module was called."""
    problems, seen = [], []
    for index, report in enumerate(_all(ctx)):
        local = report.get("rank") or 0
        if ctx.env.distributed and ctx.env.device == "cuda":
            local = local % max(1, ctx.env.nproc)
        want = expected or ctx.env.expected_device(local)
        where = _rank(report, index)
        entries = report.get("forward", [])
        if not entries:
            problems.append(f"{where}no module was called")
            continue
        for entry in entries:
            wrong = sorted(set(entry["params"] + entry["inputs"]) - {want})
            if wrong:
                name = entry["module"].rsplit(".", 1)[-1]
                problems.append(
                    f"{where}{name} (call {entry['first_call']}): parameters on {entry['params'] or '-'}, "
                    f"inputs on {entry['inputs'] or '-'}, not {want}"
                )
                break
        else:
            seen.append(f"{report.get('forward_calls')} calls on {want}")
    return not problems, "; ".join(problems) or "; ".join(seen)


@check("globals_on_device")
def globals_on_device(ctx: Context, names: Sequence[str], expected: Optional[str] = None) -> Tuple[bool, str]:
    """When the script ended, each of its module-level variables `names` (a tensor, or a module:
    its parameters) was on the environment's device (or `expected`)."""
    problems, seen = [], []
    for index, report in enumerate(_all(ctx)):
        want = expected or ctx.env.expected_device(0)
        where = _rank(report, index)
        recorded = report.get("globals") or {}
        for name in names:
            devices = recorded.get(name)
            if devices is None:
                problems.append(f"{where}`{name}` is no tensor or module at the end of the script")
            elif set(devices) != {want}:
                problems.append(f"{where}`{name}` on {devices}, not {want}")
            else:
                seen.append(f"`{name}` on {want}")
    return not problems, "; ".join(problems) or ", ".join(seen)


def _loaded(report: dict) -> List[str]:
    return [w["member"] for w in report.get("weights", [])]


@check("weights_member")
def weights_member(ctx: Context, member: Optional[str], builder: Optional[str] = None) -> Tuple[bool, str]:
    """The torchvision weights loaded (the members whose state dict a builder asked for) are
    exactly `member` (e.g. "ResNet18_Weights.IMAGENET1K_V1"), by `builder` if given; `member`
    null: no weights were loaded."""
    problems, seen = [], []
    for index, report in enumerate(_all(ctx)):
        loaded = _loaded(report)
        want = [] if member is None else [member]
        if loaded != want:
            problems.append(f"{_rank(report, index)}weights loaded: {loaded or 'none'}, expected {want or 'none'}")
            continue
        if builder is not None and any(w.get("builder") != builder for w in report["weights"]):
            problems.append(
                f"{_rank(report, index)}built by {[w.get('builder') for w in report['weights']]}, not {builder}"
            )
            continue
        seen.append(", ".join(f"{w['member']} (by {w.get('builder')})" for w in report["weights"]) or "none")
    return not problems, "; ".join(problems) or "; ".join(seen)


@check("same_weights_as_original", after_only=True)
def same_weights_as_original(ctx: Context) -> Tuple[bool, str]:
    """The fixed script loaded the same torchvision weights members, in the same order, as the
    original did (and some)."""
    after = _all(ctx)
    before = ctx.before
    if not before or any(r is None for r in before):
        return False, "the original's run left no report"
    problems = []
    for index, (b, a) in enumerate(zip(before, after)):
        if not _loaded(b):
            problems.append(f"{_rank(b, index)}the original loaded no weights")
        elif _loaded(a) != _loaded(b):
            problems.append(f"{_rank(a, index)}{_loaded(a) or 'none'} after, {_loaded(b)} before")
    return not problems, "; ".join(problems) or f"same weights: {_loaded(after[0])}"


@check("dist_backend")
def dist_backend(ctx: Context, backend: Optional[str] = None) -> Tuple[bool, str]:
    """Every process initialised a process group of the environment's size with the environment's
    backend (gloo on cpu, nccl on cuda; or `backend`). The harness asks for it through
    TIPCHECK_DIST_BACKEND: a script that hardcodes its backend fails here on the other one."""
    reports = _all(ctx)
    want = backend or ctx.env.backend
    problems = []
    for index, report in enumerate(reports):
        if report.get("dist_backend") is None:
            problems.append(f"{_rank(report, index)}no process group was initialised")
        elif want is not None and report["dist_backend"] != want:
            problems.append(
                f"{_rank(report, index)}initialised {report['dist_backend']}, not {want} "
                "(does the script read TIPCHECK_DIST_BACKEND?)"
            )
        elif ctx.env.distributed and report.get("world_size") != ctx.env.nproc:
            problems.append(f"{_rank(report, index)}world size {report.get('world_size')}, not {ctx.env.nproc}")
    return not problems, "; ".join(problems) or f"{want or reports[0]['dist_backend']} on {len(reports)} processes"


def help_text() -> str:
    """The vocabulary, one paragraph per check, with its parameters."""
    out = []
    for name, func in CHECKS.items():
        params = [p for p in inspect.signature(func).parameters.values()][1:]
        shown = ", ".join(p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}" for p in params)
        doc = " ".join((func.__doc__ or "").split())
        out.append(f"{name}({shown}){' [after only]' if name in AFTER_ONLY else ''}\n    {doc}")
    return "\n".join(out)

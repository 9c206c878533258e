"""What each fix promises, judged on the two short runs of `tipcheck verify` (the original's
reports and the fixed copy's, one per rank), and what must not change.

`judge(code, before, after, env)` gives, for one rule's fix: the promise in words, what the
original did and what the fixed copy did (short summaries of the observable: the LR per step, the
sampler or loader order per epoch and rank, the devices at each forward, the weights loaded, the
warning, the exception, each rank's `local_rank`, the process group left alive at exit), and a
verdict: `kept`, `broken`, or `not shown` (this run cannot show it: one process where it takes
several, one epoch where it takes two, a schedule that does not move in so few steps, the CPU
where the promise is about CUDA, a run verify stopped before the script's end), with the detail.
`env` is a `Runs`: the harness's Environment and the script's own arguments.

`unchanged(before, after, fixed_codes, tolerance)` checks the rest: no new exception, the loss of
the first step (to a relative `tolerance`), the number of optimizer steps, no new warning, and the
LR per step and the weights loaded where no fixed rule is about them. A fix that is expected to
change one of them (a new data order changes the first batch) leaves that check out, saying why.

The checks of the harness (tipcheck.harness.checks) do the judging where they fit. Nothing here
imports torch.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from tipcheck.harness import checks_ranks, checks_saves  # noqa: F401 (register their checks in CHECKS)
from tipcheck.harness.checks import CHECKS, Context, Environment
from tipcheck.harness.observables import sampler_orders, step_lrs

KEPT, BROKEN, NOT_SHOWN = "kept", "broken", "not shown"
#: The command-line options that TIP503 gives a LOCAL_RANK default.
LOCAL_RANK_OPTIONS = ("--local_rank", "--local-rank")
SCHEDULER_WARNING = r"lr_scheduler\.step\(\)` before `optimizer\.step\(\)"
PRETRAINED_WARNING = r"deprecated since 0\.13|'pretrained' is deprecated|Arguments other than a weight enum"
#: Fixes whose job is to remove a crash: the original may fail where they apply.
SAME_DEVICE = r"Expected all tensors to be on the same device"
CRASH_FIXES = {
    "TIP101": SAME_DEVICE,
    "TIP102": r"CUDA|cuda|NVIDIA",
    "TIP103": SAME_DEVICE,
    "TIP301": r"ValueError",
    "TIP403": r"TypeError",
    "TIP304": r"[Pp]ickl|Can't get local object|AttributeError",
    # Every rank with the option's default: -1 (a negative device) or 0 (one GPU for all, NCCL).
    "TIP503": r"Device index must not be negative|Duplicate GPU detected|invalid device ordinal",
}
#: Checks of `unchanged` each rule's fix is expected to change.
EXPECTED_CHANGES = {
    "first-step loss": {"TIP302": "a new data order", "TIP303": "each rank's own shard", "TIP305": "workers' own RNG"},
    "optimizer steps": {"TIP303": "each rank's own shard"},
    "LR per step": {c: "the schedule" for c in ("TIP401", "TIP402", "TIP404")},
    "weights loaded": {"TIP201": "the weights enum"},
}


@dataclass(frozen=True)
class Runs(Environment):
    """Where the two runs happened (the harness's Environment) and the script's own arguments."""

    args: Tuple[str, ...] = ()


def _reports(reports: Sequence[Optional[dict]]) -> List[dict]:
    return [r for r in reports if r is not None]


def _check(check: str, reports, before, env: Environment, **params) -> Tuple[Optional[bool], str]:
    ctx = Context("after", list(reports), list(before), env)
    try:
        return CHECKS[check](ctx, **params)
    except Exception as exc:  # a check that cannot run here: the run did not show it
        return None, str(exc)


def _exception(report: Optional[dict]) -> Optional[str]:
    if report is None:
        return "no report"
    exc = report.get("exception")
    return (
        f"{exc['type']}: {exc['message'].strip().splitlines()[0][:160] if exc['message'].strip() else ''}"
        if exc
        else None
    )


def _exceptions(reports) -> List[str]:
    return [e for e in map(_exception, reports) if e]


def _short(values: Sequence[Any], limit: int = 6) -> str:
    shown = ", ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in list(values)[:limit])
    return f"[{shown}{', ...' if len(values) > limit else ''}]"


def _runs_of(values: Sequence[float]) -> List[Tuple[float, int]]:
    """Consecutive equal values as (value, count)."""
    runs: List[Tuple[float, int]] = []
    for value in values:
        if runs and math.isclose(runs[-1][0], value, rel_tol=1e-9, abs_tol=1e-15):
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((value, 1))
    return runs


def _lrs(reports) -> str:
    """The LR per step, as runs of one value (`0.001 x12, 0.0001 x4`: where a schedule moves shows)
    when there are few, else its first values."""
    reports = _reports(reports)
    if not reports:
        return "no run"
    lrs = step_lrs(reports[0])
    if not lrs:
        return "no optimizer step"
    runs = _runs_of(lrs)
    if len(runs) <= 4:
        return "LR " + ", ".join(f"{value:.4g} x{count}" for value, count in runs) + f" ({len(lrs)} steps)"
    return f"LR {_short(lrs)} over {len(lrs)} steps"


def _result(verdict: Optional[bool], detail: str, cannot: Sequence[str] = ()) -> Tuple[str, str]:
    if verdict is None or any(re.search(p, detail) for p in cannot):
        return NOT_SHOWN, detail
    return (KEPT if verdict else BROKEN), detail


# -- the promises, per rule -------------------------------------------------------------------------

CANNOT_TELL = (r"cannot tell", r"never stepped", r"no scheduler #", r"could not be replayed")


def _schedule(after, before, env, pers=("batch", "epoch"), classes=None) -> Tuple[str, str]:
    reports = _reports(after)
    if not reports or not reports[0]["schedulers"]:
        return NOT_SHOWN, "no LR scheduler was built in the short run"
    details = []
    verdicts = []
    for index, record in enumerate(reports[0]["schedulers"]):
        if classes and record["class"] not in classes:
            continue
        for per in pers:
            ok, detail = _check("lr_follows_scheduler", after, before, env, per=per, scheduler=index)
            if ok:
                return KEPT, detail
            verdicts.append(_result(ok, detail, CANNOT_TELL)[0])
            details.append(detail)
    if verdicts and all(v == NOT_SHOWN for v in verdicts):
        return NOT_SHOWN, details[0] + " (more --epochs or --batches may show it)"
    return BROKEN, "; ".join(details[:2]) or "no matching scheduler"


def _tip401(before, after, env):
    return _schedule(after, before, env)


def _tip402(before, after, env):
    was, _ = _check("warning_matching", before, before, env, pattern=SCHEDULER_WARNING)
    gone, detail = _check("no_warning_matching", after, before, env, pattern=SCHEDULER_WARNING)
    if not gone:
        return BROKEN, f"still warns: {detail}"
    verdict, schedule = _schedule(after, before, env)
    if verdict == BROKEN:
        return BROKEN, schedule
    if verdict == NOT_SHOWN and not was:
        return NOT_SHOWN, "the original did not warn in the short run; " + schedule
    if verdict == NOT_SHOWN and not any(r["lr"] for r in _reports(after)):
        return NOT_SHOWN, "the fixed copy made no optimizer step: " + schedule
    return KEPT, f"{'the warning is gone; ' if was else ''}{schedule}"


def _tip404(before, after, env):
    return _schedule(after, before, env, pers=("batch",), classes={"OneCycleLR", "CyclicLR"})


def _sampler_summary(reports) -> str:
    orders = sampler_orders(_reports(reports))
    if not orders:
        return "no DistributedSampler"
    parts = []
    for rank, epochs in sorted(orders.items(), key=lambda kv: str(kv[0])):
        same = len(epochs) >= 2 and all(e == epochs[0] for e in epochs)
        head = _short(epochs[0], 4) if epochs else "[]"
        parts.append(f"rank {rank}: {len(epochs)} epochs, {'same order' if same else 'new order each'} {head}")
    return "; ".join(parts)


def _tip501(before, after, env):
    if not sampler_orders(_reports(after)):
        return NOT_SHOWN, "no DistributedSampler was iterated (a distributed run needs --nproc 2)"
    ok, detail = _check("sampler_reshuffled_disjoint_covering", after, before, env)
    return _result(ok, detail, (r"need the same number, at least 2",))


def _tip303(before, after, env):
    if env.nproc < 2:
        return NOT_SHOWN, "one process: shards need --nproc 2 or more"
    orders = sampler_orders(_reports(after))
    if not orders:
        return BROKEN, "no DistributedSampler on the ranks of the fixed copy"
    firsts = [set(epochs[0]) for epochs in orders.values() if epochs]
    overlap = set.intersection(*firsts) if len(firsts) > 1 else set()
    length = _reports(after)[0]["sampler_epochs"][0].get("dataset_len") or 0
    if overlap and length % env.nproc == 0:
        return BROKEN, f"the ranks' first-epoch shards share {len(overlap)} indices"
    return KEPT, f"{len(orders)} ranks draw their own shards of {length}"


def _training_loaders(report: dict) -> List[dict]:
    """The loaders of this run whose passes fed an optimizer step."""
    iters = {entry["loader_iter"] for entry in report["lr"]}
    return [r for r in report.get("loader_epochs") or [] if iters & set(r["loader_iters"])]


def _loader_summary(reports) -> str:
    reports = _reports(reports)
    if not reports:
        return "no run"
    parts = []
    for record in _training_loaders(reports[0]):
        passes = [p for p in record["epochs"] if p]
        same = len(passes) >= 2 and all(p == passes[0][: len(p)] or passes[0] == p[: len(passes[0])] for p in passes)
        parts.append(
            f"loader {record['loader']}: {len(passes)} epochs, {'same order' if same else 'new order each'}"
            f" {_short(passes[0], 4) if passes else '[]'}, workers {record['num_workers']}"
            f"{', persistent' if record.get('persistent_workers') else ''}"
        )
    return "; ".join(parts) or "no loader fed an optimizer step"


def _tip302(before, after, env):
    problems, shown = [], 0
    for report in _reports(after):
        for record in _training_loaders(report):
            passes = [p for p in record["epochs"] if p]
            if len(passes) < 2:
                continue
            shown += 1
            n = min(len(p) for p in passes)
            if any(passes[i][:n] == passes[i - 1][:n] for i in range(1, len(passes))):
                problems.append(f"loader {record['loader']} repeats its order ({record['sampler']})")
    if problems:
        return BROKEN, "; ".join(problems)
    if not shown:
        return NOT_SHOWN, "no training loader made two passes (--epochs 2 or more)"
    return KEPT, "a new order every epoch"


def _crash_fix(code: str) -> Callable:
    def judge(before, after, env):
        was = [e for e in _exceptions(before) if re.search(CRASH_FIXES[code], e)]
        now = _exceptions(after)
        if now:
            return BROKEN, f"the fixed copy fails: {now[0]}"
        if not was:
            return NOT_SHOWN, "the original did not fail this way in the short run"
        return KEPT, f"the original failed ({was[0][:120]}); the fixed copy runs"

    return judge


def _devices(code: str) -> Callable:
    def judge(before, after, env):
        if any(re.search(CRASH_FIXES[code], e) for e in _exceptions(before)):
            verdict, detail = _crash_fix(code)(before, after, env)
            if verdict != KEPT or code == "TIP102":
                return verdict, detail
        ok, detail = _check("params_and_inputs_on_device", after, before, env)
        if not ok and "no module was called" in detail:  # a script of tensors: where they ended up
            names = sorted(set().union(*((r.get("globals") or {}).keys() for r in _reports(after))))
            if not names:
                return NOT_SHOWN, "no module was called and no tensor was left at module level"
            ok, detail = _check("globals_on_device", after, before, env, names=names)
        if ok and env.device == "cpu" and not env.pretend:
            return (
                NOT_SHOWN,
                f"{detail} (on the CPU the chosen device is the CPU: --device cuda or pretend-cuda shows it)",
            )
        return _result(ok, detail)

    return judge


def _forward_summary(reports) -> str:
    reports = _reports(reports)
    if not reports:
        return "no run"
    if _exceptions(reports):
        return _exceptions(reports)[0]
    kinds = sorted(
        {f"params {'/'.join(e['params']) or '-'} inputs {'/'.join(e['inputs']) or '-'}" for e in reports[0]["forward"]}
    )
    return "; ".join(kinds[:3]) or "no module call"


def _weights(report: Optional[dict]) -> List[str]:
    return [w["member"] for w in (report or {}).get("weights", [])]


def _tip201(before, after, env):
    b, a = _reports(before), _reports(after)
    if not b or not a:
        return NOT_SHOWN, "a run left no report"
    warned, _ = _check("warning_matching", before, before, env, pattern=PRETRAINED_WARNING)
    gone, detail = _check("no_warning_matching", after, before, env, pattern=PRETRAINED_WARNING)
    if _weights(a[0]) != _weights(b[0]):
        return BROKEN, f"weights {_weights(a[0]) or 'none'} after, {_weights(b[0]) or 'none'} before"
    if not gone:
        return BROKEN, f"still warns: {detail}"
    if not warned and not _weights(b[0]):
        return NOT_SHOWN, "no pretrained model was built in the short run"
    return KEPT, f"same weights ({', '.join(_weights(a[0])) or 'none'}), no deprecation warning"


def _workers(persistent: bool) -> Callable:
    def judge(before, after, env):
        reports = _reports(after)
        loaders = [r for report in reports for r in _training_loaders(report)]
        if not loaders:
            return NOT_SHOWN, "no loader fed an optimizer step"
        wrong = [r for r in loaders if not r["num_workers"] or (persistent and not r.get("persistent_workers"))]
        if wrong:
            return (
                BROKEN,
                f"loader {wrong[0]['loader']}: workers {wrong[0]['num_workers']}, persistent {wrong[0].get('persistent_workers')}",
            )
        wait = reports[0].get("data_wait") or {}
        shown = f"; data wait {wait['mean_s'] * 1000:.1f} ms per step" if wait.get("mean_s") is not None else ""
        return KEPT, f"{loaders[0]['num_workers']} workers{' (persistent)' if persistent else ''}{shown}"

    return judge


def _option_values(reports, name: str = "local_rank") -> List[Any]:
    """Per process: the last value of option `name` the script parsed (None: none)."""
    return [
        next((ns[name] for ns in reversed(r.get("parsed_args") or []) if name in ns), None) for r in _reports(reports)
    ]


def _local_rank_summary(reports) -> str:
    values = _option_values(reports)
    return ", ".join(f"rank {i}: {v!r}" for i, v in enumerate(values)) if values else "no run"


def _tip503(before, after, env):
    if env.nproc < 2:
        return NOT_SHOWN, "one process: local ranks need --nproc 2 or more"
    given = [a for a in getattr(env, "args", ()) if a.split("=")[0] in LOCAL_RANK_OPTIONS]  # a Runs
    if given:
        return NOT_SHOWN, f"the script's arguments give `{given[0]}` to every process: the fix changes only the default"
    if all(v is None for v in _option_values(after)):
        return NOT_SHOWN, "no process parsed a `local_rank` option"
    verdict, detail = _result(*_check("option_per_rank", after, before, env, name="local_rank"))
    if any(re.search(CRASH_FIXES["TIP503"], e) for e in _exceptions(before)):  # the default's crash
        crash, why = _crash_fix("TIP503")(before, after, env)
        return (crash, why) if crash != KEPT else (verdict, f"{why}; {detail}")
    return verdict, detail


def _group_summary(reports) -> str:
    states = [r.get("exit_state") for r in _reports(reports)]
    if not states or any(s is None for s in states):
        return "no exit state"
    alive = sum(1 for s in states if s.get("process_group_alive"))
    return f"group alive at exit on {alive} of {len(states)}" if alive else f"no group alive at exit ({len(states)})"


def _tip505(before, after, env):
    had, _ = _check("exit_warning_present", before, before, env)
    if not had:
        return NOT_SHOWN, "the original left no process group alive at exit (a distributed run needs --nproc 2)"
    gone, detail = _check("exit_warning_gone", after, before, env)
    if gone:
        return KEPT, detail
    if any((r.get("verify") or {}).get("stopped") for r in _reports(after)):
        return NOT_SHOWN, (
            "verify stopped the fixed copy before the script's end, where the fix destroys the group "
            "(let the script end by itself: its own epochs option within --epochs)"
        )
    return BROKEN, detail


#: code -> (promise, what is shown of each run, judge(before, after, env) -> (verdict, detail))
PROMISES: Dict[str, Tuple[str, Callable, Callable]] = {
    "TIP101": ("model and inputs on the chosen device at every forward", _forward_summary, _devices("TIP101")),
    "TIP102": ("runs without a GPU (falls back to the CPU)", _forward_summary, _devices("TIP102")),
    "TIP103": ("the batch reaches the model on its device", _forward_summary, _devices("TIP103")),
    "TIP201": (
        "the same weights, by `weights=` enum; no deprecation warning",
        lambda r: ", ".join(_weights(_reports(r)[0] if _reports(r) else None)) or "no weights",
        _tip201,
    ),
    "TIP301": (
        "the DataLoader is built (no ValueError)",
        lambda r: _exceptions(r)[0] if _exceptions(r) else "runs",
        _crash_fix("TIP301"),
    ),
    "TIP302": ("the training loader draws a new order every epoch", _loader_summary, _tip302),
    "TIP303": ("each rank draws its own shard", _sampler_summary, _tip303),
    "TIP304": (
        "loader workers start under spawn",
        lambda r: _exceptions(r)[0] if _exceptions(r) else "runs",
        _crash_fix("TIP304"),
    ),
    "TIP305": ("the training loader loads in worker processes", _loader_summary, _workers(False)),
    "TIP306": ("the loader's workers persist across epochs", _loader_summary, _workers(True)),
    "TIP401": ("the LR follows the scheduler", _lrs, _tip401),
    "TIP402": ("no scheduler-before-optimizer warning; the schedule from its first value", _lrs, _tip402),
    "TIP403": (
        "ReduceLROnPlateau.step gets its metric (no TypeError)",
        lambda r: _exceptions(r)[0] if _exceptions(r) else "runs",
        _crash_fix("TIP403"),
    ),
    "TIP404": ("the per-batch schedule stepped per batch", _lrs, _tip404),
    "TIP501": ("each rank's sampler: a new order every epoch", _sampler_summary, _tip501),
    "TIP503": ("each rank's `local_rank` is its LOCAL_RANK", _local_rank_summary, _tip503),
    "TIP505": ("the process group is destroyed before exit", _group_summary, _tip505),
}


def judge(code: str, before, after, env: Environment) -> Dict[str, str]:
    """The promise of `code`'s fix on these runs (see the module's doc)."""
    if code not in PROMISES:
        return {
            "code": code,
            "promise": "(no run-time promise recorded)",
            "before": "",
            "after": "",
            "verdict": NOT_SHOWN,
            "detail": "",
        }
    promise, summary, decide = PROMISES[code]
    if not _reports(after):
        verdict, detail = BROKEN, "the fixed copy left no report"
    else:
        try:
            verdict, detail = decide(before, after, env)
        except Exception as exc:  # a judge that cannot read these reports
            verdict, detail = NOT_SHOWN, f"could not judge: {exc!r}"
    return {
        "code": code,
        "promise": promise,
        "before": summary(before) if _reports(before) else "no run",
        "after": summary(after),
        "verdict": verdict,
        "detail": detail,
    }

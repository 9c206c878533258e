"""What a fix must change, and what it must keep: expectation files and the checks they name.

A fixture `fixtures/NAME.py` has its expectation in `fixtures/NAME.expect.json`:

    {
      "rule": "TIP501",                 # the rule the fixture is for (null: none; informative)
      "about": "free text",             # optional
      "nproc": 2,                       # optional, default 1: > 1 runs it under torch.distributed
      "devices": ["cpu", "cuda"],       # optional: the devices it is meant for (default both)
      "pretend_cuda": true,             # optional: also run it in `pretend-cuda` (see below)
      "timeout": 120,                   # optional: seconds per run
      "args": [],                       # optional: the script's command-line arguments
      "start_method": "spawn",          # optional: how DataLoader workers start (see below)
      "measures": ["data_wait"],        # optional: figures the harness's reports show
      "before": [CHECK, ...],           # what the run of the original script must show
      "after": [CHECK, ...]             # what the run of the fixed script must show
    }

A CHECK is a check's name (`"exit_ok"`) or an object naming it with its parameters:
`{"check": "lr_follows_scheduler", "per": "epoch"}`. Keys every check takes:

- `"device": "cpu"` or `"cuda"`: the check applies in the environments of that device only (cpu:
  `cpu`, `gloo×N`; cuda: `cuda`, `nccl×N`, `pretend-cuda`), e.g. a crash without a GPU, a clean
  run with one;
- `"negate": true`: the check must fail (`{"check": "lr_follows_scheduler", "negate": true}`);
- `"why"`: free text, kept in the report.

`start_method` (`spawn`, `forkserver` or `fork`): every DataLoader with `num_workers > 0` and no
`multiprocessing_context` of its own starts its workers that way (the harness's `--start-method`
does it for the fixtures that name none): `spawn` is what macOS and Windows use, where a lambda
`collate_fn` cannot be pickled. `measures`: what the table and markdown report show of the runs
besides the verdicts (`data_wait`: the mean time from an optimizer step to the next batch, per run;
measured, never judged).

`pretend-cuda` is the `cuda` environment of one process played on any machine: the script runs
under `tipcheck.harness.pretend_cuda` (CUDA answers available; `.to()`/`.cuda()` keep the data on
the CPU and record the device asked for; mixed devices raise as on a GPU), so the device checks
see the device the script *asked for*: `cuda:0` for a script that follows the device idiom. It is
how a CPU-only machine tells "moved to the chosen device" from "not moved". A fixture opts in with
`"pretend_cuda": true` (it must be meant for cuda). With `"nproc"` > 1 it is `pretend-cuda×N`: N
processes of a gloo group (`TIPCHECK_DIST_BACKEND=gloo`), each believing it has the GPUs of one
node; `torch.cuda.set_device(i)` makes `cuda:i` the device a bare `cuda` means, as on a GPU, so
the device checks see whether each rank asked for its own GPU.

The checks (`CHECKS`, each a function of `tipcheck.harness.checks`, the vocabulary; `help_text()`
lists them with their parameters) read the per-rank reports of `tipcheck.harness.instrument`. This
module reads expectation files and evaluates their checks; it re-exports what callers take from it
(`CHECKS`, `Context`, `Environment`, `ExpectationError`, `PRETEND_CUDA`, `help_text`). Nothing here
imports torch, libcst or click.
"""

from __future__ import annotations

import inspect
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from tipcheck.harness import checks_saves, checks_schedules  # noqa: F401 (register their checks in CHECKS)
from tipcheck.harness.checks import AFTER_ONLY, CHECKS, PRETEND_CUDA, Context, Environment, _Missing
from tipcheck.harness.checks import help_text as help_text  # re-exported for the harness command
from tipcheck.harness.checks_ranks import cuda_device_per_rank  # noqa: F401 (registers the rank checks)
from tipcheck.harness.errors import ExpectationError
from tipcheck.harness.record_loaders import START_METHODS

EXPECT_SUFFIX = ".expect.json"
DEVICES = ("cpu", "cuda")
#: What a run can be asked for (`--device`): the devices, and cuda played on the CPU.
RUN_DEVICES = (*DEVICES, PRETEND_CUDA)
TOP_LEVEL_KEYS = {
    "rule",
    "about",
    "nproc",
    "devices",
    "pretend_cuda",
    "timeout",
    "args",
    "start_method",
    "measures",
    "before",
    "after",
}
#: The figures an expectation may ask the reports to show (`"measures"`).
MEASURES = ("data_wait",)
COMMON_KEYS = {"check", "device", "negate", "why"}
PHASES = ("before", "after")


@dataclass
class CheckSpec:
    name: str
    params: Dict[str, Any] = field(default_factory=dict)
    device: Optional[str] = None
    negate: bool = False
    why: Optional[str] = None

    def applies(self, env: Environment) -> bool:
        return self.device is None or self.device == env.device

    def label(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        text = f"{self.name}({args})"
        return f"not {text}" if self.negate else text


@dataclass
class Expectation:
    path: str
    rule: Optional[str]
    nproc: int
    before: List[CheckSpec]
    after: List[CheckSpec]
    devices: Tuple[str, ...] = DEVICES
    timeout: Optional[float] = None
    args: Tuple[str, ...] = ()
    about: Optional[str] = None
    pretend_cuda: bool = False
    start_method: Optional[str] = None
    measures: Tuple[str, ...] = ()

    @property
    def distributed(self) -> bool:
        return self.nproc > 1

    def checks(self, phase: str, env: Environment) -> List[CheckSpec]:
        return [c for c in getattr(self, phase) if c.applies(env)]


@dataclass
class CheckResult:
    phase: str
    check: str
    label: str
    ok: bool
    detail: str
    params: Dict[str, Any]
    negate: bool = False
    why: Optional[str] = None

    def to_json(self) -> dict:
        return {
            "phase": self.phase,
            "check": self.check,
            "label": self.label,
            "params": self.params,
            "negate": self.negate,
            "ok": self.ok,
            "detail": self.detail,
            "why": self.why,
        }


# -- reading and evaluating expectation files --------------------------------------------------------


def _spec(raw: Any, where: str, phase: str) -> CheckSpec:
    if isinstance(raw, str):
        raw = {"check": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("check"), str):
        raise ExpectationError(f'{where}: a check is a name or an object with a "check" name, not {raw!r}')
    name = raw["check"]
    func = CHECKS.get(name)
    if func is None:
        raise ExpectationError(f"{where}: unknown check {name!r} (known: {', '.join(sorted(CHECKS))})")
    if name in AFTER_ONLY and phase != "after":
        raise ExpectationError(f'{where}: {name} compares with the original: it belongs in "after"')
    signature = inspect.signature(func)
    accepted = list(signature.parameters)[1:]
    params = {k: v for k, v in raw.items() if k not in COMMON_KEYS}
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise ExpectationError(
            f"{where}: {name} takes no {', '.join(unknown)} (it takes: {', '.join(accepted) or 'nothing'})"
        )
    missing = [p for p in accepted if signature.parameters[p].default is inspect.Parameter.empty and p not in params]
    if missing:
        raise ExpectationError(f"{where}: {name} needs {', '.join(missing)}")
    device = raw.get("device")
    if device is not None and device not in DEVICES:
        raise ExpectationError(f"{where}: device must be one of {DEVICES}, not {device!r}")
    if name == "lr_follows_scheduler" and params.get("per", "epoch") not in ("batch", "epoch"):
        raise ExpectationError(f"{where}: lr_follows_scheduler: per must be 'batch' or 'epoch'")
    for key in ("pattern",):
        if key in params:
            try:
                re.compile(params[key])
            except re.error as exc:
                raise ExpectationError(f"{where}: {name}: bad pattern {params[key]!r}: {exc}")
    return CheckSpec(name, params, device, bool(raw.get("negate", False)), raw.get("why"))


def parse_expectation(data: Any, path: str = "<expectation>") -> Expectation:
    if not isinstance(data, dict):
        raise ExpectationError(f"{path}: an expectation is a JSON object")
    unknown = sorted(set(data) - TOP_LEVEL_KEYS)
    if unknown:
        raise ExpectationError(
            f"{path}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(TOP_LEVEL_KEYS))})"
        )
    nproc = data.get("nproc", 1)
    if not isinstance(nproc, int) or nproc < 1:
        raise ExpectationError(f"{path}: nproc must be a positive integer")
    devices = tuple(data.get("devices", DEVICES))
    if not devices or any(d not in DEVICES for d in devices):
        raise ExpectationError(f"{path}: devices must be a non-empty list of {DEVICES}")
    phases = {}
    for phase in PHASES:
        raw = data.get(phase)
        if not isinstance(raw, list) or not raw:
            raise ExpectationError(f'{path}: "{phase}" must be a non-empty list of checks')
        phases[phase] = [_spec(item, f"{path}: {phase}[{i}]", phase) for i, item in enumerate(raw)]
    args = data.get("args", [])
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise ExpectationError(f"{path}: args must be a list of strings")
    pretend = data.get("pretend_cuda", False)
    if not isinstance(pretend, bool):
        raise ExpectationError(f"{path}: pretend_cuda must be true or false")
    if pretend and "cuda" not in devices:
        raise ExpectationError(f"{path}: pretend_cuda is for a fixture meant for cuda")
    start_method = data.get("start_method")
    if start_method is not None and start_method not in START_METHODS:
        raise ExpectationError(f"{path}: start_method must be one of {START_METHODS}, not {start_method!r}")
    measures = data.get("measures", [])
    if not isinstance(measures, list) or any(m not in MEASURES for m in measures):
        raise ExpectationError(f"{path}: measures must be a list of {MEASURES}")
    return Expectation(
        path=path,
        rule=data.get("rule"),
        nproc=nproc,
        before=phases["before"],
        after=phases["after"],
        devices=devices,
        timeout=data.get("timeout"),
        args=tuple(args),
        about=data.get("about"),
        pretend_cuda=pretend,
        start_method=start_method,
        measures=tuple(measures),
    )


def expectation_path(script: str) -> str:
    """`fixtures/NAME.expect.json` for `fixtures/NAME.py`."""
    root, _ = os.path.splitext(script)
    return root + EXPECT_SUFFIX


def load_expectation(path: str) -> Expectation:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise ExpectationError(f"{path}: cannot read: {exc.strerror or exc}")
    except json.JSONDecodeError as exc:
        raise ExpectationError(f"{path}: not JSON: {exc}")
    return parse_expectation(data, path)


def run_check(spec: CheckSpec, ctx: Context) -> CheckResult:
    func = CHECKS[spec.name]
    try:
        ok, detail = func(ctx, **spec.params)
    except _Missing as exc:
        ok, detail = False, str(exc)
        if spec.negate:  # "must not hold" cannot be judged without the run's report either
            return CheckResult(ctx.phase, spec.name, spec.label(), False, detail, spec.params, spec.negate, spec.why)
    except ExpectationError:
        raise
    except Exception as exc:  # a report that lacks what the check reads: fail, and say so
        return CheckResult(
            ctx.phase,
            spec.name,
            spec.label(),
            False,
            f"the check failed: {type(exc).__name__}: {exc}",
            spec.params,
            spec.negate,
            spec.why,
        )
    if spec.negate:
        ok = not ok
        detail = f"(must not hold) {detail}"
    return CheckResult(ctx.phase, spec.name, spec.label(), ok, detail, spec.params, spec.negate, spec.why)


def evaluate(
    expectation: Expectation,
    env: Environment,
    before: List[Optional[dict]],
    after: List[Optional[dict]],
    before_errors: Sequence[str] = (),
    after_errors: Sequence[str] = (),
) -> List[CheckResult]:
    """Every check of `expectation` that applies in `env`, on the two runs' reports."""
    results = []
    for phase, reports, errors in (("before", before, before_errors), ("after", after, after_errors)):
        ctx = Context(phase, reports, before, env, list(errors))
        for spec in expectation.checks(phase, env):
            results.append(run_check(spec, ctx))
    return results

"""Run fixtures before and after their fix, in each environment, and judge them by their expectation.

    tipcheck harness [FIXTURES]... [--device cpu|cuda]... [--nproc N] [--json REPORT]
    python -m tipcheck.harness.run [FIXTURES|PREPARED_DIR]... [same options]

For each case (a fixture: its original, its fixed copy, its expectation) and each environment
(`cpu`, `cuda` for one process; `gloo×N`, `nccl×N` for the distributed ones; `pretend-cuda`, cuda
played on the CPU, for the fixtures that opt in), the original and
the fixed script each run in their own process(es) under `tipcheck.harness.instrument`, with a
timeout; the checks of the expectation (`tipcheck.harness.expectations`) then give a verdict:
pass, fail, skip (the environment is not there: no GPU, too few GPUs), or error (no case could be
made: tipcheck failed to fix the file).

The environments reach the scripts through their environment variables only:
- `TIPCHECK_DEVICE`: `cpu` or `cuda`; on `cpu` (and `gloo×N`) `CUDA_VISIBLE_DEVICES` is emptied,
  so that scripts that follow the device idiom pick the CPU even on a GPU machine;
- `TIPCHECK_DIST_BACKEND`: `gloo` or `nccl` for the distributed environments, with the variables
  of torch.distributed's env:// initialisation (MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE,
  LOCAL_RANK, LOCAL_WORLD_SIZE) as torchrun sets them;
- `TIPCHECK_PRETEND_CUDA=1` in `pretend-cuda` (with `TIPCHECK_DEVICE=cuda`, and
  `CUDA_VISIBLE_DEVICES` emptied as on `cpu`): see `tipcheck.harness.pretend_cuda`;
- `TIPCHECK_START_METHOD`: the start method of DataLoader workers (`spawn`, `forkserver`, `fork`),
  the expectation's `start_method`, else `--start-method`, else none (each loader's own); see
  `tipcheck.harness.record_loaders`.

Nothing here imports libcst, click or tipcheck's linter: the fixed copies come either from
`tipcheck.harness.prepare` (imported only when needed) or from a folder it prepared
(`--fixed-dir`), so that this runs where only torch is installed. torch itself is imported only
to describe the machine in the report.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Mapping, Optional, Sequence, TextIO

from tipcheck.harness.cases import MANIFEST, Case, case_name
from tipcheck.harness.expectations import (
    DEVICES,
    EXPECT_SUFFIX,
    PRETEND_CUDA,
    Environment,
    Expectation,
    evaluate,
    expectation_path,
    load_expectation,
)
from tipcheck.harness.machine import Machine
from tipcheck.harness.processes import package_root, run_processes
from tipcheck.harness.record_loaders import START_METHOD_ENV
from tipcheck.harness.report import VERDICTS

DEFAULT_TIMEOUT = 120.0
#: What runs when no device is asked for: what any machine can run.
DEFAULT_DEVICES = ("cpu", PRETEND_CUDA)
REPORT_FORMAT = "tipcheck-harness-report/1"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command that cannot run at all: bad arguments, missing files or expectation, no torch."""


# -- finding the cases -----------------------------------------------------------------------------


def default_fixtures_dir() -> str:
    here = os.path.join(os.getcwd(), "fixtures")
    return here if os.path.isdir(here) else os.path.join(package_root(), "fixtures")


def find_fixtures(paths: Sequence[str] = ()) -> List[str]:
    """The fixture scripts named by `paths` (files; folders: their `*.py` that have an expectation
    file beside them; names of the default folder's fixtures, `.py` optional); no paths: the
    default fixtures folder's (`./fixtures`, else the repository's)."""
    found: List[str] = []
    for path in paths or [default_fixtures_dir()]:
        if not os.path.exists(path):  # a fixture's name: `tip501_sampler_without_set_epoch[.py]`
            named = os.path.join(default_fixtures_dir(), path if path.endswith(".py") else path + ".py")
            path = named if os.sep not in path and os.path.isfile(named) else path
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                script = os.path.join(path, name)
                if name.endswith(".py") and os.path.isfile(expectation_path(script)):
                    found.append(script)
        elif os.path.isfile(path):
            if path.endswith(EXPECT_SUFFIX):
                path = path[: -len(EXPECT_SUFFIX)] + ".py"
            if not os.path.isfile(expectation_path(path)):
                raise UsageError(f"{path}: no expectation file ({os.path.basename(expectation_path(path))}) beside it")
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    seen = set()
    unique = []
    for path in found:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    if not unique:
        raise UsageError("no fixture with an expectation file found")
    return unique


def is_prepared_dir(path: str) -> bool:
    return os.path.isfile(os.path.join(path, MANIFEST))


def cases_from_prepared(path: str, names: Sequence[str] = ()) -> List[Case]:
    """The cases of a folder written by `tipcheck harness --prepare` (all, or those `names`)."""
    with open(os.path.join(path, MANIFEST), encoding="utf-8") as handle:
        manifest = json.load(handle)
    wanted = {case_name(n) for n in names}
    cases = []
    for entry in manifest["fixtures"]:
        if wanted and entry["name"] not in wanted:
            continue
        cases.append(
            Case(
                entry["name"],
                os.path.join(path, entry["original"]),
                os.path.join(path, entry["fixed"]),
                load_expectation(os.path.join(path, entry["expect"])),
                entry.get("fix", {}),
                source=entry.get("source"),
                error=_fix_error(entry.get("fix", {})),
            )
        )
    missing = wanted - {c.name for c in cases}
    if missing:
        raise UsageError(f"{path}: no prepared case {', '.join(sorted(missing))}")
    return cases


def cases_with_fixed_copies(fixtures: Sequence[str], fixed_dir: str) -> List[Case]:
    """Cases of `fixtures` whose fixed copies are `fixed_dir/NAME.py` (made elsewhere)."""
    cases = []
    for path in fixtures:
        fixed = os.path.join(fixed_dir, os.path.basename(path))
        if not os.path.isfile(fixed):
            raise UsageError(f"{fixed_dir}: no fixed copy of {os.path.basename(path)}")
        cases.append(
            Case(
                case_name(path),
                path,
                fixed,
                load_expectation(expectation_path(path)),
                {"substituted": os.path.abspath(fixed)},
                source=os.path.abspath(path),
            )
        )
    return cases


def make_cases(
    fixtures: Sequence[str] = (),
    fixed_dir: Optional[str] = None,
    fixed: Optional[Mapping[str, str]] = None,
    scripts_dir: Optional[str] = None,
) -> List[Case]:
    """The cases to run. With `fixed_dir`: a prepared folder (then `fixtures` only selects among
    its cases by name), or a folder of fixed copies `NAME.py`. Otherwise tipcheck fixes each
    fixture (`tipcheck.harness.prepare`, which needs the linter) into `scripts_dir`, save those
    named in `fixed` ({fixture name or path: the fixed file to use instead})."""
    if fixed_dir is not None:
        if is_prepared_dir(fixed_dir):
            return cases_from_prepared(fixed_dir, fixtures)
        return cases_with_fixed_copies(find_fixtures(fixtures), fixed_dir)
    if scripts_dir is None:
        raise ValueError("scripts_dir is needed to write the fixed copies")
    try:
        from tipcheck.harness.prepare import prepare_cases
    except ImportError as exc:
        raise UsageError(
            f"making the fixed copies needs tipcheck's linter ({exc}): prepare them where it is installed "
            "(tipcheck harness --prepare DIR) and pass DIR (--fixed-dir DIR)"
        )

    cases = prepare_cases(find_fixtures(fixtures), scripts_dir, fixed)
    for case in cases:
        case.error = _fix_error(case.fix)
    return cases


def _fix_error(fix: Mapping[str, Any]) -> Optional[str]:
    """Why a case has no usable fixed copy (tipcheck failed, or lacks the fixture's rule), or None."""
    return "tipcheck could not fix it: " + "; ".join(fix["errors"]) if fix.get("errors") else None


# -- environments ----------------------------------------------------------------------------------


def environments(expectation: Expectation, devices: Sequence[str], nproc: Optional[int] = None) -> List[Environment]:
    """The environments a case runs in: per device asked for (and meant for), one process, or
    `nproc` (default: the expectation's) under torch.distributed for the distributed ones;
    `pretend-cuda` for the fixtures that opt in (`"pretend_cuda": true`)."""
    envs = []
    for device in devices:
        if device == PRETEND_CUDA:
            if expectation.pretend_cuda and expectation.distributed:
                envs.append(Environment("cuda", nproc or expectation.nproc, distributed=True, pretend=True))
            elif expectation.pretend_cuda:
                envs.append(Environment("cuda", pretend=True))
            continue
        if device not in expectation.devices:
            continue
        if expectation.distributed:
            envs.append(Environment(device, nproc or expectation.nproc, distributed=True))
        else:
            envs.append(Environment(device))
    return envs


def run_env(env: Environment, start_method: Optional[str] = None) -> Dict[str, str]:
    """The variables a run in `env` gets (see the module's doc)."""
    variables = {"TIPCHECK_DEVICE": env.device, START_METHOD_ENV: start_method or ""}
    if env.device == "cpu" or env.pretend:
        variables["CUDA_VISIBLE_DEVICES"] = ""
    if env.pretend:
        variables["TIPCHECK_PRETEND_CUDA"] = "1"
    if env.distributed:
        variables["TIPCHECK_DIST_BACKEND"] = env.backend
    return variables


# -- running -----------------------------------------------------------------------------------------


def _short_path(path: str) -> str:
    """`original/NAME.py`, `fixed/NAME.py`: enough to tell the scripts apart in a report."""
    return os.path.join(os.path.basename(os.path.dirname(path)), os.path.basename(path))


def _run_summary(outcome, script: str) -> Dict[str, Any]:
    summary: Dict[str, Any] = {
        "script": _short_path(script),
        "duration_s": round(outcome.duration, 3),
        "timed_out": outcome.timed_out,
        "exit": [r["exit"] if r is not None else None for r in outcome.reports],
        "exceptions": [
            f"{r['exception']['type']}: {r['exception']['message'][:300]}"
            for r in outcome.reports
            if r and r["exception"]
        ],
        "loss": [r.get("loss") if r is not None else None for r in outcome.reports],
        "data_wait_ms": [_data_wait_ms(r, "mean_s") for r in outcome.reports],
        "data_wait_in_pass_ms": [_data_wait_ms(r, "in_pass_mean_s") for r in outcome.reports],
        "missing_reports": outcome.errors,
    }
    return summary


def _data_wait_ms(report: Optional[dict], key: str) -> Optional[float]:
    """The mean time from an optimizer step to the next batch in a run (`mean_s`), or leaving out
    each pass's first batch (`in_pass_mean_s`), in milliseconds."""
    wait = (report or {}).get("data_wait")
    return None if not wait or wait.get(key) is None else round(wait[key] * 1000, 3)


def _run_line(outcome) -> str:
    if outcome.timed_out:
        state = "timed out"
    elif not outcome.complete:
        state = f"{sum(r is None for r in outcome.reports)} rank(s) left no report"
    else:
        codes = sorted({r["exit"] for r in outcome.reports})
        state = "exit " + "/".join(map(str, codes))
        excs = [r["exception"]["type"] for r in outcome.reports if r["exception"]]
        if excs:
            state += f" ({excs[0]})"
    return f"{state}, {outcome.duration:.1f}s"


class Progress:
    """A line to `stream` per run as it finishes, and per verdict."""

    def __init__(self, total_runs: int, stream: Optional[TextIO]) -> None:
        self.total = total_runs
        self.done = 0
        self.stream = stream
        self.lock = threading.Lock()

    def run(self, case: Case, env: Environment, phase: str, outcome) -> None:
        with self.lock:
            self.done += 1
            self._print(
                f"[{self.done:>{len(str(self.total))}}/{self.total}] {case.name} {env.name} {phase}: {_run_line(outcome)}"
            )

    def verdict(self, result: Dict[str, Any]) -> None:
        with self.lock:
            checks = result["checks"]
            passed = sum(c["ok"] for c in checks)
            text = f"    {result['fixture']} {result['environment']}: {result['verdict'].upper()}"
            if checks:
                text += f" ({passed}/{len(checks)} checks)"
            if result.get("reason"):
                text += f": {result['reason']}"
            self._print(text)
            for check in checks:
                if not check["ok"]:
                    self._print(f"        {check['phase']}: {check['label']}: {check['detail'][:400]}")

    def _print(self, text: str) -> None:
        if self.stream is not None:
            print(text, file=self.stream, flush=True)


def _safe(name: str) -> str:
    return name.replace("×", "x")


def run_case(
    case: Case,
    env: Environment,
    work_dir: str,
    timeout: Optional[float] = None,
    preload: bool = True,
    progress: Optional[Progress] = None,
    start_method: Optional[str] = None,
) -> Dict[str, Any]:
    """Run `case` in `env` (the original, then the fixed copy) and judge it: a result record. The
    DataLoader workers start with the expectation's `start_method`, else `start_method`."""
    method = case.expectation.start_method or start_method
    result: Dict[str, Any] = {
        "fixture": case.name,
        "rule": case.expectation.rule,
        "environment": env.name,
        "device": env.device,
        "nproc": env.nproc,
        "backend": env.backend,
        "verdict": None,
        "reason": None,
        "checks": [],
        "runs": {},
        "fix": case.fix,
        "start_method": method,
        "measures": list(case.expectation.measures),
    }
    if case.error:
        result.update(verdict="error", reason=case.error)
        return result
    limit = timeout or case.expectation.timeout or DEFAULT_TIMEOUT
    outcomes = {}
    for phase, script in (("before", case.original), ("after", case.fixed)):
        out = os.path.join(work_dir, case.name, _safe(env.name), phase)
        outcome = run_processes(
            script,
            out,
            env=run_env(env, method),
            timeout=limit,
            nproc=env.nproc if env.distributed else 1,
            args=case.expectation.args,
            preload=preload,
        )
        outcomes[phase] = outcome
        result["runs"][phase] = _run_summary(outcome, script)
        result["runs"][phase]["output_dir"] = out
        if progress:
            progress.run(case, env, phase, outcome)
    checks = evaluate(
        case.expectation,
        env,
        outcomes["before"].reports,
        outcomes["after"].reports,
        outcomes["before"].errors,
        outcomes["after"].errors,
    )
    result["checks"] = [c.to_json() for c in checks]
    result["verdict"] = "pass" if checks and all(c.ok for c in checks) else "fail"
    if not checks:
        result["reason"] = "no check applies in this environment"
    for phase, outcome in outcomes.items():
        if not all(c.ok for c in checks) or outcome.errors:
            result["runs"][phase]["stderr_tails"] = [(r or {}).get("stderr_tail", "")[-1500:] for r in outcome.reports]
    return result


def run_cases(
    cases: Sequence[Case],
    devices: Sequence[str] = ("cpu",),
    nproc: Optional[int] = None,
    work_dir: Optional[str] = None,
    timeout: Optional[float] = None,
    preload: bool = True,
    jobs: int = 1,
    progress: Optional[TextIO] = None,
    machine: Optional[Machine] = None,
    command: Optional[Sequence[str]] = None,
    start_method: Optional[str] = None,
) -> Dict[str, Any]:
    """Run every case in every environment it has among `devices`; the report (see `REPORT_FORMAT`).

    `work_dir` keeps the runs' outputs (a temporary folder, removed, when None); `jobs` runs that
    many (case, environment) pairs at once; `progress` gets a line per run and per verdict;
    `start_method` starts the DataLoader workers of the fixtures that name none."""
    machine = machine or Machine()
    pairs = [(case, env) for case in cases for env in environments(case.expectation, devices, nproc)]
    runnable = [(c, e) for c, e in pairs if not c.error and machine.unavailable(e) is None]
    tracker = Progress(2 * len(runnable), progress)
    own_dir = work_dir is None
    work = tempfile.mkdtemp(prefix="tipcheck-harness-") if own_dir else os.path.abspath(work_dir)

    def one(pair):
        case, env = pair
        why = machine.unavailable(env)
        if why is not None:
            result = {
                "fixture": case.name,
                "rule": case.expectation.rule,
                "environment": env.name,
                "device": env.device,
                "nproc": env.nproc,
                "backend": env.backend,
                "verdict": "skip",
                "reason": why,
                "checks": [],
                "runs": {},
                "fix": case.fix,
                "start_method": case.expectation.start_method or start_method,
                "measures": list(case.expectation.measures),
            }
        else:
            result = run_case(case, env, work, timeout, preload, tracker, start_method)
        tracker.verdict(result)
        return result

    try:
        if jobs > 1:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                results = list(pool.map(one, pairs))
        else:
            results = [one(pair) for pair in pairs]
    finally:
        if own_dir:
            shutil.rmtree(work, ignore_errors=True)
    if own_dir:
        for result in results:
            for run in result["runs"].values():
                run.pop("output_dir", None)
    summary = {verdict: sum(r["verdict"] == verdict for r in results) for verdict in VERDICTS}
    summary["total"] = len(results)
    order = {env.name: (env.distributed, DEVICES.index(env.device), env.pretend, env.nproc) for _, env in pairs}
    env_names = sorted(order, key=order.get)  # cpu, cuda, pretend-cuda, gloo×N, nccl×N
    return {
        "format": REPORT_FORMAT,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": list(command) if command is not None else None,
        "machine": machine.info(),
        "devices": list(devices),
        "start_method": start_method,
        "environments": env_names,
        "summary": summary,
        "results": results,
    }

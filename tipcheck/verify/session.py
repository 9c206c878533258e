"""One `tipcheck verify` session: copy the project, fix the copy, run both copies in short form
under the harness's instrumentation with the same seed, and judge the fixes (`verify`).

The runs (tipcheck.harness.processes.run_processes) get a scrubbed environment (`run_env`): only
the variables a Python program needs to start (PATH, HOME, locale, virtual env, library paths,
the CUDA device list), plus HF_HUB_OFFLINE=1 (and its siblings), TORCH_HOME, HF_HOME,
XDG_CACHE_HOME and MPLCONFIGDIR in the scratch folder, wandb disabled, and `TIPCHECK_VERIFY` (the
settings read by tipcheck.verify.inside in the process). On the CPU, CUDA_VISIBLE_DEVICES is
empty. Nothing here imports torch.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, TextIO

from tipcheck.harness.processes import run_processes
from tipcheck.verify import lines
from tipcheck.verify.hints import dummy_flags, failure_reason, missing_files
from tipcheck.verify.inside import ENV_VAR
from tipcheck.verify.promises import BROKEN, CRASH_FIXES, NOT_SHOWN, Runs, judge
from tipcheck.verify.scratch import ScratchError, copy_project, fix_copy, project_root
from tipcheck.verify.unchanged import normaliser, unchanged

VERIFIED, NOT_KEPT, COULD_NOT_RUN = 0, 1, 2
DEVICES = ("cpu", "cuda", "pretend-cuda")
#: The variables of this process a run keeps (LC_* too); everything else is left out.
KEEP_ENV = (
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM", "SHELL",
    "VIRTUAL_ENV", "CONDA_PREFIX", "LD_LIBRARY_PATH", "CUDA_HOME", "CUDA_PATH", "CUDA_VISIBLE_DEVICES",
    "NVIDIA_VISIBLE_DEVICES", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "SYSTEMROOT",
)  # fmt: skip


@dataclass
class Options:
    script: str
    args: Sequence[str] = ()
    select: Sequence[str] = ()
    preview: bool = False
    batches: int = 3
    epochs: int = 3
    nproc: int = 1
    device: str = "cpu"
    timeout: float = 300.0
    seed: int = 0
    root: Optional[str] = None
    keep: Optional[str] = None
    data_stub: Optional[str] = None
    standins: bool = True
    standin_size: int = 1024
    loss_tolerance: float = 1e-4
    start_method: Optional[str] = None
    preload: bool = True
    substitute: Mapping[str, str] = field(default_factory=dict)  # root-relative file -> fixed text


class UsageError(Exception):
    pass


def run_env(options: Options, scratch: str, project: str, notes: str, watch: Optional[dict] = None) -> Dict[str, str]:
    """The environment of a run (see the module's doc); `watch`: the lines to watch (tipcheck.verify.lines)."""
    env = {k: v for k, v in os.environ.items() if k in KEEP_ENV or k.startswith("LC_")}
    caches = os.path.join(scratch, "cache")
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        TORCH_HOME=os.path.join(caches, "torch"),
        HF_HOME=os.path.join(caches, "huggingface"),
        XDG_CACHE_HOME=caches,
        MPLCONFIGDIR=os.path.join(caches, "matplotlib"),
        MPLBACKEND="Agg",
        WANDB_MODE="disabled",
        PYTHONHASHSEED=str(options.seed),
        PYTHONPATH=project,
        TIPCHECK_DEVICE="cuda" if options.device == "cuda" else "cpu",
    )
    if options.device != "cuda":
        env["CUDA_VISIBLE_DEVICES"] = ""
    if options.device == "pretend-cuda":
        env["TIPCHECK_PRETEND_CUDA"] = "1"
    if options.nproc > 1:
        env["TIPCHECK_DIST_BACKEND"] = "nccl" if options.device == "cuda" else "gloo"
    if options.start_method:
        env["TIPCHECK_START_METHOD"] = options.start_method
    settings = {
        "batches": options.batches,
        "epochs": options.epochs,
        "seed": options.seed,
        "project": project,
        "notes": notes,
        "standins": options.standins,
        "standin_size": options.standin_size,
        "gloo": options.nproc > 1 and options.device != "cuda",
        "data_stub": os.path.abspath(options.data_stub) if options.data_stub else None,
        "watch": watch or {},
    }
    env[ENV_VAR] = json.dumps(settings)
    return env


def _say(progress: Optional[TextIO], text: str) -> None:
    if progress is not None:
        print(text, file=progress, flush=True)


def _run_summary(outcome, seconds: float) -> dict:
    reports = [r for r in outcome.reports if r is not None]
    verify = (reports[0].get("verify") or {}) if reports else {}
    return {
        "seconds": round(seconds, 2),
        "timed_out": outcome.timed_out,
        "exit_codes": outcome.exit_codes,
        "steps": [len(r["lr"]) for r in reports],
        "stopped": verify.get("stopped"),
        "standins": verify.get("standins", []),
        "modules": verify.get("modules", []),
        "errors": [e[:2000] for e in outcome.errors],
    }


def _short_run(options: Options, copy_root: str, script: str, cwd: str, out: str, env) -> tuple:
    started = time.monotonic()
    outcome = run_processes(
        script,
        out,
        env=env,
        timeout=options.timeout,
        nproc=options.nproc,
        args=list(options.args),
        preload=options.preload,
        cwd=cwd,
        inherit_env=False,
    )
    return outcome, time.monotonic() - started


def _line(summary: dict) -> str:
    stopped = summary["stopped"]
    how = f", stopped after {stopped['reason']}" if stopped else ""
    if summary["timed_out"]:
        how = ", timed out"
    return f"{summary['seconds']:.1f} s, {summary['steps']} optimizer steps{how}, exit {summary['exit_codes']}"


def verify(options: Options, progress: Optional[TextIO] = sys.stderr) -> dict:
    """Run the session; the report (see tipcheck.verify.report), with its `exit`."""
    started = time.monotonic()
    script = os.path.abspath(options.script)
    if not os.path.isfile(script):
        raise UsageError(f"no such script: {options.script}")
    if options.device not in DEVICES:
        raise UsageError(f"unknown device {options.device!r} ({', '.join(DEVICES)})")
    if options.batches < 1 or options.epochs < 1 or options.nproc < 1:
        raise UsageError("--batches, --epochs and --nproc must be 1 or more")
    root = os.path.abspath(options.root) if options.root else project_root(script)
    if not script.startswith(root + os.sep):
        raise UsageError(f"the script is not inside --root {root}")
    scratch = os.path.abspath(options.keep) if options.keep else tempfile.mkdtemp(prefix="tipcheck-verify-")
    report: dict = {
        "format": "tipcheck-verify/1",
        "script": options.script,
        "args": list(options.args),
        "root": root,
        "settings": {
            "batches": options.batches,
            "epochs": options.epochs,
            "nproc": options.nproc,
            "device": options.device,
            "seed": options.seed,
            "timeout": options.timeout,
            "standins": options.standins,
        },
        "scratch": scratch if options.keep else None,
    }
    try:
        return _session(options, report, script, root, scratch, progress, started)
    finally:
        if not options.keep:
            shutil.rmtree(scratch, ignore_errors=True)


def _finish(report: dict, verdict: str, code: int, reason: Optional[str], started: float) -> dict:
    report.update(verdict=verdict, exit=code, reason=reason, seconds=round(time.monotonic() - started, 2))
    return report


def _session(options, report, script, root, scratch, progress, started) -> dict:
    for earlier in ("original", "fixed", "runs"):  # a --keep folder used before: nothing of that run carries over
        shutil.rmtree(os.path.join(scratch, earlier), ignore_errors=True)
    try:
        copy = copy_project(root, scratch)
    except (ScratchError, OSError) as exc:
        return _finish(report, "could not run", COULD_NOT_RUN, f"cannot copy the project: {exc}", started)
    rel = os.path.relpath(script, root)
    _say(progress, f"verify: copied {copy.files} files of {root} ({len(copy.skipped_large)} over 2 MB left out)")
    fix = fix_copy(copy, script, options.select, options.preview, options.substitute)
    report.update(rules=fix["rules"], files=fix["files"], findings=fix["findings"], fix_errors=fix["errors"])
    fixed = [f for f in fix["findings"] if f["fixed"]]
    codes = sorted({f["code"] for f in fixed})
    report["fixed_codes"] = codes
    _say(progress, f"verify: {len(fix['findings'])} finding(s), {len(fixed)} fixed: {', '.join(codes) or 'none'}")
    if not fixed:
        return _finish(report, "nothing to verify", VERIFIED, "no finding was fixed", started)
    cwd_user = os.getcwd()
    inside = cwd_user == root or cwd_user.startswith(root + os.sep)
    runs, outcomes = {}, {}
    watched = lines.watch(copy.original, copy.fixed, fixed)
    for phase, base in (("original", copy.original), ("fixed", copy.fixed)):
        out = os.path.join(scratch, "runs", phase)
        os.makedirs(out, exist_ok=True)
        cwd = (
            os.path.join(base, os.path.relpath(cwd_user, root)) if inside else os.path.join(base, os.path.dirname(rel))
        )
        env = run_env(options, scratch, base, out, lines.settings(watched[phase]))
        _say(progress, f"verify: running the {phase} copy ({options.nproc} process(es), {options.device}, "
             f"at most {options.epochs} epochs x {options.batches} batches) ...")  # fmt: skip
        outcome, seconds = _short_run(options, base, os.path.join(base, rel), cwd, out, env)
        outcomes[phase] = outcome
        runs[phase] = _run_summary(outcome, seconds)
        _say(progress, f"verify:   {phase}: {_line(runs[phase])}")
        if phase == "original":
            problem = _original_problem(outcome, codes, out, copy, fix["files"])
            if problem:
                report["runs"] = runs
                return _finish(report, "could not run", COULD_NOT_RUN, problem, started)
    report["runs"] = runs
    before, after = outcomes["original"].reports, outcomes["fixed"].reports
    env = Runs(
        device="cpu" if options.device == "cpu" else "cuda",
        nproc=options.nproc,
        distributed=options.nproc > 1,
        pretend=options.device == "pretend-cuda",
        args=tuple(options.args),
    )
    ran = set(runs["original"]["modules"]) | set(runs["fixed"]["modules"]) | {rel}
    saw = {phase: lines.seen(os.path.join(scratch, "runs", phase)) for phase in runs}
    for index, finding in enumerate(fixed):
        finding.update(lines.outcome(finding, {p: watched[p][index] for p in watched}, saw))
    promises = []
    for code in codes:
        where = [f"{f['file']}:{f['line']}" for f in fixed if f["code"] == code]
        row = judge(code, before, after, env)
        never = lines.not_shown([f for f in fixed if f["code"] == code])
        if not any(f["file"] in ran for f in fixed if f["code"] == code):
            row.update(verdict=NOT_SHOWN, detail="its file(s) did not run: " + ", ".join(where))
        elif row["verdict"] == NOT_SHOWN and never:
            row["detail"] = never
        if outcomes["fixed"].timed_out:
            row.update(verdict=BROKEN, detail=f"the fixed copy did not finish in {options.timeout:g} s")
        row["findings"] = where
        promises.append(row)
    report["promises"] = promises
    passed = _past_the_crash(before, after, codes)
    if passed:
        report["unchanged"] = []
        return _finish(report, "could not run", COULD_NOT_RUN, passed, started)
    normalise = normaliser(copy.original, copy.fixed, scratch)
    report["unchanged"] = unchanged(before, after, codes, options.loss_tolerance, normalise)
    broken = [r for r in promises + report["unchanged"] if r["verdict"] == BROKEN]
    if broken:
        what = broken[0].get("code") or broken[0].get("check")
        return _finish(report, "broken", NOT_KEPT, f"{what}: {broken[0]['detail']}", started)
    shown = [r for r in promises if r["verdict"] != NOT_SHOWN]
    reason = None if len(shown) == len(promises) else f"{len(promises) - len(shown)} promise(s) not shown by this run"
    return _finish(report, "verified", VERIFIED, reason, started)


def _past_the_crash(before, after, codes: Sequence[str]) -> Optional[str]:
    """When the original failed where a fix removes the failure, and the fixed copy got past it
    only to fail otherwise: the runs cannot be compared (why), else None."""

    def text(report):
        exc = (report or {}).get("exception")
        return f"{exc['type']}: {exc['message'].strip()[:200]}" if exc else None

    crashed = [t for t in map(text, before) if t]
    failed = [t for t in map(text, after) if t]
    if not crashed or not failed:
        return None
    if failed[0] == crashed[0]:
        return (
            f"both copies fail the same way ({failed[0][:300]}): the fix leaves this failure as it is, "
            "either because it is not the one the fix is about or because the fix does not remove it"
        )
    patterns = [CRASH_FIXES[c] for c in codes if c in CRASH_FIXES]
    if any(re.search(p, failed[0]) for p in patterns):
        return None  # the same failure: the fix did not remove it (judged as broken)
    return (
        f"the original failed ({crashed[0][:150]}), as the fix says; the fixed copy got past that and "
        f"failed further on: {failed[0][:300]} (not something the original reached: fix that first)"
    )


def _original_problem(outcome, codes: Sequence[str], notes: str, copy, files: List[str]) -> Optional[str]:
    """Why the original's run cannot be compared (None: it can)."""
    flags = dummy_flags(os.path.join(copy.original, f) for f in files)
    missing = missing_files(outcome.reports, notes)
    if outcome.timed_out:
        why = "the original did not finish its short run in time (--timeout)"
        return why + (f"; it was stuck reading missing data ({missing[0]['file']})" if missing else "")
    if not outcome.complete:
        return "the original left no report: " + (outcome.errors[0][-1500:] if outcome.errors else "?")
    for report in outcome.reports:
        exc = report.get("exception")
        if exc is None and report.get("exit") in (0, None) and not (missing and not report["lr"]):
            continue
        text = f"{(exc or {}).get('type')}: {(exc or {}).get('message')}"
        if exc and any(code in CRASH_FIXES and re.search(CRASH_FIXES[code], text) for code in codes):
            continue  # the crash the fix is there to remove
        return "the original failed: " + failure_reason(report, missing, flags, copy.original)
    return None

#!/usr/bin/env python
"""Check on a real GPU what the device rules (TIP1xx) and their fixes do: where the model's
parameters and its inputs are at each forward call, before and after `tipcheck fix --unsafe-fixes`.

Two halves, on two machines:

    python scripts/gpu_check.py prepare OUTDIR [--select CODES] [PATHS...]
        HERE, where tipcheck (libcst, click) is installed. Copies each TIP1xx fixture
        (fixtures/tip1NN_*.py and fixtures/seed_tip1*.py, or PATHS) to OUTDIR/original/, writes
        what `tipcheck fix --unsafe-fixes` makes of it to OUTDIR/fixed/, and records both, with
        the rule each one is about and the codes reported before and after the fix, in
        OUTDIR/manifest.json. This script is copied to OUTDIR/gpu_check.py too, so that OUTDIR
        alone is enough on the other machine.

    python scripts/gpu_check.py run OUTDIR [--json REPORT] [--timeout SECONDS]
        THERE, on the GPU machine: needs only the standard library and torch (no tipcheck, no
        libcst, no click). Runs every original and fixed script of the manifest in its own
        subprocess, under a small runpy wrapper (`_trace`, below) that records, at each outermost
        `nn.Module` call, the devices of the module's parameters and of the tensors passed to it,
        then the script's exit status and exception, and the devices of the tensors and modules
        it leaves in its globals. Writes a JSON report (default OUTDIR/gpu_check_report.json),
        prints a table, and exits 1 if a run did not do what is expected of it.

What is expected depends on whether CUDA is available where `run` runs:

    script                with CUDA                              without CUDA
    fixed (any rule)      exit 0, all on cuda:0                  exit 0, all on cpu
    TIP101 original       exit 0, all on cpu (GPU left idle)     exit 0, all on cpu
    TIP102 original       exit 0, all on cuda:0                  crashes (no CUDA)
    TIP103 original       crashes: "Expected all tensors to be   exit 0, all on cpu
                          on the same device" (params on cuda:0,
                          inputs on cpu)

"All on D" means: every parameter and every tensor input of every outermost module call is on D;
a script that calls no module (the seed chapter's Tip 1) is judged by the tensors and modules
left in its globals instead.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import traceback
from typing import Any, Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = "manifest.json"
DEFAULT_REPORT = "gpu_check_report.json"
SAME_DEVICE = "Expected all tensors to be on the same device"
#: Detailed records kept per run (the summary counts every call).
MAX_CALLS = 200


# == prepare (here: imports tipcheck) ==============================================================


def _repo_root() -> str:
    return os.path.dirname(HERE)


def _default_paths() -> List[str]:
    fixtures = os.path.join(_repo_root(), "fixtures")
    names = sorted(
        n for n in os.listdir(fixtures) if re.match(r"(tip1\d\d_|seed_tip1_).*\.py$", n)
    )
    return [os.path.join(fixtures, n) for n in names]


def _rule_of(name: str, codes: Sequence[str]) -> Optional[str]:
    """The rule a fixture is about: from its name (`tip103_...`), else the one TIP1xx code reported."""
    match = re.match(r"tip(\d{3})_", name)
    if match:
        return f"TIP{match.group(1)}"
    device_codes = sorted({c for c in codes if c.startswith("TIP1")})
    return device_codes[0] if len(device_codes) == 1 else None


def prepare(outdir: str, paths: Sequence[str], select: Sequence[str]) -> int:
    sys.path.insert(0, _repo_root())
    from tipcheck import __version__
    from tipcheck.engine import fix_paths, lint_paths
    from tipcheck.rules import select_rules

    rules = select_rules(list(select))
    all_rules = select_rules([])
    paths = list(paths) or _default_paths()
    if not paths:
        print("no TIP1xx fixture found", file=sys.stderr)
        return 2
    for sub in ("original", "fixed"):
        os.makedirs(os.path.join(outdir, sub), exist_ok=True)

    def codes_of(path: str) -> List[str]:
        [result] = lint_paths([path], all_rules)
        if result.errors:
            raise SystemExit(f"{path}: internal errors: {[e.trace for e in result.errors]}")
        return sorted(d.code for d in result.diagnostics)

    entries = []
    problems = 0
    for path in paths:
        name = os.path.basename(path)
        original = os.path.join(outdir, "original", name)
        fixed = os.path.join(outdir, "fixed", name)
        shutil.copyfile(path, original)
        before = codes_of(original)
        [result] = fix_paths([original], rules, unsafe=True)
        if result.errors or result.dropped_fixes:
            raise SystemExit(f"{path}: fix failed: {[e.trace for e in result.errors]} {result.dropped_fixes}")
        text = result.source.text if result.fixed_text is None else result.fixed_text
        with open(fixed, "w", encoding="utf-8") as handle:
            handle.write(text)
        after = codes_of(fixed)
        rule = _rule_of(name, before)
        notes = []
        if rule is None:
            notes.append("no single TIP1xx rule: no expectation for the original")
        elif rule not in before:
            notes.append(f"{rule} is not reported on the original")
        if rule is not None and rule in after:
            notes.append(f"{rule} is still reported after the fix")
        if text == open(original, encoding="utf-8").read():
            notes.append("the fix changed nothing")
        problems += bool(notes)
        entries.append(
            {
                "name": name,
                "rule": rule,
                "original": f"original/{name}",
                "fixed": f"fixed/{name}",
                "codes_before": before,
                "codes_after_fix": after,
                "notes": notes,
            }
        )
        print(f"{name:45} {rule or '?':7} before: {','.join(before) or '-':30} after fix: {','.join(after) or '-'}"
              + (f"  !! {'; '.join(notes)}" if notes else ""))
    manifest = {
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "tipcheck_version": __version__,
        "fix_command": "tipcheck fix --unsafe-fixes" + (f" --select {','.join(select)}" if select else ""),
        "scripts": entries,
    }
    with open(os.path.join(outdir, MANIFEST), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
    if os.path.abspath(os.path.join(outdir, "gpu_check.py")) != os.path.abspath(__file__):
        shutil.copyfile(os.path.abspath(__file__), os.path.join(outdir, "gpu_check.py"))
    print(f"wrote {len(entries)} pairs and {MANIFEST} to {outdir}")
    return 1 if problems else 0


# == _trace (there, in the child: stdlib + torch) ==================================================


def _devices_in(value: Any, torch, found: set, depth: int = 0) -> None:
    if isinstance(value, torch.Tensor):
        found.add(str(value.device))
    elif depth < 4 and isinstance(value, (list, tuple)):
        for item in value[:64]:
            _devices_in(item, torch, found, depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for item in list(value.values())[:64]:
            _devices_in(item, torch, found, depth + 1)


def _param_devices(module) -> List[str]:
    return sorted({str(p.device) for p in module.parameters()})


def trace(report_path: str, script: str, args: Sequence[str]) -> int:
    """Run `script` as `python script args` would, recording devices at each outermost module call."""
    import runpy
    import threading

    import torch

    state = threading.local()
    calls: List[Dict[str, Any]] = []
    summary: Dict[str, Dict[str, Any]] = {}
    counter = {"calls": 0}
    original_call = torch.nn.Module.__call__

    def record(module, args, kwargs) -> None:
        inputs: set = set()
        _devices_in(args, torch, inputs)
        _devices_in(kwargs, torch, inputs)
        params = _param_devices(module)
        name = type(module).__qualname__
        counter["calls"] += 1
        if len(calls) < MAX_CALLS:
            calls.append({"module": name, "param_devices": params, "input_devices": sorted(inputs)})
        entry = summary.setdefault(name, {"calls": 0, "param_devices": [], "input_devices": []})
        entry["calls"] += 1
        entry["param_devices"] = sorted(set(entry["param_devices"]) | set(params))
        entry["input_devices"] = sorted(set(entry["input_devices"]) | inputs)

    def __call__(self, *args, **kwargs):
        depth = getattr(state, "depth", 0)
        if depth == 0:
            try:
                record(self, args, kwargs)
            except Exception:  # recording must never change what the script does
                pass
        state.depth = depth + 1
        try:
            return original_call(self, *args, **kwargs)
        finally:
            state.depth = depth

    torch.nn.Module.__call__ = __call__

    exit_code, exception, namespace = 0, None, None
    sys.argv = [script, *args]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    started = time.monotonic()
    try:
        namespace = runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        code = exc.code
        exit_code = 0 if code is None else code if isinstance(code, int) else 1
        if isinstance(code, str):
            print(code, file=sys.stderr)
    except BaseException as exc:
        traceback.print_exc()
        exit_code = 1
        exception = {
            "type": f"{type(exc).__module__}.{type(exc).__qualname__}".replace("builtins.", ""),
            "message": str(exc),
            "traceback": traceback.format_exc()[-4000:],
        }
    elapsed = time.monotonic() - started
    left = {}
    for name, value in (namespace or {}).items():
        if name.startswith("__"):
            continue
        if isinstance(value, torch.Tensor):
            left[name] = {"kind": "tensor", "devices": [str(value.device)]}
        elif isinstance(value, torch.nn.Module):
            left[name] = {"kind": "module", "devices": _param_devices(value)}
    report = {
        "script": os.path.abspath(script),
        "exit": exit_code,
        "exception": exception,
        "seconds": round(elapsed, 3),
        "cuda_available": torch.cuda.is_available(),
        "forward_calls": counter["calls"],
        "calls": calls,
        "modules": summary,
        "globals": left,
    }
    with open(report_path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=1)
    return exit_code


# == run (there: stdlib + torch) ===================================================================


def _environment() -> Dict[str, Any]:
    import torch

    env: Dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": torch.__version__,
        "cuda_build": torch.version.cuda,
        "cuda_available": torch.cuda.is_available(),
        "device_count": torch.cuda.device_count() if torch.cuda.is_available() else 0,
    }
    try:
        import torchvision

        env["torchvision"] = torchvision.__version__
    except Exception:
        env["torchvision"] = None
    if env["cuda_available"]:
        env["device_name"] = torch.cuda.get_device_name(0)
    return env


def _observed(trace: Dict[str, Any]) -> Tuple[List[str], List[str], str]:
    """(parameter devices, input devices, where from): from the module calls, or else from what
    the script left in its globals."""
    if trace.get("modules"):
        params, inputs = set(), set()
        for entry in trace["modules"].values():
            params.update(entry["param_devices"])
            inputs.update(entry["input_devices"])
        return sorted(params), sorted(inputs), "forward calls"
    params, inputs = set(), set()
    for entry in (trace.get("globals") or {}).values():
        (params if entry["kind"] == "module" else inputs).update(entry["devices"])
    return sorted(params), sorted(inputs), "globals"


def _all_on(trace: Dict[str, Any], device: str) -> List[str]:
    """What keeps a run from being all on `device` (empty if it is)."""
    params, inputs, source = _observed(trace)
    if not params and not inputs:
        return ["no parameter or tensor was observed"]
    problems = []
    if params and params != [device]:
        problems.append(f"parameters on {','.join(params)} ({source})")
    if inputs and inputs != [device]:
        problems.append(f"inputs on {','.join(inputs)} ({source})")
    return problems


def _crashed(trace: Dict[str, Any], message: Optional[str] = None) -> List[str]:
    if trace["exit"] == 0:
        return ["it ran to the end"]
    if message is not None:
        got = (trace.get("exception") or {}).get("message", "")
        if message not in got:
            return [f"it failed, but not with {message!r}: {got[:200]!r}"]
    return []


def _succeeded(trace: Dict[str, Any]) -> List[str]:
    if trace["exit"] != 0:
        exc = trace.get("exception") or {}
        return [f"exit {trace['exit']}" + (f": {exc.get('type')}: {exc.get('message', '')[:200]}" if exc else "")]
    return []


def expectation(rule: Optional[str], variant: str, cuda: bool) -> Tuple[str, Any]:
    """(what is expected, a check returning the list of problems) for one run."""
    device = "cuda:0" if cuda else "cpu"
    if variant == "fixed":
        return f"exit 0, all on {device}", lambda t: _succeeded(t) or _all_on(t, device)
    if rule == "TIP101":
        return "exit 0, all on cpu", lambda t: _succeeded(t) or _all_on(t, "cpu")
    if rule == "TIP102":
        if cuda:
            return "exit 0, all on cuda:0", lambda t: _succeeded(t) or _all_on(t, "cuda:0")
        return "crash (no CUDA)", lambda t: _crashed(t)
    if rule == "TIP103":
        if cuda:

            def check(t):
                problems = _crashed(t, SAME_DEVICE)
                mixed = [c for c in t.get("calls", []) if "cuda:0" in c["param_devices"] and "cpu" in c["input_devices"]]
                if not mixed:
                    problems.append("no call with parameters on cuda:0 and inputs on cpu was observed")
                return problems

            return f"crash: {SAME_DEVICE!r} (params cuda:0, inputs cpu)", check
        return "exit 0, all on cpu", lambda t: _succeeded(t) or _all_on(t, "cpu")
    return "(none)", lambda t: []


def _run_one(script: str, workdir: str, timeout: float) -> Dict[str, Any]:
    os.makedirs(workdir, exist_ok=True)
    workdir = os.path.abspath(workdir)
    trace_path = os.path.join(workdir, "trace.json")
    if os.path.exists(trace_path):
        os.remove(trace_path)
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1")
    env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, os.path.abspath(__file__), "_trace", "--report", trace_path, os.path.abspath(script)]
    started = time.monotonic()
    with open(os.path.join(workdir, "stdout.txt"), "wb") as out, open(os.path.join(workdir, "stderr.txt"), "wb") as err:
        try:
            proc = subprocess.run(command, cwd=workdir, stdout=out, stderr=err, stdin=subprocess.DEVNULL, timeout=timeout)
            returncode: Optional[int] = proc.returncode
        except subprocess.TimeoutExpired:
            returncode = None
    wall = round(time.monotonic() - started, 2)
    with open(os.path.join(workdir, "stderr.txt"), encoding="utf-8", errors="replace") as handle:
        stderr_tail = handle.read()[-3000:]
    if os.path.exists(trace_path):
        with open(trace_path, encoding="utf-8") as handle:
            trace = json.load(handle)
    else:  # killed, timed out, or died before the wrapper could write (a segfault)
        why = "timed out" if returncode is None else f"exit {returncode} before the wrapper wrote its trace"
        trace = {"exit": returncode if returncode is not None else -1, "exception": {"type": "NoTrace", "message": why},
                 "forward_calls": 0, "calls": [], "modules": {}, "globals": {}}
    trace["returncode"] = returncode
    trace["wall_seconds"] = wall
    trace["stderr_tail"] = stderr_tail
    return trace


def run(outdir: str, report_path: str, timeout: float) -> int:
    outdir = os.path.abspath(outdir)  # the runs' working directories are under it
    with open(os.path.join(outdir, MANIFEST), encoding="utf-8") as handle:
        manifest = json.load(handle)
    env = _environment()
    cuda = bool(env["cuda_available"])
    results = []
    for entry in manifest["scripts"]:
        for variant in ("original", "fixed"):
            script = os.path.join(outdir, entry[variant])
            trace = _run_one(script, os.path.join(outdir, "runs", entry["name"][:-3], variant), timeout)
            expected, check = expectation(entry["rule"], variant, cuda)
            problems = check(trace)
            params, inputs, source = _observed(trace)
            results.append(
                {
                    "name": entry["name"],
                    "rule": entry["rule"],
                    "variant": variant,
                    "script": entry[variant],
                    "expected": expected,
                    "ok": not problems,
                    "problems": problems,
                    "exit": trace["exit"],
                    "exception": trace.get("exception"),
                    "param_devices": params,
                    "input_devices": inputs,
                    "observed_from": source,
                    "trace": trace,
                }
            )
    report = {"environment": env, "manifest": manifest, "results": results, "ok": all(r["ok"] for r in results)}
    with open(report_path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=1)
    _print_table(env, results)
    print(f"\nreport: {report_path}")
    return 0 if report["ok"] else 1


def _print_table(env: Dict[str, Any], results: List[Dict[str, Any]]) -> None:
    where = env.get("device_name") or "no CUDA"
    print(f"torch {env['torch']} (CUDA build {env['cuda_build']}), torchvision {env['torchvision']}, "
          f"python {env['python']}: {where}")
    rows = [("script", "rule", "variant", "exit", "exception", "params", "inputs", "expected", "ok")]
    for r in results:
        exc = r["exception"] or {}
        message = f"{exc.get('type', '').rsplit('.', 1)[-1]}: {exc.get('message', '')}" if exc else ""
        rows.append(
            (
                r["name"][:-3],
                r["rule"] or "?",
                r["variant"],
                str(r["exit"]),
                (message.splitlines() or [""])[0][:48],
                ",".join(r["param_devices"]) or "-",
                ",".join(r["input_devices"]) or "-",
                r["expected"][:48],
                "ok" if r["ok"] else "FAIL",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))
    for r in results:
        if not r["ok"]:
            print(f"FAIL {r['name']} ({r['variant']}): {'; '.join(r['problems'])}")


# == command line ==================================================================================


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_trace"]:  # the wrapper: _trace --report PATH SCRIPT [ARGS...]
        if len(argv) < 4 or argv[1] != "--report":
            print("usage: gpu_check.py _trace --report PATH SCRIPT [ARGS...]", file=sys.stderr)
            return 2
        return trace(argv[2], argv[3], argv[4:])
    parser = argparse.ArgumentParser(prog="gpu_check.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare", help="(here) copy the TIP1xx fixtures and their fixed versions to OUTDIR")
    p.add_argument("outdir")
    p.add_argument("paths", nargs="*", help="scripts to copy (default: fixtures/tip1NN_*.py, fixtures/seed_tip1*.py)")
    p.add_argument("--select", default="", help="rule codes whose fixes to apply (default: all, as `tipcheck fix`)")
    r = sub.add_parser("run", help="(there) run each original and fixed script of OUTDIR and check devices")
    r.add_argument("outdir")
    r.add_argument("--json", dest="report", default=None, help=f"the JSON report (default: OUTDIR/{DEFAULT_REPORT})")
    r.add_argument("--timeout", type=float, default=300.0, help="seconds per script run (default 300)")
    options = parser.parse_args(argv)
    if options.command == "prepare":
        select = [c.strip() for c in options.select.split(",") if c.strip()]
        return prepare(options.outdir, options.paths, select)
    return run(options.outdir, options.report or os.path.join(options.outdir, DEFAULT_REPORT), options.timeout)


if __name__ == "__main__":
    sys.exit(main())

"""Run representative TIP101/TIP102/TIP103 corpus positives before and after
`tipcheck fix --unsafe-fixes --select TIP1`, and check that the fix does what the rules promise.

- TIP102: the original crashes on a machine without CUDA ("Torch not compiled with CUDA enabled",
  or no NVIDIA driver on a CUDA build); the fixed script runs to completion.
- TIP101: the original trains on the CPU (on a CUDA machine, that is the bug); the fixed script
  trains where the device idiom points.
- TIP103: the original runs on a CPU-only machine but crashes on a CUDA one ("Expected all tensors
  to be on the same device"); the fixed script runs on both.
- Every fixed script runs to completion, and every top-level module call (the model, the loss)
  sees its parameters and its tensor arguments on one device: CUDA when available, else the CPU.

Nothing in the scripts is patched. They run one after the other in one subprocess (torch is
imported once), under global module hooks that record, for each top-level module call, the devices
of the module's parameters and buffers and of its tensor arguments. On this CPU-only machine the
device checks are about the CPU; the same tests check the CUDA side where a GPU is present.

They run a second time under tipcheck.harness.pretend_cuda (CUDA answers available, the devices
recorded are those the scripts asked for), so that on any machine a fixed script must put its
model and batches on cuda:0 when there is a GPU: a fix that moves them to "cpu", or not at all,
fails there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set

import pytest

pytest.importorskip("torch")

from tipcheck.engine import lint_paths  # noqa: E402
from tipcheck.fixing import fix_paths  # noqa: E402
from tipcheck.rules import select_rules  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "rules"  # rules/TIP103/p103_..., beside the rule page
RULES = select_rules(["TIP1"])

# (corpus case, the rule it is a positive of)
CASES = [
    ("p102_seed_tip1.py", "TIP102"),
    ("p102_cuda_everywhere.py", "TIP102"),
    ("p102_device_constant.py", "TIP102"),
    # Where the device variable goes: before every use, after an import of torch it needs.
    ("p102_late_torch_import.py", "TIP102"),
    ("p102_import_torch_as_th.py", "TIP102"),
    ("p102_from_torch_imports_only.py", "TIP102"),
    ("p102_main_before_late_import.py", "TIP102"),
    # A "cuda" string kept in a name, a default; GPUs chosen at the top of the script.
    ("p102_device_string_variable.py", "TIP102"),
    ("p102_device_string_default.py", "TIP102"),
    ("p102_visible_devices_top_level.py", "TIP102"),
    ("p101_toy_regression.py", "TIP101"),
    ("p101_replace_head_finetune.py", "TIP101"),
    ("p101_flatten_reshape.py", "TIP101"),
    ("p103_toy_classifier.py", "TIP103"),
]
NO_CUDA = ("Torch not compiled with CUDA enabled", "NVIDIA driver", "no NVIDIA", "CUDA driver")
MIXED_DEVICES = "Expected all tensors to be on the same device"

RUNNER = r"""
import contextlib, io, json, os, runpy, sys
import torch
from torch.nn.modules import module as _module

state = {"depth": 0, "calls": set()}
where = lambda tensor: str(tensor.device)  # noqa: E731
if os.environ.get("TIPCHECK_PRETEND_CUDA"):  # the device each tensor was asked to be on
    from tipcheck.harness import pretend_cuda

    pretend_cuda.install()
    where = pretend_cuda.requested_device


def _devices(obj, out):
    if isinstance(obj, torch.Tensor):
        out.add(where(obj))
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            _devices(item, out)
    elif isinstance(obj, dict):
        for item in obj.values():
            _devices(item, out)


def _pre(module, args):
    if state["depth"] == 0:
        params = {where(t) for t in (*module.parameters(), *module.buffers())}
        inputs = set()
        _devices(args, inputs)
        state["calls"].add((type(module).__name__, tuple(sorted(params)), tuple(sorted(inputs))))
    state["depth"] += 1


def _post(module, args, output):
    state["depth"] -= 1


_module.register_module_forward_pre_hook(_pre)
try:
    _module.register_module_forward_hook(_post, always_call=True)
except TypeError:  # older torch
    _module.register_module_forward_hook(_post)

results = []
for script in sys.argv[2:]:
    state["depth"], state["calls"] = 0, set()
    folder = os.path.dirname(script)
    old_cwd, old_argv, old_path = os.getcwd(), sys.argv, list(sys.path)
    os.chdir(folder)
    sys.argv = [script]
    sys.path.insert(0, folder)
    exception = None
    stdout = io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout):
            runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (0, None):
            exception = {"type": "SystemExit", "message": str(exc.code)}
    except BaseException as exc:
        exception = {"type": type(exc).__name__, "message": str(exc)[:1000]}
    finally:
        os.chdir(old_cwd)
        sys.argv, sys.path[:] = old_argv, old_path
    calls = [{"module": m, "params": list(p), "inputs": list(i)} for m, p, i in sorted(state["calls"])]
    results.append({"script": script, "exception": exception, "calls": calls, "stdout": stdout.getvalue()[-2000:]})

with open(sys.argv[1], "w") as handle:
    json.dump({"cuda": torch.cuda.is_available(), "pretend": bool(os.environ.get("TIPCHECK_PRETEND_CUDA")), "results": results}, handle)
"""


def _fixed_text(path: Path) -> str:
    [result] = fix_paths([str(path)], RULES, unsafe=True)
    assert not result.errors and not result.dropped_fixes, (result.errors, result.dropped_fixes)
    assert result.fixed_text is not None, f"{path.name}: no fix applied"
    return result.fixed_text


def _codes(path: Path) -> List[str]:
    [result] = lint_paths([str(path)], RULES)
    assert not result.errors, [e.trace for e in result.errors]
    return sorted(d.code for d in result.diagnostics)


def _run_all(tmp_path_factory, pretend: bool) -> Dict:
    root = tmp_path_factory.mktemp("device_fixes_pretend" if pretend else "device_fixes")
    (root / "original").mkdir()
    (root / "fixed").mkdir()
    scripts = []
    out: Dict = {}
    for name, rule in CASES:
        source = CORPUS / f"TIP{name[1:4]}" / name
        assert rule in _codes(source), f"{name}: {rule} is not reported on the original"
        original = root / "original" / name
        original.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        fixed = root / "fixed" / name
        fixed.write_text(_fixed_text(source), encoding="utf-8")
        out[name] = {"fixed_codes": _codes(fixed)}
        scripts += [str(original), str(fixed)]
    runner = root / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    report = root / "report.json"
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONWARNINGS="ignore")
    if pretend:
        env.update(TIPCHECK_PRETEND_CUDA="1", CUDA_VISIBLE_DEVICES="")
    proc = subprocess.run(
        [sys.executable, str(runner), str(report), *scripts], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0 and report.exists(), proc.stderr[-4000:]
    data = json.loads(report.read_text())
    by_script = {r["script"]: r for r in data["results"]}
    for name, _ in CASES:
        out[name]["original"] = by_script[str(root / "original" / name)]
        out[name]["fixed"] = by_script[str(root / "fixed" / name)]
    out["cuda"] = data["cuda"]
    assert data["pretend"] == pretend
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Dict:
    """{case: {"original": run, "fixed": run, "fixed_codes": [...]}}, plus "cuda": bool."""
    return _run_all(tmp_path_factory, pretend=False)


@pytest.fixture(scope="module")
def pretend_runs(tmp_path_factory) -> Dict:
    """The same, under tipcheck.harness.pretend_cuda: CUDA answers available, and the devices
    recorded are those the scripts asked for. On a machine without a GPU, this is what tells a
    script moved to the chosen device from one left where it was."""
    return _run_all(tmp_path_factory, pretend=True)


def _all_devices(run: Dict) -> Set[str]:
    return {d for call in run["calls"] for d in (*call["params"], *call["inputs"])}


def _expected_device(runs: Dict) -> str:
    return "cuda:0" if runs["cuda"] else "cpu"


@pytest.mark.parametrize("name,rule", CASES, ids=[c[0] for c in CASES])
def test_fixed_script_runs_on_one_device(name: str, rule: str, runs: Dict) -> None:
    run = runs[name]["fixed"]
    assert run["exception"] is None, f"{name}: the fixed script failed: {run['exception']}"
    assert rule not in runs[name]["fixed_codes"], f"{name}: {rule} is still reported after the fix"
    expected = _expected_device(runs)
    if name == "p102_seed_tip1.py":  # no module: the script prints the tensor's device
        assert run["stdout"].split() == [expected], run["stdout"]
        return
    assert run["calls"], f"{name}: no module was called"
    mixed = [c for c in run["calls"] if set(c["params"]) | set(c["inputs"]) != {expected}]
    assert not mixed, f"{name}: module calls off {expected} after the fix: {mixed}"


@pytest.mark.parametrize("name,rule", CASES, ids=[c[0] for c in CASES])
def test_original_fails_as_the_rule_says(name: str, rule: str, runs: Dict) -> None:
    run = runs[name]["original"]
    cuda = runs["cuda"]
    exception = run["exception"]
    if rule == "TIP102":
        if cuda:
            assert exception is None, f"{name}: {exception}"
        else:
            assert exception is not None, f"{name}: the original ran without CUDA"
            assert exception["type"] in ("AssertionError", "RuntimeError"), exception
            assert any(text in exception["message"] for text in NO_CUDA), exception
    elif rule == "TIP101":
        assert exception is None, f"{name}: {exception}"
        # It trains on the CPU: on a CUDA machine that is the bug the fix removes.
        assert _all_devices(run) == {"cpu"}, run["calls"]
    elif rule == "TIP103":
        if cuda:
            assert exception is not None and MIXED_DEVICES in exception["message"], exception
        else:
            assert exception is None, f"{name}: {exception}"


MODULE_CASES = [(name, rule) for name, rule in CASES if name != "p102_seed_tip1.py"]  # that one calls no module


@pytest.mark.parametrize("name,rule", MODULE_CASES, ids=[c[0] for c in MODULE_CASES])
def test_fixed_script_asks_for_cuda_when_there_is_one(name: str, rule: str, pretend_runs: Dict) -> None:
    """With CUDA available (pretended), every module call of the fixed script is on cuda:0."""
    run = pretend_runs[name]["fixed"]
    assert run["exception"] is None, f"{name}: the fixed script failed: {run['exception']}"
    assert run["calls"], f"{name}: no module was called"
    assert _all_devices(run) == {"cuda:0"}, run["calls"]


@pytest.mark.parametrize("name,rule", MODULE_CASES, ids=[c[0] for c in MODULE_CASES])
def test_original_with_cuda_available(name: str, rule: str, pretend_runs: Dict) -> None:
    """What the rule says of the original when there is a GPU: TIP101 trains on the CPU, TIP103
    mixes devices (the error a GPU run raises), TIP102 runs."""
    run = pretend_runs[name]["original"]
    if rule == "TIP101":
        assert run["exception"] is None and _all_devices(run) == {"cpu"}, (run["exception"], run["calls"])
    elif rule == "TIP103":
        assert run["exception"] is not None and MIXED_DEVICES in run["exception"]["message"], run["exception"]
    else:
        assert run["exception"] is None and _all_devices(run) == {"cuda:0"}, (run["exception"], run["calls"])

"""The harness: every fixture, before and after `tipcheck fix --unsafe-fixes` (all rules), judged by
its expectation file, on CPU, over a 2-process gloo group, and in pretend-cuda (cuda played on the
CPU: the devices the script asked for); wrong fixes are caught, and so is no fix at all (each
fixture's original given as its fixed copy fails); the CLI; and the prepared-folder path that runs
where tipcheck's linter (libcst, click) is not installed.

Runs are forked from a server that has imported torch once (`preload=True`, the harness's default).
The GPU runs (cuda, nccl×2) skip without CUDA.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("torchvision")

from click.testing import CliRunner  # noqa: E402

from tipcheck.cli import cli  # noqa: E402
from tipcheck.harness import run_instrumented  # noqa: E402
from tipcheck.harness.expectations import (  # noqa: E402
    CHECKS,
    Context,
    Environment,
    ExpectationError,
    _spec,
    expectation_path,
    load_expectation,
    parse_expectation,
    run_check,
)
from tipcheck.harness.runner import environments, find_fixtures, make_cases, run_cases  # noqa: E402
from tipcheck.rules import RULES_BY_CODE  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SCRIPTS = sorted(p for p in FIXTURES.glob("*.py"))
#: The fixtures of rules this checkout does not have yet (their fixed copies cannot be made: the
#: harness gives them an "error" verdict); tests/test_harness_loaders.py runs them with fixed
#: copies written by hand.
RULES = {s: load_expectation(expectation_path(str(s))).rule for s in SCRIPTS}
PENDING = [s for s in SCRIPTS if RULES[s] is not None and RULES[s] not in RULES_BY_CODE]
RUNNABLE = [s for s in SCRIPTS if s not in PENDING]
CUDA = torch.cuda.is_available()
GPUS = torch.cuda.device_count() if CUDA else 0


def _pairs(devices):
    """(fixture name, environment name) for every fixture that has an expectation."""
    out = []
    for script in RUNNABLE:
        path = expectation_path(str(script))
        if os.path.isfile(path):
            for env in environments(load_expectation(path), devices):
                out.append((script.stem, env.name))
    return out


def _failures(result: dict) -> str:
    lines = [f"{result['fixture']} @ {result['environment']}: {result['verdict']} {result.get('reason') or ''}"]
    for check in result["checks"]:
        if not check["ok"]:
            lines.append(f"  {check['phase']}: {check['label']}: {check['detail']}")
    for phase, run in result["runs"].items():
        for tail in run.get("stderr_tails", []):
            if tail:
                lines.append(f"  [{phase} stderr] ...{tail[-800:]}")
    return "\n".join(lines)


def _result(report: dict, fixture: str, env: str) -> dict:
    [result] = [r for r in report["results"] if r["fixture"] == fixture and r["environment"] == env]
    return result


# -- expectation files ----------------------------------------------------------------------------


def test_every_fixture_has_a_valid_expectation():
    assert SCRIPTS
    for script in SCRIPTS:
        path = expectation_path(str(script))
        assert os.path.isfile(path), f"{script.name} has no {Path(path).name}"
        expectation = load_expectation(path)  # raises on an unknown check or key
        assert expectation.before and expectation.after
    for path in FIXTURES.glob("*.expect.json"):
        assert path.with_name(path.name.replace(".expect.json", ".py")).is_file(), f"{path.name}: no fixture"
    assert [Path(p).stem for p in find_fixtures([str(FIXTURES)])] == [s.stem for s in SCRIPTS]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"before": ["exit_ok"], "after": ["no_such_check"]}, "unknown check 'no_such_check'"),
        ({"before": ["exit_ok"], "after": [{"check": "lr_constant", "valeu": 1}]}, "lr_constant takes no valeu"),
        ({"before": ["exit_ok"], "after": [{"check": "crash_matching"}]}, "crash_matching needs pattern"),
        ({"before": ["same_weights_as_original"], "after": ["exit_ok"]}, 'it belongs in "after"'),
        ({"before": ["exit_ok"], "after": []}, '"after" must be a non-empty list'),
        ({"before": ["exit_ok"], "after": ["exit_ok"], "nproc": 0}, "nproc must be a positive integer"),
        ({"before": ["exit_ok"], "after": ["exit_ok"], "rules": "TIP1"}, "unknown key(s) rules"),
        ({"before": [{"check": "exit_ok", "device": "tpu"}], "after": ["exit_ok"]}, "device must be one of"),
        ({"before": [{"check": "warning_matching", "pattern": "("}], "after": ["exit_ok"]}, "bad pattern"),
    ],
)
def test_bad_expectations_are_refused(data, message):
    with pytest.raises(ExpectationError) as caught:
        parse_expectation(data, "x.expect.json")
    assert message in str(caught.value)


def _report(**overrides):
    report = {
        "rank": None,
        "exit": 0,
        "exception": None,
        "lr": [],
        "warnings": [],
        "sampler_epochs": [],
        "schedulers": [],
        "loss": 1.0,
        "loss_all_finite": True,
        "loss_epochs": [],
        "forward": [],
        "forward_calls": 0,
        "weights": [],
        "dist_backend": None,
        "world_size": None,
        "globals": {},
        "stderr_tail": "",
    }
    report.update(overrides)
    return report


CPU = Environment("cpu")


def _check(raw, reports, env=CPU, before=None, phase="after"):
    return run_check(_spec(raw, "test", phase), Context(phase, reports, before or reports, env))


def test_checks_on_made_up_reports():
    crashed = _report(exit=1, exception={"type": "RuntimeError", "message": "Found no NVIDIA driver"})
    assert _check({"check": "crash_matching", "pattern": "NVIDIA"}, [crashed]).ok
    assert not _check({"check": "crash_matching", "pattern": "same device"}, [crashed]).ok
    assert not _check("exit_ok", [crashed]).ok
    assert _check({"check": "exit_ok", "negate": True}, [crashed]).ok
    # A rank that left no report fails every check, negated ones too.
    assert not _check("exit_ok", [None]).ok
    assert not _check({"check": "exit_ok", "negate": True}, [None]).ok

    on_gpu = _report(
        forward=[{"module": "torch.nn.Linear", "params": ["cuda:0"], "inputs": ["cuda:0"], "count": 3, "first_call": 0}]
    )
    on_cpu_input = _report(
        forward=[{"module": "torch.nn.Linear", "params": ["cuda:0"], "inputs": ["cpu"], "count": 3, "first_call": 0}]
    )
    assert _check("params_and_inputs_on_device", [on_gpu], Environment("cuda")).ok
    assert not _check("params_and_inputs_on_device", [on_gpu], Environment("cpu")).ok
    result = _check("params_and_inputs_on_device", [on_cpu_input], Environment("cuda"))
    assert not result.ok and "inputs on ['cpu'], not cuda:0" in result.detail
    assert not _check("params_and_inputs_on_device", [_report()], Environment("cpu")).ok  # no module called

    warned = _report(warnings=[{"message": "The parameter 'pretrained' is deprecated", "category": "UserWarning"}])
    assert _check({"check": "warning_matching", "pattern": "pretrained", "category": "UserWarning"}, [warned]).ok
    assert not _check({"check": "warning_matching", "pattern": "pretrained", "category": "FutureWarning"}, [warned]).ok
    assert not _check({"check": "no_warning_matching", "pattern": "deprecated"}, [warned]).ok

    lrs = [{"optimizer": 0, "loader_iter": i // 2, "lrs": [0.1 * 0.5 ** (i // 2)]} for i in range(6)]
    scheduler = {"class": "StepLR", "optimizer": 0, "reference_lrs": [[0.1 * 0.5**k] for k in range(8)]}
    stepped = _report(lr=lrs, schedulers=[scheduler])
    assert _check({"check": "lr_follows_scheduler", "per": "epoch"}, [stepped]).ok
    assert not _check({"check": "lr_follows_scheduler", "per": "batch"}, [stepped]).ok
    assert not _check({"check": "lr_follows_scheduler", "per": "epoch", "skip": 1}, [stepped]).ok
    assert not _check("lr_constant", [stepped]).ok
    # A schedule that does not move over the run cannot tell: the check fails.
    flat = _report(lr=lrs[:2], schedulers=[scheduler])
    assert "cannot tell" in _check({"check": "lr_follows_scheduler", "per": "epoch"}, [flat]).detail

    weights = _report(weights=[{"member": "ResNet18_Weights.IMAGENET1K_V1", "builder": "resnet18"}])
    assert _check({"check": "weights_member", "member": "ResNet18_Weights.IMAGENET1K_V1"}, [weights]).ok
    assert _check("same_weights_as_original", [weights], before=[weights]).ok
    assert not _check("same_weights_as_original", [_report()], before=[weights]).ok

    gloo = [_report(rank=r, dist_backend="gloo", world_size=2) for r in range(2)]
    assert _check("dist_backend", gloo, Environment("cpu", 2, True)).ok
    result = _check("dist_backend", gloo, Environment("cuda", 2, True))
    assert not result.ok and "TIPCHECK_DIST_BACKEND" in result.detail


def test_checks_have_docs_and_the_vocabulary_is_complete():
    wanted = {
        "exit_ok",
        "crash_matching",
        "loss_finite",
        "loss_decreasing",
        "lr_constant",
        "lr_follows_scheduler",
        "warning_matching",
        "no_warning_matching",
        "sampler_same_order_every_epoch",
        "sampler_reshuffled_disjoint_covering",
        "params_and_inputs_on_device",
        "weights_member",
        "same_weights_as_original",
        "globals_on_device",
        "dist_backend",
        "loader_same_order_every_epoch",
        "loader_reshuffled",
        "ranks_each_cover_dataset",
        "ranks_disjoint_covering",
        "loader_workers",
        "cuda_device_per_rank",
        "option_per_rank",
        "cosine_fraction_covered",
        "cosine_restarts",
        "several_writers",
        "one_writer_per_file",
        "exit_warning_present",
        "exit_warning_gone",
    }
    assert set(CHECKS) == wanted
    assert all(func.__doc__ for func in CHECKS.values())


# -- every fixture, on CPU and over gloo --------------------------------------------------------------


@pytest.fixture(scope="module")
def cpu_report(tmp_path_factory):
    work = tmp_path_factory.mktemp("harness")
    cases = make_cases([str(p) for p in RUNNABLE], scripts_dir=str(work / "scripts"))
    return run_cases(cases, devices=("cpu",), work_dir=str(work / "runs"), preload=True)


@pytest.mark.parametrize("fixture, env", _pairs(("cpu",)))
def test_fixture_cpu_and_gloo(cpu_report, fixture, env):
    result = _result(cpu_report, fixture, env)
    assert result["verdict"] == "pass", _failures(result)
    phases = {c["phase"] for c in result["checks"]}
    assert phases == {"before", "after"}
    rule = result["rule"]
    if rule is not None:  # the fixture shows its rule, and the fix (all rules, unsafe too) removes it
        assert rule in result["fix"]["findings_before"]
        if RULES_BY_CODE[rule].fixable == "never":  # detection only (TIP506, TIP507): nothing to remove
            assert rule in result["fix"]["findings_after"] and not result["fix"]["changed"]
        else:
            assert rule not in result["fix"]["findings_after"]
            assert result["fix"]["changed"]
    assert not result["fix"]["errors"] and not result["fix"]["dropped_fixes"]


def test_cpu_report_shape(cpu_report):
    assert cpu_report["environments"] == ["cpu", "gloo×2"]
    assert cpu_report["summary"]["fail"] == cpu_report["summary"]["error"] == 0
    assert cpu_report["machine"]["torch"] == torch.__version__
    json.dumps(cpu_report)  # it is JSON


# -- pretend-cuda: the device a script asked for, on any machine --------------------------------------


@pytest.fixture(scope="module")
def pretend_report(tmp_path_factory):
    work = tmp_path_factory.mktemp("harness-pretend")
    cases = make_cases([str(p) for p in RUNNABLE], scripts_dir=str(work / "scripts"))
    return run_cases(cases, devices=("pretend-cuda",), work_dir=str(work / "runs"), preload=True)


@pytest.mark.parametrize("fixture, env", _pairs(("pretend-cuda",)))
def test_fixture_pretend_cuda(pretend_report, fixture, env):
    result = _result(pretend_report, fixture, env)
    assert result["verdict"] == "pass", _failures(result)
    # The cuda checks apply: the fixed script put its model and batches on cuda:0, as on a GPU.
    assert any(c["check"] in ("params_and_inputs_on_device", "globals_on_device") for c in result["checks"])


def test_device_fixtures_run_in_pretend_cuda():
    """Every fixture of a TIP1 (device) rule is checked for the device it asks for, on any machine."""
    device_fixtures = [
        s.stem for s in SCRIPTS if (load_expectation(expectation_path(str(s))).rule or "").startswith("TIP1")
    ]
    assert len(device_fixtures) >= 4
    pairs = _pairs(("pretend-cuda",))
    assert set(device_fixtures) <= {f for f, _ in pairs}
    # A distributed fixture plays its GPUs over gloo, one per rank (TIP502's).
    assert {e for _, e in pairs} <= {"pretend-cuda", "pretend-cuda×2"}
    assert "tip502_every_rank_on_gpu_zero" in {f for f, e in pairs if e == "pretend-cuda×2"}


def _measured_only(script: Path) -> bool:
    """Whether the fixture is there for a figure (`"measures"`), asking the same checks of the
    fixed copy as of the original: nothing to tell a fix from none (TIP305's data wait)."""
    expectation = load_expectation(expectation_path(str(script)))
    return bool(expectation.measures) and [c.label() for c in expectation.after] == [
        c.label() for c in expectation.before
    ]


def _detection_only(script: Path) -> bool:
    """Whether the fixture's rule has no fix (TIP506, TIP507): its fixed copy is the original, and
    the fixture shows that the script runs, not what a fix changes."""
    rule = RULES_BY_CODE.get(RULES[script] or "")
    return rule is not None and rule.fixable == "never"


RULE_FIXTURES = [s.stem for s in SCRIPTS if RULES[s] is not None and not _measured_only(s) and not _detection_only(s)]


@pytest.fixture(scope="module")
def unfixed_report(tmp_path_factory):
    """Each fixture of a rule with its *original* given as the fixed copy, on what any machine runs."""
    work = tmp_path_factory.mktemp("harness-unfixed")
    copies = work / "copies"
    copies.mkdir()
    for name in RULE_FIXTURES:
        (copies / f"{name}.py").write_text((FIXTURES / f"{name}.py").read_text(encoding="utf-8"), encoding="utf-8")
    cases = make_cases([str(FIXTURES / f"{n}.py") for n in RULE_FIXTURES], fixed_dir=str(copies))
    return run_cases(cases, devices=("cpu", "pretend-cuda"), work_dir=str(work / "runs"), preload=True)


@pytest.mark.parametrize("fixture", RULE_FIXTURES)
def test_no_fix_fails_its_fixture(unfixed_report, fixture):
    """A "fix" that changes nothing fails the fixture's checks, on a machine without a GPU too."""
    results = [r for r in unfixed_report["results"] if r["fixture"] == fixture]
    assert results and all(r["verdict"] in ("pass", "fail") for r in results), [r["reason"] for r in results]
    failed = [r["environment"] for r in results if r["verdict"] == "fail"]
    assert failed, (
        f"{fixture}: the unfixed original passes the checks of its fixed copy in {[r['environment'] for r in results]}"
    )


def test_pretend_cuda_records_the_requested_device(tmp_path):
    """Under pretend-CUDA the data stays on the CPU, each move records the device asked for, the
    devices propagate through operations, and mixed devices raise as on a GPU."""
    script = tmp_path / "moves.py"
    script.write_text(
        textwrap.dedent(
            """
            import torch
            from torch import nn

            assert torch.cuda.is_available() and torch.cuda.device_count() == 1
            # What a script logs of its GPU (a GPU-less torch raises "Found no NVIDIA driver").
            assert torch.cuda.get_device_capability(0) == (8, 0) and torch.backends.cudnn.version() is None
            assert torch.cuda.get_device_properties(0).total_memory > 0 and torch.cuda.max_memory_allocated() == 0
            device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
            model = nn.Linear(3, 2).to(device)
            moved = torch.ones(4, 3).to(device)
            assert moved.device.type == "cpu"  # the data stays where it can live
            kept = torch.ones(4, 3)
            moved_back = moved.cpu()
            made = torch.zeros(4, 2, device=device)
            also = torch.ones(2).cuda()
            model.register_buffer("calls", torch.zeros(1))  # added after the move, unused (a profiler's)
            out = model(moved) + made
            optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
            out.sum().backward()
            optimizer.step()
            model(kept)  # the model on cuda:0, the input on the CPU
            """
        ),
        encoding="utf-8",
    )
    [report] = run_instrumented(str(script), str(tmp_path / "out"), env={"TIPCHECK_PRETEND_CUDA": "1"}, preload=True)
    assert report["pretend_cuda"] is True and report["cuda_available"] is True
    assert report["exception"]["type"] == "RuntimeError"
    assert "Expected all tensors to be on the same device" in report["exception"]["message"]
    assert "model(kept)" in report["exception"]["traceback"]
    globals_ = report["globals"]  # not recorded: the script did not end normally
    assert globals_ == {}
    assert [(e["params"], e["inputs"]) for e in report["forward"]] == [(["cuda:0"], ["cuda:0"]), (["cuda:0"], ["cpu"])]
    assert report["lr"] and report["backward_calls"] == 1

    script.write_text(script.read_text(encoding="utf-8").replace("model(kept)", "del kept"), encoding="utf-8")
    [report] = run_instrumented(str(script), str(tmp_path / "out2"), env={"TIPCHECK_PRETEND_CUDA": "1"}, preload=True)
    assert report["exit"] == 0, report["stderr_tail"]
    wanted = {
        "model": ["cuda:0"],
        "moved": ["cuda:0"],
        "moved_back": ["cpu"],
        "made": ["cuda:0"],
        "also": ["cuda:0"],
        "out": ["cuda:0"],
    }
    assert {k: report["globals"][k] for k in wanted} == wanted
    # Without the mode the same script runs on the CPU, and says so.
    [plain] = run_instrumented(str(script), str(tmp_path / "out3"), env={"CUDA_VISIBLE_DEVICES": ""}, preload=True)
    assert plain["pretend_cuda"] is False and plain["exception"]["type"] == "AssertionError"


def test_pretend_cuda_is_for_a_fixture_meant_for_cuda():
    data = {"pretend_cuda": True, "devices": ["cpu"], "before": ["exit_ok"], "after": ["exit_ok"]}
    with pytest.raises(ExpectationError, match="pretend_cuda is for a fixture meant for cuda"):
        parse_expectation(data, "x.expect.json")
    # Several processes play one GPU each, over gloo.
    distributed = parse_expectation({"pretend_cuda": True, "nproc": 2, "before": ["exit_ok"], "after": ["exit_ok"]})
    [played] = environments(distributed, ("pretend-cuda",))
    assert played.name == "pretend-cuda×2" and played.backend == "gloo" and played.nproc == 2
    assert played.expected_device(1) == "cuda:1"
    expectation = parse_expectation({"pretend_cuda": True, "before": ["exit_ok"], "after": ["exit_ok"]})
    assert [e.name for e in environments(expectation, ("cpu", "cuda", "pretend-cuda"))] == [
        "cpu",
        "cuda",
        "pretend-cuda",
    ]
    [pretend] = environments(expectation, ("pretend-cuda",))
    assert pretend.device == "cuda" and pretend.expected_device() == "cuda:0"


# -- GPU: cuda, and nccl over 2 GPUs --------------------------------------------------------------------


def _gloo_always(source: str) -> bool:
    """Whether the script calls `init_process_group("gloo")` (or `backend="gloo"`) outside any `if`
    that asks about CUDA: gloo whatever the machine has, rather than gloo as the CPU fallback."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == "init_process_group"):
            continue
        backend = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "backend"), None)
        if not (isinstance(backend, ast.Constant) and backend.value == "gloo"):
            continue
        guarded, at = False, node
        while at in parents:
            parent = parents[at]
            if isinstance(parent, (ast.If, ast.IfExp)) and at is not parent.test and "cuda" in ast.unparse(parent.test):
                guarded = True
            at = parent
        if not guarded:
            return True
    return False


def _hardcodes_gloo(fixture: str) -> bool:
    return _gloo_always((FIXTURES / f"{fixture}.py").read_text(encoding="utf-8"))


def test_hardcoded_gloo_is_told_from_a_cpu_fallback():
    """Only a fixture that asks for gloo whatever the machine has is expected to fail under nccl."""
    assert _hardcodes_gloo("seed_tip5_distributed")
    assert not _hardcodes_gloo("tip501_sampler_without_set_epoch")  # gloo only in the `else` of a CUDA check
    assert not _gloo_always('dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")\n')
    assert not _gloo_always('if not torch.cuda.is_available():\n    dist.init_process_group(backend="gloo")\n')
    assert _gloo_always('if rank == 0:\n    dist.init_process_group(backend="gloo")\n')
    assert _gloo_always('dist.init_process_group(\n    "gloo", rank=rank, world_size=2)\n')


@pytest.fixture(scope="module")
def cuda_report(tmp_path_factory):
    work = tmp_path_factory.mktemp("harness-cuda")
    cases = make_cases([str(p) for p in RUNNABLE], scripts_dir=str(work / "scripts"))
    return run_cases(cases, devices=("cuda",), work_dir=str(work / "runs"), preload=True)


@pytest.mark.skipif(not CUDA, reason="no CUDA device")
@pytest.mark.parametrize("fixture, env", _pairs(("cuda",)))
def test_fixture_cuda_and_nccl(cuda_report, fixture, env):
    result = _result(cuda_report, fixture, env)
    if result["verdict"] == "skip":
        pytest.skip(result["reason"])
    if env.startswith("nccl") and _hardcodes_gloo(fixture):
        pytest.xfail('the fixture hardcodes init_process_group("gloo") instead of reading TIPCHECK_DIST_BACKEND')
    assert result["verdict"] == "pass", _failures(result)


# -- wrong fixes are caught ----------------------------------------------------------------------------


def _wrong_copy(tmp_path: Path, name: str, marker: str, extra: str) -> Path:
    source = (FIXTURES / name).read_text(encoding="utf-8")
    assert source.count(marker) == 1
    wrong = tmp_path / "wrong" / name
    wrong.parent.mkdir(exist_ok=True)
    wrong.write_text(source.replace(marker, marker + extra), encoding="utf-8")
    return wrong


def test_constant_set_epoch_is_caught(tmp_path):
    """A "fix" of TIP501 that calls `sampler.set_epoch(0)`: every epoch still repeats its order."""
    name = "tip501_sampler_without_set_epoch.py"
    wrong = _wrong_copy(tmp_path, name, "    for epoch in range(3):\n", "        sampler.set_epoch(0)\n")
    cases = make_cases([str(FIXTURES / name)], scripts_dir=str(tmp_path / "scripts"), fixed={name[:-3]: str(wrong)})
    assert cases[0].fix == {"substituted": str(wrong)}
    report = run_cases(cases, devices=("cpu",))
    [result] = report["results"]
    assert result["verdict"] == "fail"
    failed = [(c["phase"], c["check"]) for c in result["checks"] if not c["ok"]]
    assert failed == [("after", "sampler_reshuffled_disjoint_covering")], _failures(result)
    [check] = [c for c in result["checks"] if not c["ok"]]
    assert "repeats the order" in check["detail"]


def test_scheduler_stepped_per_batch_is_caught(tmp_path):
    """A "fix" of TIP401 that steps StepLR after every batch: the LR decays per batch, not per epoch."""
    name = "tip401_steplr_never_stepped.py"
    wrong = _wrong_copy(tmp_path, name, "        optimizer.step()\n", "        scheduler.step()\n")
    cases = make_cases([str(FIXTURES / name)], scripts_dir=str(tmp_path / "scripts"), fixed={name[:-3]: str(wrong)})
    report = run_cases(cases, devices=("cpu",))
    [result] = report["results"]
    assert result["verdict"] == "fail"
    failed = [(c["phase"], c["check"], c["detail"]) for c in result["checks"] if not c["ok"]]
    assert failed == [("after", "lr_follows_scheduler", "the LR changed within epoch(s) [0, 1, 2, 3, 4]")], _failures(
        result
    )


def test_the_harness_records_what_the_checks_read(tmp_path):
    """Top-level module calls only (not the layers inside the model, nor DDP's inner module), the
    loaded weights without a download, the backend, the schedule replayed."""
    script = tmp_path / "small.py"
    script.write_text(
        textwrap.dedent(
            """
            import torch
            from torch import nn
            import torchvision

            model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
            optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda k: 1 / (k + 1))
            for step in range(3):
                loss = nn.functional.mse_loss(model(torch.randn(2, 3)), torch.zeros(2, 1))
                loss.backward()
                optimizer.step()
                scheduler.step()
            net = torchvision.models.resnet18(weights="DEFAULT")
            x = torch.ones(2)
            """
        ),
        encoding="utf-8",
    )
    [report] = run_instrumented(str(script), str(tmp_path / "out"), preload=True)
    assert report["exit"] == 0, report["stderr_tail"]
    assert report["forward_calls"] == 3
    [entry] = report["forward"]
    assert entry["module"] == "torch.nn.modules.container.Sequential"
    assert (entry["params"], entry["inputs"], entry["count"]) == (["cpu"], ["cpu"], 3)
    assert [e["lrs"][0] for e in report["lr"]] == [1.0, 0.5, 1 / 3]
    [record] = report["schedulers"]
    assert [v[0] for v in record["reference_lrs"]] == pytest.approx([1.0, 0.5, 1 / 3, 0.25, 0.2])
    assert [(w["member"], w["builder"]) for w in report["weights"]] == [("ResNet18_Weights.IMAGENET1K_V1", "resnet18")]
    assert report["globals"]["x"] == ["cpu"] and report["globals"]["net"] == ["cpu"]
    assert report["loss_epochs"][0]["count"] == 3 and report["dist_backend"] is None


# -- the command line -----------------------------------------------------------------------------------


def test_cli_runs_reports_and_progress(tmp_path):
    names = ["tip402_step_before_optimizer.py", "tip501_sampler_without_set_epoch.py"]
    report_path = tmp_path / "reports" / "cpu.json"
    result = CliRunner().invoke(cli, ["harness", *[str(FIXTURES / n) for n in names], "--json", str(report_path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert re.match(r"fixture\s+rule\s+cpu\s+gloo×2$", lines[0])
    assert re.match(r"tip402_step_before_optimizer\s+TIP402\s+pass\s+-$", lines[2])
    assert re.match(r"tip501_sampler_without_set_epoch\s+TIP501\s+-\s+pass$", lines[3])
    assert "2 fixture×environment pairs: 2 pass, 0 fail" in result.stdout
    assert "[4/4] tip501_sampler_without_set_epoch gloo×2 after: exit 0" in result.stderr  # a line per run
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["summary"]["pass"] == 2 and report["command"][:2] == ["tipcheck", "harness"]
    summary = report_path.with_suffix(".md").read_text(encoding="utf-8")
    assert f"torch {torch.__version__}" in summary and "| tip402_step_before_optimizer | TIP402 | pass | - |" in summary


def test_cli_fails_a_wrong_fix_given_as_fixed_dir(tmp_path):
    name = "tip501_sampler_without_set_epoch.py"
    wrong = _wrong_copy(tmp_path, name, "    for epoch in range(3):\n", "        sampler.set_epoch(0)\n")
    result = CliRunner().invoke(cli, ["harness", str(FIXTURES / name), "--fixed-dir", str(wrong.parent)])
    assert result.exit_code == 1, result.output
    assert re.search(r"tip501_sampler_without_set_epoch\s+TIP501\s+FAIL", result.stdout)
    assert (
        "after: sampler_reshuffled_disjoint_covering(): rank 0: epoch 1 repeats the order of epoch 0" in result.stderr
    )


def test_cli_usage_errors(tmp_path):
    lone = tmp_path / "lone.py"
    lone.write_text("print(1)\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["harness", str(lone)])
    assert result.exit_code == 2 and "no expectation file" in result.stderr


def test_cli_without_the_harness_extra(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    result = CliRunner().invoke(cli, ["harness"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: the harness needs torch, which is not installed: pip install 'tipcheck[harness]'"
    )
    assert result.stdout == ""


# -- where only torch is installed: a prepared folder, no libcst or click -------------------------------

RUNTIME_IMPORTS = """
import sys
import tipcheck.harness, tipcheck.harness.expectations, tipcheck.harness.instrument
import tipcheck.harness.runner, tipcheck.harness.run
bad = [m for m in ("libcst", "click", "tipcheck.engine", "tipcheck.cli", "tipcheck.harness.prepare", "torch") if m in sys.modules]
assert not bad, bad
"""


def test_runtime_modules_import_no_linter_and_no_torch():
    subprocess.run([sys.executable, "-c", RUNTIME_IMPORTS], check=True, cwd=ROOT)


def test_prepared_folder_runs_without_libcst_or_click(tmp_path):
    prepared = tmp_path / "prepared"
    names = ["tip404_onecycle_per_epoch.py", "seed_tip5_distributed.py", "seed_tip2_pretrained.py"]
    result = CliRunner().invoke(cli, ["harness", "--prepare", str(prepared), *[str(FIXTURES / n) for n in names]])
    assert result.exit_code == 0, result.output
    manifest = json.loads((prepared / "manifest.json").read_text(encoding="utf-8"))
    assert [e["name"] for e in manifest["fixtures"]] == [n[:-3] for n in names]
    assert manifest["fixtures"][0]["fix"]["findings_before"] == ["TIP101", "TIP404"]
    assert (prepared / "tipcheck" / "harness" / "runner.py").is_file()
    assert not (prepared / "tipcheck" / "harness" / "prepare.py").exists()

    # libcst and click cannot be imported, in the runner and in the runs it starts (PYTHONPATH).
    blockers = tmp_path / "blockers"
    for module in ("libcst", "click"):
        (blockers / module).mkdir(parents=True)
        (blockers / module / "__init__.py").write_text(f"raise ImportError('{module} is not installed here')\n")
    code = textwrap.dedent(
        """
        import os, sys
        import tipcheck
        from tipcheck.harness.command import main
        code = main(["."] + sys.argv[1:])
        assert os.path.realpath(tipcheck.__file__).startswith(os.path.realpath(os.getcwd())), tipcheck.__file__
        bad = [m for m in ("libcst", "click", "tipcheck.engine", "tipcheck.cli") if m in sys.modules]
        assert not bad, bad
        sys.exit(code)
        """
    )
    env = dict(os.environ, PYTHONPATH=str(blockers))
    run = subprocess.run(
        [sys.executable, "-c", code, "--json", "reports/cpu.json"],
        cwd=prepared,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 fixture×environment pairs: 3 pass, 0 fail" in run.stdout
    report = json.loads((prepared / "reports" / "cpu.json").read_text(encoding="utf-8"))
    assert {(r["fixture"], r["environment"]) for r in report["results"]} == {
        ("tip404_onecycle_per_epoch", "cpu"),
        ("seed_tip5_distributed", "gloo×2"),
        ("seed_tip2_pretrained", "cpu"),
    }

    # Without the prepared copies it says what to do, rather than failing on the missing linter.
    fresh = subprocess.run(
        [sys.executable, "-m", "tipcheck.harness.run", str(FIXTURES / names[0])],
        cwd=prepared,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fresh.returncode == 2 and "tipcheck harness --prepare DIR" in fresh.stderr, fresh.stderr

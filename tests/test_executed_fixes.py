"""Run each fixture before and after `tipcheck fix --unsafe-fixes`, under the instrumentation of
tipcheck.harness, and check that the fix changes what its rule promises.

The expected learning rates come from torch's own schedulers, rebuilt from the constructor
arguments the instrumentation recorded in the run and stepped on a dummy optimizer; the
DistributedSampler checks run over a real 2-process gloo group on CPU.

Runs are forked from a server that has imported torch once (`preload=True`): a fresh interpreter
spends seconds importing torch; one test covers that path too.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import List, Sequence, Tuple

import pytest

torch = pytest.importorskip("torch")

from tipcheck.engine import lint_paths  # noqa: E402
from tipcheck.fixing import fix_paths  # noqa: E402
from tipcheck.harness import (  # noqa: E402
    epoch_lrs,
    failures,
    lrs_by_loader_iter,
    run_instrumented,
    sampler_orders,
    sampler_problems,
    sampler_repeats_every_epoch,
    step_lrs,
    warnings_matching,
)
from tipcheck.rules import select_rules  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BEFORE_OPTIMIZER = "Detected call of `lr_scheduler.step()` before `optimizer.step()`"


# -- helpers ------------------------------------------------------------------------------------


def codes(path: Path, select: Sequence[str] = ()) -> List[str]:
    [result] = lint_paths([str(path)], select_rules(select))
    assert not result.errors, [e.trace for e in result.errors]
    return sorted(d.code for d in result.diagnostics)


def fixed_text(path: Path, select: Sequence[str] = ()) -> str:
    """The text `tipcheck fix --unsafe-fixes [--select ...]` would write for `path`."""
    [result] = fix_paths([str(path)], select_rules(select), unsafe=True)
    assert not result.errors and not result.dropped_fixes, (result.errors, result.dropped_fixes)
    return result.source.text if result.fixed_text is None else result.fixed_text


def original_and_fixed(tmp_path: Path, name: str, code: str) -> Tuple[Path, Path]:
    """Copies of the fixture as it is and after `tipcheck fix --unsafe-fixes --select CODE`: the
    rule under test only, so that what changes is what that rule promises. Checks that tipcheck
    reports CODE on the fixture (among all its findings) and no longer after the fix."""
    original = tmp_path / "original" / name
    fixed = tmp_path / "fixed" / name
    for path in (original, fixed):
        path.parent.mkdir(parents=True)
        shutil.copy(FIXTURES / name, path)
    assert code in codes(original)
    text = fixed_text(fixed, [code])
    assert text != original.read_text(encoding="utf-8"), f"tipcheck did not fix {code}"
    fixed.write_text(text, encoding="utf-8")
    assert codes(fixed, [code]) == []
    return original, fixed


def run(script: Path, out: Path, nproc: int = 1, preload: bool = True) -> List[dict]:
    """The reports of a run that must succeed: exit 0, no exception, a finite loss, on every rank."""
    reports = run_instrumented(str(script), str(out), nproc=nproc, timeout=120, preload=preload)
    assert len(reports) == nproc
    for report in reports:
        assert failures(report) == [], report["stderr_tail"]
    return reports


def scheduler_record(report: dict, cls: str) -> dict:
    [record] = report["schedulers"]
    assert (record["module"], record["class"]) == ("torch.optim.lr_scheduler", cls)
    return record


def reference_lrs(record: dict, count: int) -> List[float]:
    """The first `count` LRs of the recorded scheduler: the same class and arguments, on a dummy
    optimizer of the same class and initial LR, stepped `count - 1` times."""
    from torch.optim import lr_scheduler

    param = torch.zeros(1, requires_grad=True)
    optimizer = getattr(torch.optim, record["optimizer_class"])([param], lr=record["optimizer_lrs"][0])
    swap = lambda v: optimizer if v == "<optimizer>" else v  # noqa: E731
    args = [swap(a) for a in record["args"]]
    kwargs = {k: swap(v) for k, v in record["kwargs"].items()}
    assert all(not isinstance(v, dict) for v in (*args, *kwargs.values())), "an argument could not be recorded"
    scheduler = getattr(lr_scheduler, record["class"])(*args, **kwargs)
    lrs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for index in range(count):
            lrs.append(optimizer.param_groups[0]["lr"])
            if index < count - 1:
                optimizer.step()
                scheduler.step()
    return lrs


def same(actual: Sequence[float], expected: Sequence[float]) -> bool:
    return len(actual) == len(expected) and all(
        math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-15) for a, e in zip(actual, expected)
    )


def constant_within_epochs(report: dict) -> bool:
    return all(len(set(lrs)) == 1 for lrs in lrs_by_loader_iter(report))


def rises_then_falls(lrs: Sequence[float]) -> bool:
    peak = max(range(len(lrs)), key=lrs.__getitem__)
    return 0 < peak < len(lrs) - 1 and lrs[0] < lrs[peak] > lrs[-1]


def follows_per_epoch(report: dict, expected: Sequence[float]) -> bool:
    """One LR per epoch (constant over its batches), and these are `expected`."""
    return constant_within_epochs(report) and same(epoch_lrs(report), expected)


def sampler_fix_holds(before: Sequence[dict], after: Sequence[dict]) -> bool:
    """TIP501's promise: before, each rank repeats its order every epoch; after, it reshuffles
    every epoch, and the ranks shard the dataset (disjoint, covering it) within each epoch."""
    return sampler_repeats_every_epoch(before) and not sampler_problems(after)


# -- TIP401 --------------------------------------------------------------------------------------


def test_tip401_steplr_never_stepped(tmp_path):
    original, fixed = original_and_fixed(tmp_path, "tip401_steplr_never_stepped.py", "TIP401")
    [before] = run(original, tmp_path / "before")
    [after] = run(fixed, tmp_path / "after")
    record = scheduler_record(before, "StepLR")
    initial = record["optimizer_lrs"][0]
    epochs = len(lrs_by_loader_iter(before))
    assert epochs >= 4

    # Before: every step of every epoch at the initial LR.
    assert set(step_lrs(before)) == {initial}
    # After: one LR per epoch, StepLR's own sequence (it halves every 2 epochs).
    expected = reference_lrs(record, epochs)
    assert len(set(expected)) >= 3, "the fixture's schedule should move within its epochs"
    assert follows_per_epoch(after, expected), (lrs_by_loader_iter(after), expected)
    assert not warnings_matching(after, BEFORE_OPTIMIZER)
    assert not follows_per_epoch(before, expected)


def test_tip401_steplr_stepped_per_batch_is_caught(tmp_path):
    """A wrong fix, `scheduler.step()` after each optimizer step, silences the rule but decays the
    LR per batch: the comparison fails."""
    source = (FIXTURES / "tip401_steplr_never_stepped.py").read_text(encoding="utf-8")
    marker = "        optimizer.step()\n"
    assert source.count(marker) == 1
    wrong = tmp_path / "tip401_per_batch.py"
    wrong.write_text(source.replace(marker, marker + "        scheduler.step()\n"), encoding="utf-8")
    assert "TIP401" not in codes(wrong)
    [report] = run(wrong, tmp_path / "run")
    expected = reference_lrs(scheduler_record(report, "StepLR"), len(lrs_by_loader_iter(report)))
    assert not follows_per_epoch(report, expected)


def test_tip401_onecycle_never_stepped(tmp_path):
    original, fixed = original_and_fixed(tmp_path, "tip401_onecycle_never_stepped.py", "TIP401")
    [before] = run(original, tmp_path / "before")
    [after] = run(fixed, tmp_path / "after")
    record = scheduler_record(before, "OneCycleLR")
    steps = len(step_lrs(before))
    expected = reference_lrs(record, steps)

    # Before: stuck at OneCycleLR's starting LR (max_lr / div_factor), every batch.
    assert set(step_lrs(before)) == {expected[0]}
    # After: batch by batch, OneCycleLR's own sequence, which warms up then anneals.
    assert len(step_lrs(after)) == steps
    assert same(step_lrs(after), expected), (step_lrs(after), expected)
    assert rises_then_falls(step_lrs(after))


# -- TIP402 --------------------------------------------------------------------------------------


def test_tip402_step_before_optimizer(tmp_path):
    original, fixed = original_and_fixed(tmp_path, "tip402_step_before_optimizer.py", "TIP402")
    [before] = run(original, tmp_path / "before")
    [after] = run(fixed, tmp_path / "after")
    record = scheduler_record(before, "StepLR")
    epochs = len(lrs_by_loader_iter(before))
    expected = reference_lrs(record, epochs + 1)

    # Before: torch's warning, and the schedule is one step ahead from the first epoch on.
    assert warnings_matching(before, BEFORE_OPTIMIZER, "UserWarning")
    assert epoch_lrs(before)[0] != record["optimizer_lrs"][0]
    assert follows_per_epoch(before, expected[1:]), (lrs_by_loader_iter(before), expected)
    # After: no warning; the schedule from its first value, the initial LR.
    assert not warnings_matching(after, BEFORE_OPTIMIZER)
    assert follows_per_epoch(after, expected[:-1]), (lrs_by_loader_iter(after), expected)


# TIP402's fix moves the step down the loop body. On a path that leaves the iteration between the
# old and the new place, the step would no longer run: that fix must not be safe. These scripts
# have such a path; `tipcheck fix` (safe fixes only) must keep their learning rates, except the
# one correction TIP402 promises (the schedule's first value no longer skipped).

GRAD_ACCUMULATION = """
import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(32, 3), torch.randn(32, 1)), batch_size=2)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=1, gamma=0.9)
accum = 4
for epoch in range(2):
    for i, (x, y) in enumerate(loader):
        scheduler.step()
        (torch.nn.functional.mse_loss(model(x), y) / accum).backward()
        if (i + 1) % accum:
            continue
        optimizer.step()
        optimizer.zero_grad()
"""

SKIP_DONE_EPOCHS = """
import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(12, 3), torch.randn(12, 1)), batch_size=4)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=1, gamma=0.5)
start_epoch = 3  # resuming: the epochs before are done, the loop fast-forwards the schedule
for epoch in range(6):
    scheduler.step()
    if epoch < start_epoch:
        continue
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
"""

RESUME_STEP_EPOCH = """
import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(12, 3), torch.randn(12, 1)), batch_size=4)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
start_epoch = 3  # resumed from a checkpoint without the scheduler's state
for epoch in range(start_epoch, 7):
    scheduler.step(epoch)
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
"""


def _tip402(tmp_path: Path, name: str, source: str, unsafe: bool) -> Tuple[Path, Path, List]:
    """The script as written and after `tipcheck fix [--unsafe-fixes] --select TIP402`, and the
    TIP402 findings on the original."""
    original = tmp_path / "original" / name
    fixed = tmp_path / ("unsafe" if unsafe else "safe") / name
    for path in (original, fixed):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    [linted] = lint_paths([str(original)], select_rules(["TIP402"]))
    findings = [d for d in linted.diagnostics if d.code == "TIP402"]
    assert findings, "TIP402 is not reported"
    [result] = fix_paths([str(fixed)], select_rules(["TIP402"]), unsafe=unsafe)
    assert not result.errors and not result.dropped_fixes, (result.errors, result.dropped_fixes)
    if result.fixed_text is not None:
        fixed.write_text(result.fixed_text, encoding="utf-8")
    return original, fixed, findings


def test_tip402_gradient_accumulation_keeps_its_schedule(tmp_path):
    original, fixed, [finding] = _tip402(tmp_path, "accumulate.py", GRAD_ACCUMULATION, unsafe=False)
    [before] = run(original, tmp_path / "before")
    [after] = run(fixed, tmp_path / "after")
    # One scheduler step per batch, one optimizer step per 4 batches: optimizer step k trains at
    # the LR after 4(k+1) scheduler steps.
    steps = len(step_lrs(before))
    assert steps == 8
    expected = reference_lrs(scheduler_record(before, "StepLR"), 4 * steps + 1)
    assert same(step_lrs(before), expected[4::4])
    # After the safe fixes: the same schedule, or with its first value restored (one step less at
    # each optimizer step); not one scheduler step per optimizer step, 4x slower.
    assert same(step_lrs(after), expected[4::4]) or same(step_lrs(after), expected[3::4]), step_lrs(after)

    # The fix is there for --unsafe-fixes, and says what it changes.
    assert finding.fix is not None and not finding.fix.is_safe
    assert "`continue`" in finding.fix.message, finding.fix.message
    _, unsafe_fixed, _ = _tip402(tmp_path, "accumulate.py", GRAD_ACCUMULATION, unsafe=True)
    [unsafe_after] = run(unsafe_fixed, tmp_path / "unsafe_after")
    assert same(step_lrs(unsafe_after), expected[:steps])  # what the message warns about


def test_tip402_skipped_epochs_keep_fast_forwarding(tmp_path):
    original, fixed, [finding] = _tip402(tmp_path, "skip_done.py", SKIP_DONE_EPOCHS, unsafe=False)
    [before] = run(original, tmp_path / "before")
    [after] = run(fixed, tmp_path / "after")
    expected = reference_lrs(scheduler_record(before, "StepLR"), 7)
    # The three skipped epochs stepped the schedule: the first trained epoch is at its 4th step.
    assert follows_per_epoch(before, expected[4:7]), lrs_by_loader_iter(before)
    assert follows_per_epoch(after, expected[4:7]) or follows_per_epoch(after, expected[3:6]), lrs_by_loader_iter(after)
    assert finding.fix is not None and not finding.fix.is_safe and "`continue`" in finding.fix.message


def test_tip402_step_epoch_keeps_the_lr_after_a_resume(tmp_path):
    """`scheduler.step(epoch)` at the top of a loop resumed at `start_epoch` without the scheduler's
    state: even with --unsafe-fixes, the LRs stay those of the epochs (no `step()` that starts the
    schedule over, no `step(epoch)` after the epoch that lags one epoch behind)."""
    original, fixed, [finding] = _tip402(tmp_path, "resume.py", RESUME_STEP_EPOCH, unsafe=True)
    [before] = run(original, tmp_path / "before")
    [after] = run(fixed, tmp_path / "after")
    record = scheduler_record(before, "StepLR")
    expected = reference_lrs(record, 7)
    assert follows_per_epoch(before, expected[3:7]), lrs_by_loader_iter(before)
    assert follows_per_epoch(after, expected[3:7]), lrs_by_loader_iter(after)
    assert finding.fix is None
    assert "step(epoch)" in (tmp_path / "unsafe" / "resume.py").read_text(encoding="utf-8")


# -- TIP404 --------------------------------------------------------------------------------------


def test_tip404_onecycle_per_epoch(tmp_path):
    original, fixed = original_and_fixed(tmp_path, "tip404_onecycle_per_epoch.py", "TIP404")
    [before] = run(original, tmp_path / "before")
    [after] = run(fixed, tmp_path / "after")
    record = scheduler_record(before, "OneCycleLR")
    epochs = len(lrs_by_loader_iter(before))
    steps = len(step_lrs(before))
    assert steps > epochs
    expected = reference_lrs(record, steps)

    # Before: the LR moves once per epoch, through the first `epochs` values of a schedule sized
    # in batches: it never gets near max_lr.
    assert follows_per_epoch(before, expected[:epochs]), (lrs_by_loader_iter(before), expected)
    assert max(step_lrs(before)) < max(expected)
    # After: the whole schedule, one value per batch.
    assert same(step_lrs(after), expected), (step_lrs(after), expected)
    assert rises_then_falls(step_lrs(after))


# -- TIP501 --------------------------------------------------------------------------------------


def _check_tip501(before: List[dict], after: List[dict]) -> None:
    assert sampler_repeats_every_epoch(before), sampler_orders(before)
    assert any("repeats the order" in p for p in sampler_problems(before))
    assert sampler_problems(after) == []
    assert sampler_fix_holds(before, after)
    for report in after:
        [sampler] = report["sampler_epochs"]
        assert sampler["set_epoch_calls"] == list(range(len(sampler["epochs"])))


def test_tip501_sampler_without_set_epoch(tmp_path):
    original, fixed = original_and_fixed(tmp_path, "tip501_sampler_without_set_epoch.py", "TIP501")
    before = run(original, tmp_path / "before", nproc=2)
    after = run(fixed, tmp_path / "after", nproc=2)
    assert [r["rank"] for r in after] == [0, 1] and {r["world_size"] for r in after} == {2}
    _check_tip501(before, after)


def test_tip501_constant_set_epoch_is_caught(tmp_path):
    """A wrong fix, `sampler.set_epoch(0)`, does not fix the bug: the comparison fails (and tipcheck
    still reports the sampler: a constant epoch does not count as reaching it)."""
    source = (FIXTURES / "tip501_sampler_without_set_epoch.py").read_text(encoding="utf-8")
    marker = "    for epoch in range(3):\n"
    assert source.count(marker) == 1
    wrong = tmp_path / "wrong" / "tip501_constant_set_epoch.py"
    wrong.parent.mkdir()
    wrong.write_text(source.replace(marker, marker + "        sampler.set_epoch(0)\n"), encoding="utf-8")
    assert "TIP501" in codes(wrong)
    original = tmp_path / "original.py"
    shutil.copy(FIXTURES / "tip501_sampler_without_set_epoch.py", original)
    before = run(original, tmp_path / "before", nproc=2)
    after = run(wrong, tmp_path / "after", nproc=2)
    problems = sampler_problems(after)
    assert problems and all("repeats the order" in p for p in problems), problems
    assert sampler_fix_holds(before, after) is False


# -- the seed chapter ----------------------------------------------------------------------------


def test_seed_tip4_scheduler_is_clean_and_follows_steplr(tmp_path):
    """The chapter's Tip 4 steps its StepLR right: no scheduler or sampler finding, and the LR it
    trains with is StepLR's sequence."""
    original = FIXTURES / "seed_tip4_scheduler.py"
    assert codes(original, ["TIP4", "TIP5"]) == []
    [report] = run(original, tmp_path / "run")
    record = scheduler_record(report, "StepLR")
    epochs = len(lrs_by_loader_iter(report))
    assert epochs == 100
    assert not warnings_matching(report, BEFORE_OPTIMIZER)
    assert follows_per_epoch(report, reference_lrs(record, epochs))


def test_seed_tip5_distributed(tmp_path):
    original, fixed = original_and_fixed(tmp_path, "seed_tip5_distributed.py", "TIP501")
    before = run(original, tmp_path / "before", nproc=2)
    after = run(fixed, tmp_path / "after", nproc=2)
    _check_tip501(before, after)


# -- every rule's fixes at once -------------------------------------------------------------------

EXECUTED = {  # the fixtures that run on CPU: (the rule each is for, processes)
    "tip401_steplr_never_stepped.py": ("TIP401", 1),
    "tip401_onecycle_never_stepped.py": ("TIP401", 1),
    "tip402_step_before_optimizer.py": ("TIP402", 1),
    "tip404_onecycle_per_epoch.py": ("TIP404", 1),
    "tip501_sampler_without_set_epoch.py": ("TIP501", 2),
    "seed_tip4_scheduler.py": (None, 1),
    "seed_tip5_distributed.py": ("TIP501", 2),
}


def test_all_fixes_at_once_keep_the_fixtures_running(tmp_path):
    """`tipcheck fix --unsafe-fixes` with every rule (as a user runs it): each fixed fixture still
    runs to the end with a finite loss, and its own finding is gone. (seed_tip2_pretrained.py is
    left out: it would download weights.)"""
    for name, (code, nproc) in EXECUTED.items():
        fixed = tmp_path / name
        fixed.write_text(fixed_text(FIXTURES / name), encoding="utf-8")
        if code is not None:
            assert code not in codes(fixed)
        run(fixed, tmp_path / name[:-3], nproc=nproc)


# -- the instrumentation itself ------------------------------------------------------------------


SMALL_RUN = """
import sys
import torch
from torch.utils.data import DataLoader, TensorDataset

if sys.argv[1:] == ["--seed"]:
    torch.manual_seed(0)

loader = DataLoader(TensorDataset(torch.randn(12, 3), torch.randn(12, 1)), batch_size=4, shuffle=True)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
for epoch in range(2):
    scheduler.step()  # before the optimizer: torch warns
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
"""


def test_fresh_interpreter_matches_preloaded_fork(tmp_path):
    """`python -m tipcheck.harness.instrument` in a fresh interpreter records what a child of the
    fork server does; and like fresh interpreters, the children do not share torch's random seed."""
    script = tmp_path / "small_run.py"
    script.write_text(SMALL_RUN, encoding="utf-8")
    [fresh] = run_instrumented(str(script), str(tmp_path / "fresh"), args=["--seed"])
    [forked] = run_instrumented(str(script), str(tmp_path / "forked"), args=["--seed"], preload=True)
    assert failures(fresh) == failures(forked) == []
    assert fresh["argv"][1:] == ["--seed"]
    assert len(fresh["lr"]) == 6 and fresh["lr"] == forked["lr"]
    assert fresh["loss"] == forked["loss"] and fresh["backward_calls"] == forked["backward_calls"] == 6
    assert warnings_matching(fresh, BEFORE_OPTIMIZER)
    assert [w["message"] for w in fresh["warnings"]] == [w["message"] for w in forked["warnings"]]
    assert fresh["schedulers"] == forked["schedulers"]
    assert fresh["rank"] is None and fresh["exit"] == 0

    unseeded = [run_instrumented(str(script), str(tmp_path / f"unseeded{i}"), preload=True)[0] for i in range(2)]
    assert unseeded[0]["loss"] != unseeded[1]["loss"]


@pytest.mark.parametrize(
    "body, code, exception",
    [
        ("raise ValueError('boom')", 1, ("ValueError", "boom")),
        ("import sys; sys.exit(3)", 3, None),
        ("import sys; sys.exit()", 0, None),
    ],
)
def test_exit_and_exception_are_recorded(tmp_path, body, code, exception):
    script = tmp_path / "script.py"
    script.write_text(
        "import torch, warnings\n"
        "w = torch.ones(2, requires_grad=True)\n"
        "opt = torch.optim.SGD([w], lr=0.5)\n"
        "(w * w).sum().backward()\n"
        "opt.step()\n"
        "warnings.warn('careful', RuntimeWarning)\n" + body + "\n",
        encoding="utf-8",
    )
    [report] = run_instrumented(str(script), str(tmp_path / "out"), preload=True)
    assert report["exit"] == code
    assert report["loss"] == 2.0 and report["backward_calls"] == 1
    assert [e["lrs"] for e in report["lr"]] == [[0.5]]
    assert [(w["category"], w["message"]) for w in report["warnings"]] == [("RuntimeWarning", "careful")]
    if exception is None:
        assert report["exception"] is None
    else:
        assert (report["exception"]["type"], report["exception"]["message"]) == exception
        assert failures(report)


def test_tipcheck_imports_no_torch():
    code = (
        "import sys, tipcheck.cli, tipcheck.harness, tipcheck.harness.instrument\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

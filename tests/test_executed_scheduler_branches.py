"""Schedulers whose class differs by branch (or comes from a table of classes): the fixes are
checked against every class the value can have, by running the fixed script down each branch.

The script picks a `StepLR`, a `MultiStepLR` or an `ExponentialLR` by its first argument and steps
it at the top of each epoch. TIP402 reports it once, with a safe fix; after the fix, on every
branch, the run succeeds, torch no longer warns about the order, and the first epoch trains at
the initial LR (before, it trained at the second value of the schedule).
"""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from tipcheck.diagnostics import Applicability  # noqa: E402
from tipcheck.engine import lint_paths  # noqa: E402
from tipcheck.fixing import fix_paths  # noqa: E402
from tipcheck.harness import epoch_lrs, failures, run_instrumented, warnings_matching  # noqa: E402
from tipcheck.rules import select_rules  # noqa: E402

BEFORE_OPTIMIZER = "Detected call of `lr_scheduler.step()` before `optimizer.step()`"

SCRIPT = """
import sys

import torch
from torch.optim.lr_scheduler import ExponentialLR, MultiStepLR, StepLR
from torch.utils.data import DataLoader, TensorDataset

POLICIES = {"exp": ExponentialLR}


def main(policy):
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    if policy == "step":
        scheduler = StepLR(optimizer, step_size=1, gamma=0.5)
    elif policy == "multistep":
        scheduler = MultiStepLR(optimizer, milestones=[1, 2], gamma=0.1)
    else:
        scheduler = POLICIES[policy](optimizer, gamma=0.8)
    for epoch in range(4):
        scheduler.step()
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()


if __name__ == "__main__":
    main(sys.argv[1])
"""

BRANCHES = ("step", "multistep", "exp")


def _run(script: Path, out: Path, branch: str) -> dict:
    [report] = run_instrumented(str(script), str(out), args=[branch], timeout=120, preload=True)
    assert failures(report) == [], report["stderr_tail"]
    return report


def test_tip402_fix_holds_on_every_branch(tmp_path):
    original = tmp_path / "original" / "branches.py"
    fixed = tmp_path / "fixed" / "branches.py"
    for path in (original, fixed):
        path.parent.mkdir(parents=True)
        path.write_text(SCRIPT, encoding="utf-8")
    [linted] = lint_paths([str(original)], select_rules(["TIP402"]))
    [finding] = [d for d in linted.diagnostics if d.code == "TIP402"]  # once, not once per branch
    assert finding.fix is not None and finding.fix.applicability == Applicability.SAFE
    [result] = fix_paths([str(fixed)], select_rules(["TIP402"]), unsafe=False)
    assert not result.errors and result.fixed_text is not None
    fixed.write_text(result.fixed_text, encoding="utf-8")
    for branch in BRANCHES:
        before = _run(original, tmp_path / f"before-{branch}", branch)
        after = _run(fixed, tmp_path / f"after-{branch}", branch)
        assert warnings_matching(before, BEFORE_OPTIMIZER, "UserWarning"), branch
        assert epoch_lrs(before)[0] != 0.1, branch
        assert not warnings_matching(after, BEFORE_OPTIMIZER), branch
        assert epoch_lrs(after)[0] == 0.1, (branch, epoch_lrs(after))
        assert epoch_lrs(after)[1:] == epoch_lrs(before)[:-1], (branch, epoch_lrs(before), epoch_lrs(after))

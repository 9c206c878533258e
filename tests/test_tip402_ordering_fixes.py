"""TIP402 through helper calls, run: the scheduler steps before a call that runs the optimizer
step (`train()`, `trainer.train()` whose first statement steps it, a scheduler whose class
differs by branch). Each script runs before and after `tipcheck fix` (safe fixes only) under the
instrumentation of tipcheck.harness: before, torch warns and the schedule is one step ahead;
after, no warning, and the schedule starts from its first value, on every branch.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Sequence

import pytest

torch = pytest.importorskip("torch")

from test_executed_fixes import (  # noqa: E402
    BEFORE_OPTIMIZER,
    follows_per_epoch,
    reference_lrs,
    scheduler_record,
)

from tipcheck.engine import lint_paths  # noqa: E402
from tipcheck.fixing import fix_paths  # noqa: E402
from tipcheck.harness import epoch_lrs, failures, lrs_by_loader_iter, run_instrumented, warnings_matching  # noqa: E402
from tipcheck.rules import select_rules  # noqa: E402

HELPER_CALL = """
import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(12, 3), torch.randn(12, 1)), batch_size=4)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=1, gamma=0.5)


def train(epoch):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()


for epoch in range(4):
    scheduler.step()
    train(epoch)
"""

TRAINER_METHOD = """
import torch
from torch.optim.lr_scheduler import MultiStepLR
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self):
        self.loader = DataLoader(TensorDataset(torch.randn(12, 3), torch.randn(12, 1)), batch_size=4)
        self.model = torch.nn.Linear(3, 1)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        self.scheduler = MultiStepLR(self.optimizer, milestones=[1, 3], gamma=0.1)

    def train(self):
        self.scheduler.step()
        for x, y in self.loader:
            self.optimizer.zero_grad()
            torch.nn.functional.mse_loss(self.model(x), y).backward()
            self.optimizer.step()


torch.manual_seed(0)
trainer = Trainer()
for epoch in range(4):
    trainer.train()
"""

BRANCHES = """
import sys

import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, StepLR
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(12, 3), torch.randn(12, 1)), batch_size=4)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
if "--cosine" in sys.argv:
    scheduler = CosineAnnealingLR(optimizer, T_max=4)
else:
    scheduler = StepLR(optimizer, step_size=1, gamma=0.5)


def run_epoch():
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()


for epoch in range(4):
    scheduler.step()
    run_epoch()
"""


def _fixed(tmp_path: Path, name: str, source: str) -> Path:
    """The script after `tipcheck fix --select TIP402` (safe fixes), which must report and fix it."""
    original = tmp_path / "original" / name
    fixed = tmp_path / "fixed" / name
    for path in (original, fixed):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    [linted] = lint_paths([str(original)], select_rules(["TIP402"]))
    findings = [d for d in linted.diagnostics if d.code == "TIP402"]
    assert len(findings) == 1 and findings[0].fix is not None and findings[0].fix.is_safe, findings
    [result] = fix_paths([str(fixed)], select_rules(["TIP402"]), unsafe=False)
    assert not result.errors and not result.dropped_fixes and result.fixed_text is not None
    fixed.write_text(result.fixed_text, encoding="utf-8")
    [again] = lint_paths([str(fixed)], select_rules(["TIP402"]))
    assert not again.diagnostics, again.diagnostics
    return original.parent, fixed


def _run(script: Path, out: Path, args: Sequence[str] = ()) -> dict:
    [report] = run_instrumented(str(script), str(out), timeout=120, args=args, preload=True)
    assert failures(report) == [], report["stderr_tail"]
    return report


def _check(before: dict, after: dict, cls: str) -> None:
    record = scheduler_record(before, cls)
    epochs = len(lrs_by_loader_iter(before))
    expected: List[float] = reference_lrs(record, epochs + 1)
    # Before: torch's warning, and the schedule one step ahead from the first epoch on.
    assert warnings_matching(before, BEFORE_OPTIMIZER, "UserWarning")
    assert follows_per_epoch(before, expected[1:]), (epoch_lrs(before), expected)
    # After: no warning; the schedule from its first value, the initial LR.
    assert not warnings_matching(after, BEFORE_OPTIMIZER)
    assert follows_per_epoch(after, expected[:-1]), (epoch_lrs(after), expected)


def test_tip402_step_moved_after_the_helper_call(tmp_path):
    folder, fixed = _fixed(tmp_path, "helper.py", HELPER_CALL)
    _check(_run(folder / "helper.py", tmp_path / "before"), _run(fixed, tmp_path / "after"), "StepLR")


def test_tip402_step_moved_after_the_batch_loop_of_a_trainer_method(tmp_path):
    folder, fixed = _fixed(tmp_path, "trainer.py", TRAINER_METHOD)
    _check(_run(folder / "trainer.py", tmp_path / "before"), _run(fixed, tmp_path / "after"), "MultiStepLR")


@pytest.mark.parametrize("args, cls", [((), "StepLR"), (("--cosine",), "CosineAnnealingLR")])
def test_tip402_fix_runs_right_on_both_branches(tmp_path, args, cls):
    folder, fixed = _fixed(tmp_path, "branches.py", BRANCHES)
    before = _run(folder / "branches.py", tmp_path / "before", args)
    after = _run(fixed, tmp_path / "after", args)
    _check(before, after, cls)

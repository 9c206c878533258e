"""TIP501 on a sampler that is one of several classes: its fix must run on every branch.

The hand-written fine-tuning scripts pick their sampler by launch mode:
`RandomSampler(data) if args.local_rank == -1 else DistributedSampler(data)` (or an if/else
statement, or None for a plain shuffle). The DistributedSampler branch repeats one order every
epoch and is reported; an unconditional `sampler.set_epoch(epoch)` would raise AttributeError on
the single-process branch. Each script below is fixed with the safe fixes only, then run, original
and fixed, single-process (the RandomSampler / None branch: the fix must not crash it) and in a
2-process gloo group on CPU (the DistributedSampler branch: the fix must make every epoch
reshuffle), under the instrumentation of tipcheck.harness.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

torch = pytest.importorskip("torch")

from tipcheck.diagnostics import Applicability  # noqa: E402
from tipcheck.engine import lint_paths  # noqa: E402
from tipcheck.fixing import fix_paths  # noqa: E402
from tipcheck.harness import (  # noqa: E402
    failures,
    run_instrumented,
    sampler_orders,
    sampler_problems,
    sampler_repeats_every_epoch,
)
from tipcheck.rules import select_rules  # noqa: E402

HEAD = """\
import argparse
import os

import torch
import torch.distributed as dist
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, default=int(os.environ.get("LOCAL_RANK", -1)))
    parser.add_argument("--num_train_epochs", type=float, default=3.0)
    args = parser.parse_args()
    if args.local_rank != -1:
        dist.init_process_group("gloo")
    torch.manual_seed(0)
    train_data = TensorDataset(torch.randn(32, 4), torch.randint(0, 2, (32,)))
"""

TAIL = """\
    model = torch.nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(int(args.num_train_epochs)):
        for step, batch in enumerate(train_dataloader):
            inputs, labels = batch
            loss = torch.nn.functional.cross_entropy(model(inputs), labels)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
    if args.local_rank != -1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
"""

SHAPES = {
    # The pattern of the issue: a conditional expression.
    "ifexp": """\
    train_sampler = RandomSampler(train_data) if args.local_rank == -1 else DistributedSampler(train_data)
    train_dataloader = DataLoader(train_data, sampler=train_sampler, batch_size=4)
""",
    # The same as an if/else statement.
    "statement": """\
    if args.local_rank == -1:
        train_sampler = RandomSampler(train_data)
    else:
        train_sampler = DistributedSampler(train_data)
    train_dataloader = DataLoader(train_data, sampler=train_sampler, batch_size=4)
""",
    # None on the single-process branch (the DataLoader then shuffles with its own sampler).
    "none": """\
    train_sampler = None
    if args.local_rank != -1:
        train_sampler = DistributedSampler(train_data)
    train_dataloader = DataLoader(train_data, sampler=train_sampler, shuffle=train_sampler is None, batch_size=4)
""",
    # Built inline: the fix goes through `loader.sampler`, a RandomSampler on the other branch.
    "inline": """\
    train_dataloader = DataLoader(
        train_data,
        sampler=DistributedSampler(train_data) if args.local_rank != -1 else RandomSampler(train_data),
        batch_size=4,
    )
""",
    # The name rebound to torch's BatchSampler around the sampler: the fix goes through
    # `loader.batch_sampler.sampler`, a RandomSampler on the other branch.
    "rebound_batch_sampler": """\
    if args.local_rank == -1:
        train_sampler = RandomSampler(train_data)
    else:
        train_sampler = DistributedSampler(train_data)
    train_sampler = BatchSampler(train_sampler, batch_size=4, drop_last=False)
    train_dataloader = DataLoader(train_data, batch_sampler=train_sampler)
""",
}


def script(shape: str) -> str:
    return HEAD + SHAPES[shape] + TAIL


def run(path: Path, out: Path, nproc: int) -> List[dict]:
    reports = run_instrumented(str(path), str(out), nproc=nproc, timeout=120, preload=True)
    assert len(reports) == nproc
    for report in reports:
        assert failures(report) == [], report["stderr_tail"]
    return reports


def safely_fixed(path: Path) -> str:
    """What `tipcheck fix --select TIP501` (safe fixes only) writes; checks the finding is there
    and carries a safe fix, and that nothing is left to report after it."""
    [result] = lint_paths([str(path)], select_rules(["TIP501"]))
    [finding] = result.diagnostics
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE
    [result] = fix_paths([str(path)], select_rules(["TIP501"]), unsafe=False)
    assert not result.errors and not result.dropped_fixes, (result.errors, result.dropped_fixes)
    text = result.fixed_text
    assert text is not None and text != path.read_text(encoding="utf-8")
    return text


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_fix_runs_on_both_branches(shape: str, tmp_path: Path) -> None:
    original = tmp_path / "original" / "train.py"
    fixed = tmp_path / "fixed" / "train.py"
    for path in (original, fixed):
        path.parent.mkdir()
        path.write_text(script(shape), encoding="utf-8")
    fixed.write_text(safely_fixed(fixed), encoding="utf-8")
    [result] = lint_paths([str(fixed)], select_rules(["TIP501"]))
    assert result.diagnostics == []

    # Single process: the RandomSampler (or None) branch. The fixed script runs as the original does.
    for path, name in ((original, "single_before"), (fixed, "single_after")):
        [report] = run(path, tmp_path / name, nproc=1)
        assert report["sampler_epochs"] == []  # no DistributedSampler on this branch

    # Two gloo processes on CPU: the DistributedSampler branch. Before, each rank repeats its
    # order every epoch; after, set_epoch(epoch) runs each epoch and the order changes.
    before = run(original, tmp_path / "dist_before", nproc=2)
    after = run(fixed, tmp_path / "dist_after", nproc=2)
    assert sampler_repeats_every_epoch(before), sampler_orders(before)
    assert sampler_problems(after) == [], sampler_orders(after)
    for report in after:
        [sampler] = report["sampler_epochs"]
        assert sampler["set_epoch_calls"] == [0, 1, 2]
    assert "isinstance(" in fixed.read_text(encoding="utf-8")  # the call is guarded


# -- fixes where a pass over the data begins -------------------------------------------------------

PASS_HEAD = """\
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

"""

PASS_SHAPES = {
    # A generator walks the loader forever; the fix counts the passes in its `while True`.
    "generator": """\
def sample_data(loader):
    while True:
        for batch in loader:
            yield batch


def main():
    dist.init_process_group("gloo")
    torch.manual_seed(0)
    data = TensorDataset(torch.randn(32, 4), torch.randint(0, 2, (32,)))
    loader = DataLoader(data, batch_size=4, sampler=DistributedSampler(data))
    model = torch.nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    batches = sample_data(loader)
    for step in range(12):
        inputs, labels = next(batches)
        loss = torch.nn.functional.cross_entropy(model(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()
""",
    # The same with `yield from`.
    "yield_from": """\
def forever(loader):
    while True:
        yield from loader


def main():
    dist.init_process_group("gloo")
    torch.manual_seed(0)
    data = TensorDataset(torch.randn(32, 4), torch.randint(0, 2, (32,)))
    loader = DataLoader(data, batch_size=4, sampler=DistributedSampler(data))
    model = torch.nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    batches = forever(loader)
    for step in range(12):
        inputs, labels = next(batches)
        loss = torch.nn.functional.cross_entropy(model(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()
""",
    # `iter(loader)` at the start of each epoch, pulled with next() in an inner step loop.
    "iter_per_epoch": """\
def main():
    dist.init_process_group("gloo")
    torch.manual_seed(0)
    data = TensorDataset(torch.randn(32, 4), torch.randint(0, 2, (32,)))
    train_loader = DataLoader(data, batch_size=4, sampler=DistributedSampler(data))
    model = torch.nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(3):
        batches = iter(train_loader)
        for step in range(len(train_loader)):
            inputs, labels = next(batches)
            loss = torch.nn.functional.cross_entropy(model(inputs), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()
""",
}


@pytest.mark.parametrize("shape", sorted(PASS_SHAPES))
def test_fix_reshuffles_each_pass(shape: str, tmp_path: Path) -> None:
    """The fix puts `set_epoch` where each pass over the data begins (the generator's loop, the
    epoch loop that makes the iterator): after it, each pass is a new order on every rank."""
    original = tmp_path / "original" / "train.py"
    fixed = tmp_path / "fixed" / "train.py"
    text = PASS_HEAD + PASS_SHAPES[shape] + '\n\nif __name__ == "__main__":\n    main()\n'
    for path in (original, fixed):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    fixed.write_text(safely_fixed(fixed), encoding="utf-8")
    before = run(original, tmp_path / "before", nproc=2)
    after = run(fixed, tmp_path / "after", nproc=2)
    assert sampler_repeats_every_epoch(before), sampler_orders(before)
    assert sampler_problems(after) == [], sampler_orders(after)
    for report in after:
        [sampler] = report["sampler_epochs"]
        assert len(sampler["epochs"]) == 3
        assert sampler["set_epoch_calls"] == [0, 1, 2]


# -- the guard when the file cannot name DistributedSampler ----------------------------------------

HELPER = """\
from torch.utils.data import RandomSampler
from torch.utils.data.distributed import DistributedSampler
from samplers_lib import BucketSampler


def get_sampler(dataset, local_rank):
    return {other}(dataset) if local_rank == -1 else DistributedSampler(dataset)
"""

TRAIN = """\
from torch.utils.data import DataLoader

from data_utils import get_sampler
from models import build


def main(dataset, local_rank, epochs=3):
    sampler = get_sampler(dataset, local_rank)
    loader = DataLoader(dataset, sampler=sampler, batch_size=8)
    model, optimizer = build()
    for epoch in range(epochs):
        for inputs, labels in loader:
            loss = model(inputs, labels)
            loss.backward()
            optimizer.step()


main(None, -1)
"""


@pytest.mark.parametrize(
    "other, applicability",
    [("RandomSampler", Applicability.SAFE), ("BucketSampler", Applicability.UNSAFE)],
)
def test_hasattr_guard_is_safe_only_on_known_classes(other: str, applicability, tmp_path: Path) -> None:
    """Where no import names DistributedSampler, the guard is `hasattr(sampler, "set_epoch")`: safe
    when the other branch is a torch sampler without `set_epoch`, unsafe when it is a class the
    linter does not know (it may have a `set_epoch` of its own)."""
    (tmp_path / "data_utils.py").write_text(HELPER.format(other=other), encoding="utf-8")
    (tmp_path / "train.py").write_text(TRAIN, encoding="utf-8")
    paths = [str(tmp_path / "data_utils.py"), str(tmp_path / "train.py")]
    results = lint_paths(paths, select_rules(["TIP501"]))
    [finding] = [d for r in results for d in r.diagnostics]
    assert finding.fix is not None and finding.fix.applicability is applicability
    [result] = [r for r in fix_paths(paths, select_rules(["TIP501"]), unsafe=True) if r.fixed_text]
    assert 'if hasattr(sampler, "set_epoch"):\n            sampler.set_epoch(epoch)\n' in result.fixed_text

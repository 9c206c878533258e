"""`tipcheck verify`: a fix that keeps its promise and a deliberately wrong one, end to end on the
fixtures (a few seconds each: the runs fork from the harness's preload server), and its pieces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tipcheck.verify.hints import dummy_flags, failure_reason
from tipcheck.verify.lines import map_line, watch_line
from tipcheck.verify.promises import BROKEN, KEPT, NOT_SHOWN, Runs, judge
from tipcheck.verify.scratch import copy_project, local_modules, project_root
from tipcheck.verify.session import COULD_NOT_RUN, NOT_KEPT, VERIFIED, Options, verify
from tipcheck.verify.unchanged import unchanged

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TIP402 = FIXTURES / "tip402_step_before_optimizer.py"

torch = pytest.importorskip("torch")


def _verify(tmp_path, script, **kwargs):
    return verify(
        Options(script=str(script), root=str(script.parent), keep=str(tmp_path / "scratch"), **kwargs), progress=None
    )


def _single(tmp_path, name: str, text: str) -> Path:
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def test_fix_that_keeps_its_promise(tmp_path):
    script = _single(tmp_path, TIP402.name, TIP402.read_text())
    report = _verify(tmp_path, script, select=["TIP402"])
    assert report["exit"] == VERIFIED, report
    [promise] = report["promises"]
    assert promise["code"] == "TIP402" and promise["verdict"] == KEPT
    assert "warning is gone" in promise["detail"]
    checks = {row["check"]: row["verdict"] for row in report["unchanged"]}
    assert checks["first-step loss"] == KEPT and checks["optimizer steps"] == KEPT
    assert report["runs"]["original"]["steps"] == [9]  # 3 epochs x 3 batches, then a clean stop
    assert report["runs"]["original"]["stopped"]["reason"] == "epochs"


def test_wrong_fix_is_caught(tmp_path):
    script = _single(tmp_path, TIP402.name, TIP402.read_text())
    # "Fixed" by dropping the scheduler's step: the warning goes, and the schedule with it.
    wrong = TIP402.read_text().replace("        scheduler.step()\n", "")
    report = _verify(tmp_path, script, select=["TIP402"], substitute={TIP402.name: wrong})
    assert report["exit"] == NOT_KEPT, report
    [promise] = report["promises"]
    assert promise["verdict"] == BROKEN
    assert "the schedule gives" in promise["detail"]


def test_fix_that_changes_the_loss_is_caught(tmp_path):
    script = _single(tmp_path, TIP402.name, TIP402.read_text())
    # The schedule is fixed (stepped after the epoch's batches), but the model starts elsewhere.
    fixed = TIP402.read_text().replace("        scheduler.step()\n", "")
    fixed = fixed.replace("        print(f", "        scheduler.step()\n        print(f")
    fixed = fixed.replace("nn.Linear(8, 1))", "nn.Linear(8, 1))\n    torch.nn.init.zeros_(model[2].weight)")
    report = _verify(tmp_path, script, select=["TIP402"], substitute={TIP402.name: fixed})
    assert report["exit"] == NOT_KEPT
    assert report["promises"][0]["verdict"] == KEPT
    rows = {row["check"]: row for row in report["unchanged"]}
    assert rows["first-step loss"]["verdict"] == BROKEN


def test_distributed_fix_under_two_processes(tmp_path):
    source = FIXTURES / "tip501_sampler_without_set_epoch.py"
    script = _single(tmp_path, source.name, source.read_text())
    report = _verify(tmp_path, script, nproc=2)
    assert report["exit"] == VERIFIED, report
    [promise] = report["promises"]
    assert promise["code"] == "TIP501" and promise["verdict"] == KEPT
    assert report["runs"]["fixed"]["steps"] == [9, 9]


MISSING_DATA = """
    import argparse
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, Dataset


    class Images(Dataset):
        def __init__(self, folder):
            self.files = [f"{folder}/{i}.pt" for i in range(8)]

        def __len__(self):
            return len(self.files)

        def __getitem__(self, index):
            return torch.load(self.files[index])


    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/train")
    parser.add_argument("--dummy", action="store_true", help="random data instead")
    args = parser.parse_args()
    model = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1)
    data = [(torch.randn(4), torch.randn(1)) for _ in range(8)] if args.dummy else Images(args.data)
    for epoch in range(4):
        scheduler.step()
        for x, y in DataLoader(data, batch_size=2):
            optimizer.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
"""


NEVER_RUN_TRAINER = """
    import torch


    class Trainer:
        def __init__(self, model, device=torch.device("cuda")):
            self.model = model.to(device)
"""
NEVER_RUN_SCRIPT = """
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    from trainer import Trainer


    def evaluate(model, x):
        return model.cuda()(x.cuda())


    model = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    data = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4, num_workers=2)
    for epoch in range(2):
        for x, y in data:
            optimizer.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
"""


def test_fixed_lines_that_never_ran_are_named(tmp_path):
    # Trainer is imported (its `def` runs, the default with it) but never built; evaluate is
    # never called: the promise is not shown, and the report says why instead of blaming the CPU.
    _single(tmp_path, "trainer.py", NEVER_RUN_TRAINER)
    script = _single(tmp_path, "train.py", NEVER_RUN_SCRIPT)
    report = _verify(tmp_path, script, select=["TIP102"])
    assert report["exit"] == VERIFIED, report
    [promise] = report["promises"]
    assert promise["verdict"] == NOT_SHOWN
    default = "the function with the fixed default was never called: trainer.py:6 (Trainer is never built)"
    assert default in promise["detail"]
    assert "the fixed line never ran in this run: train.py:10 (evaluate is never called)" in promise["detail"]
    assert "on the CPU" not in promise["detail"]
    found = {(f["file"], f["line"]): f for f in report["findings"] if f["fixed"]}
    assert found[("trainer.py", 6)]["ran"] is True and found[("trainer.py", 6)]["called"] is False
    assert found[("train.py", 10)]["ran"] is False
    assert found[("train.py", 10)]["ran_in"] == {"original": False, "fixed": False}


def test_fixed_lines_that_ran_are_shown_as_before(tmp_path):
    # One fixed line runs in the main process (the original fails there without CUDA: the promise
    # is kept, as before), one only in the DataLoader's (forked) workers: both ran.
    text = (
        NEVER_RUN_SCRIPT.replace("TensorDataset(torch.randn(16, 4), torch.randn(16, 1))", "Points()")
        .replace(
            "    from trainer import Trainer\n",
            """
    class Points(torch.utils.data.Dataset):
        def __len__(self):
            return 16

        def __getitem__(self, index):
            self.device = torch.device("cuda")
            return torch.ones(4) * index, torch.ones(1)
""",
        )
        .replace("model = nn.Linear(4, 1)", "model = nn.Linear(4, 1).to(torch.device('cuda'))")
    )
    script = _single(tmp_path, "train.py", text)
    report = _verify(tmp_path, script, select=["TIP102"])
    assert report["exit"] == VERIFIED, report
    [promise] = report["promises"]
    assert promise["verdict"] == KEPT and "the fixed copy runs" in promise["detail"], promise
    found = {f["line"]: f for f in report["findings"] if f["fixed"]}
    # In the fixed copy's workers only (the original failed before its loader ran).
    assert found[12]["ran_in"] == {"original": False, "fixed": True}
    assert found[20]["ran"] is True and found[17]["ran"] is False  # evaluate is never called


def test_watched_lines_of_a_finding():
    text = textwrap.dedent(NEVER_RUN_TRAINER)
    watched = watch_line(text, 6)
    assert watched["lines"] == [6] and watched["within"] is None
    assert watched["default_of"] == {"first": 6, "name": "__init__", "qualname": "Trainer.__init__", "class": "Trainer"}
    assert watch_line(text, 7)["within"]["qualname"] == "Trainer.__init__"
    fixed = text.replace("import torch\n", "import torch\nimport os\n\n")
    assert map_line(text, fixed, 7) == 9 and map_line(text, text, 7) == 7


WATCHED_MODULE = """
import threading

def used(x):
    y = x + 1
    return y

def never(x, d=dict(a=1)):
    return x


class Built:
    def __init__(self, v=list()):
        self.v = v


class NotBuilt:
    def __init__(self, v=list()):
        self.v = v


def in_thread():
    return 3
"""
WATCHING = """
import os, sys, threading
from tipcheck.verify.lines import seen, settings, watch_line
from tipcheck.verify.tracer import install
here = os.path.realpath("mod.py")
text = open(here).read()
install(settings([{"file": here, "line": n, **watch_line(text, n)} for n in (4, 7, 12, 17, 22)]), sys.argv[1])
sys.path.insert(0, os.getcwd())
import mod
mod.used(1)
mod.Built()
thread = threading.Thread(target=mod.in_thread)
thread.start()
thread.join()
pid = os.fork()
if pid == 0:
    mod.never(2)
    os._exit(0)
os.waitpid(pid, 0)
saw = seen(sys.argv[1])
print(sorted(n for _, n in saw["lines"]), sorted(n for _, n in saw["calls"]))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_tracer_records_lines_and_calls_in_threads_and_forked_children(tmp_path):
    (tmp_path / "mod.py").write_text(WATCHED_MODULE.lstrip())
    (tmp_path / "notes").mkdir()
    out = subprocess.run(
        [sys.executable, "-c", WATCHING, str(tmp_path / "notes")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    # Lines: used's body, the defs of never and both __init__ (defaults), in_thread's body (a
    # thread). Calls: used, never (in the forked child), Built.__init__, in_thread; not NotBuilt's.
    assert out.stdout.split("\n")[0] == "[4, 7, 12, 17, 22] [3, 7, 12, 21]", out.stderr


def test_missing_data_file_is_named_with_the_dummy_flag(tmp_path):
    script = _single(tmp_path, "train.py", MISSING_DATA)
    report = _verify(tmp_path, script, select=["TIP402"])
    assert report["exit"] == COULD_NOT_RUN
    assert "data/train/0.pt" in report["reason"] and "Images.__getitem__" in report["reason"]
    assert "-- --dummy" in report["reason"]
    again = _verify(tmp_path, script, select=["TIP402"], args=["--dummy"])
    assert again["exit"] == VERIFIED, again


def test_empty_glob_of_a_missing_folder_is_named_with_the_dummy_flag(tmp_path):
    # The dataset globs its folder instead of opening a file: nothing raises until the loader
    # finds it empty. The folder is named, not only "the dataset is empty".
    text = MISSING_DATA.replace(
        'self.files = [f"{folder}/{i}.pt" for i in range(8)]',
        'self.files = sorted(glob.glob(os.path.join(folder, "**", "*.pt"), recursive=True))',
    ).replace("    import argparse\n", "    import argparse\n    import glob\n    import os\n")
    script = _single(
        tmp_path,
        "train.py",
        text.replace("DataLoader(data, batch_size=2)", "DataLoader(data, batch_size=2, shuffle=True)"),
    )
    report = _verify(tmp_path, script, select=["TIP402"])
    assert report["exit"] == COULD_NOT_RUN
    assert "looks for its data in data/train (in Images.__init__), a folder that does not exist" in report["reason"]
    assert "-- --dummy" in report["reason"]
    (script.parent / "data" / "train").mkdir(parents=True)  # there, with no .pt file: not named
    (script.parent / "data" / "train" / "README").write_text("the data goes here\n")
    there = _verify(tmp_path, script, select=["TIP402"])  # the same --keep folder: no note of the first run
    assert there["exit"] == COULD_NOT_RUN and "the dataset is empty" in there["reason"], there["reason"]


def test_data_stub_stands_in_for_the_project_data(tmp_path):
    script = _single(tmp_path, "train.py", MISSING_DATA)
    stub = tmp_path / "stub.py"
    stub.write_text(
        "import os, torch\n"
        "load = torch.load\n"
        "torch.load = lambda f, *a, **k: (torch.randn(4), torch.randn(1)) if not os.path.exists(f) else load(f, *a, **k)\n"
    )
    report = _verify(tmp_path, script, select=["TIP402"], data_stub=str(stub))
    assert report["exit"] == VERIFIED, report
    assert report["promises"][0]["verdict"] == KEPT


def test_steps_without_a_loader_stop_after_epochs_times_batches(tmp_path):
    script = _single(
        tmp_path,
        "steps.py",
        """
        import torch
        model = torch.nn.Linear(3, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 2)
        for step in range(1000):
            scheduler.step()
            optimizer.zero_grad()
            model(torch.randn(5, 3)).sum().backward()
            optimizer.step()
        """,
    )
    report = _verify(tmp_path, script, batches=2, epochs=2)
    assert report["runs"]["original"]["steps"] == [4]
    assert report["runs"]["original"]["stopped"]["reason"] == "steps"
    assert report["exit"] == VERIFIED, report


ENDLESS = """
import torch
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, Sampler, TensorDataset


class Forever(Sampler):  # no __len__: the loader never ends (DomainBed's _InfiniteSampler)
    def __init__(self, inner):
        self.inner = inner

    def __iter__(self):
        while True:
            yield from self.inner


class Stream:
    def __init__(self, dataset, batch_size):
        sampler = Forever(BatchSampler(RandomSampler(dataset), batch_size, drop_last=True))
        self.batches = iter(DataLoader(dataset, batch_sampler=sampler))

    def __iter__(self):
        while True:
            yield next(self.batches)


torch.manual_seed(0)
data = TensorDataset(torch.randn(32, 3), torch.randn(32, 1))
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 2)
stream = iter(Stream(data, 4))
for epoch in range(5):
    scheduler.step()
    for step in range(3):
        x, y = next(stream)
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
"""


def test_endless_loader_taken_with_next_is_stopped_cleanly(tmp_path):
    # Its batches end where a pass would (3 batches), the next pass begins, and the run stops after
    # the passes: no StopIteration inside the script's generator ("generator raised StopIteration").
    script = _single(tmp_path, "endless.py", ENDLESS)
    report = _verify(tmp_path, script, select=["TIP402"])
    assert report["exit"] == VERIFIED, report
    assert report["runs"]["original"]["steps"] == [9]
    assert report["runs"]["original"]["stopped"]["reason"] == "epochs"
    # Each cut is a pass for the recording too: the LR judged per pass (StepLR per epoch of 3 steps).
    [promise] = report["promises"]
    assert promise["verdict"] == KEPT and "StepLR per epoch: [0.1, 0.1, 0.01]" in promise["detail"], promise


def test_data_stub_that_puts_the_project_root_on_the_path(tmp_path):
    # A script its README runs as `python -m pkg.scripts.train`: a stub puts the root on sys.path,
    # and the run keeps it (the harness set sys.path[0] to the script's folder after the stub ran).
    root = tmp_path / "project"
    (root / "pkg" / "scripts").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "scripts" / "__init__.py").write_text("")
    (root / "pkg" / "settings.py").write_text("EPOCHS = 5\n")
    fixture = TIP402.read_text().replace("import torch\n", "import torch\nfrom pkg.settings import EPOCHS\n", 1)
    script = root / "pkg" / "scripts" / "train.py"
    script.write_text(fixture.replace("range(5)", "range(EPOCHS)"))
    stub = tmp_path / "root_on_path.py"
    # sys.path[0] is the script's folder when the stub runs, as it is for the script: two up is the root
    stub.write_text("import os, sys\nsys.path.insert(0, os.path.dirname(os.path.dirname(sys.path[0])))\n")
    options = dict(script=str(script), root=str(root), keep=str(tmp_path / "scratch"), select=["TIP402"])
    report = verify(Options(data_stub=str(stub), **options), progress=None)
    assert report["exit"] == VERIFIED, report
    assert report["promises"][0]["verdict"] == KEPT
    without = verify(Options(**options), progress=None)
    assert without["exit"] == COULD_NOT_RUN and "No module named 'pkg'" in without["reason"], without["reason"]


def test_torchvision_standins(tmp_path):
    from tipcheck.verify.standins import make_standin

    torchvision = pytest.importorskip("torchvision")
    state = {"standins": []}
    cifar = make_standin("CIFAR100", torchvision.datasets.CIFAR100, 64, state)(
        "nowhere", train=False, download=True, transform=torchvision.transforms.ToTensor()
    )
    image, target = cifar[5]
    assert tuple(image.shape) == (3, 32, 32) and 0 <= target < 100 and len(cifar) == 64
    assert cifar.data.shape == (64, 32, 32, 3) and len(cifar.classes) == 100
    mnist = make_standin("MNIST", torchvision.datasets.MNIST, 64)("nowhere")
    assert mnist[0][0].size == (28, 28) and mnist.targets.dtype == torch.int64
    assert state["standins"] == [{"dataset": "CIFAR100", "split": "test", "length": 64}]


def test_dummy_flags_and_reasons(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(
        'import argparse\np = argparse.ArgumentParser()\np.add_argument("--fake-data", action="store_true")\np.add_argument("--lr")\n'
    )
    assert dummy_flags([str(path)]) == ["--fake-data"]
    path.write_text(
        'import argparse\np = argparse.ArgumentParser()\np.add_argument("--data-type", choices=["csv", "synthetic"])\n'
    )
    assert dummy_flags([str(path)]) == ["--data-type synthetic"]
    report = {
        "exception": {
            "type": "FileNotFoundError",
            "message": "[Errno 2] No such file or directory: '/s/original/x.csv'",
            "traceback": "",
        },
        "exit": 1,
    }
    reason = failure_reason(report, [], ["--fake-data"], "/s/original")
    assert "opens x.csv" in reason and "-- --fake-data" in reason


def _report(loss=1.0, steps=3, warnings=(), exception=None, exit=0):
    return {
        "exception": exception,
        "exit": exit,
        "loss_epochs": [{"first": loss}],
        "lr": [{"optimizer": 0, "lrs": [0.1], "loader_iter": 0}] * steps,
        "weights": [],
        "warnings": [{"category": "UserWarning", "message": m} for m in warnings],
    }


def test_unchanged_rows():
    rows = {r["check"]: r["verdict"] for r in unchanged([_report()], [_report(loss=1.5, warnings=["new"])], ["TIP402"])}
    assert rows["first-step loss"] == BROKEN and rows["no new warning"] == BROKEN
    rows = {r["check"]: r["verdict"] for r in unchanged([_report()], [_report(loss=1.5, steps=2)], ["TIP303"])}
    assert rows["first-step loss"] == NOT_SHOWN and rows["optimizer steps"] == NOT_SHOWN
    assert rows["LR per step"] == KEPT  # over the steps both made
    rows = {r["check"]: r["verdict"] for r in unchanged([_report()], [_report(exit=3)], ["TIP402"])}
    assert rows["no new exception"] == BROKEN


def _rank_report(rank, local_rank=None, alive=False, stopped=None, lrs=(0.1,)):
    return {
        "rank": rank,
        "exception": None,
        "exit": 0,
        "lr": [{"optimizer": 0, "lrs": [lr], "loader_iter": 0} for lr in lrs],
        "parsed_args": [] if local_rank is None else [{"local_rank": local_rank, "lr": 0.1}],
        "exit_state": {"process_group_alive": alive, "backend": "gloo" if alive else None, "warnings": []},
        "verify": {"stopped": stopped},
    }


TWO = Runs(device="cpu", nproc=2, distributed=True)


def test_process_group_promise():
    before = [_rank_report(r, alive=True) for r in (0, 1)]
    kept = judge("TIP505", before, [_rank_report(r) for r in (0, 1)], TWO)
    assert kept["verdict"] == KEPT and kept["before"] == "group alive at exit on 2 of 2"
    assert judge("TIP505", before, before, TWO)["verdict"] == BROKEN
    # Stopped by verify before the script's end, where the fix's destroy_process_group is.
    stopped = [_rank_report(r, alive=True, stopped={"reason": "epochs"}) for r in (0, 1)]
    assert judge("TIP505", before, stopped, TWO)["verdict"] == NOT_SHOWN
    single = [_rank_report(0)]
    assert judge("TIP505", single, single, Runs(device="cpu"))["verdict"] == NOT_SHOWN


def test_local_rank_promise():
    before = [_rank_report(r, local_rank=-1) for r in (0, 1)]
    kept = judge("TIP503", before, [_rank_report(r, local_rank=r) for r in (0, 1)], TWO)
    assert kept["verdict"] == KEPT and kept["before"] == "rank 0: -1, rank 1: -1"
    assert judge("TIP503", before, before, TWO)["verdict"] == BROKEN
    crashed = [
        {**r, "exception": {"type": "RuntimeError", "message": "Device index must not be negative"}} for r in before
    ]
    row = judge("TIP503", crashed, [_rank_report(r, local_rank=r) for r in (0, 1)], TWO)
    assert row["verdict"] == KEPT and "the original failed" in row["detail"], row
    given = [_rank_report(r, local_rank=0) for r in (0, 1)]  # `-- --local_rank 0`: every process gets 0
    assert (
        judge("TIP503", given, given, Runs(device="cpu", nproc=2, distributed=True, args=("--local_rank", "0")))[
            "verdict"
        ]
        == NOT_SHOWN
    )


def test_lr_summary_shows_where_the_schedule_moves():
    before = [_rank_report(0, lrs=[0.1] * 12 + [0.01] * 4)]
    after = [_rank_report(0, lrs=[0.1] * 14 + [0.01] * 2)]
    row = judge("TIP402", before, after, Runs(device="cpu"))
    assert row["before"] == "LR 0.1 x12, 0.01 x4 (16 steps)" and row["after"] == "LR 0.1 x14, 0.01 x2 (16 steps)"


def test_project_root_and_local_modules(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "models.py").write_text("from .layers import Block\n")
    (tmp_path / "lib" / "layers.py").write_text("Block = 1\n")
    (tmp_path / "tools").mkdir()
    script = tmp_path / "tools" / "train.py"
    script.write_text("import os\nfrom lib.models import Block\n")
    assert project_root(str(script)) == str(tmp_path)
    found = {os.path.relpath(p, tmp_path) for p in local_modules(str(script), str(tmp_path))}
    assert found == {"tools/train.py", "lib/__init__.py", "lib/models.py", "lib/layers.py"}
    (tmp_path / "big.bin").write_bytes(b"0" * (3 * 1024 * 1024))
    copy = copy_project(str(tmp_path), str(tmp_path / ".scratch"))
    assert copy.skipped_large == ["big.bin"] and os.path.exists(os.path.join(copy.fixed, "lib", "layers.py"))


def test_the_linter_side_never_imports_torch():
    code = "import sys, tipcheck.cli, tipcheck.verify.session, tipcheck.verify.command; print('torch' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert out.stdout.strip() == "False", out.stderr


def test_cli_json(tmp_path):
    script = _single(tmp_path, TIP402.name, TIP402.read_text())
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tipcheck",
            "verify",
            str(script),
            "--select",
            "TIP402",
            "--json",
            str(tmp_path / "r.json"),
            "--",
            "--unused",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["args"] == ["--unused"] and out.returncode == report["exit"] == VERIFIED, out.stdout + out.stderr
    assert "TIP402" in out.stdout and "Must not change" in out.stdout


def test_warnings_that_differ_only_by_process_id_are_the_same_warning():
    # Python 3.12 warns "This process (pid=N) is multi-threaded, use of fork() may lead to
    # deadlocks" when a multi-threaded process forks loader workers: each run has its own pid.
    from tipcheck.verify.unchanged import normaliser

    normalise = normaliser("/scratch/original")
    text = "This process (pid={}) is multi-threaded, use of fork() may lead to deadlocks in the child."
    assert normalise(text.format(646)) == normalise(text.format(664))
    assert normalise("at 0x7f00aa in /scratch/original/train.py") == "at 0x? in <project>/train.py"
    assert normalise("batch 646 of 664") == "batch 646 of 664"  # other numbers still count

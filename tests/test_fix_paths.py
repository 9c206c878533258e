"""Fixes keep every path they do not mean to change (issue 11, items 7 and 8).

- TIP402: the scheduler step moves down the loop body. It is a safe fix only when no statement it
  moves past can leave the iteration (`continue`, `break`, `return`, `raise`, `yield`, at a depth
  where it acts on the loop); otherwise the fix is unsafe and says why.
- TIP102: the device variable the fix defines must exist whenever a placement it serves runs. The
  fixed scripts are run (on this machine's CPU): none may fail, NameError least of all; where no
  place works, there is no fix.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Dict, List

import pytest
from conftest import fix, lint

# -- TIP402: which paths the moved step would miss ---------------------------------------------

LOOP = """
import torch
from torch.optim.lr_scheduler import StepLR

model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=2)
loader = [(torch.randn(2, 3), torch.randn(2, 1))]


def train(epochs):
    for epoch in range(epochs):
        scheduler.step()
{between}
        for x, y in loader:
{inside}
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
{orelse}
"""


def _loop(between: str = "", inside: str = "", orelse: str = "") -> str:
    def block(code: str, indent: str) -> str:
        return textwrap.indent(textwrap.dedent(code).strip("\n"), indent) if code else indent + "pass"

    source = LOOP.format(
        between=block(between, " " * 8),
        inside=block(inside, " " * 12),
        orelse=("        else:\n" + block(orelse, " " * 12)) if orelse else "",
    )
    compile(source, "t.py", "exec")
    return source


# (between the two places, inside the batch loop, the batch loop's else clause) -> the keywords
# by which an iteration leaves early (none: the fix is safe)
SHAPES = {
    "plain": ("", "", "", []),
    "continue and break of the batch loop": ("", "if x.sum() > 9:\n    continue\nif y.sum() > 9:\n    break", "", []),
    "return in a nested def": ("def helper():\n    return 1", "", "", []),
    "break of an inner while": ("while True:\n    break", "", "", []),
    "continue of an inner for's else": ("for i in range(3):\n    pass\nelse:\n    continue", "", "", ["continue"]),
    "break in the batch loop's else": ("", "", "break", ["break"]),
    "continue in an except": ("try:\n    pass\nexcept Exception:\n    continue", "", "", ["continue"]),
    "return in the batch loop": ("", "if x.sum() > 9:\n    return", "", ["return"]),
    "raise": ("if epoch > 99:\n    raise StopIteration", "", "", ["raise"]),
    "yield": ("yield epoch", "", "", ["yield"]),
    "yield in an expression": ("", "seen = (yield x)", "", ["yield"]),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_tip402_fix_is_safe_only_when_no_path_leaves_early(shape: str) -> None:
    between, inside, orelse, exits = SHAPES[shape]
    source = _loop(between, inside, orelse)
    [finding] = [d for d in lint(source, ["TIP402"])]
    assert finding.fix is not None, finding
    assert finding.fix.is_safe == (not exits), (shape, finding.fix)
    for keyword in exits:
        assert f"`{keyword}`" in finding.fix.message, finding.fix.message
    # Safe fixes leave an unsafe one alone; --unsafe-fixes applies it.
    moved = fix(source, unsafe=True, select=["TIP402"])
    assert moved != source and "TIP402" not in [d.code for d in lint(moved, ["TIP402"])]
    assert (fix(source, select=["TIP402"]) == source) == bool(exits)


def test_tip402_no_fix_when_the_scheduler_is_reassigned_on_the_way() -> None:
    source = textwrap.dedent(
        """
        import torch
        from torch.optim.lr_scheduler import StepLR


        class Trainer:
            def __init__(self, model, loader):
                self.model = model
                self.loader = loader
                self.optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                self.scheduler = StepLR(self.optimizer, step_size=2)

            def fit(self, epochs):
                for epoch in range(epochs):
                    self.scheduler.step()
                    if epoch == 5:
                        self.scheduler = StepLR(self.optimizer, step_size=3)
                    for x, y in self.loader:
                        self.optimizer.zero_grad()
                        torch.nn.functional.mse_loss(self.model(x), y).backward()
                        self.optimizer.step()
        """
    )
    findings = lint(source, ["TIP402"])
    assert findings and all(d.fix is None for d in findings), [d.fix for d in findings]


def test_tip402_never_drops_the_epoch_argument() -> None:
    source = _loop().replace("scheduler.step()", "scheduler.step(epoch)")
    [finding] = lint(source, ["TIP402"])
    assert "step(epoch)" in finding.message and finding.fix is None
    assert fix(source, unsafe=True, select=["TIP402"]) == source


# -- TIP102: the device variable exists where it is used ---------------------------------------

RUNNER = r"""
import json, os, runpy, sys, warnings
warnings.simplefilter("ignore")
results = {}
for script in sys.argv[2:]:
    try:
        runpy.run_path(script, run_name="__main__")
        results[script] = None
    except BaseException as exc:
        results[script] = f"{type(exc).__name__}: {exc}"
with open(sys.argv[1], "w") as handle:
    json.dump({"cuda": __import__("torch").cuda.is_available(), "results": results}, handle)
"""

# name -> (source, whether the placement on the line marked `# here` gets a fix)
PLACEMENTS = {
    "torch bound after the use": (
        """
        from torch import nn
        model = nn.Linear(2, 2).cuda()  # here
        import torch
        print(model(torch.zeros(1, 2, device=next(model.parameters()).device)))
        """,
        True,
    ),
    "torch as th": (
        """
        import torch as th
        d = th.device("cuda")  # here
        print(th.zeros(1, device=d))
        """,
        True,
    ),
    "from torch import device": (
        """
        from torch import device, nn
        d = device("cuda")  # here
        print(nn.Linear(2, 2).to(d).weight.device)
        """,
        False,
    ),
    "def before the import, called after": (
        """
        import os
        os.environ.setdefault("OMP_NUM_THREADS", "1")


        def build():
            return torch.nn.Linear(2, 2).cuda()  # here


        import torch
        print(build())
        """,
        True,
    ),
    "def called before the import": (
        """
        import os


        def build():
            import torch
            return torch.nn.Linear(2, 2).cuda()  # here


        model = build()
        import torch
        print(model)
        """,
        False,
    ),
    "def run by its own decorator before the import": (
        """
        import os
        BUILT = []


        def register(function):
            BUILT.append(function())
            return function


        @register
        def build():
            import torch
            return torch.nn.Linear(2, 2).cuda()  # here


        import torch
        print(BUILT)
        """,
        False,
    ),
    "def with an imported decorator": (
        """
        import functools
        import os


        @functools.lru_cache()
        def build():
            return torch.nn.Linear(2, 2).cuda()  # here


        import torch
        print(build())
        """,
        True,
    ),
    "torch imported only inside the function": (
        """
        def main():
            import torch
            model = torch.nn.Linear(2, 2).cuda()  # here
            print(model)


        main()
        """,
        False,
    ),
    "use on the import's line": (
        """
        import os
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        import torch; model = torch.nn.Linear(2, 2).cuda()  # here
        print(model)
        """,
        False,
    ),
    "device choice defined after the use": (
        """
        import torch
        model = torch.nn.Linear(2, 2).cuda()  # here
        DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        print(model(torch.zeros(1, 2, device=DEVICE)))
        """,
        False,
    ),
}


def _marked_row(source: str) -> int:
    [row] = [i for i, line in enumerate(source.splitlines(), 1) if line.endswith("# here")]
    return row


@pytest.fixture(scope="module")
def placement_runs(tmp_path_factory) -> Dict:
    """Each case fixed with `--unsafe-fixes --select TIP1`, and the fixed scripts' outcomes (None:
    it ran to the end; else the exception), from one Python process."""
    pytest.importorskip("torch")
    root = tmp_path_factory.mktemp("placements")
    scripts: List[str] = []
    out: Dict = {}
    for index, (name, (source, _)) in enumerate(PLACEMENTS.items()):
        source = textwrap.dedent(source).lstrip("\n")
        fixed = fix(source, unsafe=True, select=["TIP1"])
        path = root / f"case{index}.py"
        path.write_text(fixed, encoding="utf-8")
        scripts.append(str(path))
        out[name] = {"source": source, "fixed": fixed, "script": str(path)}
    runner = root / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    report = root / "report.json"
    proc = subprocess.run(
        [sys.executable, str(runner), str(report), *scripts], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0 and report.exists(), proc.stderr[-4000:]
    data = json.loads(report.read_text())
    for name in PLACEMENTS:
        out[name]["outcome"] = data["results"][out[name]["script"]]
    out["cuda"] = data["cuda"]
    return out


@pytest.mark.parametrize("name", list(PLACEMENTS))
def test_tip102_fixed_script_runs(name: str, placement_runs: Dict) -> None:
    case = placement_runs[name]
    source, fixable = PLACEMENTS[name]
    row = _marked_row(case["source"])
    [finding] = [d for d in lint(case["source"], ["TIP102"]) if d.start.row == row]
    assert (finding.fix is not None) == fixable, (name, finding.fix)
    if fixable:
        assert case["fixed"] != case["source"]
        assert case["outcome"] is None, f"{name}: the fixed script fails: {case['outcome']}\n{case['fixed']}"
    else:
        assert case["fixed"] == case["source"]
        if not placement_runs["cuda"]:  # as written, it needs CUDA
            assert case["outcome"] is not None

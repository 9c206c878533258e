"""TIP102 and the entry scripts that reach a module (tipcheck.facts.entries): a module is GPU-only
when every way into it, through the imports of the linted files, goes through a GPU-only entry."""

from __future__ import annotations

from pathlib import Path
from typing import List

from tipcheck import engine
from tipcheck.rules import RULES_BY_CODE

HELPER = """\
import torch


class Scenes:
    def weights(self):
        return torch.ones(3).cuda()


TABLE = {"scenes": Scenes}
"""
GPU_ENTRY = """\
import torch
import torch.nn as nn

import {helper}


def main():
    model = nn.DataParallel(nn.Linear(3, 3), device_ids=[0, 1]).cuda()
    print(model({helper}.TABLE["scenes"]().weights()))


if __name__ == "__main__":
    main()
"""


def _lint(tmp_path: Path, files: dict) -> List[str]:
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(str(path))
    results = engine.lint_paths(sorted(paths), [RULES_BY_CODE["TIP102"]])
    return sorted(f"{Path(r.path).name}:{d.start.row}" for r in results for d in r.diagnostics)


def test_module_imported_only_by_a_gpu_only_entry_is_silent(tmp_path):
    assert _lint(tmp_path, {"scenes.py": HELPER, "train.py": GPU_ENTRY.format(helper="scenes")}) == []


def test_module_also_reached_through_a_package_nobody_imports_is_reported(tmp_path):
    # pkg/__init__.py re-exports the helper and nothing linted imports the package: it may be used
    # from outside, so the helper stays reported.
    files = {
        "pkg/__init__.py": "from .scenes import Scenes\n",
        "pkg/scenes.py": HELPER,
        "train.py": GPU_ENTRY.format(helper="pkg.scenes"),
    }
    assert _lint(tmp_path, files) == ["scenes.py:6"]


def test_module_in_an_import_cycle_without_an_entry_is_reported(tmp_path):
    files = {
        "a.py": "import b\n" + HELPER,
        "b.py": "import a\n",
    }
    assert _lint(tmp_path, files) == ["a.py:7"]


# A package whose modules import each other in a cycle (a <-> b), with b requiring an op compiled
# from CUDA sources; c imports a; d and e import each other and nothing that needs CUDA.
CYCLE = {
    "pkg/__init__.py": "from .a import A\n",
    "pkg/a.py": "from .b import B\nA = 1\n",
    "pkg/b.py": "from .a import A\nfrom .op import fused\nB = 2\n",
    "pkg/op.py": "from torch.utils.cpp_extension import load\nfused = load(name='fused', sources=['fused.cu'])\n",
    "pkg/c.py": "from .a import A\n",
    "pkg/d.py": "from .e import E\nimport torch\n",
    "pkg/e.py": "from .d import D\n",
    "pkg/tools.py": "try:\n    from .op import fused\nexcept ImportError:\n    fused = None\n",
}


def test_cuda_requirement_through_import_cycles_does_not_depend_on_the_order_of_questions():
    from itertools import permutations

    from tipcheck.facts.entries import EntryReach

    expected = {"pkg/a.py": True, "pkg/b.py": True, "pkg/c.py": True, "pkg/d.py": False, "pkg/tools.py": False}
    for order in permutations(["pkg/a.py", "pkg/b.py", "pkg/c.py", "pkg/d.py", "pkg/tools.py"]):
        reach = EntryReach(CYCLE, lambda path: False)
        assert {path: reach._requires(path) for path in order} == expected, order
    reach = EntryReach(CYCLE, lambda path: False)
    assert reach.package_requires("pkg/d.py")  # its package's __init__ imports a, which needs b's op


def test_prefilter_reads_the_text_as_the_placement_patterns_do():
    """TIP102's text prefilter (plain substrings and the quoted "cuda") wants exactly the texts in
    which one of its placement or GPU-design patterns, written as one regular expression, occurs."""
    import re

    spec = re.compile(
        r"""\.cuda\(|["']cuda[:"']|current_accelerator|["']nccl["']|set_device\(|device_ids|CUDA_VISIBLE_DEVICES"""
    )
    rule = RULES_BY_CODE["TIP102"]
    root = Path(__file__).resolve().parent.parent
    texts = [path.read_text() for path in sorted((root / "rules" / "TIP102").glob("*.py"))]
    texts += [path.read_text() for path in sorted((root / "fixtures").glob("*.py"))]
    texts += [
        "x = 'cuda'",
        'd = "cuda:1"',
        "cuda = 1\nt.cuda (x)",
        "backend='nccl'",
        'backend="nccl"',
        "backend=nccl",
        "torch.cuda.set_device (0)",
        "use cuda device_ids",
        "cuda ` cuda' x",
        "",
    ]
    for text in texts:
        expected = any(word in text for word in rule.needs_text) and bool(spec.search(text))
        assert rule.wanted(text) == expected, text[:80]

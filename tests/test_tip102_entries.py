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

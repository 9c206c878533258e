"""TIP102 and helper classes built only by GPU-only code (tipcheck.facts.cuda_importers): the files
that name the class are looked for in every linted file, also through the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

from tipcheck import engine
from tipcheck.cache import Cache
from tipcheck.rules import select_rules

CASES = Path(__file__).resolve().parent.parent / "rules" / "TIP102"


def _findings(folder: Path, cache=None):
    paths = sorted(str(p) for p in folder.rglob("*.py"))
    rules = select_rules(["TIP102"])
    results = engine.lint_paths(paths, rules, jobs=1, cache=cache)
    return sorted((Path(r.path).name, d.start.row) for r in results for d in r.diagnostics)


def test_a_script_added_that_builds_the_helper_on_the_cpu_brings_the_finding_back(tmp_path):
    # The CPU script mentions no device: TIP102 does not read it, yet it must be seen, also when
    # the project step's results come from the cache.
    tree = tmp_path / "case"
    shutil.copytree(CASES / "n102_xmod_helper_class_factory", tree)
    cache = Cache(str(tmp_path / "cache"))
    assert _findings(tree, cache) == []
    shutil.copy(CASES / "p102_xmod_helper_class_factory_cpu" / "preview.py", tree / "preview.py")
    assert [name for name, _ in _findings(tree, cache)] == ["wrap.py", "wrap.py"]
    assert [name for name, _ in _findings(tree)] == ["wrap.py", "wrap.py"]

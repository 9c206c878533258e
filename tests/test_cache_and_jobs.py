"""The process pool and the cache change how fast tipcheck runs, never what it reports.

- `--jobs N` gives the same findings, fixes and errors, in the same order, as one process;
- a warm run gives what a cold run gave and analyses nothing again; after an edit, the edited
  file is analysed again and the project rules see the edit even in files that did not change;
- the cache is keyed by the rules too, survives broken entries, two runs at once and a folder it
  cannot write, and lives where the options, the environment or the project root say.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List

import pytest
from click.testing import CliRunner

from tipcheck import analysis, engine, fixing, parsing, pool
from tipcheck.cache import Cache
from tipcheck.cli import cli
from tipcheck.rules import ALL_RULES, select_rules

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "rules"  # the corpus cases, in rules/CODE/
FIXTURES = ROOT / "fixtures"


def _files(*folders: Path) -> List[str]:
    return sorted(str(p) for folder in folders for p in folder.rglob("*.py"))


def _signature(results):
    """Everything a run reports, in order: findings with their fixes, and internal errors."""
    out = []
    for result in results:
        for d in result.diagnostics:
            fix = None if d.fix is None else (d.fix.applicability, d.fix.message, d.fix.edits)
            out.append((result.path, d.code, d.start, d.end, d.message, fix))
        out.extend((result.path, "error", e.rule, e.detail) for e in result.errors)
    return out


@pytest.fixture
def counted(monkeypatch):
    """Count the files analysed (in this process: the pool is given one job)."""
    calls: List[str] = []
    original = analysis.analyse

    def analyse(task):
        calls.append(os.path.basename(task.path))
        return original(task)

    monkeypatch.setattr(pool, "analyse", analyse)
    return calls


def test_jobs_give_the_same_results_in_the_same_order(monkeypatch):
    monkeypatch.setattr(pool, "MIN_PARALLEL_CHARS", 0)  # use the workers even for small files
    paths = _files(CORPUS, FIXTURES)
    serial = engine.lint_paths(paths, ALL_RULES, jobs=1)
    parallel = engine.lint_paths(paths, ALL_RULES, jobs=2)
    expected = _signature(serial)
    codes = {row[1] for row in expected}
    # The comparison means something: file rules and project rules report, with fixes.
    assert len(expected) > 100 and {"TIP101", "TIP102", "TIP103", "TIP201", "TIP401", "TIP402", "TIP501"} <= codes
    assert any(row[5] is not None for row in expected)
    assert _signature(parallel) == expected
    assert [r.path for r in parallel] == paths


def test_jobs_fix_the_same_way(monkeypatch):
    monkeypatch.setattr(pool, "MIN_PARALLEL_CHARS", 0)
    paths = _files(FIXTURES)
    serial = fixing.fix_paths(paths, ALL_RULES, unsafe=True, jobs=1)
    parallel = fixing.fix_paths(paths, ALL_RULES, unsafe=True, jobs=2)
    assert sum(r.fixed_text is not None for r in serial) >= 10
    assert [(r.path, r.fixed_text, r.fixed_count) for r in parallel] == [
        (r.path, r.fixed_text, r.fixed_count) for r in serial
    ]


def test_jobs_with_a_cache_give_the_same_results(monkeypatch, tmp_path):
    # Workers send the trees as the cache keeps them (tipcheck.treedata); this process reads them
    # back for the project rules, cold, warm and after an edit of one file.
    monkeypatch.setattr(pool, "MIN_PARALLEL_CHARS", 0)
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    paths = _files(tmp_path / "fixtures")
    expected = _signature(engine.lint_paths(paths, ALL_RULES, jobs=1))
    assert {"TIP101", "TIP401", "TIP402", "TIP501"} <= {row[1] for row in expected}  # project rules
    cache_dir = str(tmp_path / "cache")
    for _ in ("cold", "warm"):
        assert _signature(engine.lint_paths(paths, ALL_RULES, jobs=2, cache=Cache(cache_dir))) == expected
    edited = next(row[0] for row in expected if row[1] == "TIP501")
    with open(edited, "a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    parsed: List[str] = []
    original = parsing.parse_source

    def parse_source(source, result):
        parsed.append(source.path)
        return original(source, result)

    monkeypatch.setattr(parsing, "parse_source", parse_source)
    assert _signature(engine.lint_paths(paths, ALL_RULES, jobs=2, cache=Cache(cache_dir))) == expected
    assert parsed == [edited]  # the other files' trees came back from the cache, not parsed again


def test_tree_that_cannot_be_pickled_or_kept_is_parsed_again(monkeypatch, tmp_path):
    monkeypatch.setattr(pool, "MIN_PARALLEL_CHARS", 0)
    paths = _files(CORPUS / "TIP101" / "p101_xmod_build_model_helper", FIXTURES)
    expected = _signature(engine.lint_paths(paths, ALL_RULES, jobs=1))
    monkeypatch.setattr(analysis, "pickle_tree", lambda tree: None)
    monkeypatch.setattr(analysis, "tree_data", lambda tree: None)  # too deep for the cache's format
    monkeypatch.setattr(engine, "tree_data", lambda tree: None)
    assert _signature(engine.lint_paths(paths, ALL_RULES, jobs=2)) == expected
    assert _signature(engine.lint_paths(paths, ALL_RULES, cache=Cache(str(tmp_path)))) == expected


def _project(tmp_path: Path) -> Path:
    """A training script whose DistributedSampler comes from another module."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "data.py").write_text(
        textwrap.dedent(
            """\
            from torch.utils.data import DataLoader, DistributedSampler


            def make_loader(dataset):
                sampler = DistributedSampler(dataset)
                return DataLoader(dataset, batch_size=32, sampler=sampler), sampler
            """
        )
    )
    (tmp_path / "train.py").write_text(
        textwrap.dedent(
            """\
            import torch
            from data import make_loader


            def train(model, dataset, epochs):
                loader, sampler = make_loader(dataset)
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                for epoch in range(epochs):
                    for x, y in loader:
                        optimizer.zero_grad()
                        torch.nn.functional.mse_loss(model(x), y).backward()
                        optimizer.step()
            """
        )
    )
    (tmp_path / "models.py").write_text("import torch.nn as nn\n\n\nclass Net(nn.Module):\n    pass\n")
    return tmp_path


def _lint(folder: Path, cache: Cache):
    return engine.lint_paths(_files(folder), select_rules(["TIP"]), cache=cache)


def test_warm_run_analyses_nothing_and_reports_the_same(tmp_path, counted):
    project = _project(tmp_path / "p")
    cache = Cache(str(tmp_path / "cache"))
    cold = _signature(_lint(project, cache))
    assert [row[1] for row in cold] == ["TIP501"]
    assert sorted(counted) == ["data.py", "train.py"]  # models.py mentions nothing worth parsing
    counted.clear()
    warm = _lint(project, Cache(str(tmp_path / "cache")))
    assert _signature(warm) == cold
    assert counted == []
    assert _signature(_lint(project, None)) == cold  # no cache at all: the same


def test_edit_reanalyses_that_file_and_reruns_the_project_rules(tmp_path, counted):
    project = _project(tmp_path / "p")
    cache_dir = str(tmp_path / "cache")
    assert [row[1] for row in _signature(_lint(project, Cache(cache_dir)))] == ["TIP501"]
    counted.clear()
    # Fixing train.py: the finding goes.
    train = project / "train.py"
    train.write_text(
        train.read_text().replace(
            "    for epoch in range(epochs):\n", "    for epoch in range(epochs):\n        sampler.set_epoch(epoch)\n"
        )
    )
    assert _signature(_lint(project, Cache(cache_dir))) == []
    assert counted == ["train.py"]
    counted.clear()
    # An edit in data.py alone (no sampler any more) changes nothing in train.py's text, yet the
    # project facts are combined again from the cached train.py and the new data.py.
    train.write_text(train.read_text().replace("        sampler.set_epoch(epoch)\n", ""))
    assert [row[1] for row in _signature(_lint(project, Cache(cache_dir)))] == ["TIP501"]
    counted.clear()
    data = project / "data.py"
    data.write_text(data.read_text().replace("sampler = DistributedSampler(dataset)", "sampler = None"))
    assert _signature(_lint(project, Cache(cache_dir))) == []
    assert counted == ["data.py"]


def test_adding_an_init_file_renames_modules_and_reruns_the_project_rules(tmp_path):
    # pkg/train.py imports pkg.data; without pkg/__init__.py that name may mean pkg/data.py or the
    # vendored copy vendor/pkg/data.py (folders without __init__.py are namespace packages: two
    # files, silence), with it the sampler in pkg/data.py is seen. __init__.py is not read by any
    # rule, yet the cached project findings must not survive its creation.
    package = _project(tmp_path / "p" / "pkg")
    (package / "models.py").unlink()
    (package / "vendor" / "pkg").mkdir(parents=True)
    (package / "vendor" / "pkg" / "data.py").write_text((package / "data.py").read_text())
    train = package / "train.py"
    train.write_text(
        "# uses a DistributedSampler\n" + train.read_text().replace("from data import", "from pkg.data import")
    )
    cache_dir = str(tmp_path / "cache")
    assert _signature(_lint(package, Cache(cache_dir))) == []
    (package / "__init__.py").write_text("")
    assert [row[1] for row in _signature(_lint(package, Cache(cache_dir)))] == ["TIP501"]
    assert [row[1] for row in _signature(_lint(package, None))] == ["TIP501"]


def test_cache_is_keyed_by_the_rules(tmp_path):
    project = _project(tmp_path / "p")
    cache_dir = str(tmp_path / "cache")
    paths = _files(project)
    assert _signature(engine.lint_paths(paths, select_rules(["TIP2"]), cache=Cache(cache_dir))) == []
    assert [row[1] for row in _signature(engine.lint_paths(paths, select_rules(["TIP5"]), cache=Cache(cache_dir)))] == [
        "TIP501"
    ]


def test_broken_entries_are_misses(tmp_path):
    project = _project(tmp_path / "p")
    cache_dir = tmp_path / "cache"
    expected = _signature(_lint(project, Cache(str(cache_dir))))
    entries = [
        p for p in cache_dir.rglob("*") if p.is_file() and p.parent.parent.name in ("files", "trees", "project", "plan")
    ]
    assert len(entries) >= 4
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:7])  # truncated, as by a crash of an older tool
    assert _signature(_lint(project, Cache(str(cache_dir)))) == expected


def test_unwritable_cache_folder_is_not_an_error(tmp_path):
    project = _project(tmp_path / "p")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    cache = Cache(str(blocker / "cache"))  # cannot be created: a file is in the way
    assert [row[1] for row in _signature(_lint(project, cache))] == ["TIP501"]


def test_two_runs_at_once_share_a_cache(tmp_path):
    project = _project(tmp_path / "p")
    standalone = (
        (project / "train.py")
        .read_text()
        .replace("from data import make_loader", "from torch.utils.data import DataLoader, DistributedSampler")
        .replace(
            "loader, sampler = make_loader(dataset)",
            "sampler = DistributedSampler(dataset)\n    loader = DataLoader(dataset, sampler=sampler)",
        )
    )
    for index in range(12):  # enough files that the two runs overlap while writing
        (project / f"train_{index}.py").write_text(standalone)
    env = {**os.environ, "TIPCHECK_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "tipcheck", "lint", str(project), "--format", "concise", "--jobs", "2"]
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], outputs
    assert outputs[0][0] == outputs[1][0] and outputs[0][0].count("TIP501") == 13
    warm = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert warm.stdout == outputs[0][0] and warm.returncode == 1
    assert not [p for p in (tmp_path / "cache").rglob(".tmp-*")]  # no temporary file left behind


# -- the CLI ---------------------------------------------------------------------------------
def _cli(args, cwd: Path, env=None):
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(cli, args, env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_default_cache_folder_is_in_the_project_root_with_a_gitignore(tmp_path, monkeypatch):
    monkeypatch.delenv("TIPCHECK_CACHE_DIR")
    project = _project(tmp_path / "p")
    result = _cli(["lint", "."], project)
    assert result.exit_code == 1 and "TIP501" in result.output
    cache = project / ".tipcheck_cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    # With a config file, the cache goes beside it, wherever tipcheck is run from.
    (tmp_path / "p" / "pyproject.toml").write_text("[tool.tipcheck]\nselect = ['TIP5']\n")
    sub = project / "sub"
    sub.mkdir()
    (sub / "x.py").write_text("x = 1\n")
    assert _cli(["lint", "--config", str(project / "pyproject.toml"), "x.py"], sub).exit_code == 0
    assert not (sub / ".tipcheck_cache").exists()
    # `tipcheck clean` removes it.
    cleaned = _cli(["clean"], project)
    assert cleaned.exit_code == 0 and not cache.exists()


def test_no_cache_and_cache_dir_options(tmp_path, monkeypatch):
    monkeypatch.delenv("TIPCHECK_CACHE_DIR")
    project = _project(tmp_path / "p")
    assert _cli(["lint", ".", "--no-cache"], project).exit_code == 1
    assert not (project / ".tipcheck_cache").exists()
    assert _cli(["lint", ".", "--cache-dir", str(tmp_path / "elsewhere")], project).exit_code == 1
    assert (tmp_path / "elsewhere" / ".gitignore").exists() and not (project / ".tipcheck_cache").exists()
    assert _cli(["lint", "."], project, env={"TIPCHECK_CACHE_DIR": str(tmp_path / "env")}).exit_code == 1
    assert (tmp_path / "env" / ".gitignore").exists() and not (project / ".tipcheck_cache").exists()
    assert _cli(["lint", "."], project, env={"TIPCHECK_NO_CACHE": "1"}).exit_code == 1
    assert not (project / ".tipcheck_cache").exists()


def test_clean_refuses_a_folder_that_is_not_a_cache(tmp_path):
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "keep.txt").write_text("data")
    result = _cli(["clean", "--cache-dir", str(folder)], tmp_path)
    assert result.exit_code == 2 and (folder / "keep.txt").exists()


def test_texts_nobody_reads_are_dropped_and_read_again_on_demand(tmp_path):
    project = _project(tmp_path / "p")
    (project / "notes.py").write_text("x = 1  # mentions no rule's words\n")
    (project / "kept.py").write_text("y = 2  # noqa: TIP101\n")  # a suppression: TIP001 needs it
    results = {Path(r.path).name: r for r in engine.lint_paths(_files(project), select_rules(["TIP"]))}
    assert results["notes.py"].source.released and results["models.py"].source.released
    assert not results["kept.py"].source.released and not results["train.py"].source.released
    assert [d.code for d in results["kept.py"].diagnostics] == ["TIP001"]  # unused suppression
    assert results["notes.py"].source.text == "x = 1  # mentions no rule's words\n"  # read again
    assert not results["notes.py"].source.released

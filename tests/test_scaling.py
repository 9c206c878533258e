"""The cross-module analysis scales linearly with the number of files (issue 11, item 18).

Not timed: the work is counted. Every line of tipcheck's own code that runs during a lint
(sys.settrace "line" events, loop iterations and comprehension items included) is one unit; for
projects of N and 3N files of the same kind, linear work gives a ratio of 3. Before this change
the project rules scanned every value, loop and call of the project once per file (and some
scans were nested), which gave 7.0 (flat) and 8.1 (packages) at these sizes.

The projects are made by benchmarks/scaling.py (the generator of the scaling benchmark): flat
independent training scripts, and packages whose scripts import their package's common.py. The
findings on them are checked against what each generated script is built to contain, and the
indexed queries of the project facts against the scans they replace.
"""

from __future__ import annotations

import collections
import importlib.util
import os
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

import tipcheck
from tipcheck.analysis import FileAnalysis
from tipcheck.engine import lint_paths
from tipcheck.facts.training import ProjectFacts
from tipcheck.parsing import parse_source
from tipcheck.rules import select_rules
from tipcheck.source import SourceFile

DEFAULT_RULES = select_rules()  # what `tipcheck lint` runs with no config (no preview rules)
_SPEC = importlib.util.spec_from_file_location(
    "tipcheck_scaling_benchmark", Path(__file__).resolve().parent.parent / "benchmarks" / "scaling.py"
)
scaling = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(scaling)

TIPCHECK_DIR = os.path.dirname(os.path.abspath(tipcheck.__file__))
PACKAGE_SIZE = 20  # scripts per package in the tests (the benchmark uses 100)


def _generate(folder: Path, layout: str, size: int) -> List[str]:
    scaling.generate(str(folder), layout, size, package_size=PACKAGE_SIZE)
    return sorted(str(p) for p in folder.rglob("*.py"))


def _lines_run(paths: List[str]) -> Tuple[int, list]:
    """Lines of tipcheck's code run while linting ``paths`` with every rule, and the results."""
    count = collections.Counter()

    def local(frame, event, arg):
        if event == "line":
            count[0] += 1
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(TIPCHECK_DIR) else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        results = lint_paths(paths, DEFAULT_RULES)
    finally:
        sys.settrace(previous)
    return count[0], results


@pytest.mark.parametrize("layout, small", [("flat", 30), ("packages", 40)])
def test_work_grows_linearly_with_the_number_of_files(tmp_path, layout, small):
    small_work, small_results = _lines_run(_generate(tmp_path / "small", layout, small))
    large_work, large_results = _lines_run(_generate(tmp_path / "large", layout, 3 * small))
    # The findings grow with the files, so the project rules did run on both.
    small_found = sum(len(r.diagnostics) for r in small_results)
    large_found = sum(len(r.diagnostics) for r in large_results)
    assert small_found > 0 and large_found >= 3 * small_found
    ratio = large_work / small_work
    assert ratio < 3.5, f"3x the files cost {ratio:.2f}x the work ({small_work} -> {large_work} lines run)"


# -- the findings, by construction ---------------------------------------------------------------
def _at(text: str, needle: str, occurrence: int = 0) -> Tuple[int, int]:
    """(row, column), 1-based, of an occurrence of ``needle`` in ``text``."""
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(needle, offset + 1)
    row = text.count("\n", 0, offset) + 1
    return row, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _first_statement_of(text: str, needle: str) -> Tuple[int, int]:
    """(row, column) of the start of the line holding ``needle`` (past its indentation)."""
    row, _ = _at(text, needle)
    line = text.splitlines()[row - 1]
    return row, len(line) - len(line.lstrip()) + 1


def _expected(paths: List[str], layout: str) -> Set[Tuple[str, str, int, int]]:
    """The findings each generated script is built to produce: (path, code, row, column)."""
    expected = set()
    scripts = [p for p in paths if os.path.basename(p).startswith("train_")]
    for path in scripts:
        text = Path(path).read_text(encoding="utf-8")
        index = int(os.path.basename(path)[len("train_") : -len(".py")])
        kind = scaling.variant(index)
        if kind == "never_stepped":
            expected.add((path, "TIP401", *_at(text, "torch.optim.lr_scheduler.StepLR(")))
        elif kind == "step_before":
            expected.add((path, "TIP402", *_at(text, "scheduler.step()")))
        elif kind == "no_set_epoch" and layout == "flat":
            expected.add((path, "TIP501", *_at(text, "DistributedSampler(dataset)")))
        elif kind == "no_device" and layout == "flat":
            # Nothing in the script mentions a device: the model trains on the CPU.
            expected.add((path, "TIP101", *_at(text, f"Net{index}()")))
        elif kind == "no_device" and layout == "packages":
            # The package's model is one value (built by common.build_model for every script),
            # placed on the device by the other scripts: this script's batches reach it unmoved.
            expected.add((path, "TIP103", *_first_statement_of(text, "model(inputs)")))
    if layout == "packages":
        # The sampler is one value per package too (common.build_loader). Some script of the
        # package iterates it without set_epoch: reported once, at the first script's call of
        # the builder (the call in another module that returns it).
        packages: Dict[str, List[str]] = {}
        for path in scripts:
            packages.setdefault(os.path.dirname(path), []).append(path)
        for members in packages.values():
            members.sort()
            kinds = {scaling.variant(int(os.path.basename(p)[6:-3])) for p in members}
            if "no_set_epoch" in kinds:
                first = members[0]
                text = Path(first).read_text(encoding="utf-8")
                expected.add((first, "TIP501", *_at(text, "build_loader(")))
    return expected


@pytest.mark.parametrize("layout, size", [("flat", 25), ("packages", 3 * PACKAGE_SIZE + 7)])
def test_findings_are_those_the_scripts_are_built_with(tmp_path, layout, size):
    paths = _generate(tmp_path, layout, size)
    results = lint_paths(paths, DEFAULT_RULES)
    assert not [e for r in results for e in r.errors]
    found = {(r.path, d.code, d.start.row, d.start.column) for r in results for d in r.diagnostics}
    expected = _expected(paths, layout)
    assert {code for _, code, _, _ in expected} >= {"TIP401", "TIP402"}
    assert found == expected


# -- the indexes answer what the scans they replace answered ------------------------------------
def _project(paths: List[str]) -> ProjectFacts:
    summaries = []
    for path in paths:
        source = SourceFile.read(path)
        parsed = parse_source(source, FileAnalysis(path))
        assert parsed is not None
        summaries.append(parsed[1].flow(path, source.text))
    return ProjectFacts(summaries)


@pytest.mark.parametrize("layout", ["flat", "packages"])
def test_indexed_queries_match_the_scans(tmp_path, layout):
    paths = _generate(tmp_path, layout, 2 * PACKAGE_SIZE + 5)
    project = _project(paths)
    sites = [site for summary in project.summaries.values() for site in summary.calls]
    assert project.loops and sites
    for loop in project.loops:
        assert project.enclosing_loops(loop) == [
            other for other in project.loops if other is not loop and project.loop_inside(loop, other)
        ]
        assert project.runs_backward_or_step(loop) == (
            any(project.inside(s, loop) for s, _, _ in project.optimizer_steps())
            or any(project.inside(s, loop) for s, _ in project.backward_calls())
        )
    assert project.epoch_loops() == [
        loop
        for loop in project.loops
        if any(project.loop_inside(b, loop) for b in project.loops if b.is_batch_loop and b is not loop)
    ]
    assert project.epoch_loops()
    for site in sites:
        assert project.loops_running(site.ctx) == [loop for loop in project.loops if project.inside(site, loop)]
    every_call = (
        project.all_method_calls("step") + project.all_method_calls("set_epoch") + project.all_method_calls("to")
    )
    for method in ("step", "set_epoch", "to"):
        for _, _, root in every_call:
            assert project.method_calls(root, method) == [
                (s, m) for s, m, r in project.all_method_calls(method) if r == root
            ]
        for module_id in project.summaries:
            assert project.method_calls_in(module_id, method) == [
                (s, r) for s, m, r in project.all_method_calls(method) if m == module_id
            ]
            for kind in ("scheduler", "loader"):
                assert project.values_called_in(module_id, method, kind) == [
                    v
                    for v in project.values
                    if v.kind == kind
                    and any(m == module_id and r == project.root_of(v) for _, m, r in project.all_method_calls(method))
                ]
    handled = 0
    for value in project.values:
        root = project.root_of(value)
        assert project.optimizer_steps_at(project.field_root(value, "optimizer")) == [
            (s, m) for s, m, r in project.optimizer_steps() if r == project.field_root(value, "optimizer")
        ]
        assert project.sites_with_result(root) == [s for s in sites if project.graph.find(s.result) == root]
        assert project.batch_loops_calling(root) == [
            loop for loop in project.loops if loop.is_batch_loop and project.model_calls_in(loop, root)
        ]
        assert project.trains(value) == any(
            project.field_root(o, "@trains") == root for o in project.values if o.kind == "optimizer"
        )
        assert project.loaders_of_sampler(root) == [
            loader
            for loader in project.values
            if loader.kind == "loader"
            and root
            in (
                project.field_root(loader, "sampler"),
                project.field_root(loader, "batch_sampler"),
                project.graph.find(project.graph.fields[project.field_root(loader, "batch_sampler")]["sampler"])
                if project.field_root(loader, "batch_sampler") in project.graph.fields
                and "sampler" in project.graph.fields[project.field_root(loader, "batch_sampler")]
                else None,
            )
        ]
        if value.kind == "loader":
            assert project.loops_iterating(value) == [loop for loop in project.loops if value in loop.loaders]
        for loader in project.loaders_of_sampler(root):
            handled += 1
            batch_sampler = project.field_root(loader, "batch_sampler")
            assert project.sampler_handles(root, loader) == [
                r for r in dict.fromkeys((root, project.root_of(loader), batch_sampler)) if r is not None
            ]
    assert handled
    # The innermost of several loops: those that run none of the others.
    for loops in [project.loops, project.epoch_loops()] + [project.enclosing_loops(loop) for loop in project.loops]:
        assert project.innermost(loops) == [
            loop for loop in loops if not any(other is not loop and project.loop_inside(other, loop) for other in loops)
        ]
    assert project.innermost(project.loops) and not {id(loop) for loop in project.innermost(project.loops)} & {
        id(loop) for loop in project.epoch_loops()
    }
    for module_id in project.summaries:
        assert project.loops_in(module_id) == [loop for loop in project.loops if loop.module_id == module_id]
        for kind in ("model", "scheduler", "sampler"):
            for at_helper in (True, False):
                assert project.tracked(kind, module_id, at_helper) == [
                    (v, (project.anchor_site(v) if at_helper else (v.site, v.module_id))[0])
                    for v in project.values
                    if v.kind == kind
                    and not project.is_escaped(v)
                    and project.unambiguous(v)
                    and (project.anchor_site(v)[1] if at_helper else v.module_id) == module_id
                ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_kept_trees_are_left_out_of_collections_until_the_run_ends(tmp_path, monkeypatch, jobs):
    """Garbage collections that walk every tree kept for the project rules, again and again as
    their number grows, made 3,000 files take 11x the time of 300 (benchmarks/RESULTS.md). The
    kept trees are frozen (gc.freeze) while the project rules run, and nothing stays frozen after
    the run, so that a process that lints again collects them."""
    import gc

    from tipcheck import engine

    paths = _generate(tmp_path, "flat", 12)
    monkeypatch.setattr("tipcheck.pool.MIN_PARALLEL_CHARS", 0)  # use the worker with 2 jobs
    frozen_during_project_rules: List[int] = []
    project_rules = engine._project_rules

    def spy(*args, **kwargs):
        frozen_during_project_rules.append(gc.get_freeze_count())
        return project_rules(*args, **kwargs)

    monkeypatch.setattr(engine, "_project_rules", spy)
    gc.unfreeze()
    results = lint_paths(paths, DEFAULT_RULES, jobs=jobs)
    assert any(result.diagnostics for result in results)
    # 12 scripts' trees and facts: many thousands of objects, not a handful.
    assert frozen_during_project_rules and frozen_during_project_rules[0] > 10_000
    assert gc.get_freeze_count() == 0

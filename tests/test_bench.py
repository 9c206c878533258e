"""benchmarks/bench.py's measuring: the peak memory of a whole process tree, the bare parse on
several processes, and the verdicts that say when a result is within the noise of its target."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("tipcheck_bench", ROOT / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = bench  # its dataclasses look their module up
spec.loader.exec_module(bench)

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")

CHILDREN = textwrap.dedent(
    """
    import subprocess, sys
    child = "import time; block = bytearray(80 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096]); time.sleep(1.5)"
    procs = [subprocess.Popen([sys.executable, "-c", child]) for _ in range(2)]
    for proc in procs:
        proc.wait()
    """
)


def test_memory_of_the_whole_tree_counts_the_children():
    """Two children of 80 MB each, at the same time: the tree peaks above 160 MB, while the largest
    single process is about 80 MB (what `/usr/bin/time -f %M` or VmHWM alone would report)."""
    run = bench.measure([sys.executable, "-c", CHILDREN])
    assert run.rc == 0, run.stderr
    assert run.tree_kb is not None and run.tree_kb / 1024 >= 150, run.tree_kb
    if run.rss_kb is not None:
        assert run.rss_kb / 1024 < 120 < run.tree_kb / 1024


def test_parse_worker_on_several_processes(tmp_path, capsys):
    files = []
    for index in range(5):
        path = tmp_path / f"m{index}.py"
        path.write_text(f"x = {index}\n" if index != 4 else "def (:\n", encoding="utf-8")
        files.append(str(path))
    listing = tmp_path / "files.txt"
    listing.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
    for jobs in (1, 2):
        bench.parse_worker(str(listing), jobs)
        seconds, count, failed = capsys.readouterr().out.split()
        assert (int(count), int(failed)) == (5, 1) and float(seconds) >= 0


def test_rows_compare_lint_and_parse_at_the_same_number_of_processes():
    parse, parse_jobs, cold, jobs1 = (bench.Row(n) for n in ("parse", "parse_jobs", "cold", "jobs1"))
    for row, walls in ((parse, [2.0, 2.2]), (parse_jobs, [1.0, 1.1]), (cold, [1.5, 1.6]), (jobs1, [2.0, 2.4])):
        row.runs = [bench.Run(w, None, 0, "", "") for w in walls]
    rows = {key: bench.Row(key, note="n/a") for key in ("warm", "edited", "fix", "torchfix", "ruff_cold", "ruff_warm")}
    rows.update(parse=parse, parse_jobs=parse_jobs, cold=cold, jobs1=jobs1)
    result = bench.CorpusResult("x", "x", "x", 1, 1, rows)
    ratios = bench.ratios(result)
    assert ratios["lint_parse"] == pytest.approx(1.55 / 1.05)  # default jobs, both
    assert ratios["lint_parse_jobs1"] == pytest.approx(2.2 / 2.1)  # one process, both
    assert bench.per_repeat(result)["lint_parse"] == pytest.approx([1.5, 1.6 / 1.1])
    text = bench.render([result], [], 2)
    assert "**lint / parse**, default jobs, both" in text and "**lint / parse**, 1 process, both" in text


def test_results_within_the_noise_are_not_called():
    assert bench.judge([0.8, 0.85, 0.9], 1.0, higher_is_better=False) == " ✅"
    assert bench.judge([1.1, 1.2, 1.15], 1.0, higher_is_better=False) == " ❌"
    mixed = bench.judge([0.9, 1.05, 0.98], 1.0, higher_is_better=False)
    assert mixed.startswith(" ≈") and "repeats would tell" in mixed
    # 2·s/√n below the distance to the target: s = 0.1, distance 0.05 -> n >= 16.
    assert bench.repeats_needed([0.85, 0.95, 1.05], 1.0) == 16
    assert bench.repeats_needed([1.0], 1.0) is None


def test_startup_runs_tipcheck_on_a_warm_cache_beside_its_floors():
    """The start-up figure of issue 17: every measured run of `tipcheck lint FILE` finds what a
    cold run finds (from the cache: the priming run filled it), and the report judges it against
    0.15 s."""
    rows = bench.bench_startup(sys.executable, None, bench.STARTUP_FILE, 2, log=lambda message: None)
    tipcheck = rows["tipcheck"]
    assert tipcheck.note is None and len(tipcheck.runs) == 2
    assert all(run.rc == 1 and "TIP501" in run.stdout for run in tipcheck.runs), tipcheck.runs[0].stderr
    assert all(run.cpu is not None and 0 < run.cpu for run in tipcheck.runs)
    assert rows["ruff"].note.startswith("not available") and len(rows["python"].runs) == 2
    text = bench.render_startup(rows, bench.STARTUP_FILE, 2)
    assert "fixtures/seed_tip5_distributed.py" in text and "(target ≤ 0.15 s)" in text

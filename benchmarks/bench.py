"""Benchmark `tipcheck lint` on real code bases, side by side with a bare LibCST parse, TorchFix and Ruff.

    python benchmarks/bench.py [--corpora timm,ignite,lightning] [--repeat 3] [--out RESULTS.md]
    python benchmarks/bench.py --setup-tools            # TorchFix 0.7.0 and Ruff, in their own venvs
    python benchmarks/bench.py --path SOME/TREE         # any local tree instead of (or besides) the corpora
    python benchmarks/bench.py --startup-only           # only the CLI start-up on one file (below)

The corpora are the sources of released wheels, fetched once with `pip download --no-deps` and
unzipped into the cache folder (default ~/.cache/tipcheck-bench, or $TIPCHECK_BENCH_CACHE, or
--cache-dir). Every measurement is a fresh process, timed on the wall clock, and all of them run
in the same session, interleaved repeat by repeat so that a change of load hits them alike:

- `parse`: a bare `libcst.parse_module` loop over the files tipcheck discovers (a fresh process,
  like tipcheck: interpreter start and `import libcst` count in both), on one process (`parse,
  1 process`, the baseline of `tipcheck cold --jobs 1`) and on as many as tipcheck's default jobs
  (`parse, N processes`: forked workers, largest files first; the baseline of `tipcheck cold`), so
  that lint / parse compares the two at the same number of processes;
- `tipcheck cold`: `python -m tipcheck lint PATH --format concise --no-respect-gitignore`, with
  `--no-cache` once `tipcheck lint --help` lists it;
- `tipcheck cold --jobs 1`: only once `tipcheck lint --help` lists `--jobs` (else "not available");
- `tipcheck warm` and `tipcheck warm, 1 file edited`: only once there is a cache (`--no-cache` is
  listed; else "n/a"). They run on a copy of the corpus, after one priming run; the edit appends a
  comment to the largest file, a different one each repeat;
- `TorchFix 0.7.0`: its CLI, `torchfix PATH` (check mode; its default jobs = the number of cores),
  from its own venv (it pins its own LibCST);
- `ruff check`: `ruff check --isolated --exit-zero PATH`, cold (`--no-cache`) and warm (a primed
  `--cache-dir`). Ruff's default rules, not `--select ALL`.

Memory: the peak of the whole process tree (the command and every process it starts, workers
included), sampled every few milliseconds from /proc: the sum of their proportional set sizes (PSS,
from /proc/PID/smaps_rollup: a page shared by forked workers counts once in all), or of their RSS
where PSS cannot be read. Beside it, the largest single process (`/usr/bin/time -f %M` when it
exists). The table shows medians (min-max) over --repeat runs, and the ratios against their targets.

Noise: runs are interleaved, so repeat k of one row and repeat k of another ran under the same
load; each ratio is also computed repeat by repeat. A ratio whose per-repeat values fall on both
sides of its target is marked ≈ (within the noise) rather than ✅ or ❌, with an estimate of the
repeats that would tell it apart (the n at which twice the standard error of the mean,
2·s/√n, is smaller than the distance of the median from the target).
CLI start-up (printed after the corpora, or alone with --startup-only): `tipcheck lint FILE` on one
file whose findings are all in the cache, in a fresh process, against `ruff check FILE` (its cache
warm too) on the same file, and the floors under them: `python -c pass` and `python -c "import
click"`. The `tipcheck` script beside --python is run, as a user would (else `python -m
tipcheck`), in a folder of its own with the file copied in, after one priming run; the runs are
interleaved, --startup-repeat of each, wall clock only (no /proc sampling, which would cost more
than what it measures). PYTHONDONTWRITEBYTECODE is removed from their environment: an installed
package has its bytecode compiled, and without it every start compiles tipcheck's modules again.

It is a script, not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CACHE = os.environ.get(
    "TIPCHECK_BENCH_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "tipcheck-bench")
)
TORCHFIX_REQUIREMENT = "torchfix==0.7.0"
GNU_TIME = "/usr/bin/time"

# name -> pip requirement; a name ending in "-sdist" takes the source distribution instead of the
# wheel (with the project's tests and examples: training scripts, where tipcheck has findings).
CORPORA: Dict[str, str] = {
    "timm": "timm==1.0.31",
    "ignite": "pytorch-ignite==0.5.5",
    "lightning": "pytorch-lightning==2.6.6",
    "transformers": "transformers==5.24.0",  # the latest release when this was written
    "timm-sdist": "timm==1.0.31",
    "ignite-sdist": "pytorch-ignite==0.5.5",
}
DEFAULT_CORPORA = "timm,ignite,lightning"

TARGET_LINT_PARSE = 1.0  # lint / parse <= 1.0
TARGET_TORCHFIX_LINT = 20.0  # TorchFix / lint >= 20
TARGET_RSS_MB = 250.0  # peak RSS of a tipcheck run <= 250 MB
TARGET_JOBS_SPEEDUP = 1.7  # cold --jobs 1 / cold default jobs >= 1.7 (on 2 cores)
TARGET_WARM_RUFF = 1.0  # warm / ruff (cold, its default rules) <= 1.0
TARGET_FIX_LINT = 1.2  # fix / lint <= 1.2 (when there is little to fix)
TARGET_STARTUP_S = 0.15  # `tipcheck lint one_file.py`, warm cache, fresh process <= 0.15 s (issue 17)
STARTUP_FILE = os.path.join(ROOT, "fixtures", "seed_tip5_distributed.py")  # a training script with a finding

NOT_AVAILABLE = "not available"
NA = "n/a"


# -- fetching the corpora --------------------------------------------------------------------------
def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _split_requirement(requirement: str):
    name, _, version = requirement.partition("==")
    return name.strip(), version.strip() or None


def find_archive(folder: str, requirement: str, sdist: bool = False) -> Optional[str]:
    name, version = _split_requirement(requirement)
    found = []
    for path in glob.glob(os.path.join(folder, "*.tar.gz" if sdist else "*.whl")):
        base = os.path.basename(path)
        stem = base[: -len(".tar.gz")] if sdist else base
        project, _, rest = stem.rpartition("-") if sdist else (stem.split("-")[0], "", stem.split("-")[1])
        if _normalized(project) == _normalized(name) and (version is None or rest == version):
            found.append(path)
    return max(found, key=os.path.getmtime) if found else None


def fetch(requirement: str, cache: str, python: str = sys.executable, log=print, sdist: bool = False) -> str:
    """The folder holding the unzipped wheel (or unpacked sdist) of ``requirement``, fetched once."""
    folder = os.path.join(cache, "sdists" if sdist else "wheels")
    os.makedirs(folder, exist_ok=True)
    archive = find_archive(folder, requirement, sdist)
    if archive is None:
        log(f"downloading {requirement} ({'sdist' if sdist else 'wheel'}) ...")
        kind = "--no-binary=:all:" if sdist else "--only-binary=:all:"
        subprocess.run(
            [python, "-m", "pip", "download", "--no-deps", kind, "--dest", folder, "--quiet", requirement],
            check=True,
        )
        archive = find_archive(folder, requirement, sdist)
        if archive is None:
            raise SystemExit(f"pip download {requirement} left no {'sdist' if sdist else 'wheel'} in {folder}")
    base = os.path.basename(archive)
    target = os.path.join(cache, "src", base[: -len(".tar.gz")] + "-sdist" if sdist else base[: -len(".whl")])
    marker = os.path.join(target, ".tipcheck-bench-complete")
    if not os.path.exists(marker):
        shutil.rmtree(target, ignore_errors=True)
        if sdist:
            with tarfile.open(archive) as tar:
                tar.extractall(target, filter="data")
        else:
            with zipfile.ZipFile(archive) as wheel:
                wheel.extractall(target)
        open(marker, "w").close()
    return target


def fetch_corpus(name: str, cache: str, python: str = sys.executable, log=print) -> str:
    return fetch(CORPORA[name], cache, python, log, sdist=name.endswith("-sdist"))


def corpus_label(name: str, path: str) -> str:
    requirement = CORPORA.get(name)
    if requirement:
        _, version = _split_requirement(requirement)
        if name.endswith("-sdist"):
            return f"{name[: -len('-sdist')]} {version} (sdist)" if version else name
        return f"{name} {version}" if version else name
    return name


# -- running and measuring -------------------------------------------------------------------------
@dataclass
class Run:
    wall: float
    rss_kb: Optional[int]
    rc: int
    stdout: str
    stderr: str
    cpu: Optional[float] = None  # user + system seconds, children included (GNU time only)
    tree_kb: Optional[int] = None  # peak memory of the process tree (PSS, else RSS, summed)


def _children(pid: int) -> List[int]:
    found: List[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
        except (OSError, ValueError):
            pass
    return found


def _process_kb(pid: int) -> Optional[int]:
    """The PSS of one process (KiB), else its RSS; None once it is gone."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path) as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return None


def tree_kb(root: int) -> Optional[int]:
    """The memory of `root` and all its descendants now (KiB, PSS summed; see the module's doc)."""
    total, seen, stack = 0, set(), [root]
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        size = _process_kb(pid)
        if size is not None:
            total += size
        stack += _children(pid)
    return total or None


def measure(cmd: Sequence[str], cwd: Optional[str] = None, timeout: Optional[float] = None) -> Run:
    """Run ``cmd`` once: its wall time, peak memory of its process tree and of its largest process
    (KiB), CPU time, exit status and output."""
    timed = os.access(GNU_TIME, os.X_OK)
    report = None
    if timed:
        with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as handle:
            report = handle.name
        cmd = [GNU_TIME, "-f", "%M %U %S", "-o", report, *cmd]
    try:
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, text=True, errors="replace")
            peak_tree = None
            peak_main = None
            while proc.poll() is None:
                now = tree_kb(proc.pid)
                if now is not None:
                    peak_tree = max(peak_tree or 0, now)
                if not timed:
                    peak_main = max(peak_main or 0, _vm_hwm(proc.pid) or 0) or peak_main
                if timeout is not None and time.perf_counter() - start > timeout:
                    proc.kill()
                time.sleep(0.005)
            wall = time.perf_counter() - start
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        cpu = None
        if report is not None:
            with open(report) as handle:
                lines = [line.strip() for line in handle if line.strip()]
            fields = lines[-1].split() if lines else []
            try:
                peak_main, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
            except (IndexError, ValueError):
                peak_main, cpu = None, None
    finally:
        if report is not None:
            os.unlink(report)
    return Run(wall, peak_main, proc.returncode, stdout, stderr, cpu, peak_tree)


def _vm_hwm(pid: int) -> Optional[int]:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def lint_options(python: str) -> str:
    done = subprocess.run([python, "-m", "tipcheck", "lint", "--help"], capture_output=True, text=True)
    return done.stdout


def python_files(path: str) -> List[str]:
    """The files tipcheck lints under ``path`` (its own discovery, .gitignore not respected)."""
    sys.path.insert(0, ROOT)
    from tipcheck.discovery import discover

    return list(discover([path], respect_gitignore=False).files)


def _parse_one(path: str) -> int:
    """Parse one file; 1 if it failed."""
    import libcst as cst

    with open(path, "rb") as handle:
        data = handle.read()
    try:
        cst.parse_module(data)
    except Exception:
        return 1
    return 0


def parse_worker(list_file: str, jobs: int = 1) -> None:
    """`bench.py --parse-worker LIST [--parse-jobs N]`: parse every file named in LIST, on this
    process or on N forked processes (largest files first, as tipcheck's workers take them);
    print the loop's seconds, the number of files and of failures."""
    import multiprocessing

    import libcst  # noqa: F401  (imported before the fork, as tipcheck's workers inherit it)

    with open(list_file, encoding="utf-8") as handle:
        files = [line.rstrip("\n") for line in handle if line.strip()]
    start = time.perf_counter()
    if jobs <= 1:
        failed = sum(_parse_one(path) for path in files)
    else:
        files.sort(key=lambda p: os.path.getsize(p), reverse=True)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with context.Pool(jobs) as pool:
            failed = sum(pool.imap_unordered(_parse_one, files, chunksize=1))
    print(f"{time.perf_counter() - start:.4f} {len(files)} {failed}")


def default_jobs() -> int:
    """tipcheck's default number of processes (tipcheck.pool.default_jobs)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


# -- tools -----------------------------------------------------------------------------------------
def _venv_bin(venv: str, name: str) -> str:
    return os.path.join(venv, "Scripts" if os.name == "nt" else "bin", name)


def find_torchfix(cache: str, given: Optional[str]) -> Optional[str]:
    candidates = [given] if given else [_venv_bin(os.path.join(cache, "torchfix-venv"), "torchfix")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def find_ruff(cache: str, given: Optional[str]) -> Optional[str]:
    if given:
        return given if os.access(given, os.X_OK) else None
    candidates = [
        _venv_bin(os.path.join(cache, "ruff-venv"), "ruff"),
        os.path.join(os.path.dirname(sys.executable), "ruff"),
        shutil.which("ruff"),
    ]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def setup_tools(cache: str) -> None:
    """TorchFix 0.7.0 in cache/torchfix-venv (it pins its own LibCST), Ruff in cache/ruff-venv."""
    for venv, requirement in (
        (os.path.join(cache, "torchfix-venv"), TORCHFIX_REQUIREMENT),
        (os.path.join(cache, "ruff-venv"), "ruff"),
    ):
        if not os.path.exists(_venv_bin(venv, "python")):
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([_venv_bin(venv, "python"), "-m", "pip", "install", "--quiet", requirement], check=True)


def tool_version(cmd: Sequence[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (done.stdout or done.stderr).strip().splitlines()[-1] if (done.stdout or done.stderr).strip() else "?"


# -- one corpus ------------------------------------------------------------------------------------
@dataclass
class Row:
    label: str
    runs: List[Run] = field(default_factory=list)
    note: Optional[str] = None  # "not available" / "n/a" / why it did not run
    loop: List[float] = field(default_factory=list)  # parse: the in-process loop times

    @property
    def walls(self) -> List[float]:
        return [run.wall for run in self.runs]

    @property
    def median(self) -> Optional[float]:
        return statistics.median(self.walls) if self.runs and self.note is None else None

    @property
    def cpu(self) -> Optional[float]:
        values = [run.cpu for run in self.runs if run.cpu is not None]
        return statistics.median(values) if values else None

    @property
    def peak_mb(self) -> Optional[float]:
        """The largest single process, over the runs (MB)."""
        values = [run.rss_kb for run in self.runs if run.rss_kb is not None]
        return max(values) / 1024 if values else None

    @property
    def tree_mb(self) -> List[float]:
        """The peak memory of the whole process tree, per run (MB)."""
        return [run.tree_kb / 1024 for run in self.runs if run.tree_kb is not None]


@dataclass
class CorpusResult:
    name: str
    label: str
    path: str
    files: int
    lines: int
    rows: Dict[str, Row]
    findings: Optional[int] = None
    internal_errors: List[str] = field(default_factory=list)
    torchfix_files: Optional[str] = None
    load_before: str = ""
    load_after: str = ""


def _loadavg() -> str:
    try:
        with open("/proc/loadavg") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return "?"


_FINDING = re.compile(r"^.+?:\d+:\d+: \S+")


def bench_corpus(
    name: str, path: str, args, options: str, torchfix: Optional[str], ruff: Optional[str], log=print
) -> CorpusResult:
    python = args.python
    files = python_files(path)
    lines = 0
    for file in files:
        with open(file, "rb") as handle:
            lines += handle.read().count(b"\n")
    has_jobs = "--jobs" in options
    has_cache = "--no-cache" in options
    base = [python, "-m", "tipcheck", "lint", path, "--format", "concise", "--no-respect-gitignore"]
    cold = base + (["--no-cache"] if has_cache else [])

    jobs = default_jobs()
    rows = {
        "parse": Row("`libcst.parse_module` loop, 1 process (fresh process)"),
        "parse_jobs": Row(f"`libcst.parse_module`, {jobs} processes (tipcheck's default jobs)"),
        "cold": Row("tipcheck lint, cold" + (" (`--no-cache`, default jobs)" if has_cache or has_jobs else "")),
        "jobs1": Row("tipcheck lint, cold, `--jobs 1`"),
        "warm": Row("tipcheck lint, warm"),
        "edited": Row("tipcheck lint, warm, 1 file edited"),
        "fix": Row("tipcheck fix, cold (`--no-cache`), on a copy"),
        "torchfix": Row(f"TorchFix 0.7.0 (`torchfix PATH`: {os.cpu_count()} jobs, its default)"),
        "ruff_cold": Row("ruff check, cold (`--no-cache`)"),
        "ruff_warm": Row("ruff check, warm"),
    }
    if not has_jobs:
        rows["jobs1"].note = NOT_AVAILABLE
    if jobs <= 1:
        rows["parse_jobs"].note = f"{NA} (1 core: the same as 1 process)"
    if not has_cache:
        rows["warm"].note = rows["edited"].note = f"{NA} (no cache yet)"
    if torchfix is None:
        rows["torchfix"].note = f"{NOT_AVAILABLE} (run --setup-tools)"
    elif args.no_torchfix:
        rows["torchfix"].note = "skipped (--no-torchfix)"
    if ruff is None:
        rows["ruff_cold"].note = rows["ruff_warm"].note = f"{NOT_AVAILABLE} (pip install ruff)"

    result = CorpusResult(name, corpus_label(name, path), path, len(files), lines, rows, load_before=_loadavg())
    work = tempfile.mkdtemp(prefix="tipcheck-bench-")
    try:
        list_file = os.path.join(work, "files.txt")
        with open(list_file, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{f}\n" for f in files))
        copy = None
        edited_file = None
        fix_copy = os.path.join(work, "fix-tree")
        shutil.copytree(path, fix_copy)
        if has_cache:  # the warm runs work on a copy, whose cache they prime and edit
            copy = os.path.join(work, "tree")
            shutil.copytree(path, copy)
            copy_files = python_files(copy)
            edited_file = max(copy_files, key=os.path.getsize) if copy_files else None
            measure([python, "-m", "tipcheck", "lint", copy, "--format", "concise", "--no-respect-gitignore"], cwd=work)
        ruff_cache = os.path.join(work, "ruff-cache")
        if ruff is not None:
            measure([ruff, "check", "--isolated", "--exit-zero", "--cache-dir", ruff_cache, path], cwd=work)

        def tipcheck_run(row: Row, cmd: List[str]) -> None:
            run = measure(cmd, cwd=work)
            row.runs.append(run)
            if run.rc not in (0, 1) or "internal error" in run.stderr:
                first = next((line for line in run.stderr.splitlines() if line.strip()), "")
                result.internal_errors.append(f"{row.label}: exit {run.rc}: {first}")
            if result.findings is None and run.rc in (0, 1):
                result.findings = sum(1 for line in run.stdout.splitlines() if _FINDING.match(line))

        for repeat in range(args.repeat):
            log(f"  [{name}] repeat {repeat + 1}/{args.repeat}")
            run = measure([python, os.path.abspath(__file__), "--parse-worker", list_file], cwd=work)
            rows["parse"].runs.append(run)
            if run.rc == 0 and run.stdout.split():
                rows["parse"].loop.append(float(run.stdout.split()[0]))
            if jobs > 1:
                run = measure(
                    [python, os.path.abspath(__file__), "--parse-worker", list_file, "--parse-jobs", str(jobs)],
                    cwd=work,
                )
                rows["parse_jobs"].runs.append(run)
                if run.rc == 0 and run.stdout.split():
                    rows["parse_jobs"].loop.append(float(run.stdout.split()[0]))
            tipcheck_run(rows["cold"], cold)
            if has_jobs:
                tipcheck_run(rows["jobs1"], cold + ["--jobs", "1"])
            fix = [python, "-m", "tipcheck", "fix", fix_copy, "--format", "concise", "--no-respect-gitignore"]
            tipcheck_run(rows["fix"], fix + (["--no-cache"] if has_cache else []))
            if has_cache:
                warm = [python, "-m", "tipcheck", "lint", copy, "--format", "concise", "--no-respect-gitignore"]
                tipcheck_run(rows["warm"], warm)
                if edited_file is not None:
                    with open(edited_file, "a", encoding="utf-8") as handle:
                        handle.write(f"\n# tipcheck-bench edit {repeat}\n")
                tipcheck_run(rows["edited"], warm)
            if torchfix is not None and not args.no_torchfix:
                run = measure([torchfix, path], cwd=work)
                rows["torchfix"].runs.append(run)
                checked = re.search(r"Finished checking (\d+) files", run.stderr)
                result.torchfix_files = checked.group(1) if checked else result.torchfix_files
            if ruff is not None:
                rows["ruff_cold"].runs.append(
                    measure([ruff, "check", "--isolated", "--exit-zero", "--no-cache", path], cwd=work)
                )
                rows["ruff_warm"].runs.append(
                    measure([ruff, "check", "--isolated", "--exit-zero", "--cache-dir", ruff_cache, path], cwd=work)
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.load_after = _loadavg()
    return result


# -- the report ------------------------------------------------------------------------------------
def _cell(row: Row, rss: bool = False, digits: int = 2) -> str:
    if row.note is not None:
        return row.note
    if not row.runs:
        return NA
    walls = row.walls
    text = f"{statistics.median(walls):.{digits}f} s"
    if len(walls) > 1:
        text += f" ({min(walls):.{digits}f}–{max(walls):.{digits}f})"
    if row.cpu is not None:
        text += f", CPU {row.cpu:.{digits}f} s"
    if rss and row.tree_mb:
        text += f", tree {max(row.tree_mb):.0f} MB"
    if rss and row.peak_mb is not None:
        text += f", largest process {row.peak_mb:.0f} MB"
    return text


def repeats_needed(values: Sequence[float], target: float) -> Optional[int]:
    """How many repeats would tell `values` (per-repeat results) from `target`: the n at which
    twice the standard error of the mean, 2·s/√n, falls below the distance of the median from
    the target. None when it cannot be estimated (one value, or the median on the target)."""
    if len(values) < 2:
        return None
    spread = statistics.stdev(values)
    distance = abs(statistics.median(values) - target)
    if distance == 0:
        return None
    return max(len(values) + 1, math.ceil((2 * spread / distance) ** 2))


def judge(values: Sequence[float], target: float, higher_is_better: bool) -> str:
    """✅ or ❌ when every per-repeat value is on one side of `target`; ≈ (within the noise) when
    they fall on both sides, with the repeats that would tell (see repeats_needed)."""
    if not values:
        return ""
    met = [(v >= target) if higher_is_better else (v <= target) for v in values]
    if all(met):
        return " ✅"
    if not any(met):
        return " ❌"
    needed = repeats_needed(values, target)
    return f" ≈ (within the noise; ~{needed} repeats would tell)" if needed else " ≈ (within the noise)"


def _verdict(value: Optional[float], target: float, higher_is_better: bool) -> str:
    if value is None:
        return ""
    met = value >= target if higher_is_better else value <= target
    return " ✅" if met else " ❌"


def _per_repeat(numerator: Row, denominator: Row, cpu: bool = False) -> List[float]:
    """numerator / denominator, repeat by repeat (runs are interleaved: the same load)."""
    if numerator.note is not None or denominator.note is not None:
        return []
    pairs = zip(numerator.runs, denominator.runs)
    if cpu:
        return [a.cpu / b.cpu for a, b in pairs if a.cpu and b.cpu]
    return [a.wall / b.wall for a, b in pairs if b.wall > 0]


def ratios(result: CorpusResult) -> Dict[str, Optional[float]]:
    rows = result.rows
    cold, parse = rows["cold"].median, rows["parse"].median
    parse_jobs = rows["parse_jobs"].median
    tipcheck_tree = [m for key in ("cold", "jobs1", "warm", "edited", "fix") for m in rows[key].tree_mb]
    warm = rows["warm"].median
    ruff_warm = rows["ruff_warm"].median
    return {
        "lint_parse": cold / parse_jobs if cold and parse_jobs else (cold / parse if cold and parse else None),
        "lint_parse_jobs1": rows["jobs1"].median / parse if rows["jobs1"].median and parse else None,
        "torchfix_lint": rows["torchfix"].median / cold if rows["torchfix"].median and cold else None,
        "torchfix_lint_cpu": rows["torchfix"].cpu / rows["cold"].cpu
        if rows["torchfix"].median and rows["torchfix"].cpu and rows["cold"].cpu
        else None,
        "warm_ruff": warm / ruff_warm if warm and ruff_warm else None,
        "cold_ruff": cold / ruff_warm if cold and ruff_warm else None,
        "warm_ruff_cold": warm / rows["ruff_cold"].median if warm and rows["ruff_cold"].median else None,
        "jobs_speedup": rows["jobs1"].median / cold if rows["jobs1"].median and cold else None,
        "fix_lint": rows["fix"].median / cold if rows["fix"].median and cold else None,
        "rss": max(tipcheck_tree) if tipcheck_tree else None,
    }


def per_repeat(result: CorpusResult) -> Dict[str, List[float]]:
    """The values behind each ratio of `ratios`, one per repeat (peak memory: one per run)."""
    rows = result.rows
    parse_row = rows["parse_jobs"] if rows["parse_jobs"].note is None and rows["parse_jobs"].runs else rows["parse"]
    return {
        "lint_parse": _per_repeat(rows["cold"], parse_row),
        "lint_parse_jobs1": _per_repeat(rows["jobs1"], rows["parse"]),
        "torchfix_lint": _per_repeat(rows["torchfix"], rows["cold"]),
        "warm_ruff_cold": _per_repeat(rows["warm"], rows["ruff_cold"]),
        "jobs_speedup": _per_repeat(rows["jobs1"], rows["cold"]),
        "fix_lint": _per_repeat(rows["fix"], rows["cold"]),
        "rss": [m for key in ("cold", "jobs1", "warm", "edited", "fix") for m in rows[key].tree_mb],
    }


def render(results: Sequence[CorpusResult], header: Sequence[str], repeat: int) -> str:
    out = list(header)
    out.append("")
    out.append(
        f"Wall time, median of {repeat} runs (min–max), each run a fresh process; CPU: user + system time "
        "(median, worker processes included); memory where shown: the peak of the whole process tree (PSS summed, "
        "sampled) and the largest single process, the largest over the runs. Ratios: of the medians, with the "
        "per-repeat range in brackets; ≈ when the per-repeat values fall on both sides of the target."
    )
    out.append("")
    out.append("| | " + " | ".join(r.label for r in results) + " |")
    out.append("|---|" + "---|" * len(results))

    def line(label: str, cells: Sequence[str]) -> None:
        out.append(f"| {label} | " + " | ".join(cells) + " |")

    line("files / lines", [f"{r.files:,} / {r.lines:,}" for r in results])
    line("tipcheck findings", [str(r.findings) if r.findings is not None else "?" for r in results])
    keys = ["parse", "parse_jobs", "cold", "jobs1", "warm", "edited", "fix", "torchfix", "ruff_cold", "ruff_warm"]
    for key in keys:
        rss = key in ("parse", "parse_jobs", "cold", "jobs1", "warm", "edited", "fix", "torchfix")
        line(results[0].rows[key].label if results else key, [_cell(r.rows[key], rss) for r in results])
    line(
        "parse loop alone (in the process)",
        [f"{statistics.median(r.rows['parse'].loop):.2f} s" if r.rows["parse"].loop else NA for r in results],
    )
    computed = [ratios(r) for r in results]
    spreads = [per_repeat(r) for r in results]

    def ratio_cell(index: int, key: str, target: Optional[float], higher: bool, fmt: str = "{:.2f}") -> str:
        value = computed[index][key]
        if value is None:
            return NA
        values = spreads[index].get(key, [])
        text = fmt.format(value)
        if len(values) > 1:
            text += f" ({fmt.format(min(values))}–{fmt.format(max(values))})"
        if target is None:
            return text
        return text + (judge(values, target, higher) if values else _verdict(value, target, higher))

    def ratio_cells(key: str, target: Optional[float], higher: bool, fmt: str = "{:.2f}") -> List[str]:
        return [ratio_cell(i, key, target, higher, fmt) for i in range(len(results))]

    line(
        f"**lint / parse**, default jobs, both (target ≤ {TARGET_LINT_PARSE:g})",
        ratio_cells("lint_parse", TARGET_LINT_PARSE, False),
    )
    line(
        f"**lint / parse**, 1 process, both (target ≤ {TARGET_LINT_PARSE:g})",
        ratio_cells("lint_parse_jobs1", TARGET_LINT_PARSE, False),
    )
    line(
        f"**TorchFix / lint** (target ≥ {TARGET_TORCHFIX_LINT:g}; CPU time in brackets)",
        [
            ratio_cell(i, "torchfix_lint", TARGET_TORCHFIX_LINT, True, "{:.1f}")
            + (f" (CPU {c['torchfix_lint_cpu']:.1f})" if c["torchfix_lint_cpu"] else "")
            for i, c in enumerate(computed)
        ],
    )
    line(
        f"**`--jobs 1` / default jobs** (target ≥ {TARGET_JOBS_SPEEDUP:g})",
        ratio_cells("jobs_speedup", TARGET_JOBS_SPEEDUP, True),
    )
    line(f"**fix / lint** (target ≤ {TARGET_FIX_LINT:g})", ratio_cells("fix_lint", TARGET_FIX_LINT, False))
    line(
        f"**warm / ruff cold** (target ≤ {TARGET_WARM_RUFF:g})", ratio_cells("warm_ruff_cold", TARGET_WARM_RUFF, False)
    )
    line(
        "**warm / ruff warm**",
        [
            ratio_cell(i, "warm_ruff", None, False, "{:.1f}")
            if c["warm_ruff"]
            else f"{NA} (cold / ruff warm: {c['cold_ruff']:.0f})"
            if c["cold_ruff"]
            else NA
            for i, c in enumerate(computed)
        ],
    )
    line(
        f"**peak memory of tipcheck's process tree** (PSS, workers included; target ≤ {TARGET_RSS_MB:g} MB)",
        ratio_cells("rss", TARGET_RSS_MB, False, "{:.0f} MB"),
    )
    out.append("")
    notes = []
    for r in results:
        extra = []
        if r.torchfix_files is not None:
            extra.append(f"TorchFix checked {r.torchfix_files} of the files (it skips those without `torch`)")
        if r.internal_errors:
            extra.append("tipcheck internal errors: " + "; ".join(r.internal_errors[:3]))
        extra.append(f"load average before/after: {r.load_before} / {r.load_after}")
        notes.append(f"- {r.label} (`{r.path}`): " + "; ".join(extra) + ".")
        for key in ("parse", "parse_jobs", "cold", "jobs1", "warm", "edited", "torchfix"):
            row = r.rows[key]
            if row.runs and row.note is None:
                notes.append(f"  - {row.label}: runs {', '.join(f'{w:.2f}' for w in row.walls)} s")
    out.extend(notes)
    return "\n".join(out) + "\n"


# -- CLI start-up -----------------------------------------------------------------------------------
def _tipcheck_command(python: str) -> List[str]:
    script = os.path.join(os.path.dirname(python), "tipcheck")
    return [script] if os.access(script, os.X_OK) else [python, "-m", "tipcheck"]


def wall_time(cmd: Sequence[str], cwd: str, env: Dict[str, str]) -> Run:
    """Run ``cmd`` once: its wall time, and its CPU time (user + system, from the children's usage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, errors="replace")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, None, done.returncode, done.stdout, done.stderr, cpu)


def bench_startup(python: str, ruff: Optional[str], path: str, repeat: int, log=print) -> Dict[str, Row]:
    """`tipcheck lint FILE` on a warm cache, in a fresh process, beside Ruff and the floors."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "TIPCHECK_NO_CACHE")}
    env.pop("TIPCHECK_CACHE_DIR", None)  # the cache in the project folder, as a user has it
    name = os.path.basename(path)
    tipcheck = _tipcheck_command(python) + ["lint", name]
    commands = {
        "python": [python, "-c", "pass"],
        "click": [python, "-c", "import click"],
        "tipcheck": tipcheck,
        "ruff": [ruff, "check", name] if ruff else None,
    }
    rows = {
        "python": Row("`python -c pass` (the interpreter alone)"),
        "click": Row('`python -c "import click"`'),
        "tipcheck": Row(f"`{' '.join(['tipcheck', *tipcheck[-2:]])}`, warm cache"),
        "ruff": Row(f"`ruff check {name}`, warm cache"),
    }
    if ruff is None:
        rows["ruff"].note = f"{NOT_AVAILABLE} (pip install ruff)"
    work = tempfile.mkdtemp(prefix="tipcheck-startup-")
    try:
        shutil.copy(path, os.path.join(work, name))
        for key, cmd in commands.items():  # priming: the caches, and the bytecode
            if cmd is not None:
                first = wall_time(cmd, work, env)
                if key == "tipcheck" and first.rc not in (0, 1):
                    rows[key].note = f"failed (exit {first.rc}): {first.stderr.strip()[:200]}"
        for index in range(repeat):
            if index % 10 == 0:
                log(f"  [start-up] repeat {index + 1}/{repeat}")
            for key, cmd in commands.items():
                if cmd is not None and rows[key].note is None:
                    rows[key].runs.append(wall_time(cmd, work, env))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def render_startup(rows: Dict[str, Row], path: str, repeat: int) -> str:
    out = [
        "",
        f"CLI start-up: one file (`{os.path.relpath(path, ROOT) if path.startswith(ROOT) else path}`), every "
        f"finding from the cache, a fresh process each run; wall time, median of {repeat} interleaved runs (min–max), "
        "and CPU time (user + system, median).",
        "",
        "| | wall |",
        "|---|---|",
    ]
    for row in rows.values():
        out.append(f"| {row.label} | {_cell(row, digits=3)} |")
    tipcheck, ruff = rows["tipcheck"], rows["ruff"]
    if tipcheck.median is not None:
        verdict = judge(tipcheck.walls, TARGET_STARTUP_S, higher_is_better=False)
        within = sum(1 for wall in tipcheck.walls if wall <= TARGET_STARTUP_S)
        out.append(
            f"| **tipcheck, warm** (target ≤ {TARGET_STARTUP_S:g} s) | {tipcheck.median:.3f} s{verdict}; "
            f"{within} of {len(tipcheck.walls)} runs within |"
        )
        if ruff.median:
            out.append(f"| **tipcheck / ruff** | {tipcheck.median / ruff.median:.1f} |")
        floor = rows["python"].median
        if floor is not None:
            out.append(f"| tipcheck above the bare interpreter | {tipcheck.median - floor:.3f} s |")
    return "\n".join(out) + "\n"


def machine_header(python: str, torchfix: Optional[str], ruff: Optional[str], options: str) -> List[str]:
    def read(path: str) -> str:
        try:
            with open(path) as handle:
                return handle.read()
        except OSError:
            return ""

    cpu = re.search(r"^model name\s*:\s*(.*)$", read("/proc/cpuinfo"), re.MULTILINE)
    mem = re.search(r"^MemTotal:\s*(\d+)", read("/proc/meminfo"), re.MULTILINE)
    versions = subprocess.run(
        [
            python,
            "-c",
            "import sys, libcst, tipcheck; from importlib.metadata import version; "
            "print(sys.version.split()[0], version('libcst'), tipcheck.__version__)",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    py, libcst_version, tipcheck_version = (versions + ["?", "?", "?"])[:3]
    torchfix_libcst = "?"
    if torchfix:
        torchfix_libcst = (
            subprocess.run(
                [
                    os.path.join(os.path.dirname(torchfix), "python"),
                    "-c",
                    "from importlib.metadata import version; print(version('libcst'))",
                ],
                capture_output=True,
                text=True,
            ).stdout.strip()
            or "?"
        )
    available = []
    available.append("`--jobs`: " + ("yes" if "--jobs" in options else NOT_AVAILABLE))
    available.append("`--no-cache` (a cache): " + ("yes" if "--no-cache" in options else NOT_AVAILABLE))
    return [
        f"- date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- machine: {os.cpu_count()} CPUs (`nproc` {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}), "
        f"{cpu.group(1).strip() if cpu else platform.processor() or '?'}, "
        + (f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB RAM" if mem else "? RAM"),
        f"- Python {py}, libcst {libcst_version}, tipcheck {tipcheck_version}; "
        f"TorchFix: {tool_version([torchfix, '--version']) if torchfix else NOT_AVAILABLE} (libcst {torchfix_libcst}); "
        f"ruff: {tool_version([ruff, '--version']) if ruff else NOT_AVAILABLE}",
        f"- tipcheck options: {', '.join(available)}",
        "- memory: the process tree sampled from /proc (PSS from smaps_rollup, else RSS, summed over the tree); the largest "
        f"process with {'`/usr/bin/time -f %M`' if os.access(GNU_TIME, os.X_OK) else 'VmHWM polling (the main process)'}",
    ]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpora",
        default=DEFAULT_CORPORA,
        help=f"comma-separated, of {', '.join(CORPORA)} (default {DEFAULT_CORPORA}); '' for none",
    )
    parser.add_argument("--path", action="append", default=[], help="a local tree to benchmark too (repeatable)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each measurement (default 3; the median is shown)"
    )
    parser.add_argument(
        "--cache-dir", default=DEFAULT_CACHE, help=f"where wheels, sources and tool venvs go (default {DEFAULT_CACHE})"
    )
    parser.add_argument(
        "--python", default=sys.executable, help="the Python that runs tipcheck and the parse loop (default: this one)"
    )
    parser.add_argument(
        "--torchfix", default=None, help="the torchfix executable (default: CACHE/torchfix-venv/bin/torchfix)"
    )
    parser.add_argument(
        "--ruff", default=None, help="the ruff executable (default: CACHE/ruff-venv, this venv, or PATH)"
    )
    parser.add_argument("--no-torchfix", action="store_true", help="skip TorchFix (it is the slowest)")
    parser.add_argument(
        "--setup-tools",
        action="store_true",
        help="install TorchFix 0.7.0 and Ruff into venvs in the cache folder, then go on",
    )
    parser.add_argument("--out", help="also write the markdown table to this file")
    parser.add_argument(
        "--startup-only", action="store_true", help="measure only the CLI start-up on one file (no corpora)"
    )
    parser.add_argument(
        "--startup-file", default=STARTUP_FILE, help="the file of the start-up measurement (default: a fixture)"
    )
    parser.add_argument("--startup-repeat", type=int, default=20, help="runs of each start-up measurement (default 20)")
    parser.add_argument("--parse-worker", help=argparse.SUPPRESS)
    parser.add_argument("--parse-jobs", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.parse_worker:
        parse_worker(args.parse_worker, args.parse_jobs)
        return 0
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.repeat < 3:
        print("warning: fewer than 3 repeats: the medians are noisy", file=sys.stderr)
    cache = os.path.abspath(os.path.expanduser(args.cache_dir))
    os.makedirs(cache, exist_ok=True)
    if args.setup_tools:
        setup_tools(cache)
    names = [n.strip() for n in args.corpora.split(",") if n.strip()] if not args.startup_only else []
    unknown = [n for n in names if n not in CORPORA]
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)} (known: {', '.join(CORPORA)})")
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    trees = [(name, fetch_corpus(name, cache, log=log)) for name in names]
    if not args.startup_only:
        trees += [(os.path.basename(os.path.normpath(p)) or p, os.path.abspath(p)) for p in args.path]
    if not trees and not args.startup_only:
        parser.error("nothing to benchmark (--corpora and no --path)")
    options = lint_options(args.python)
    torchfix = find_torchfix(cache, args.torchfix)
    ruff = find_ruff(cache, args.ruff)
    header = machine_header(args.python, torchfix, ruff, options)
    header.append(f"- load average at the start: {_loadavg()}")
    results = []
    for name, path in trees:
        log(f"benchmarking {name}: {path}")
        results.append(bench_corpus(name, path, args, options, torchfix, ruff, log=log))
    text = render(results, header, args.repeat) if results else "\n".join(header) + "\n"
    log("measuring the CLI start-up")
    startup = bench_startup(args.python, ruff, os.path.abspath(args.startup_file), args.startup_repeat, log=log)
    text += render_startup(startup, os.path.abspath(args.startup_file), args.startup_repeat)
    print(text, end="")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

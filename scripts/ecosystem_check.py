"""Run `tipcheck fix --unsafe-fixes` over real code bases and check that it leaves them sound.

    python scripts/ecosystem_check.py                       # timm, ignite, lightning: wheels and 2 sdists
    python scripts/ecosystem_check.py --corpora transformers --subset 300
    python scripts/ecosystem_check.py --small               # the repository's fixtures/ and rules/ (CI)
    python scripts/ecosystem_check.py --path SOME/TREE      # any local tree

Each corpus is copied to a temporary folder (only the copy is touched) and linted together, the
way a user runs tipcheck on a project, through the CLI in fresh processes:

1. `tipcheck lint COPY --format json --unsafe-fixes --no-respect-gitignore`: the findings before;
2. `tipcheck fix COPY --unsafe-fixes --no-respect-gitignore --format concise`;
3. `tipcheck lint` again (JSON): what remains;
4. `tipcheck fix` again.

It checks, and counts each violation:

- `internal-error`: no run exits 2 or prints "internal error" on stderr;
- `unparseable`: every file the fix changed still parses with LibCST;
- `no-longer-compiles`: every changed file that compiled before (CPython's `compile`) still does;
- `touched-without-findings`: a file with no finding before is byte-identical after the fix;
- `safe-fix-left`: the re-lint reports no finding that has a safe fix;
- `not-idempotent`: the second fix changes no file.

It prints the counts per corpus (files, files fixed, fixes applied, findings before and remaining
per code, fixes dropped, violations) and exits 1 on any violation (2 when it could not run).
`--json FILE` writes the same figures for scripts and tests; `--keep DIR` keeps the fixed copies.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import libcst as cst

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUFFIXES = (".py", ".pyi", ".ipynb")
SKIP_DIRS = {"__pycache__", ".git", ".tipcheck_cache", ".pytest_cache", ".ipynb_checkpoints", ".ruff_cache"}
CHECKS = (
    "internal-error",
    "unparseable",
    "no-longer-compiles",
    "touched-without-findings",
    "safe-fix-left",
    "not-idempotent",
)
# The wheels of timm, ignite and lightning have no finding (library code); their sdists carry tests
# and examples (training scripts), where tipcheck finds and fixes things.
DEFAULT_CORPORA = "timm,ignite,lightning,timm-sdist,ignite-sdist"
SMALL = ("fixtures", "rules")  # the --small corpus, from the repository (rules/CODE/ holds the corpus cases)


@dataclass
class Report:
    corpus: str
    source: str
    files: int = 0
    files_with_findings: int = 0
    files_fixed: int = 0
    fixes_applied: int = 0
    fixes_dropped: int = 0
    findings_before: Dict[str, int] = field(default_factory=dict)
    remaining: Dict[str, int] = field(default_factory=dict)
    remaining_with_unsafe_fix: int = 0
    violations: Dict[str, List[str]] = field(default_factory=lambda: {check: [] for check in CHECKS})

    @property
    def violation_count(self) -> int:
        return sum(len(items) for items in self.violations.values())


# -- the corpus ------------------------------------------------------------------------------------
def _sources(tree: str) -> List[str]:
    """Relative paths of the Python files under ``tree``, sorted."""
    found = []
    for folder, dirs, files in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".dist-info"))
        for name in files:
            if name.endswith(SUFFIXES):
                found.append(os.path.relpath(os.path.join(folder, name), tree))
    return sorted(found)


def _subset(paths: List[str], count: Optional[int]) -> List[str]:
    """``count`` paths spread evenly over the sorted list (the whole list when None)."""
    if count is None or count >= len(paths):
        return paths
    step = len(paths) / count
    return [paths[int(i * step)] for i in range(count)]


def copy_corpus(sources: Sequence[Tuple[str, str]], target: str, subset: Optional[int]) -> List[str]:
    """Copy the Python files of each (name, tree) into target/name; the relative paths copied."""
    copied = []
    for name, tree in sources:
        for rel in _subset(_sources(tree), subset):
            dest = os.path.join(target, name, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copy2(os.path.join(tree, rel), dest)
            copied.append(os.path.join(name, rel))
    return copied


def _snapshot(tree: str, files: Sequence[str]) -> Dict[str, bytes]:
    snap = {}
    for rel in files:
        with open(os.path.join(tree, rel), "rb") as handle:
            snap[rel] = handle.read()
    return snap


# -- running tipcheck ------------------------------------------------------------------------------
def tipcheck(python: str, args: Sequence[str], cwd: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [python, "-m", "tipcheck", *args], cwd=cwd, capture_output=True, text=True, errors="replace", timeout=timeout
    )


def _internal_errors(step: str, done: subprocess.CompletedProcess) -> List[str]:
    lines = [line for line in done.stderr.splitlines() if "internal error" in line]
    if done.returncode == 2 or lines:
        detail = lines[:5] or [line for line in done.stderr.splitlines() if line.strip()][:5]
        return [f"{step}: exit {done.returncode}: {line}" for line in detail] or [f"{step}: exit {done.returncode}"]
    if done.returncode not in (0, 1):
        return [f"{step}: exit {done.returncode}: {done.stderr.strip()[-300:]}"]
    return []


def _findings(done: subprocess.CompletedProcess, tree: str) -> List[dict]:
    try:
        items = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        return []
    for item in items:
        item["rel"] = os.path.relpath(item["filename"], tree)
    return items


def _parses(data: bytes) -> Optional[str]:
    try:
        cst.parse_module(data)
    except Exception as exc:  # ParserSyntaxError, or the parser failing
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def _compiles(data: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(data, "<fixed>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    except RecursionError:
        return True  # not something a fix decides
    return True


def _notebook_ok(data: bytes) -> Optional[str]:
    try:
        json.loads(data)
    except ValueError as exc:
        return f"not JSON any more: {exc}"
    return None


def check_corpus(
    name: str,
    sources: Sequence[Tuple[str, str]],
    python: str,
    subset: Optional[int],
    timeout: float,
    keep: Optional[str] = None,
    log=print,
    parallel: bool = True,
) -> Report:
    """Check one corpus. The runs that do not depend on each other (the first lint and the fix; the
    re-lint and the second fix) run at once, each on its own copy (same relative paths)."""
    report = Report(name, ", ".join(tree for _, tree in sources))
    work = tempfile.mkdtemp(prefix="tipcheck-eco-")
    try:
        tree = os.path.join(work, "fix", "tree")  # fixed, then fixed again
        pristine = os.path.join(work, "lint", "tree")  # linted as it was
        relinted = os.path.join(work, "relint", "tree")  # linted as the first fix left it
        files = copy_corpus(sources, tree, subset)
        shutil.copytree(tree, pristine)
        report.files = len(files)
        before = _snapshot(tree, files)
        common = ["--no-respect-gitignore", "--unsafe-fixes"]
        violations = report.violations

        def run(step: str, args: Sequence[str], where: str) -> subprocess.CompletedProcess:
            log(f"  [{name}] {step}")
            done = tipcheck(python, [*args, where, *common], cwd=os.path.dirname(where), timeout=timeout)
            violations["internal-error"].extend(_internal_errors(step, done))
            return done

        def both(first, second):
            if not parallel:
                return run(*first), run(*second)
            with ThreadPoolExecutor(2) as pool:
                a, b = pool.submit(run, *first), pool.submit(run, *second)
                return a.result(), b.result()

        linted, fixed = both(
            ("lint", ["lint", "--format", "json"], pristine), ("fix", ["fix", "--format", "concise"], tree)
        )
        found = _findings(linted, pristine)
        report.findings_before = dict(sorted(Counter(f["code"] for f in found).items()))
        with_findings = {f["rel"] for f in found}
        report.files_with_findings = len(with_findings)

        counted = re.search(r"\((\d+) fixed, \d+ remaining\)", fixed.stdout)
        report.fixes_applied = int(counted.group(1)) if counted else 0
        report.fixes_dropped = sum(1 for line in fixed.stderr.splitlines() if "fix dropped" in line)
        after = _snapshot(tree, files)
        changed = [rel for rel in files if after[rel] != before[rel]]
        report.files_fixed = len(changed)
        for rel in changed:
            if rel.endswith(".ipynb"):
                problem = _notebook_ok(after[rel])
                if problem:
                    violations["unparseable"].append(f"{rel}: {problem}")
            else:
                problem = _parses(after[rel])
                if problem:
                    violations["unparseable"].append(f"{rel}: {problem}")
                elif _compiles(before[rel]) and not _compiles(after[rel]):
                    violations["no-longer-compiles"].append(rel)
            if rel not in with_findings:
                violations["touched-without-findings"].append(rel)

        shutil.copytree(tree, relinted)
        relint, _ = both(
            ("re-lint", ["lint", "--format", "json"], relinted), ("fix again", ["fix", "--format", "concise"], tree)
        )
        remaining = _findings(relint, relinted)
        report.remaining = dict(sorted(Counter(f["code"] for f in remaining).items()))
        for item in remaining:
            fix = item.get("fix") or {}
            if fix.get("applicability") == "safe":
                row, column = item["location"]["row"], item["location"]["column"]
                violations["safe-fix-left"].append(f"{item['rel']}:{row}:{column}: {item['code']} {item['message']}")
            elif fix:
                report.remaining_with_unsafe_fix += 1

        again = _snapshot(tree, files)
        violations["not-idempotent"].extend(rel for rel in files if again[rel] != after[rel])
        if keep:
            dest = os.path.join(keep, name)
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(relinted, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


# -- the corpora -----------------------------------------------------------------------------------
def _bench():
    """benchmarks/bench.py, for its corpus list and its downloader (one place for both)."""
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    import bench

    return bench


def resolve(args) -> List[Tuple[str, List[Tuple[str, str]]]]:
    corpora: List[Tuple[str, List[Tuple[str, str]]]] = []
    if args.small:
        corpora.append(("repo-small", [(os.path.basename(p), os.path.join(ROOT, p)) for p in SMALL]))
    names = [n.strip() for n in (args.corpora or "").split(",") if n.strip()]
    if names:
        bench = _bench()
        unknown = [n for n in names if n not in bench.CORPORA]
        if unknown:
            raise SystemExit(f"unknown corpus {', '.join(unknown)} (known: {', '.join(bench.CORPORA)})")
        cache = os.path.abspath(os.path.expanduser(args.cache_dir or bench.DEFAULT_CACHE))
        for name in names:
            path = bench.fetch_corpus(name, cache, log=lambda m: print(m, file=sys.stderr))
            corpora.append((name, [(name, path)]))
    for path in args.path:
        label = os.path.basename(os.path.normpath(path)) or "tree"
        corpora.append((label, [(label, os.path.abspath(path))]))
    return corpora


def render(reports: Sequence[Report]) -> str:
    out = [
        "| corpus | files | with findings | files fixed | fixes applied | dropped | findings before | remaining | violations |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        before = ", ".join(f"{code} {n}" for code, n in r.findings_before.items()) or "0"
        remaining = ", ".join(f"{code} {n}" for code, n in r.remaining.items()) or "0"
        out.append(
            f"| {r.corpus} | {r.files} | {r.files_with_findings} | {r.files_fixed} | {r.fixes_applied} | {r.fixes_dropped} "
            f"| {before} | {remaining} | {r.violation_count} |"
        )
    out.append("")
    for r in reports:
        counts = ", ".join(f"{check} {len(r.violations[check])}" for check in CHECKS)
        out.append(f"{r.corpus}: {counts}; remaining with an unsafe fix: {r.remaining_with_unsafe_fix}")
        for check in CHECKS:
            for item in r.violations[check][:20]:
                out.append(f"  {check}: {item}")
            if len(r.violations[check]) > 20:
                out.append(f"  {check}: ... and {len(r.violations[check]) - 20} more")
    return "\n".join(out) + "\n"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpora",
        default=None,
        help=f"comma-separated downloaded corpora, of those of benchmarks/bench.py "
        f"(default {DEFAULT_CORPORA}, unless --small or --path is given)",
    )
    parser.add_argument("--path", action="append", default=[], help="a local tree to check (repeatable)")
    parser.add_argument("--small", action="store_true", help="the repository's fixtures/ and rules/ (no download)")
    parser.add_argument(
        "--subset", type=int, default=None, metavar="N", help="only N files of each corpus, spread evenly"
    )
    parser.add_argument(
        "--cache-dir", default=None, help="the benchmark's cache folder (default ~/.cache/tipcheck-bench)"
    )
    parser.add_argument("--python", default=sys.executable, help="the Python that runs tipcheck (default: this one)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per tipcheck run (default 1800)")
    parser.add_argument("--json", dest="json_path", help="write the counts as JSON to this file")
    parser.add_argument("--keep", help="keep the fixed copies in this folder")
    parser.add_argument(
        "--serial", action="store_true", help="one tipcheck run at a time (default: two when they are independent)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.corpora is None and not args.small and not args.path:
        args.corpora = DEFAULT_CORPORA
    if args.subset is not None and args.subset < 1:
        parser.error("--subset must be at least 1")
    log = (lambda message: None) if args.quiet else (lambda message: print(message, file=sys.stderr, flush=True))
    reports = []
    try:
        for name, sources in resolve(args):
            reports.append(
                check_corpus(name, sources, args.python, args.subset, args.timeout, args.keep, log, not args.serial)
            )
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(render(reports), end="")
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as handle:
            json.dump([{**asdict(r), "violation_count": r.violation_count} for r in reports], handle, indent=2)
    return 1 if any(r.violation_count for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())

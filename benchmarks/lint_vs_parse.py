"""Time `tipcheck lint` against a bare `libcst.parse_module` of every file, in the same run.

    python benchmarks/lint_vs_parse.py PATH [--repeat 3]

Prints the median of each over the repeats and their ratio. It is a script, not a test: the figures
depend on the machine. Each tipcheck run is a fresh process (`python -m tipcheck lint`), the way a
user runs it; the parse loop runs in this process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import libcst as cst

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from tipcheck.discovery import discover  # noqa: E402


def parse_all(files) -> float:
    start = time.perf_counter()
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            cst.parse_module(data)
        except Exception:
            pass
    return time.perf_counter() - start


def lint_once(path: str, extra) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "tipcheck", "lint", path, "--format", "concise", *extra],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"tipcheck failed ({result.returncode}):\n{result.stderr}")
    lint_once.last = result.stdout
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("tipcheck_args", nargs="*")
    args = parser.parse_args()
    files = discover([args.path], respect_gitignore=False).files
    lines = sum(sum(1 for _ in open(f, "rb")) for f in files)
    parse_times, lint_times = [], []
    for _ in range(args.repeat):
        parse_times.append(parse_all(files))
        lint_times.append(lint_once(args.path, args.tipcheck_args))
    parse_median, lint_median = statistics.median(parse_times), statistics.median(lint_times)
    findings = [line for line in lint_once.last.splitlines() if ": TIP" in line or ": invalid-syntax" in line]
    print(f"tree: {args.path}: {len(files)} files, {lines} lines")
    print(f"bare libcst.parse_module loop: median {parse_median:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in parse_times)})")
    print(f"tipcheck lint (fresh process): median {lint_median:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in lint_times)})")
    print(f"ratio lint / parse: {lint_median / parse_median:.2f}")
    print(f"findings: {len(findings)}")


if __name__ == "__main__":
    main()

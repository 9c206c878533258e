"""What each rule costs on a code base, before and after a change (issue 13: no rule slower by
more than 20% on timm and transformers).

    python benchmarks/rule_cost.py --before OLD_CHECKOUT [--corpora timm,transformers] [--repeat 3]
    python benchmarks/rule_cost.py --rules TIP402,TIP501 --before OLD    # some rules only

For every rule, a fresh process runs ``python -m tipcheck lint PATH --select CODE --no-cache
--jobs 1 --format concise --no-respect-gitignore`` with this checkout, and with ``--before`` (an
older checkout, put first on PYTHONPATH: ``git worktree add /tmp/old COMMIT``) when given. The
figure is CPU seconds (user + system of the process), less disturbed by other work on the machine
than the wall clock; the runs are interleaved repeat by repeat. The corpora are the released
wheels that benchmarks/bench.py fetches (same cache folder). It prints medians (min-max) and the
after / before ratio; it is not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
from typing import Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

_SPEC = importlib.util.spec_from_file_location("tipcheck_bench", os.path.join(HERE, "bench.py"))
bench = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = bench  # its dataclasses look their module up
_SPEC.loader.exec_module(bench)


def all_rules(checkout: str) -> List[str]:
    """The codes of the rules on by default in ``checkout`` (TIP001 is reported by the engine)."""
    script = "from tipcheck.rules import ALL_RULES; print(' '.join(r.code for r in ALL_RULES if not getattr(r, 'preview', False)))"
    done = subprocess.run(
        [sys.executable, "-c", script], env=_env(checkout), capture_output=True, text=True, check=True
    )
    return [code for code in done.stdout.split() if code != "TIP001"]


def _env(checkout: str) -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = checkout + os.pathsep + env.get("PYTHONPATH", "")
    return env


def cpu_seconds(checkout: str, path: str, code: str) -> float:
    """CPU seconds of one lint of ``path`` with one rule, in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-m", "tipcheck", "lint", path, "--select", code, "--no-cache", "--jobs", "1"]
    command += ["--format", "concise", "--no-respect-gitignore"]
    done = subprocess.run(command, env=_env(checkout), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-800:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _cell(values: Sequence[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def measure(
    corpora: Sequence[Tuple[str, str]], rules: Sequence[str], checkouts: Sequence[Tuple[str, str]], repeat: int
) -> Dict[Tuple[str, str, str], List[float]]:
    times: Dict[Tuple[str, str, str], List[float]] = {}
    for round_ in range(repeat):
        for corpus, path in corpora:
            for code in rules:
                for label, checkout in checkouts:
                    seconds = cpu_seconds(checkout, path, code)
                    times.setdefault((corpus, code, label), []).append(seconds)
                    print(f"  round {round_ + 1}: {corpus} {code} {label}: {seconds:.2f} s", file=sys.stderr)
    return times


def table(times, corpora, rules, before: bool) -> str:
    head = "| corpus | rule | after (CPU s) |" + (" before (CPU s) | after / before |" if before else "")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for corpus, _ in corpora:
        for code in rules:
            after = times[(corpus, code, "after")]
            row = f"| {corpus} | {code} | {_cell(after)} |"
            if before:
                old = times[(corpus, code, "before")]
                row += f" {_cell(old)} | {statistics.median(after) / statistics.median(old):.2f} |"
            lines.append(row)
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="timm,transformers")
    parser.add_argument("--rules", help="codes, comma-separated (default: every rule on by default)")
    parser.add_argument("--before", help="an older checkout to compare with")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache-dir", default=bench.DEFAULT_CACHE)
    args = parser.parse_args(argv)
    corpora = [(name, bench.fetch_corpus(name, args.cache_dir)) for name in args.corpora.split(",")]
    rules = args.rules.split(",") if args.rules else all_rules(ROOT)
    checkouts = [("after", ROOT)] + ([("before", os.path.abspath(args.before))] if args.before else [])
    times = measure(corpora, rules, checkouts, args.repeat)
    print(f"CPU seconds of `tipcheck lint --select CODE --no-cache --jobs 1`, median (min-max) of {args.repeat}")
    print(table(times, corpora, rules, bool(args.before)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Checks about the files the ranks write (TIP504) and how the process group ends (TIP505).

Registered in `tipcheck.harness.checks.CHECKS` with its `@check` when imported (the end of
`tipcheck.harness.checks` imports it). They read the reports' `saves`, `exit_state` and `stderr_tail`
(see tipcheck.harness.record_saves). Nothing here imports torch.
"""

from __future__ import annotations

import re
from typing import Dict, List, Set, Tuple

from tipcheck.harness.checks import Context, _all, _rank, check
from tipcheck.harness.record_saves import EXIT_WARNING_PATTERN


def _writers(ctx: Context) -> Dict[str, Set[int]]:
    """By file path: the processes (ranks, or their index) that wrote it with torch.save."""
    found: Dict[str, Set[int]] = {}
    for index, report in enumerate(_all(ctx)):
        who = report.get("rank") if report.get("rank") is not None else index
        for entry in report.get("saves") or []:
            if entry.get("path") is not None:
                found.setdefault(entry["path"], set()).add(who)
    return found


def _name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


@check("several_writers")
def several_writers(ctx: Context, min_writers: int = 2) -> Tuple[bool, str]:
    """Some file was written with `torch.save` by at least `min_writers` processes (every rank
    saving the same checkpoint)."""
    writers = _writers(ctx)
    shared = {p: w for p, w in writers.items() if len(w) >= min_writers}
    if shared:
        return True, "; ".join(f"{_name(p)}: {len(w)} writers (ranks {sorted(w)})" for p, w in sorted(shared.items()))
    return False, f"no file with {min_writers}+ writers ({len(writers)} file(s) saved)"


@check("one_writer_per_file")
def one_writer_per_file(ctx: Context, min_files: int = 1) -> Tuple[bool, str]:
    """At least `min_files` files were written with `torch.save`, each by exactly one process."""
    writers = _writers(ctx)
    shared = {p: w for p, w in writers.items() if len(w) > 1}
    if shared:
        return False, "; ".join(f"{_name(p)}: {len(w)} writers (ranks {sorted(w)})" for p, w in sorted(shared.items()))
    if len(writers) < min_files:
        return False, f"{len(writers)} file(s) saved, fewer than {min_files}"
    return True, "; ".join(f"{_name(p)}: 1 writer (rank {min(w)})" for p, w in sorted(writers.items()))


def _exit_warnings(report: dict) -> List[str]:
    """What the process warned at exit about a process group left alive: torch's own text in its
    stderr (NCCL's destructor), a Python warning shown during exit that says it, or, when the
    default group was still initialised after the script's exit handlers (`exit_state`), the
    text torch prints for it under NCCL (gloo prints none: the stand-in on CPU)."""
    found = []
    stderr = report.get("stderr_tail") or ""
    match = re.search(rf".*(?:{EXIT_WARNING_PATTERN}).*", stderr)
    if match:
        found.append(f"stderr: {match.group(0).strip()[:160]}")
    state = report.get("exit_state") or {}
    for warning in state.get("warnings") or []:
        if re.search(EXIT_WARNING_PATTERN, warning.get("message", "")):
            found.append(f"warning: {warning['message'][:160]}")
    if state.get("process_group_alive"):
        found.append(
            f"{state.get('backend')} group alive at exit (torch under NCCL: {str(state.get('torch_warning'))[:60]}...)"
        )
    return found


@check("exit_warning_present")
def exit_warning_present(ctx: Context) -> Tuple[bool, str]:
    """Every process ended with its process group never destroyed: torch's exit warning
    ("destroy_process_group() was not called before program exit") in its stderr, or the group
    still initialised once the script's exit handlers had run (the condition for that warning;
    gloo itself prints none, so on CPU this is what is seen)."""
    problems, seen = [], []
    for index, report in enumerate(_all(ctx)):
        if report.get("exit_state") is None:
            problems.append(f"{_rank(report, index)}no exit state recorded")
            continue
        found = _exit_warnings(report)
        if found:
            seen.append(f"{_rank(report, index)}{found[0]}")
        else:
            problems.append(f"{_rank(report, index)}no exit warning (group destroyed)")
    return not problems, "; ".join(problems) or "; ".join(seen)


@check("exit_warning_gone")
def exit_warning_gone(ctx: Context) -> Tuple[bool, str]:
    """No process warned at exit about a process group left alive (see `exit_warning_present`):
    each destroyed its group before the end."""
    problems = []
    reports = _all(ctx)
    for index, report in enumerate(reports):
        if report.get("exit_state") is None:
            problems.append(f"{_rank(report, index)}no exit state recorded")
            continue
        found = _exit_warnings(report)
        if found:
            problems.append(f"{_rank(report, index)}{found[0]}")
    return not problems, "; ".join(problems) or f"no exit warning on {len(reports)} process(es): group destroyed"

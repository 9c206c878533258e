"""Running the per-file analysis (tipcheck.analysis) on several processes.

Results come back keyed by path, so the output order never depends on which worker finished first.
Large files are sent first, so that one big file does not end the run alone. A run with one job,
or too little work to pay for starting workers, stays in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Dict, Optional, Sequence

from tipcheck.analysis import FileAnalysis, Task, analyse

# Below this much text, starting worker processes costs more than it saves.
MIN_PARALLEL_CHARS = 200_000


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _context():
    # fork starts workers fastest (they inherit the imported modules); spawn elsewhere.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_tasks(
    tasks: Sequence[Task],
    jobs: int,
    on_done: Optional[Callable[[FileAnalysis], None]] = None,
) -> Dict[str, FileAnalysis]:
    """Analyse every task, on ``jobs`` processes when it pays; ``on_done`` sees each result as it
    comes (in the parent process)."""
    results: Dict[str, FileAnalysis] = {}
    jobs = min(jobs, len(tasks))
    if jobs <= 1 or sum(len(task.text) for task in tasks) < MIN_PARALLEL_CHARS:
        for task in tasks:
            results[task.path] = analyse(task)
            if on_done is not None:
                on_done(results[task.path])
        return results
    ordered = sorted(tasks, key=lambda task: len(task.text), reverse=True)
    for task in ordered:
        task.pickle_tree = True  # trees cross the process boundary pickled, at the worker's cost
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as executor:
        futures = {executor.submit(analyse, task): task for task in ordered}
        for future in as_completed(futures):
            task = futures[future]
            try:
                result = future.result()
            except Exception:  # a worker died (killed, out of memory): do that file here
                result = analyse(Task(task.path, task.text, task.encoding, task.codes))
            results[task.path] = result
            if on_done is not None:
                on_done(result)
    return results

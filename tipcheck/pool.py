"""Running the per-file analysis (tipcheck.analysis) on several processes.

Results come back keyed by path, so the output order never depends on which worker finished first.
This process works too: workers take the largest files, this process the smallest (see
run_tasks). A run with one job, or too little work to pay for starting workers, stays in this
process.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from typing import TYPE_CHECKING, Callable, Dict, Optional, Sequence

from tipcheck.analysis import FileAnalysis, Task, analyse

if TYPE_CHECKING:
    from concurrent.futures import Future

# multiprocessing and concurrent.futures are imported when workers start: the CLI imports this
# module for default_jobs and tune_gc, and a run answered by the cache starts none.

# Below this much text, starting worker processes costs more than it saves.
MIN_PARALLEL_CHARS = 200_000


def tune_gc() -> None:
    """Collect the youngest objects less often. Parsing makes millions of small objects that
    live as long as their tree; with the default threshold (700) the collector runs thousands of
    times for nothing. This saves about a tenth of the run time."""
    gc.set_threshold(100_000, 50, 100)


def thaw() -> None:
    """End what run_tasks froze, once a run is over, so that a process that lints again (the
    server) collects those objects like any others."""
    gc.unfreeze()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _context():
    import multiprocessing

    # fork starts workers fastest (they inherit the imported modules); spawn elsewhere.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_tasks(
    tasks: Sequence[Task],
    jobs: int,
    on_done: Optional[Callable[[FileAnalysis], None]] = None,
    trees_here: bool = True,
) -> Dict[str, FileAnalysis]:
    """Analyse every task on ``jobs`` processes (this one and ``jobs - 1`` workers) when it pays;
    ``on_done`` sees each result as it comes, in this process.

    The workers take the largest files first and this process the smallest, from the two ends of
    one queue, so that both run out of work at about the same time. This process keeps the trees
    it builds as they are; a worker's trees come back pickled, which costs time at both ends. So
    with ``trees_here``, the files whose trees the project rules need (tasks with
    ``wants_tree``) go to this process's end of the queue; without it (the trees are encoded for
    the cache anyway: tipcheck.treedata), to the workers' end."""
    results: Dict[str, FileAnalysis] = {}

    def finish(result: FileAnalysis) -> None:
        results[result.path] = result
        if result.tree is not None or result.pickled_tree is not None or result.encoded_tree is not None:
            # Kept until the project rules run: leave it out of the collections to come, which
            # would otherwise walk every tree kept so far, again and again, and make a run grow
            # faster than its files (benchmarks/scaling.py). thaw() ends this once the run is over.
            gc.freeze()
        if on_done is not None:
            on_done(result)

    jobs = min(jobs, len(tasks))
    if jobs <= 1 or sum(len(task.text) for task in tasks) < MIN_PARALLEL_CHARS:
        for task in tasks:
            finish(analyse(task))
        return results
    by_size = sorted(tasks, key=lambda task: len(task.text), reverse=True)
    trees = [task for task in by_size if task.wants_tree]
    others = [task for task in by_size if not task.wants_tree]
    queue = deque(others + trees if trees_here else trees + others)
    workers = jobs - 1
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # Forked workers share the parent's objects page by page; a collection in a worker that walked
    # them would copy every page it touches. Frozen objects are left out of collections (until thaw).
    gc.freeze()
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as executor:
        running: Dict[Future, Task] = {}
        while queue or running:
            while queue and len(running) < 2 * workers:  # one running, one waiting, per worker
                task = queue.popleft()
                task.send_tree = True  # the tree crosses the process boundary as bytes
                task.kept = None  # what this process keeps stays here
                running[executor.submit(analyse, task)] = task
            if queue:
                finish(analyse(queue.pop()))
            else:
                wait(running, return_when=FIRST_COMPLETED)
            for future in [f for f in running if f.done()]:
                task = running.pop(future)
                try:
                    finish(future.result())
                except Exception:  # a worker died (killed, out of memory): do that file here
                    finish(analyse(Task(task.path, task.text, task.encoding, task.codes)))
    return results

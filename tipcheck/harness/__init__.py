"""Run training scripts under instrumentation and read what they did.

`run_instrumented` runs a script in a subprocess (or in `nproc` processes of a gloo group) under
`python -m tipcheck.harness.instrument` and returns the per-rank JSON reports (see that module for
what they hold). The other helpers read observables out of reports; none of them needs torch, and
nothing here imports it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from typing import Dict, List, Mapping, Optional, Sequence

INSTRUMENT = "tipcheck.harness.instrument"
REPORT_NAME = "report.json"
#: How long the other ranks may go on once one rank has failed (they are likely stuck in a collective).
FAILED_PEER_GRACE_S = 10.0


class HarnessError(RuntimeError):
    """A run that left no report (it crashed before writing one, or timed out)."""


def _package_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(env: Optional[Mapping[str, str]]) -> Dict[str, str]:
    merged = dict(os.environ)
    # Distributed variables of an enclosing run must not leak into the child.
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        merged.pop(name, None)
    merged.setdefault("OMP_NUM_THREADS", "1")  # tiny models: threads only cost, the more so with ranks
    merged["PYTHONPATH"] = os.pathsep.join(p for p in (_package_root(), merged.get("PYTHONPATH")) if p)
    merged.update(env or {})
    return merged


def _tail(path: str, limit: int = 4000) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()[-limit:]
    except OSError:
        return ""


def _launch(script, args, out_dir, env, nproc, port, tag):
    procs = []
    for rank in range(nproc):
        child_env = dict(env)
        if nproc > 1:
            child_env.update(
                MASTER_ADDR="127.0.0.1",
                MASTER_PORT=str(port),
                RANK=str(rank),
                WORLD_SIZE=str(nproc),
                LOCAL_RANK=str(rank),
                LOCAL_WORLD_SIZE=str(nproc),
            )
        name = f"{tag}{rank}" if nproc > 1 else tag
        stdout = open(os.path.join(out_dir, f"{name}.stdout"), "wb")
        stderr = open(os.path.join(out_dir, f"{name}.stderr"), "wb")
        command = [sys.executable, "-m", INSTRUMENT, "--out", os.path.join(out_dir, REPORT_NAME), script, *args]
        procs.append((subprocess.Popen(command, env=child_env, stdout=stdout, stderr=stderr, cwd=out_dir), stdout, stderr))
    return procs


def _wait(procs, timeout: float) -> bool:
    """Wait for all; stop the rest a while after one fails, and all at the deadline. True if timed out."""
    deadline = time.monotonic() + timeout
    failed_at = None
    while True:
        codes = [p.poll() for p, _, _ in procs]
        if all(c is not None for c in codes):
            return False
        now = time.monotonic()
        if failed_at is None and any(c not in (None, 0) for c in codes):
            failed_at = now
        if now > deadline or (failed_at is not None and now - failed_at > FAILED_PEER_GRACE_S):
            for p, _, _ in procs:
                if p.poll() is None:
                    p.kill()
            for p, _, _ in procs:
                p.wait()
            return now > deadline
        time.sleep(0.05)


def run_instrumented(
    script: str,
    out_dir: str,
    env: Optional[Mapping[str, str]] = None,
    timeout: float = 120,
    nproc: int = 1,
    args: Sequence[str] = (),
) -> List[dict]:
    """Run `script` (with `args`) under the instrumentation and return its reports, by rank.

    With `nproc` > 1 the script runs in that many processes on this host, with the variables of
    `torch.distributed`'s env:// initialisation set (MASTER_ADDR/MASTER_PORT on a free port, RANK,
    WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE), as `torchrun --nproc_per_node` would set them. The
    processes' output goes to `out_dir` (`run.stdout`/`run.stderr`, `rank{N}.*` when several);
    each report gets `stderr_tail`, the end of its process's stderr. Raises HarnessError when a
    process left no report.
    """
    script = os.path.abspath(script)
    out_dir = os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    merged = _environment(env)
    tag = "rank" if nproc > 1 else "run"
    for attempt in range(3):
        for name in os.listdir(out_dir):
            if name.startswith("report.") and name.endswith(".json"):
                os.remove(os.path.join(out_dir, name))
        procs = _launch(script, args, out_dir, merged, nproc, free_port() if nproc > 1 else None, tag)
        try:
            timed_out = _wait(procs, timeout)
        finally:
            for _, stdout, stderr in procs:
                stdout.close()
                stderr.close()
        names = [f"{tag}{r}" if nproc > 1 else tag for r in range(nproc)]
        stderrs = [_tail(os.path.join(out_dir, f"{n}.stderr")) for n in names]
        # The free port was taken between finding it and binding it: try another.
        if nproc > 1 and any("address already in use" in s.lower() or "EADDRINUSE" in s for s in stderrs) and attempt < 2:
            continue
        break
    reports = []
    for rank, name in enumerate(names):
        path = os.path.join(out_dir, f"report.rank{rank}.json" if nproc > 1 else REPORT_NAME)
        if not os.path.exists(path):
            why = "timed out" if timed_out else f"exit code {procs[rank][0].returncode}"
            raise HarnessError(f"{script}: rank {rank} left no report ({why}); stderr:\n{stderrs[rank]}")
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
        report["stderr_tail"] = stderrs[rank]
        reports.append(report)
    return reports


# -- observables --------------------------------------------------------------------------------


def step_lrs(report: dict, optimizer: int = 0, group: int = 0) -> List[float]:
    """The LR of one param group after each step of one optimizer (the LR that step used)."""
    return [entry["lrs"][group] for entry in report["lr"] if entry["optimizer"] == optimizer]


def lrs_by_loader_iter(report: dict, optimizer: int = 0, group: int = 0) -> List[List[float]]:
    """The step LRs grouped by the DataLoader iteration they ran in (in a training script: by epoch)."""
    groups: Dict[int, List[float]] = {}
    for entry in report["lr"]:
        if entry["optimizer"] == optimizer:
            groups.setdefault(entry["loader_iter"], []).append(entry["lrs"][group])
    return [groups[k] for k in sorted(groups)]


def epoch_lrs(report: dict, optimizer: int = 0, group: int = 0) -> List[float]:
    """The LR of the first step of each epoch (DataLoader iteration)."""
    return [lrs[0] for lrs in lrs_by_loader_iter(report, optimizer, group)]


def warnings_matching(report: dict, text: str, category: Optional[str] = None) -> List[dict]:
    return [
        w for w in report["warnings"] if text in w["message"] and (category is None or w["category"] == category)
    ]


def failures(report: dict) -> List[str]:
    """What went wrong in a run: a non-zero exit, an exception, a loss that is missing or not finite."""
    import math

    problems = []
    if report["exit"] != 0:
        problems.append(f"exit code {report['exit']}")
    if report["exception"]:
        problems.append(f"{report['exception']['type']}: {report['exception']['message']}")
    if report["loss"] is None:
        problems.append("no scalar loss was ever backpropagated")
    elif not (report["loss_all_finite"] and math.isfinite(report["loss"])):
        problems.append(f"a loss was not finite (last {report['loss']})")
    return problems


def sampler_orders(reports: Sequence[dict], sampler: int = 0) -> Dict[int, List[List[int]]]:
    """{rank: [order of each epoch]} of one DistributedSampler (by index of creation) per process."""
    orders = {}
    for report in reports:
        entries = [s for s in report["sampler_epochs"] if s["sampler"] == sampler]
        if entries:
            orders[entries[0]["rank"]] = entries[0]["epochs"]
    return orders


def sampler_repeats_every_epoch(reports: Sequence[dict], sampler: int = 0) -> bool:
    """True if every rank's sampler yielded one and the same order in every epoch (of two or more)."""
    orders = sampler_orders(reports, sampler)
    return bool(orders) and all(len(e) >= 2 and all(o == e[0] for o in e) for e in orders.values())


def sampler_problems(reports: Sequence[dict], sampler: int = 0) -> List[str]:
    """Why a DistributedSampler did not shard and reshuffle as `set_epoch(epoch)` makes it; [] if it did.

    Checked: every rank has the sampler and the same number (>= 2) of epochs; each rank's order
    differs from one epoch to the next; within each epoch the ranks' indices are disjoint (when the
    dataset divides evenly) and together cover the dataset.
    """
    problems: List[str] = []
    entries = {}
    for report in reports:
        found = [s for s in report["sampler_epochs"] if s["sampler"] == sampler]
        if not found:
            problems.append(f"process of rank {report.get('rank')} built no DistributedSampler #{sampler}")
            continue
        entries[found[0]["rank"]] = found[0]
    if problems or not entries:
        return problems or ["no DistributedSampler was built"]
    any_entry = next(iter(entries.values()))
    replicas, length = any_entry["num_replicas"], any_entry["dataset_len"]
    if sorted(entries) != list(range(replicas)):
        problems.append(f"ranks {sorted(entries)} do not match num_replicas={replicas}")
    counts = {rank: len(e["epochs"]) for rank, e in entries.items()}
    if len(set(counts.values())) != 1 or min(counts.values()) < 2:
        return problems + [f"epochs per rank {counts}: need the same number, at least 2"]
    epochs = min(counts.values())
    for rank, entry in sorted(entries.items()):
        for index in range(1, epochs):
            if entry["epochs"][index] == entry["epochs"][index - 1]:
                problems.append(f"rank {rank}: epoch {index} repeats the order of epoch {index - 1}")
    for index in range(epochs):
        shards = [entries[rank]["epochs"][index] for rank in sorted(entries)]
        if length is not None and length % replicas == 0:
            seen = set()
            for shard in shards:
                if seen & set(shard):
                    problems.append(f"epoch {index}: the ranks' indices overlap")
                    break
                seen |= set(shard)
        if length is not None and not any_entry.get("drop_last"):
            covered = set().union(*map(set, shards))
            if covered != set(range(length)):
                problems.append(f"epoch {index}: the ranks cover {len(covered)} of {length} items")
    return problems

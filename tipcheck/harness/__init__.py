"""Run training scripts under instrumentation and read what they did.

`run_instrumented` runs a script in a subprocess (or in `nproc` processes of a gloo group) under
`tipcheck.harness.instrument` and returns the per-rank JSON reports (see that module for what they
hold). Each process is either a fresh interpreter (`python -m tipcheck.harness.instrument`, the
default) or, with `preload=True`, a fork of a server that has imported torch once (much faster: a
fresh interpreter spends seconds importing torch and torch._dynamo before the script does
anything). The other helpers read observables out of reports; none of them needs torch, and
nothing here imports it.

The rest of the harness (`tipcheck harness`, `python -m tipcheck.harness.run`):
- `expectations`: the expectation files (`fixtures/NAME.expect.json`) and the checks they name;
- `runner`: runs each fixture's original and fixed copy per environment (cpu, cuda, gloo×N,
  nccl×N), judges them, prints the table, writes the JSON and markdown reports;
- `prepare`: the fixed copies, made by tipcheck itself (the only module that needs the linter),
  and `--prepare DIR` folders for machines where only torch is installed;
- `run`: `python -m tipcheck.harness.run`, the command without click or libcst.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
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


#: Set in the fork server's environment, unless the caller's has them: libraries read them once,
#: when they load (in the server), so a run's own value of these would not take effect.
PRELOAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


class _ForkServer:
    """A `python -m tipcheck.harness.instrument --serve` process (see there) and the runs it forked."""

    def __init__(self, env: Mapping[str, str]) -> None:
        server_env = dict(env)
        for name, value in PRELOAD_ENV.items():
            server_env.setdefault(name, value)
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", INSTRUMENT, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=server_env,
        )
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.runs: Dict[int, dict] = {}
        self.next_id = 0
        self.alive = True
        threading.Thread(target=self._read, name="tipcheck-fork-server", daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            message = json.loads(line)
            with self.changed:
                run = self.runs.get(message.get("id"))
                if run is not None:
                    run.update({k: v for k, v in message.items() if k in ("pid", "exit")})
                self.changed.notify_all()
        self.proc.stdout.close()
        with self.changed:
            self.alive = False
            for run in self.runs.values():
                if run.get("exit") is None:
                    run["exit"] = -1  # the server died with it
            self.changed.notify_all()

    def stderr_tail(self, limit: int = 4000) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-limit:]

    def _send(self, message: dict) -> None:
        self.proc.stdin.write((json.dumps(message) + "\n").encode())
        self.proc.stdin.flush()

    def start(self, request: dict) -> int:
        with self.changed:
            if not self.alive:
                raise HarnessError("the fork server has stopped")
            ident = self.next_id
            self.next_id += 1
            self.runs[ident] = {"pid": None, "exit": None}
            self._send({"id": ident, **request})
            self.changed.wait_for(lambda: self.runs[ident]["pid"] is not None or self.runs[ident]["exit"] is not None)
        return ident

    def exit_code(self, ident: int) -> Optional[int]:
        with self.lock:
            return self.runs[ident]["exit"]

    def kill(self, ident: int) -> None:
        with self.lock:
            if self.alive and self.runs[ident]["exit"] is None:
                try:
                    self._send({"kill": ident})
                except OSError:  # the server is gone, and its children with it
                    pass

    def wait(self, ident: int) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.runs[ident]["exit"] is not None)
            return self.runs[ident]["exit"]

    def close(self) -> None:
        try:
            self.proc.stdin.close()  # the server kills what it still runs, and exits
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()


_server: Optional[_ForkServer] = None
_server_lock = threading.Lock()


def _fork_server() -> _ForkServer:
    global _server
    with _server_lock:
        if _server is None or not _server.alive:
            _server = _ForkServer(_environment(None))
            atexit.register(_server.close)
        return _server


def stop_fork_server() -> None:
    """Stop the fork server that `preload=True` started (it stops anyway when this process exits)."""
    global _server
    with _server_lock:
        if _server is not None:
            _server.close()
            _server = None


class _Process:
    """One process of a run: a fresh interpreter (subprocess.Popen) or a child of the fork server."""

    def __init__(self, script, args, out, env, cwd, stdout_path, stderr_path, preload):
        if preload:
            self.server = _fork_server()
            request = dict(script=script, args=list(args), out=out, env=env, cwd=cwd, stdout=stdout_path, stderr=stderr_path)
            self.ident = self.server.start(request)
            self.proc = None
        else:
            self.server = None
            with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", INSTRUMENT, "--out", out, script, *args],
                    env=env, cwd=cwd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                )

    def poll(self) -> Optional[int]:
        return self.server.exit_code(self.ident) if self.server else self.proc.poll()

    def kill(self) -> None:
        if self.server:
            self.server.kill(self.ident)
        elif self.proc.poll() is None:
            self.proc.kill()

    def wait(self) -> int:
        return self.server.wait(self.ident) if self.server else self.proc.wait()


def _launch(script, args, out_dir, env, nproc, port, tag, preload):
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
        out = os.path.join(out_dir, REPORT_NAME)
        procs.append(
            _Process(
                script,
                args,
                out,
                child_env,
                out_dir,
                os.path.join(out_dir, f"{name}.stdout"),
                os.path.join(out_dir, f"{name}.stderr"),
                preload,
            )
        )
    return procs


def _wait(procs, timeout: float) -> bool:
    """Wait for all; stop the rest a while after one fails, and all at the deadline. True if timed out."""
    deadline = time.monotonic() + timeout
    failed_at = None
    while True:
        codes = [p.poll() for p in procs]
        if all(c is not None for c in codes):
            return False
        now = time.monotonic()
        if failed_at is None and any(c not in (None, 0) for c in codes):
            failed_at = now
        if now > deadline or (failed_at is not None and now - failed_at > FAILED_PEER_GRACE_S):
            for p in procs:
                p.kill()
            for p in procs:
                p.wait()
            return now > deadline
        time.sleep(0.02)


class RunOutcome:
    """What `run_processes` found: a report per rank (None where a rank left none, with why in
    `errors`), whether it timed out, the exit codes, and how long it took (seconds)."""

    def __init__(self, reports, errors, timed_out, exit_codes, duration, script):
        self.reports: List[Optional[dict]] = reports
        self.errors: List[str] = errors
        self.timed_out: bool = timed_out
        self.exit_codes: List[Optional[int]] = exit_codes
        self.duration: float = duration
        self.script: str = script

    @property
    def complete(self) -> bool:
        return all(r is not None for r in self.reports)


def run_processes(
    script: str,
    out_dir: str,
    env: Optional[Mapping[str, str]] = None,
    timeout: float = 120,
    nproc: int = 1,
    args: Sequence[str] = (),
    preload: bool = False,
) -> RunOutcome:
    """`run_instrumented`, except that a rank that left no report is a None in the outcome's
    reports (with why in its errors) rather than a HarnessError."""
    script = os.path.abspath(script)
    out_dir = os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    merged = _environment(env)
    tag = "rank" if nproc > 1 else "run"
    started = time.monotonic()
    for attempt in range(3):
        for name in os.listdir(out_dir):
            if name.startswith("report.") and name.endswith(".json"):
                os.remove(os.path.join(out_dir, name))
        procs = _launch(script, args, out_dir, merged, nproc, free_port() if nproc > 1 else None, tag, preload)
        try:
            timed_out = _wait(procs, timeout)
        finally:
            for p in procs:
                p.kill()
            for p in procs:
                p.wait()
        names = [f"{tag}{r}" if nproc > 1 else tag for r in range(nproc)]
        stderrs = [_tail(os.path.join(out_dir, f"{n}.stderr")) for n in names]
        # The free port was taken between finding it and binding it: try another.
        if nproc > 1 and any("address already in use" in s.lower() or "EADDRINUSE" in s for s in stderrs) and attempt < 2:
            continue
        break
    reports: List[Optional[dict]] = []
    errors: List[str] = []
    for rank, name in enumerate(names):
        path = os.path.join(out_dir, f"report.rank{rank}.json")
        if nproc == 1 and not os.path.exists(path):  # a lone process writes report.rank0.json only
            path = os.path.join(out_dir, REPORT_NAME)  # if it initialised a process group
        if not os.path.exists(path):
            why = "timed out" if timed_out else f"exit code {procs[rank].poll()}"
            server = procs[rank].server
            if server is not None and not server.alive:
                why += f"; the fork server stopped:\n{server.stderr_tail()}"
            reports.append(None)
            errors.append(f"{script}: rank {rank} left no report ({why}); stderr:\n{stderrs[rank]}")
            continue
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
        report["stderr_tail"] = stderrs[rank]
        reports.append(report)
    codes = [p.poll() for p in procs]
    return RunOutcome(reports, errors, timed_out, codes, time.monotonic() - started, script)


def run_instrumented(
    script: str,
    out_dir: str,
    env: Optional[Mapping[str, str]] = None,
    timeout: float = 120,
    nproc: int = 1,
    args: Sequence[str] = (),
    preload: bool = False,
) -> List[dict]:
    """Run `script` (with `args`) under the instrumentation and return its reports, by rank.

    With `nproc` > 1 the script runs in that many processes on this host, with the variables of
    `torch.distributed`'s env:// initialisation set (MASTER_ADDR/MASTER_PORT on a free port, RANK,
    WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE), as `torchrun --nproc_per_node` would set them. The
    processes' output goes to `out_dir` (`run.stdout`/`run.stderr`, `rank{N}.*` when several);
    each report gets `stderr_tail`, the end of its process's stderr. The working directory is
    `out_dir`, so that what the script writes lands there. Raises HarnessError when a process left
    no report (a rank that fails brings the others down FAILED_PEER_GRACE_S later).

    `preload=False` starts each process as a fresh `python -m tipcheck.harness.instrument`.
    `preload=True` forks each from a fork server (`python -m tipcheck.harness.instrument --serve`,
    one per calling process, started on first use) that has imported torch once: a run then costs
    tenths of a second instead of seconds. The child takes the run's environment, working
    directory and output files before it runs the script as a fresh process would; what differs
    is what libraries read only when they load, in the server: its environment is this process's
    plus PRELOAD_ENV (torch's thread count is set from the run's OMP_NUM_THREADS).
    """
    outcome = run_processes(script, out_dir, env=env, timeout=timeout, nproc=nproc, args=args, preload=preload)
    if outcome.errors:
        raise HarnessError(outcome.errors[0])
    return outcome.reports


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

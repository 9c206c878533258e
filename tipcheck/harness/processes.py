"""Running a training script under the instrumentation, in one process or in `nproc` processes of a
torch.distributed group, and collecting the per-rank reports (`run_instrumented`, `run_processes`).

Each process is either a fresh interpreter (`python -m tipcheck.harness.instrument`, the default)
or, with `preload=True`, a child of the fork server (tipcheck.harness.forkserver). Nothing here
imports torch.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from typing import Dict, List, Mapping, Optional, Sequence

from tipcheck.harness.errors import HarnessError
from tipcheck.harness.forkserver import INSTRUMENT, fork_server

REPORT_NAME = "report.json"
#: How long the other ranks may go on once one rank has failed (they are likely stuck in a collective).
FAILED_PEER_GRACE_S = 10.0


def package_root() -> str:
    """The folder that holds the `tipcheck` package (put on the runs' PYTHONPATH)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(env: Optional[Mapping[str, str]], inherit: bool = True) -> Dict[str, str]:
    """The environment of a run: this process's (`inherit`; else nothing of it) less the variables
    of an enclosing distributed run, with tipcheck on PYTHONPATH, then `env`."""
    merged = dict(os.environ) if inherit else {}
    # Distributed variables of an enclosing run must not leak into the child.
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        merged.pop(name, None)
    merged.setdefault("OMP_NUM_THREADS", "1")  # tiny models: threads only cost, the more so with ranks
    extra = (env or {}).get("PYTHONPATH")
    merged["PYTHONPATH"] = os.pathsep.join(p for p in (package_root(), extra, merged.get("PYTHONPATH")) if p)
    merged.update({k: v for k, v in (env or {}).items() if k != "PYTHONPATH"})
    return merged


def _tail(path: str, limit: int = 4000) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()[-limit:]
    except OSError:
        return ""


class _Process:
    """One process of a run: a fresh interpreter (subprocess.Popen) or a child of the fork server."""

    def __init__(self, script, args, out, env, cwd, stdout_path, stderr_path, preload):
        if preload:
            self.server = fork_server(environment(None))
            request = dict(
                script=script, args=list(args), out=out, env=env, cwd=cwd, stdout=stdout_path, stderr=stderr_path
            )
            self.ident = self.server.start(request)
            self.proc = None
        else:
            self.server = None
            with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", INSTRUMENT, "--out", out, script, *args],
                    env=env,
                    cwd=cwd,
                    stdout=stdout,
                    stderr=stderr,
                    stdin=subprocess.DEVNULL,
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


def _launch(script, args, out_dir, env, nproc, port, tag, preload, cwd=None):
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
                cwd or out_dir,
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
    cwd: Optional[str] = None,
    inherit_env: bool = True,
) -> RunOutcome:
    """`run_instrumented`, except that a rank that left no report is a None in the outcome's
    reports (with why in its errors) rather than a HarnessError. `cwd`: the processes' working
    directory (default `out_dir`); `inherit_env=False`: they get `env` (and tipcheck on
    PYTHONPATH) only, nothing of this process's environment (`tipcheck verify`'s scrubbed runs)."""
    script = os.path.abspath(script)
    out_dir = os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    merged = environment(env, inherit=inherit_env)
    tag = "rank" if nproc > 1 else "run"
    started = time.monotonic()
    for attempt in range(3):
        for name in os.listdir(out_dir):
            if name.startswith("report.") and name.endswith(".json"):
                os.remove(os.path.join(out_dir, name))
        port = free_port() if nproc > 1 else None
        procs = _launch(script, args, out_dir, merged, nproc, port, tag, preload, cwd)
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
        if (
            nproc > 1
            and any("address already in use" in s.lower() or "EADDRINUSE" in s for s in stderrs)
            and attempt < 2
        ):
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
    `preload=True` forks each from a fork server (`python -m tipcheck.harness.forkserver`,
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

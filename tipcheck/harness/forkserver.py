"""The fork server, both halves of its protocol: the server, a process that has imported torch once
and forks a child per run, and the client, which asks it for runs (`run_instrumented(...,
preload=True)`, tipcheck.harness.processes).

A fresh interpreter spends seconds importing torch (and torch._dynamo, which the first optimizer
step imports) before the script does anything; a child of the server starts in tenths of a
second. The client never imports torch.

Protocol, one JSON object a line. Requests on the server's stdin: {"id", "script", "args", "out",
"env", "cwd", "stdout", "stderr"} starts a run; {"kill": id} kills one. Replies on its stdout:
{"ready": true} once, then {"id", "pid"} when a run started and {"id", "exit"} when it ended (the
exit code; minus the signal number if killed). At the end of stdin the server kills its children
and exits.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
import traceback
from typing import Any, Dict, Mapping, Optional

from tipcheck.harness.errors import HarnessError

SERVER = "tipcheck.harness.forkserver"
INSTRUMENT = "tipcheck.harness.instrument"


# -- the client ------------------------------------------------------------------------------------

#: Set in the fork server's environment, unless the caller's has them: libraries read them once,
#: when they load (in the server), so a run's own value of these would not take effect.
PRELOAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


class ForkServer:
    """The client: a `python -m tipcheck.harness.forkserver` process (the server below) and the runs
    it forked."""

    def __init__(self, env: Mapping[str, str]) -> None:
        server_env = dict(env)
        for name, value in PRELOAD_ENV.items():
            server_env.setdefault(name, value)
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", SERVER],
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


_server: Optional[ForkServer] = None
_server_lock = threading.Lock()


def fork_server(env: Mapping[str, str]) -> ForkServer:
    """This process's fork server, started on first use with the environment ``env``."""
    global _server
    with _server_lock:
        if _server is None or not _server.alive:
            _server = ForkServer(env)
            atexit.register(_server.close)
        return _server


def stop_fork_server() -> None:
    """Stop the fork server that `preload=True` started (it stops anyway when this process exits)."""
    global _server
    with _server_lock:
        if _server is not None:
            _server.close()
            _server = None


# -- the server ----------------------------------------------------------------------------------
#
# A fresh interpreter spends seconds importing torch (and torch._dynamo, which the first optimizer
# step imports) before the script does anything. `serve` imports them once and forks a child per
# run; the child then becomes what `python -m tipcheck.harness.instrument` would be at that point
# (stdio, environment, working directory, fresh RNG seeds) and runs the script the same way.
#
# Protocol, one JSON object a line. Requests on stdin: {"id", "script", "args", "out", "env",
# "cwd", "stdout", "stderr"} starts a run; {"kill": id} kills one. Replies on stdout: {"ready": true}
# once, then {"id", "pid"} when a run started and {"id", "exit"} when it ended (the exit code; minus
# the signal number if killed). At the end of stdin the server kills its children and exits.

PRELOAD = (
    "torch",
    "torch._dynamo",
    "torch.distributed",
    "torch.nn.parallel",
    "torch.optim",
    "torch.utils.data",
    "torchvision",  # an optional piece: a second or more to import, for the scripts that use it
)


def _send(message: Dict[str, Any]) -> None:
    data = (json.dumps(message) + "\n").encode()
    while data:
        data = data[os.write(1, data) :]


def _child(request: Dict[str, Any]) -> None:  # pragma: no cover - runs in a forked process
    code = 1
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(target, fd)
            os.close(target)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        # What a fresh process would have: torch's thread count from OMP_NUM_THREADS (read when
        # the library loaded, in the server), and RNGs seeded anew: torch's default generator
        # starts from a random seed in each process (so must each child, not the server's),
        # numpy's global one too; `random` is reseeded at fork by Python itself.
        import torch

        threads = request["env"].get("OMP_NUM_THREADS", "")
        if threads.isdigit() and int(threads) > 0:
            torch.set_num_threads(int(threads))
        torch.seed()
        if "numpy.random" in sys.modules:
            sys.modules["numpy.random"].seed()
        from tipcheck.harness.instrument import run

        code = run(request["script"], list(request["args"]), request["out"])
        import threading

        threading._shutdown()  # as the interpreter does at exit: join the script's non-daemon threads
        import atexit

        atexit._run_exitfuncs()
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def serve() -> None:
    """Import PRELOAD, then fork a child for each run asked for on stdin (see above)."""
    import importlib
    import select
    import signal

    for name in (INSTRUMENT, *PRELOAD):
        try:
            importlib.import_module(name)
        except Exception:  # a missing piece only makes the children slower
            pass
    children: Dict[int, Any] = {}  # pid -> request id
    by_id: Dict[Any, int] = {}
    buffer = b""
    reading = True
    _send({"ready": True})
    while reading or children:
        ready, _, _ = select.select([0] if reading else [], [], [], 0.02)
        if ready:
            data = os.read(0, 65536)
            if not data:
                reading = False
                for pid in children:
                    os.kill(pid, signal.SIGKILL)
            buffer += data
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                if not line.strip():
                    continue
                request = json.loads(line)
                if "kill" in request:
                    pid = by_id.get(request["kill"])
                    if pid in children:
                        os.kill(pid, signal.SIGKILL)
                    continue
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    _child(request)
                children[pid] = request["id"]
                by_id[request["id"]] = pid
                _send({"id": request["id"], "pid": pid})
        while children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            if pid in children:
                ident = children.pop(pid)
                by_id.pop(ident, None)
                _send({"id": ident, "exit": os.waitstatus_to_exitcode(status)})


if __name__ == "__main__":
    serve()

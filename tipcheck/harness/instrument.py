"""Run a training script under an instrumentation layer, without editing the script.

    python -m tipcheck.harness.instrument --out REPORT.json SCRIPT [ARGS...]

The script runs as `python SCRIPT ARGS...` would (`runpy.run_path(..., run_name="__main__")`, with
`sys.argv` and `sys.path[0]` set alike), after torch has been patched to record what the tipcheck
rules promise to change. The JSON report, one per process, holds:

- `lr`: one entry per `Optimizer.step` call (a global optimizer step post hook), with the LR of
  every param group (`lrs`), the optimizer's index (in order of first step), the global step
  number, and `loader_iter`: the index of the DataLoader iteration (`DataLoader.__iter__` call) it
  ran in, -1 before the first one; in a plain training script that is the epoch.
- `warnings`: every warning shown (message, category, filename, lineno), captured with a
  `warnings.showwarning` hook after `warnings.simplefilter("always")`.
- `sampler_epochs`: for each `DistributedSampler` instance, its rank, num_replicas, shuffle, seed,
  dataset length, the `set_epoch` values it was given, and the list of index orders it yielded
  (`epochs`, one per `__iter__` call).
- `schedulers`: each LR scheduler built: class, constructor arguments (the optimizer as the string
  "<optimizer>", values JSON cannot hold as `{"repr": ...}`), and the optimizer's LRs just before.
- `loss` (the last scalar `.backward()` was called on), `backward_calls`, `loss_all_finite`.
- `exit` (the SystemExit code, or 0; 1 after an exception) and `exception` (type, message,
  traceback), `rank` and `world_size` (from torch.distributed once initialised, else `RANK` /
  `WORLD_SIZE`), `script`, `argv`, `pid`.

Under torch.distributed (the process group was initialised, or `RANK` is set), the report goes to
`REPORT.rank{N}.json` (REPORT less its `.json`), so that the processes of one run do not overwrite
one another; otherwise to REPORT itself.

Nothing here imports torch at import time: `tipcheck` never does. torch is imported by `main` only,
before the script runs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import runpy
import sys
import traceback
import warnings
import weakref
from typing import Any, Dict, List, Optional

OPTIMIZER_PLACEHOLDER = "<optimizer>"


def report_path(out: str, rank: Optional[int]) -> str:
    """Where the report of the process of `rank` goes (`rank` None: not distributed)."""
    if rank is None:
        return out
    stem = out[: -len(".json")] if out.endswith(".json") else out
    return f"{stem}.rank{rank}.json"


def _json_safe(value: Any, depth: int = 0) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, (list, tuple)) and depth < 3:
        return [_json_safe(v, depth + 1) for v in value]
    if isinstance(value, dict) and depth < 3 and all(isinstance(k, str) for k in value):
        return {k: _json_safe(v, depth + 1) for k, v in value.items()}
    try:  # a 0-d tensor, a numpy scalar
        if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
            return _json_safe(value.item(), depth + 1)
    except Exception:
        pass
    return {"repr": repr(value)[:200]}


def _float(value: Any) -> Any:
    try:
        return float(value)
    except Exception:
        return repr(value)


class Recorder:
    """Holds the observables of one process and installs the patches that feed them."""

    def __init__(self, script: str, argv: List[str]) -> None:
        self.script = script
        self.argv = argv
        self.lr: List[Dict[str, Any]] = []
        self.warnings: List[Dict[str, Any]] = []
        self.samplers: List[Dict[str, Any]] = []
        self.schedulers: List[Dict[str, Any]] = []
        self.loader_iters = 0
        self.loss: Optional[float] = None
        self.backward_calls = 0
        self.loss_all_finite = True
        self.exit_code = 0
        self.exception: Optional[Dict[str, str]] = None
        self.rank: Optional[int] = None
        self.world_size: Optional[int] = None
        # optimizer -> index, sampler -> index of its record (weakly: the script's objects die
        # when it drops them)
        self._optimizers: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()
        self._sampler_index: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()
        self._optimizer_count = 0
        self._handles: List[Any] = []

    # -- patches -------------------------------------------------------------------------------

    def install(self) -> None:
        import torch

        self._install_warnings()
        self._install_optimizer_hook(torch)
        self._install_loader(torch)
        self._install_sampler(torch)
        self._install_schedulers(torch)
        self._install_backward(torch)
        self._install_distributed(torch)

    def _install_warnings(self) -> None:
        original = warnings.showwarning

        def showwarning(message, category, filename, lineno, file=None, line=None):
            self.warnings.append(
                {
                    "message": str(message),
                    "category": getattr(category, "__name__", str(category)),
                    "filename": str(filename),
                    "lineno": lineno,
                }
            )
            original(message, category, filename, lineno, file, line)

        warnings.simplefilter("always")
        warnings.showwarning = showwarning

    def _on_step(self, optimizer) -> None:
        if optimizer not in self._optimizers:
            self._optimizers[optimizer] = self._optimizer_count
            self._optimizer_count += 1
        self._note_rank()
        self.lr.append(
            {
                "step": len(self.lr),
                "optimizer": self._optimizers[optimizer],
                "loader_iter": self.loader_iters - 1,
                "lrs": [_float(group.get("lr")) for group in optimizer.param_groups],
            }
        )

    def _install_optimizer_hook(self, torch) -> None:
        # Global: it runs after the `step` of every optimizer, whatever its class (torch >= 2.0).
        from torch.optim.optimizer import register_optimizer_step_post_hook

        self._handles.append(register_optimizer_step_post_hook(lambda opt, args, kwargs: self._on_step(opt)))

    def _install_loader(self, torch) -> None:
        from torch.utils.data import DataLoader

        original = DataLoader.__iter__

        def __iter__(loader):
            self.loader_iters += 1
            return original(loader)

        DataLoader.__iter__ = __iter__

    def _sampler_record(self, sampler) -> Dict[str, Any]:
        if sampler not in self._sampler_index:
            self._sampler_index[sampler] = len(self.samplers)
            try:
                length = len(sampler.dataset)
            except Exception:
                length = None
            self.samplers.append(
                {
                    "sampler": len(self.samplers),
                    "rank": getattr(sampler, "rank", None),
                    "num_replicas": getattr(sampler, "num_replicas", None),
                    "shuffle": getattr(sampler, "shuffle", None),
                    "seed": getattr(sampler, "seed", None),
                    "drop_last": getattr(sampler, "drop_last", None),
                    "dataset_len": length,
                    "set_epoch_calls": [],
                    "epochs": [],
                }
            )
        return self.samplers[self._sampler_index[sampler]]

    def _install_sampler(self, torch) -> None:
        from torch.utils.data.distributed import DistributedSampler

        original_iter = DistributedSampler.__iter__
        original_set_epoch = DistributedSampler.set_epoch

        def __iter__(sampler):
            order = [int(i) for i in original_iter(sampler)]
            self._sampler_record(sampler)["epochs"].append(order)
            return iter(order)

        def set_epoch(sampler, epoch):
            self._sampler_record(sampler)["set_epoch_calls"].append(_json_safe(epoch))
            return original_set_epoch(sampler, epoch)

        DistributedSampler.__iter__ = __iter__
        DistributedSampler.set_epoch = set_epoch

    def _install_schedulers(self, torch) -> None:
        import functools
        import inspect

        from torch.optim import lr_scheduler

        base = getattr(lr_scheduler, "LRScheduler", None) or getattr(lr_scheduler, "_LRScheduler")
        building = set()  # ids of schedulers whose outermost __init__ is running

        def wrap(original):
            @functools.wraps(original)
            def __init__(sched, *args, **kwargs):
                if id(sched) in building:  # a parent's __init__, called by the class's own
                    return original(sched, *args, **kwargs)
                building.add(id(sched))
                try:
                    record = self._scheduler_record(sched, args, kwargs)
                    original(sched, *args, **kwargs)
                    self.schedulers.append(record)
                finally:
                    building.discard(id(sched))

            try:
                __init__.__signature__ = inspect.signature(original)
            except (TypeError, ValueError):
                pass
            return __init__

        for name, cls in sorted(vars(lr_scheduler).items()):
            if not (isinstance(cls, type) and issubclass(cls, base) and "__init__" in vars(cls)):
                continue
            if name.startswith("_") or cls.__module__ != lr_scheduler.__name__:
                continue
            cls.__init__ = wrap(cls.__init__)

    def _scheduler_record(self, sched, args, kwargs) -> Dict[str, Any]:
        import torch

        def encode(value):
            if isinstance(value, torch.optim.Optimizer):
                return OPTIMIZER_PLACEHOLDER
            return _json_safe(value)

        optimizer = next(
            (v for v in (*args, *kwargs.values()) if isinstance(v, torch.optim.Optimizer)), None
        )
        return {
            "class": type(sched).__name__,
            "module": type(sched).__module__,
            "args": [encode(a) for a in args],
            "kwargs": {k: encode(v) for k, v in kwargs.items()},
            "optimizer_lrs": [_float(g.get("lr")) for g in optimizer.param_groups] if optimizer else None,
            "optimizer_class": type(optimizer).__name__ if optimizer else None,
        }

    def _install_backward(self, torch) -> None:
        original = torch.Tensor.backward

        def backward(tensor, *args, **kwargs):
            try:
                if tensor.numel() == 1:
                    value = float(tensor.detach())
                    self.loss = value
                    self.loss_all_finite = self.loss_all_finite and math.isfinite(value)
            except Exception:
                pass
            self.backward_calls += 1
            return original(tensor, *args, **kwargs)

        backward.__doc__ = original.__doc__
        torch.Tensor.backward = backward

    def _install_distributed(self, torch) -> None:
        import torch.distributed as dist

        if not dist.is_available():
            return
        original = dist.init_process_group

        def init_process_group(*args, **kwargs):
            result = original(*args, **kwargs)
            self._note_rank()
            return result

        init_process_group.__wrapped__ = original
        init_process_group.__doc__ = original.__doc__
        dist.init_process_group = init_process_group
        # `torch.distributed.distributed_c10d.init_process_group` is left alone: scripts call the
        # public name.

    def _note_rank(self) -> None:
        try:
            import torch.distributed as dist

            if dist.is_available() and dist.is_initialized():
                self.rank = dist.get_rank()
                self.world_size = dist.get_world_size()
        except Exception:
            pass

    # -- the report ----------------------------------------------------------------------------

    def final_rank(self) -> Optional[int]:
        self._note_rank()
        if self.rank is not None:
            return self.rank
        if os.environ.get("RANK", "").isdigit():
            return int(os.environ["RANK"])
        return None

    def report(self) -> Dict[str, Any]:
        rank = self.final_rank()
        world_size = self.world_size
        if world_size is None and os.environ.get("WORLD_SIZE", "").isdigit():
            world_size = int(os.environ["WORLD_SIZE"])
        return {
            "script": self.script,
            "argv": self.argv,
            "pid": os.getpid(),
            "rank": rank,
            "world_size": world_size,
            "exit": self.exit_code,
            "exception": self.exception,
            "lr": self.lr,
            "warnings": self.warnings,
            "sampler_epochs": self.samplers,
            "schedulers": self.schedulers,
            "loader_iters": self.loader_iters,
            "loss": self.loss,
            "backward_calls": self.backward_calls,
            "loss_all_finite": self.loss_all_finite,
        }


def _exit_code(exc: SystemExit) -> int:
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1  # `sys.exit("message")`: Python prints it and exits 1


def run(script: str, args: List[str], out: str) -> int:
    """Run `script` with `args` under the instrumentation; write the report; return the exit code."""
    recorder = Recorder(os.path.abspath(script), [script, *args])
    recorder.install()
    sys.argv = [script, *args]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        recorder.exit_code = _exit_code(exc)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    except BaseException as exc:  # the script's own failure: record it, then fail as Python would
        traceback.print_exc()
        recorder.exception = {
            "type": f"{type(exc).__module__}.{type(exc).__qualname__}".replace("builtins.", ""),
            "message": str(exc),
            "traceback": traceback.format_exc(),
        }
        recorder.exit_code = 1
    report = recorder.report()
    path = report_path(out, report["rank"])
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(report, handle)
    os.replace(temporary, path)
    return recorder.exit_code


# -- the fork server ------------------------------------------------------------------------------
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

    for name in PRELOAD:
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


def main(argv: Optional[List[str]] = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--serve"]:
        serve()
        return
    parser = argparse.ArgumentParser(
        prog="python -m tipcheck.harness.instrument",
        description="Run a training script under tipcheck's instrumentation and write a JSON report.",
    )
    parser.add_argument("--out", required=True, help="the report's path (REPORT.rank{N}.json under DDP)")
    parser.add_argument("script")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    sys.stdout.flush()
    code = run(options.script, options.args, options.out)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


if __name__ == "__main__":
    main()

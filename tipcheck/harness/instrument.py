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
- `loader_epochs`: for each DataLoader (in order of its first pass), per pass (`__iter__` call) the
  dataset indices it drew, in order, with its sampler's class, the dataset's length, num_workers and
  the start method of its workers; `data_wait`, the time from the end of an optimizer step to the
  next batch; `start_method`, what `TIPCHECK_START_METHOD` asked the loaders' workers to start with
  (see `tipcheck.harness.record_loaders`).
- `schedulers`: each LR scheduler built: class, constructor arguments (the optimizer as the string
  "<optimizer>", values JSON cannot hold as `{"repr": ...}`), the optimizer's LRs just before,
  `optimizer` (the index of that optimizer among those that stepped, None if it never did) and
  `reference_lrs`: what the schedule itself gives, computed when the script has ended by building
  the same class with the same arguments on a stand-in optimizer (same class, same param group
  hyperparameters) and stepping it alone: entry k is the LR of every group after k steps, for
  k = 0 .. (number of optimizer steps + 1); None (with `reference_error`) when it cannot be
  rebuilt (a scheduler that wraps others, one that needs a metric).
- `loss` (the last scalar `.backward()` was called on), `backward_calls`, `loss_all_finite`, and
  `loss_epochs`: per DataLoader iteration, the mean, first and last of the losses backpropagated
  in it (`loader_iter`, `mean`, `first`, `last`, `count`, `finite`).
- `forward`: the devices of top-level module calls (a global forward pre-hook; calls nested in
  another module's forward, DDP's inner module included, are not counted): one entry per distinct
  (module class, devices of its parameters, devices of the tensors among its positional inputs),
  with the number of calls and the index of the first (`first_call`); at most FORWARD_KINDS
  entries (`forward_capped` says when more were dropped), and `forward_calls`, the number of
  top-level calls (only the first FORWARD_DETAILED are looked at).
- `weights`: each torchvision weights enum member whose state dict a builder asked for
  (`WeightsEnum.get_state_dict`), with the builder (`builder`: the outermost public function of
  torchvision.models on the stack); nothing is downloaded: get_state_dict returns an empty marker
  that `nn.Module.load_state_dict` takes as a no-op, so the model keeps its random init.
  `weights_resolved`: what every `WeightsEnum.verify` call returned (the member, or None), with
  the builder.
- `globals`: for the script's module-level tensors and modules when it ended normally, their
  devices (a module's: those of its parameters): `{"x": ["cuda:0"]}`.
- `dist_backend`: the backend of the default process group once initialised (None otherwise);
  `cuda_available`: `torch.cuda.is_available()` when the script ended; `pretend_cuda`: whether
  the run was under `tipcheck.harness.pretend_cuda` (`TIPCHECK_PRETEND_CUDA=1`), where the
  devices above (`forward`, `globals`) are those the script asked for.
- `cuda_set_device` and `cuda_device`: the indices given to `torch.cuda.set_device`, and the
  device a bare `cuda` means when the script ended (see `tipcheck.harness.record_devices`);
  `parsed_args`: the namespaces `argparse` returned to the script (see
  `tipcheck.harness.record_arguments`).
- `saves`: the targets of `torch.save` (a file's absolute path, or a buffer's class), with the
  number of calls and the rank that first wrote there; `exit_state`: whether the default process
  group was still initialised once the script's exit handlers had run (written into the report
  at exit: None when the report is read before), see `tipcheck.harness.record_saves`.
- `verify`: under `tipcheck verify` (`TIPCHECK_VERIFY` set), what its short run did: see
  `tipcheck.verify.inside` (None otherwise).
- `exit` (the SystemExit code, or 0; 1 after an exception) and `exception` (type, message,
  traceback), `rank` and `world_size` (from torch.distributed once initialised, else `RANK` /
  `WORLD_SIZE`), `script`, `argv`, `pid`.

Under torch.distributed (the process group was initialised, or `RANK` is set), the report goes to
`REPORT.rank{N}.json` (REPORT less its `.json`), so that the processes of one run do not overwrite
one another; otherwise to REPORT itself.

The scheduler recording is in `tipcheck.harness.record_schedulers`, the weights recording in
`tipcheck.harness.record_weights`, the loaders' in `tipcheck.harness.record_loaders`, the saved
files and the process group at exit in `tipcheck.harness.record_saves` (mixins of `Recorder`).

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

from tipcheck.harness import pretend_cuda
from tipcheck.harness.record_arguments import ArgumentRecording
from tipcheck.harness.record_devices import DeviceRecording
from tipcheck.harness.record_loaders import LoaderRecording
from tipcheck.harness.record_saves import SaveRecording
from tipcheck.harness.record_schedulers import SchedulerRecording, _float, _json_safe
from tipcheck.harness.record_weights import WeightsRecording

#: Top-level forward calls looked at, and distinct (module, devices) kinds kept, per process.
FORWARD_DETAILED = 2000
FORWARD_KINDS = 50


def report_path(out: str, rank: Optional[int]) -> str:
    """Where the report of the process of `rank` goes (`rank` None: not distributed)."""
    if rank is None:
        return out
    stem = out[: -len(".json")] if out.endswith(".json") else out
    return f"{stem}.rank{rank}.json"


def _device_of(tensor: Any) -> str:
    """The device a tensor is on; under pretend-CUDA, the one it was asked to be on."""
    return pretend_cuda.requested_device(tensor) if _PRETEND else str(tensor.device)


_PRETEND = False  # set by `run` under TIPCHECK_PRETEND_CUDA (see tipcheck.harness.pretend_cuda)


def _tensor_devices(value: Any, depth: int = 0) -> set:
    """The devices of the tensors in `value` (through lists, tuples and dicts, a few levels deep)."""
    found = set()
    device = getattr(value, "device", None)
    if device is not None and hasattr(value, "dtype") and hasattr(value, "shape"):
        found.add(_device_of(value))
    elif isinstance(value, (list, tuple)) and depth < 4:
        for item in value[:64]:
            found |= _tensor_devices(item, depth + 1)
    elif isinstance(value, dict) and depth < 4:
        for item in list(value.values())[:64]:
            found |= _tensor_devices(item, depth + 1)
    return found


def _cuda_available() -> Optional[bool]:
    torch = sys.modules.get("torch")
    try:
        return bool(torch.cuda.is_available()) if torch is not None else None
    except Exception:
        return None


class Recorder(
    LoaderRecording, SchedulerRecording, WeightsRecording, DeviceRecording, ArgumentRecording, SaveRecording
):
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
        self.loss_epochs: Dict[int, Dict[str, Any]] = {}
        self.forward: List[Dict[str, Any]] = []
        self.forward_calls = 0
        self.forward_capped = False
        self._forward_index: Dict[Any, int] = {}
        self.weights: List[Dict[str, Any]] = []
        self.weights_resolved: List[Dict[str, Any]] = []
        self.dist_backend: Optional[str] = None
        # Per scheduler record: (class, args, kwargs, optimizer, param group hyperparameters), kept
        # until the report to replay the schedule; `_paused` while replaying (nothing is recorded).
        self._scheduler_builds: List[Any] = []
        self._paused = False
        self.globals: Dict[str, List[str]] = {}
        self.verify_report: Optional[Any] = None  # set by `tipcheck verify`'s runs (tipcheck.verify.inside)
        self._init_loaders()
        self._init_saves()

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
        self._install_forward(torch)
        self._install_weights(torch)
        self._install_devices(torch)
        self._install_arguments()
        self._install_saves(torch)

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
        if self._paused:
            return
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
        self._note_step_end()

    def _install_optimizer_hook(self, torch) -> None:
        # Global: it runs after the `step` of every optimizer, whatever its class (torch >= 2.0).
        from torch.optim.optimizer import register_optimizer_step_post_hook

        self._handles.append(register_optimizer_step_post_hook(lambda opt, args, kwargs: self._on_step(opt)))

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

    def _install_backward(self, torch) -> None:
        original = torch.Tensor.backward

        inside = [False]  # a torch function mode (pretend-CUDA) dispatches `backward` back to this

        def backward(tensor, *args, **kwargs):
            if inside[0]:
                return original(tensor, *args, **kwargs)
            try:
                if tensor.numel() == 1:
                    value = float(tensor.detach())
                    self.loss = value
                    self.loss_all_finite = self.loss_all_finite and math.isfinite(value)
                    self._note_loss(value)
            except Exception:
                pass
            self.backward_calls += 1
            inside[0] = True
            try:
                return original(tensor, *args, **kwargs)
            finally:
                inside[0] = False

        backward.__doc__ = original.__doc__
        torch.Tensor.backward = backward

    def _note_loss(self, value: float) -> None:
        key = self.loader_iters - 1
        entry = self.loss_epochs.get(key)
        if entry is None:
            entry = self.loss_epochs[key] = {
                "loader_iter": key,
                "count": 0,
                "sum": 0.0,
                "first": value,
                "last": value,
                "finite": True,
            }
        entry["count"] += 1
        entry["last"] = value
        if math.isfinite(value):
            entry["sum"] += value
        else:
            entry["finite"] = False

    def _loss_epochs(self) -> List[Dict[str, Any]]:
        out = []
        for key in sorted(self.loss_epochs):
            entry = dict(self.loss_epochs[key])
            total = entry.pop("sum")
            entry["mean"] = total / entry["count"] if entry["finite"] and entry["count"] else None
            out.append(entry)
        return out

    # -- devices of forward calls ---------------------------------------------------------------

    def _on_forward(self, module, args) -> None:
        self.forward_calls += 1
        if self.forward_calls > FORWARD_DETAILED:
            return
        try:
            params = sorted({_device_of(p) for p in module.parameters()})
        except Exception:
            params = []
        inputs = sorted(_tensor_devices(args))
        key = (type(module).__name__, tuple(params), tuple(inputs))
        index = self._forward_index.get(key)
        if index is not None:
            self.forward[index]["count"] += 1
        elif len(self.forward) < FORWARD_KINDS:
            self._forward_index[key] = len(self.forward)
            self.forward.append(
                {
                    "module": f"{type(module).__module__}.{type(module).__qualname__}",
                    "params": params,
                    "inputs": inputs,
                    "count": 1,
                    "first_call": self.forward_calls - 1,
                    "rank": self.rank,
                }
            )
        else:
            self.forward_capped = True

    def _install_forward(self, torch) -> None:
        from torch.nn.modules import module as module_api

        depth = [0]  # module calls under way; not per thread: DataParallel's replicas run in threads

        def pre_hook(module, args):
            depth[0] += 1
            if depth[0] == 1 and not self._paused:
                try:
                    self._on_forward(module, args)
                except Exception:
                    pass

        def post_hook(module, args, output):
            depth[0] = max(0, depth[0] - 1)

        self._handles.append(module_api.register_module_forward_pre_hook(pre_hook))
        try:  # always_call: the depth comes down when a forward raises too
            self._handles.append(module_api.register_module_forward_hook(post_hook, always_call=True))
        except TypeError:
            self._handles.append(module_api.register_module_forward_hook(post_hook))

    # -- distributed ---------------------------------------------------------------------------

    def _install_distributed(self, torch) -> None:
        import torch.distributed as dist

        if not dist.is_available():
            return
        original = dist.init_process_group

        def init_process_group(*args, **kwargs):
            result = original(*args, **kwargs)
            self._note_rank()
            try:
                self.dist_backend = str(dist.get_backend())
            except Exception:
                pass
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

    def note_globals(self, namespace: Dict[str, Any]) -> None:
        """The devices of the script's module-level tensors and modules, once it has ended."""
        torch = sys.modules.get("torch")
        if torch is None:
            return
        for name, value in list(namespace.items()):
            if name.startswith("_") or len(self.globals) >= 100:
                continue
            try:
                if isinstance(value, torch.Tensor):
                    self.globals[name] = [_device_of(value)]
                elif isinstance(value, torch.nn.Module):
                    self.globals[name] = sorted({_device_of(p) for p in value.parameters()})
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
        self._finish_schedulers()
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
            "loss_epochs": self._loss_epochs(),
            "forward": self.forward,
            "forward_calls": self.forward_calls,
            "forward_capped": self.forward_capped,
            "weights": self.weights,
            "weights_resolved": self.weights_resolved,
            "dist_backend": self.dist_backend,
            "cuda_available": _cuda_available(),
            "pretend_cuda": _PRETEND,
            "globals": self.globals,
            "saves": self.saves,
            "exit_state": self.exit_state,
            "verify": self.verify_report() if self.verify_report else None,
            **self._loader_report(),
            **self._devices_report(),
            **self._arguments_report(),
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
    global _PRETEND
    recorder = Recorder(os.path.abspath(script), [script, *args])
    # As `python SCRIPT` sets them, before anything runs: a `--data-stub` that puts the project's root
    # on sys.path (for a script its README runs with `python -m`) keeps it.
    sys.argv = [script, *args]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    recorder.install()
    if os.environ.get("TIPCHECK_VERIFY"):  # `tipcheck verify`: short runs, stand-in data
        from tipcheck.verify.inside import install as install_verify

        install_verify(recorder)
    if pretend_cuda.enabled(os.environ):
        pretend_cuda.install()
        _PRETEND = True
    try:
        namespace = runpy.run_path(script, run_name="__main__")
        recorder.note_globals(namespace)
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
    recorder.note_report_path(path)
    return recorder.exit_code


def main(argv: Optional[List[str]] = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
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

"""What `tipcheck verify` adds inside each instrumented process (`TIPCHECK_VERIFY` set to its JSON
settings; `tipcheck.harness.instrument.run` calls `install` after the Recorder's patches).

- The same seed in every run: `random`, numpy (if installed) and torch are seeded with `seed`
  before the script runs (the script's own seeding still comes after).
- Short runs: each DataLoader pass yields at most `batches` batches (`len(loader)` says as much),
  and the run stops, as `sys.exit(0)` would, when a loader that fed an optimizer step starts its
  pass number `epochs + 1` (after the last epoch's own end-of-epoch code has run). A script whose
  optimizer steps come from no DataLoader stops before step `epochs * batches + 1`.
- Stand-ins for torchvision's datasets (`tipcheck.verify.standins`) unless `standins` is false,
  and for downloaded weights: `torch.hub.load_state_dict_from_url` (and `model_zoo.load_url`)
  return no weights, as the harness's torchvision weights do (recorded in the report's `weights`).
- Missing data: a `Dataset` subclass of the project whose `__init__` or `__getitem__` raises
  FileNotFoundError, or a `cv2.imread` of a file that does not exist, is noted (the file, the
  class) in the report and in `missing-files.txt` of the notes folder (DataLoader workers write
  there too); the error itself goes on as it would. So is a project `Dataset` whose `__init__`
  globbed (`glob.glob`, `glob.iglob`, `Path.glob`, `Path.rglob`) in a folder that does not exist
  and came out empty (`len` 0): the folder, marked `"folder": true`.
- `gloo` (a distributed run without CUDA): NCCL asked for becomes gloo, and
  DistributedDataParallel leaves out `device_ids` for a module on the CPU (with pretend-CUDA, a
  script written for GPUs runs on CPU processes).
- `data_stub`: a Python file run (as `runpy.run_path`) before the script.
- `watch`: the fixed files' lines and functions whose running is recorded (in `lines-ran.txt` of
  the notes folder, see tipcheck.verify.tracer).

The report's `verify` entry: `batches`, `epochs`, `seed`, `stopped` (None, or `reason` "epochs" /
"steps", `steps` done by then), `standins` (the torchvision dataset classes stood in for, with
their split and length), `missing_files` ([{"file", "where"}]), `hub_weights` (URLs asked for),
`modules` (files of the project the process imported, `project` being the folder given).

Runs in the instrumented process only: torch is imported by `install`, never at import time.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import random
import runpy
import sys
import weakref
from typing import Any, Dict, List, Optional

ENV_VAR = "TIPCHECK_VERIFY"
MISSING_FILES = "missing-files.txt"


class ShortRunComplete(SystemExit):
    """Raised where the short run ends: a clean exit (code 0) for the instrumentation."""

    def __init__(self) -> None:
        super().__init__(0)


def settings(environ=os.environ) -> Dict[str, Any]:
    return json.loads(environ.get(ENV_VAR) or "{}")


def _seed(seed: int) -> None:
    import torch

    random.seed(seed)
    torch.manual_seed(seed)
    try:
        import numpy

        numpy.random.seed(seed)
    except Exception:
        pass


def _endless(loader) -> bool:
    """A loader over a map-style dataset whose sampler has no length (`_InfiniteSampler`, detectron2's
    `TrainingSampler`): scripts take its batches with `next()` for as long as they train, and would
    take the StopIteration that ends a short pass for an error (`generator raised StopIteration`)."""
    from torch.utils.data import IterableDataset

    if isinstance(loader.dataset, IterableDataset):
        return False
    sampler = loader.batch_sampler if loader.batch_sampler is not None else loader.sampler
    try:
        len(sampler)
    except TypeError:
        return True
    return False


class ShortRun:
    """The limits: batches per pass, passes of the loaders that feed the optimizer, and steps."""

    def __init__(self, recorder, state: Dict[str, Any], batches: int, epochs: int) -> None:
        self.recorder = recorder
        self.state = state
        self.batches = batches
        self.epochs = epochs
        self.loader_ids: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()
        self.passes: List[int] = []  # per loader: passes started
        self.loader_steps: List[int] = []  # per loader: optimizer steps after one of its batches
        self.last_loader: Optional[int] = None
        self.free_steps = 0  # steps after no batch of any loader

    def stop(self, reason: str) -> None:
        if self.state["stopped"] is None:
            self.state["stopped"] = {"reason": reason, "steps": len(self.recorder.lr)}
        raise ShortRunComplete()

    def _loader(self, loader) -> int:
        if loader not in self.loader_ids:
            self.loader_ids[loader] = len(self.passes)
            self.passes.append(0)
            self.loader_steps.append(0)
        return self.loader_ids[loader]

    def install(self, torch) -> None:
        from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook
        from torch.utils.data import DataLoader
        from torch.utils.data.dataloader import _BaseDataLoaderIter

        original_iter = DataLoader.__iter__
        original_len = DataLoader.__len__
        original_next = _BaseDataLoaderIter.__next__
        run = self
        pretend = bool(os.environ.get("TIPCHECK_PRETEND_CUDA", "") not in ("", "0"))

        def __iter__(loader):
            if pretend and getattr(loader, "pin_memory", False):
                loader.pin_memory = False  # pretend-CUDA has no GPU to pin for (a pinning thread would fail)
            index = run._loader(loader)
            if run.loader_steps[index] and run.passes[index] >= run.epochs:
                run.stop("epochs")
            run.passes[index] += 1
            iterator = original_iter(loader)
            iterator.__dict__["_tipcheck_verify"] = [index, 0, _endless(loader)]
            return iterator

        def __next__(iterator):
            mark = iterator.__dict__.get("_tipcheck_verify")
            if mark is not None:
                if mark[1] >= run.batches:
                    if not mark[2]:
                        raise StopIteration
                    # An endless loader: its batches end where its pass would, and the next pass begins.
                    if run.loader_steps[mark[0]] and run.passes[mark[0]] >= run.epochs:
                        run.stop("epochs")
                    run.passes[mark[0]] += 1
                    mark[1] = 0
                    run.recorder.next_pass(iterator)
                data = original_next(iterator)
                mark[1] += 1
                run.last_loader = mark[0]
                return data
            return original_next(iterator)

        def __len__(loader):
            return min(original_len(loader), run.batches)

        def before_step(optimizer, args, kwargs):
            if run.last_loader is None and not any(run.loader_steps) and run.free_steps >= run.epochs * run.batches:
                run.stop("steps")

        def after_step(optimizer, args, kwargs):
            if run.last_loader is None:
                run.free_steps += 1
            else:
                run.loader_steps[run.last_loader] += 1

        DataLoader.__iter__ = __iter__
        DataLoader.__len__ = __len__
        _BaseDataLoaderIter.__next__ = __next__
        register_optimizer_step_pre_hook(before_step)
        register_optimizer_step_post_hook(after_step)


class MissingFiles:
    """Notes the data files the project's datasets could not find."""

    def __init__(self, state: Dict[str, Any], notes: Optional[str], project: Optional[str]) -> None:
        self.state = state
        self.notes = notes
        self.project = os.path.realpath(project) if project else None
        self.initialising = 0  # project Dataset __init__ calls under way
        self.globbed: List[str] = []  # the folders they globbed in, in order

    def note(self, path: Any, where: str, folder: bool = False) -> None:
        entry = {"file": str(path), "where": where}
        if folder:
            entry["folder"] = True
        if entry in self.state["missing_files"]:
            return
        self.state["missing_files"].append(entry)
        if self.notes:
            try:
                with open(os.path.join(self.notes, MISSING_FILES), "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(entry) + "\n")
            except OSError:
                pass

    def _is_project(self, cls) -> bool:
        module = sys.modules.get(cls.__module__)
        path = getattr(module, "__file__", None) if module is not None else None
        if cls.__module__ == "__main__" or path is None:
            return True
        path = os.path.realpath(path)
        return self.project is not None and path.startswith(self.project + os.sep)

    def wrap(self, cls) -> None:
        if not self._is_project(cls):
            return
        for name in ("__init__", "__getitem__"):
            func = cls.__dict__.get(name)
            if func is None or not callable(func) or getattr(func, "_tipcheck_verify", False):
                continue
            setattr(cls, name, self._wrapped(func, f"{cls.__qualname__}.{name}"))

    def _wrapped(self, func, where: str):
        initialiser = where.endswith(".__init__")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            start = len(self.globbed)
            self.initialising += initialiser
            try:
                result = func(*args, **kwargs)
            except OSError as exc:
                if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOENT:
                    self.note(exc.filename if exc.filename is not None else exc, where)
                raise
            finally:
                self.initialising -= initialiser
            if initialiser and args and not self.initialising:  # the outermost __init__ is done
                self._empty_after_glob(args[0], self.globbed[start:], where)
            if not self.initialising:
                del self.globbed[:]
            return result

        wrapper._tipcheck_verify = True
        return wrapper

    def _empty_after_glob(self, dataset, folders: List[str], where: str) -> None:
        """A dataset that came out empty from globbing in folders that do not exist: note them."""
        missing = [f for f in dict.fromkeys(folders) if not os.path.isdir(f)]
        if not missing:
            return
        try:
            empty = len(dataset) == 0
        except Exception:
            return
        if empty:
            for folder in missing[:3]:
                self.note(folder, where, folder=True)

    def _record(self, folder: str) -> None:
        if self.initialising:
            self.globbed.append(folder)

    def _patch_glob(self) -> None:
        import glob
        import pathlib

        def base(pattern: str) -> str:
            parts = pattern.split(os.sep)
            kept = []
            for part in parts:
                if glob.has_magic(part):
                    break
                kept.append(part)
            if len(kept) == len(parts):  # no wildcard: the file itself
                kept = kept[:-1]
            return os.sep.join(kept) or (os.sep if pattern.startswith(os.sep) else ".")

        def module_level(original):
            @functools.wraps(original)
            def patched(pathname, *args, **kwargs):
                try:
                    text = os.fspath(pathname)
                    if isinstance(text, str):
                        root = kwargs.get("root_dir")
                        self._record(base(os.path.join(os.fspath(root), text) if root is not None else text))
                except Exception:
                    pass
                return original(pathname, *args, **kwargs)

            patched._tipcheck_verify = True
            return patched

        def method(original):
            @functools.wraps(original)
            def patched(path, pattern, *args, **kwargs):
                try:
                    self._record(base(os.path.join(str(path), str(pattern))))
                except Exception:
                    pass
                return original(path, pattern, *args, **kwargs)

            patched._tipcheck_verify = True
            return patched

        for name in ("glob", "iglob"):
            original = getattr(glob, name, None)
            if original is not None and not getattr(original, "_tipcheck_verify", False):
                setattr(glob, name, module_level(original))
        for name in ("glob", "rglob"):
            original = getattr(pathlib.Path, name, None)
            if original is not None and not getattr(original, "_tipcheck_verify", False):
                setattr(pathlib.Path, name, method(original))

    def install(self, torch) -> None:
        from torch.utils.data import Dataset

        missing = self
        parent = Dataset.__dict__.get("__init_subclass__")

        def __init_subclass__(cls, **kwargs):
            if parent is not None:
                parent.__func__(cls, **kwargs)
            else:
                super(Dataset, cls).__init_subclass__(**kwargs)
            try:
                missing.wrap(cls)
            except Exception:  # the check never stops the script
                pass

        Dataset.__init_subclass__ = classmethod(__init_subclass__)
        try:
            self._patch_glob()
        except Exception:  # the check never stops the script
            pass
        if "cv2" in sys.modules:
            self._patch_cv2(sys.modules["cv2"])
        else:
            from tipcheck.harness.record_weights import _AfterImport

            sys.meta_path.insert(0, _AfterImport("cv2", self._patch_cv2))

    def _patch_cv2(self, cv2) -> None:
        original = getattr(cv2, "imread", None)
        if original is None or getattr(original, "_tipcheck_verify", False):
            return

        def imread(path, *args, **kwargs):
            image = original(path, *args, **kwargs)
            if image is None and isinstance(path, (str, os.PathLike)) and not os.path.exists(path):
                self.note(os.fspath(path), "cv2.imread")
            return image

        imread._tipcheck_verify = True
        try:
            cv2.imread = imread
        except Exception:
            pass


def _install_hub(torch, recorder, state: Dict[str, Any]) -> None:
    """No download: `load_state_dict_from_url` gives the harness's empty weights (a no-op to
    `load_state_dict`)."""
    import torch.hub
    import torch.utils.model_zoo

    from tipcheck.harness.record_weights import SkippedWeights

    def load_state_dict_from_url(url, *args, **kwargs):
        name = os.path.basename(str(url).split("?")[0])
        state["hub_weights"].append(str(url))
        recorder.weights.append({"member": f"url:{name}", "builder": "load_state_dict_from_url", "rank": recorder.rank})
        return SkippedWeights(f"url:{name}")

    torch.hub.load_state_dict_from_url = load_state_dict_from_url
    torch.utils.model_zoo.load_url = load_state_dict_from_url


def _install_gloo(torch, state: Dict[str, Any]) -> None:
    """A distributed run on CPUs (`--nproc N` without `--device cuda`): a script that asks for
    NCCL gets gloo, and DistributedDataParallel drops `device_ids`/`output_device` for a module
    whose parameters are on the CPU (under pretend-CUDA they are, whatever it asked for)."""
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    original_init = dist.init_process_group

    def init_process_group(*args, **kwargs):
        backend = kwargs.get("backend", args[0] if args else None)
        if isinstance(backend, str) and "nccl" in backend.lower():
            state["backend_replaced"] = f"{backend} -> gloo"
            if args:
                args = ("gloo", *args[1:])
            else:
                kwargs["backend"] = "gloo"
        return original_init(*args, **kwargs)

    dist.init_process_group = init_process_group
    original_ddp = DistributedDataParallel.__init__

    def __init__(ddp, module, *args, **kwargs):
        try:
            on_cpu = all(p.device.type == "cpu" for p in module.parameters())
        except Exception:
            on_cpu = False
        if on_cpu:
            if args:  # device_ids, output_device are the first positional ones
                args = args[2:]
            kwargs.pop("device_ids", None)
            kwargs.pop("output_device", None)
        original_ddp(ddp, module, *args, **kwargs)

    DistributedDataParallel.__init__ = __init__


def _install_pretend_load(torch) -> None:
    """Under pretend-CUDA: `torch.load(..., map_location="cuda:N")` loads onto the CPU (there is
    no GPU to map to; the tensors' other moves are pretend-CUDA's), and `nn.DataParallel` keeps no
    replicas."""
    original = torch.load

    def cuda(location) -> bool:
        return isinstance(location, int) or (
            isinstance(location, (str, torch.device)) and str(location).startswith("cuda")
        )

    def load(f, *args, **kwargs):
        if args and cuda(args[0]):
            args = ("cpu", *args[1:])
        if cuda(kwargs.get("map_location")):
            kwargs["map_location"] = "cpu"
        return original(f, *args, **kwargs)

    load.__doc__ = original.__doc__
    torch.load = load
    # nn.DataParallel asks the driver about its devices: under pretend-CUDA it wraps the module as
    # it does on a machine without GPUs (no replicas; the module is called as it is).
    from torch.nn.parallel import DataParallel

    def __init__(parallel, module, device_ids=None, output_device=None, dim=0):
        torch.nn.Module.__init__(parallel)
        parallel.module = module
        parallel.device_ids = []
        parallel.dim = dim
        parallel.output_device = None

    DataParallel.__init__ = __init__


def _project_modules(project: Optional[str]) -> List[str]:
    if not project:
        return []
    root = os.path.realpath(project)
    found = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and os.path.isabs(path):
            real = os.path.realpath(path)
            if real.startswith(root + os.sep):
                found.add(os.path.relpath(real, root))
    return sorted(found)


def install(recorder) -> None:
    """Apply the settings of `TIPCHECK_VERIFY` to this process (see the module's doc)."""
    import torch

    options = settings()
    batches = int(options.get("batches", 3))
    epochs = int(options.get("epochs", 3))
    project = options.get("project")
    state: Dict[str, Any] = {
        "batches": batches,
        "epochs": epochs,
        "seed": options.get("seed", 0),
        "stopped": None,
        "standins": [],
        "missing_files": [],
        "hub_weights": [],
        "modules": [],
    }

    def report() -> Dict[str, Any]:
        state["modules"] = _project_modules(project)
        return state

    recorder.verify_report = report
    _seed(int(options.get("seed", 0)))
    ShortRun(recorder, state, batches, epochs).install(torch)
    MissingFiles(state, options.get("notes"), project).install(torch)
    _install_hub(torch, recorder, state)
    if options.get("gloo"):
        _install_gloo(torch, state)
    if os.environ.get("TIPCHECK_PRETEND_CUDA", "") not in ("", "0"):
        _install_pretend_load(torch)
    if options.get("standins", True):
        from tipcheck.verify.standins import install as install_standins

        install_standins(state, limit=int(options.get("standin_size", 1024)))
    watch = options.get("watch")
    if watch:  # which fixed lines run (tipcheck.verify.tracer)
        from tipcheck.verify.tracer import install as watch_lines
        from tipcheck.verify.tracer import wrap_worker_init

        wrap_worker_init(torch, watch, options.get("notes"))
        watch_lines(watch, options.get("notes"))
    stub = options.get("data_stub")
    if stub:
        runpy.run_path(stub, run_name="tipcheck_data_stub")

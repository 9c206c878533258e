"""Pretend-CUDA: let a script on a CPU-only machine believe it has one GPU, and record where it
asked its tensors and modules to go.

On a machine without CUDA, a script that follows the device idiom picks the CPU, and "moved to the
chosen device" looks the same as "never moved". Under this mode (`TIPCHECK_PRETEND_CUDA=1` in the
environment of `tipcheck.harness.instrument`, the harness's `pretend-cuda` environment):

- `torch.cuda.is_available()` answers True, `device_count()` 1 (LOCAL_WORLD_SIZE under a
  distributed launch: one GPU per local rank), `current_device()` the last index given to
  `set_device` (0 before), which is where a bare `cuda` goes, as on a GPU; `synchronize` and
  `empty_cache` do nothing; `torch.accelerator` answers alike (`current_accelerator()` is `cuda`).
  What scripts ask of the GPU to log it gets a made-up device's answer: `get_device_name`,
  `get_device_capability` (8, 0), `get_device_properties` (PROPERTIES), the memory counters
  (`memory_allocated`, ...: 0), and `torch.backends.cudnn.version()` None (no cuDNN);
  A `set_device` the recorder wraps (tipcheck.harness.record_devices) is still called, so the
  index is recorded;
- `Tensor.to(...)`, `.cuda()`, `.cpu()`, `Module.to(...)`, `.cuda()`, `.cpu()` and factories given
  `device=` (`torch.zeros(3, device=device)`) keep the data on the CPU, so that the script runs,
  and give each tensor (each parameter and buffer of a module) the device asked for: its
  *requested device* (`requested_device(t)`: `cuda:0`, `cpu`; a tensor never placed: its own
  device). A move to another device returns a copy, as a real move does; other operations pass
  the requested device of their tensor arguments on to their results;
- a module called with parameters (or placed buffers) and tensor arguments on different requested
  devices, and a `torch.nn.functional` call on tensors of different requested devices (0-d tensors
  aside), raise the RuntimeError a GPU run raises ("Expected all tensors to be on the same
  device, ...").

What it does not model: `Tensor.device` still says `cpu`, `pin_memory` has no GPU to pin for, and
the distributed backends see CPU tensors (several processes play it over gloo, `pretend-cuda×N`).
Nothing here imports torch at import time; `install()` does.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Optional

ENV_VAR = "TIPCHECK_PRETEND_CUDA"
ATTRIBUTE = "_tipcheck_requested_device"
DEVICE_NAME = "pretend CUDA device (tipcheck harness)"
#: What `torch.cuda.get_device_properties` answers: a made-up device of 16 GiB, capability 8.0.
PROPERTIES = {"name": DEVICE_NAME, "major": 8, "minor": 0, "total_memory": 16 * 2**30, "multi_processor_count": 1}
MEMORY_COUNTERS = ("memory_allocated", "max_memory_allocated", "memory_reserved", "max_memory_reserved")


def enabled(environ) -> bool:
    return environ.get(ENV_VAR, "") not in ("", "0")


def requested_device(value: Any) -> str:
    """The device `value` (a tensor) was asked to be on; without a request, where it is."""
    requested = getattr(value, ATTRIBUTE, None)
    return requested if requested is not None else str(value.device)


def _mark(value: Any, device: str) -> None:
    try:
        setattr(value, ATTRIBUTE, device)
    except Exception:  # a tensor subclass without a __dict__: it keeps its own device
        pass


_CURRENT = [0]  # the index `torch.cuda.set_device` last made current


def _index(device: Any) -> int:
    """The CUDA index of a `set_device` argument (an int, `"cuda:1"`, `torch.device`); a bare
    `cuda` is the current device."""
    if isinstance(device, int):
        return device
    index = None if isinstance(device, str) else getattr(device, "index", None)
    if isinstance(device, str) and ":" in device:
        index = int(device.rsplit(":", 1)[1])
    return _CURRENT[0] if index is None else index


def _normalise(device: Any) -> Optional[str]:
    """`cuda:N` or `cpu` for a device argument (None: no device given; other kinds pass through)."""
    if device is None:
        return None
    import torch

    if isinstance(device, int):
        return f"cuda:{device}"
    device = torch.device(device)
    if device.type == "cuda":
        return f"cuda:{_CURRENT[0] if device.index is None else device.index}"
    return str(device)


def _tensors(value: Any, depth: int = 0):
    import torch

    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, (list, tuple)) and depth < 2:
        for item in value:
            yield from _tensors(item, depth + 1)
    elif isinstance(value, dict) and depth < 2:
        for item in value.values():
            yield from _tensors(item, depth + 1)


def _requested_of(args, kwargs) -> Optional[str]:
    """The requested device the arguments carry (a non-CPU one first), None when none has one."""
    found = None
    for tensor in _tensors((args, kwargs)):
        device = getattr(tensor, ATTRIBUTE, None)
        if device is not None and device != "cpu":
            return device
        found = found or device
    return found


def _mismatch(where: str, devices) -> RuntimeError:
    first, second = sorted(devices, reverse=True)[:2]
    return RuntimeError(
        f"Expected all tensors to be on the same device, but found at least two devices, {first} and {second}! "
        f"({where}; tipcheck's pretend-CUDA mode)"
    )


def _check_same_device(where: str, tensors) -> None:
    devices = {requested_device(t) for t in tensors if t.dim() > 0}
    if len(devices) > 1:
        raise _mismatch(where, devices)


def _moved(tensor, device: str):
    """`tensor` as a move to `device` gives it: itself when it is there already, else a copy."""
    if requested_device(tensor) == device:
        return tensor
    out = tensor.clone()
    _mark(out, device)
    return out


class _NoStream:
    """The stream `torch.accelerator.current_stream()` gives under pretend-CUDA: never capturing."""

    def is_capturing(self) -> bool:
        return False

    def synchronize(self) -> None:
        return None


def install() -> None:
    """Patch torch as the module's doc says (for the rest of the process)."""
    import os

    import torch
    import torch.nn.functional as F
    from torch.nn.modules import module as module_api
    from torch.overrides import TorchFunctionMode

    cuda = torch.cuda
    count = int(os.environ.get("LOCAL_WORLD_SIZE", "1") or 1)
    cuda.is_available = lambda: True
    cuda.device_count = lambda: count
    cuda.current_device = lambda: _CURRENT[0]
    cuda.get_device_name = lambda device=None: DEVICE_NAME
    cuda.get_device_capability = lambda device=None: (PROPERTIES["major"], PROPERTIES["minor"])
    cuda.get_device_properties = lambda device=None: SimpleNamespace(**PROPERTIES)
    for name in ("synchronize", "empty_cache", "reset_peak_memory_stats"):
        setattr(cuda, name, lambda *args, **kwargs: None)
    for name in MEMORY_COUNTERS:
        setattr(cuda, name, lambda device=None: 0)
    torch.backends.cudnn.version = lambda: None
    recorded = cuda.set_device if getattr(cuda.set_device, "_tipcheck_recording", False) else None

    def set_device(device):
        _CURRENT[0] = _index(device)
        if recorded is not None:
            recorded(device)

    cuda.set_device = set_device
    cuda.is_current_stream_capturing = lambda: False
    accelerator = getattr(torch, "accelerator", None)
    if accelerator is not None:  # torch >= 2.6: what optimizers and newer device idioms ask
        accelerator.is_available = lambda: True
        accelerator.device_count = lambda: 1
        accelerator.current_accelerator = lambda check_available=False: torch.device("cuda")
        accelerator.current_device_index = lambda: _CURRENT[0]

        def set_device_index(device):  # DataLoader's pin-memory thread calls it (torch >= 2.8)
            _CURRENT[0] = _index(device)

        accelerator.set_device_index = set_device_index
        accelerator.set_device_idx = set_device_index
        accelerator.current_stream = lambda device=None: _NoStream()
        accelerator.synchronize = lambda device=None: None

    tensor_to, tensor_cuda, tensor_cpu = torch.Tensor.to, torch.Tensor.cuda, torch.Tensor.cpu
    # No GPU to pin for: the batch stays as it is (the DataLoader's pin-memory thread runs outside
    # the torch function mode below, which is per thread).
    torch.Tensor.pin_memory = lambda tensor, device=None: tensor
    parse_to = torch._C._nn._parse_to

    def move_tensor(func, tensor, args, kwargs):
        if func is tensor_cuda or func is torch.Tensor.cuda:
            device = args[0] if args else kwargs.get("device")
            return _moved(tensor, _normalise(_CURRENT[0] if device is None else device))
        if func is tensor_cpu or func is torch.Tensor.cpu:
            return _moved(tensor, "cpu")
        if args and isinstance(args[0], torch.Tensor):  # `x.to(other)`: other's device and dtype
            other = args[0]
            return _moved(tensor_to(tensor, dtype=other.dtype), requested_device(other))
        device, dtype, non_blocking, memory_format = parse_to(*args, **kwargs)
        options = {"non_blocking": non_blocking, "copy": bool(kwargs.get("copy", False))}
        if memory_format is not None:
            options["memory_format"] = memory_format
        out = tensor_to(tensor, "cpu", dtype, **options)
        wanted = _normalise(device) if device is not None else getattr(tensor, ATTRIBUTE, None)
        if wanted is None:
            return out
        if out is tensor:
            return _moved(tensor, wanted)
        _mark(out, wanted)
        return out

    class PretendCuda(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            if func in (tensor_to, tensor_cuda, tensor_cpu) and args and isinstance(args[0], torch.Tensor):
                return move_tensor(func, args[0], args[1:], kwargs)
            wanted = None
            if kwargs.get("device") is not None:  # a factory: torch.zeros(3, device=device)
                wanted = _normalise(kwargs["device"])
                kwargs = dict(kwargs, device="cpu")
            elif getattr(func, "__module__", None) == F.__name__:
                _check_same_device(f"torch.nn.functional.{func.__name__}", _tensors((args, kwargs)))
            out = func(*args, **kwargs)
            if wanted is None:
                wanted = _requested_of(args, kwargs)
            if wanted is not None:
                given = {id(t) for t in _tensors((args, kwargs))}  # an in-place result keeps its device
                for tensor in _tensors(out):
                    if id(tensor) not in given and getattr(tensor, ATTRIBUTE, None) is None:
                        _mark(tensor, wanted)
            return out

    def place_module(module, device: str):
        for tensor in (*module.parameters(), *module.buffers()):
            _mark(tensor, device)
        return module

    module_to = torch.nn.Module.to

    def to(module, *args, **kwargs):
        if args and isinstance(args[0], torch.Tensor):
            return place_module(module_to(module, dtype=args[0].dtype), requested_device(args[0]))
        device, dtype, non_blocking, memory_format = parse_to(*args, **kwargs)
        if dtype is not None or memory_format is not None:
            options = {"non_blocking": non_blocking}
            if dtype is not None:
                options["dtype"] = dtype
            if memory_format is not None:
                options["memory_format"] = memory_format
            module_to(module, **options)
        return module if device is None else place_module(module, _normalise(device))

    to.__wrapped__ = module_to
    to.__doc__ = module_to.__doc__
    torch.nn.Module.to = to
    torch.nn.Module.cuda = lambda module, device=None: place_module(
        module, _normalise(_CURRENT[0] if device is None else device)
    )
    torch.nn.Module.cpu = lambda module: place_module(module, "cpu")

    def pre_hook(module, args):
        # Buffers count once placed: one registered after the module's move (a profiler's counters)
        # may never meet the input, and one the forward does use meets it in a checked call.
        placed = [b for b in module.buffers(recurse=False) if getattr(b, ATTRIBUTE, None) is not None]
        tensors = [*module.parameters(recurse=False), *placed, *_tensors(args)]
        _check_same_device(type(module).__name__, tensors)

    module_api.register_module_forward_pre_hook(pre_hook)
    PretendCuda().__enter__()  # for the rest of the process: the script runs inside it

"""Recording the CUDA device each process asks for with `torch.cuda.set_device` (TIP502).

`DeviceRecording`, a mixin of `tipcheck.harness.instrument.Recorder`, wraps
`torch.cuda.set_device` to record the index it was given (an int, `"cuda:1"`, a `torch.device`);
the real call is made only where CUDA was available when the run started, so on a CPU-only machine
the script's `set_device(local_rank)` is recorded and does nothing (the 1-GPU stand-in: what
index each rank asked for). Under pretend-CUDA (tipcheck.harness.pretend_cuda) the wrapper stays
under pretend-CUDA's own `set_device`, which makes the index the current device.

The report gets `cuda_set_device` (the indices, in order) and `cuda_device`: the device a bare
`cuda` means in this process when the script ended (the last index given, 0 if none: a new
process's current device). Nothing here imports torch at import time.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional


def device_index(device: Any) -> Optional[int]:
    """The CUDA index of a `set_device` argument; None for one without an index (a bare `cuda`)."""
    if isinstance(device, bool):
        return None
    if isinstance(device, int):
        return device
    index = None if isinstance(device, str) else getattr(device, "index", None)
    if isinstance(device, str) and ":" in device:
        try:
            index = int(device.rsplit(":", 1)[1])
        except ValueError:
            return None
    return index if isinstance(index, int) else None


class DeviceRecording:
    """Records `torch.cuda.set_device` calls (a mixin of the Recorder)."""

    def _install_devices(self, torch) -> None:
        self.cuda_set_device: List[Optional[int]] = []
        cuda = torch.cuda
        original = cuda.set_device
        try:
            real = bool(cuda.is_available())  # before pretend-CUDA answers True
        except Exception:
            real = False

        def set_device(device):
            if not getattr(self, "_paused", False):
                self.cuda_set_device.append(device_index(device))
            if real:
                return original(device)
            return None

        set_device.__doc__ = original.__doc__
        set_device.__wrapped__ = original
        set_device._tipcheck_recording = True
        cuda.set_device = set_device

    def _devices_report(self) -> Dict[str, Any]:
        calls = list(getattr(self, "cuda_set_device", []))
        known = [index for index in calls if index is not None]
        return {"cuda_set_device": calls, "cuda_device": known[-1] if known else 0}

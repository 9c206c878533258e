"""What the machine a harness run happens on offers (torch, CUDA, GPUs), for the report and to skip
the environments it cannot run. torch is imported only here, and only when asked."""

from __future__ import annotations

import os
import platform
import threading
from typing import Any, Dict, Optional

from tipcheck.harness.expectations import Environment


class Machine:
    """What this machine offers (torch, CUDA, GPUs), found once, lazily (it imports torch)."""

    def __init__(self) -> None:
        self._info: Optional[Dict[str, Any]] = None
        self._lock = threading.Lock()

    def info(self) -> Dict[str, Any]:
        with self._lock:
            if self._info is None:
                self._info = describe_machine()
            return self._info

    def unavailable(self, env: Environment) -> Optional[str]:
        """Why `env` cannot run here, or None."""
        if env.device != "cuda" or env.pretend:
            return None
        info = self.info()
        if not info.get("cuda_available"):
            return "no CUDA device"
        needed = env.nproc if env.distributed else 1
        if info.get("gpu_count", 0) < needed:
            return f"{env.name} needs {needed} GPUs, {info.get('gpu_count', 0)} visible"
        return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe_machine() -> Dict[str, Any]:
    info: Dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
    }
    try:
        from tipcheck import __version__

        info["tipcheck"] = __version__
    except Exception:  # pragma: no cover
        info["tipcheck"] = None
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_cuda"] = torch.version.cuda
        info["cuda_available"] = bool(torch.cuda.is_available())
        info["gpu_count"] = torch.cuda.device_count() if info["cuda_available"] else 0
        info["gpus"] = [torch.cuda.get_device_name(i) for i in range(info["gpu_count"])]
    except Exception as exc:
        info.setdefault("torch", None)
        info["torch_error"] = f"{type(exc).__name__}: {exc}"
        info.setdefault("cuda_available", False)
        info.setdefault("gpu_count", 0)
    try:
        import torchvision

        info["torchvision"] = torchvision.__version__
    except Exception:
        info["torchvision"] = None
    return info

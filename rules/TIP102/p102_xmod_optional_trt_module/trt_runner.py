# expect: none
"""[TIP102] trt_runner.py: the same runner, but its `tensorrt` import is optional (`except ImportError` carries on with a placeholder): importing it needs no CUDA."""
import torch

try:
    import tensorrt as trt
except ImportError:
    trt = None


class EngineRunner:
    def __init__(self, path):
        self.path = path if trt is not None else None

    def __call__(self, images):
        return torch.as_tensor(images)

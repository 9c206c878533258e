# expect: none
"""[TIP102] trt_runner.py: runs a serialized TensorRT engine; it imports `tensorrt` at the top of the module, so it cannot even be imported on a machine without CUDA."""
import tensorrt as trt
import torch


class EngineRunner:
    def __init__(self, path):
        with open(path, "rb") as handle:
            self.engine = trt.Runtime(trt.Logger(trt.Logger.WARNING)).deserialize_cuda_engine(handle.read())

    def __call__(self, images):
        return torch.as_tensor(images)

# expect: none
"""[TIP102] A quantization script that cannot run without PPQ (its `except ImportError` raises), a library that needs a CUDA device to run at all: its placements are GPU-only by design (look-alike of a script whose quantization library is optional)."""
import torch

try:
    from ppq import TorchExecutor
    from ppq.api import load_onnx_graph
except ImportError:
    raise SystemExit("this script needs the PPQ quantization library")

graph = load_onnx_graph(onnx_import_file="model.onnx")
samples = [torch.rand(1, 3, 64, 64) for _ in range(4)]
executor = TorchExecutor(graph=graph, device="cuda")
for sample in samples:
    print(executor.forward(inputs=sample.cuda()))

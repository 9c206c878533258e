# expect: none
"""[TIP102] worker.py: `run()` moves its inputs with `.cuda()`; its only caller is launch.py's main(), which pins a GPU with `torch.cuda.set_device` first, so it only runs on GPUs (real-world pattern: launcher plus worker module)."""
import torch


def run(model, steps):
    for _ in range(steps):
        inputs = torch.randn(8, 4).cuda(non_blocking=True)
        print(model(inputs).sum().item())

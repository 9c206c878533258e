# expect: none
"""[TIP102] abn/wrappers.py: a wrapper that moves its input to the GPU. The module itself imports
only torch, but it is imported as part of the package, whose __init__ needs the CUDA op compiled:
nothing here runs without CUDA (real-world pattern: the in-place ABN package's helpers)."""
import torch


class OnOneGPU(torch.nn.Module):
    def __init__(self, module: torch.nn.Module):
        super().__init__()
        self.module = module

    def forward(self, x):
        return self.module(x.cuda(non_blocking=True))

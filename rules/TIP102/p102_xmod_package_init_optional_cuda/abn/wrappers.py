"""[TIP102] abn/wrappers.py: the same wrapper in a package whose compiled op is optional: the
package imports on a machine without CUDA, and the move to the GPU crashes there (the look-alike
of a helper in a package that needs CUDA to import)."""
import torch


class OnOneGPU(torch.nn.Module):
    def __init__(self, module: torch.nn.Module):
        super().__init__()
        self.module = module

    def forward(self, x):
        return self.module(x.cuda(non_blocking=True))  # expect: TIP102[unsafe-fix]

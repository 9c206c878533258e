"""[TIP102] augment/blend.py: the same blender, re-exported by a star import, but quick_check.py
builds it too, on the CPU, with no CUDA check: there its `.cuda()` calls crash without CUDA."""
import torch


class BatchBlender:
    def __init__(self, loader, gpu, weight=0.3):
        self.loader = loader
        self.gpu = gpu
        self.weight = weight

    def __iter__(self):
        for x, y in self.loader:
            x, y = x.cuda(self.gpu), y.cuda(self.gpu)  # expect: TIP102[no-fix], TIP102[no-fix]
            order = torch.randperm(x.size(0)).cuda(self.gpu)  # expect: TIP102[no-fix]
            yield (1 - self.weight) * x + self.weight * x[order], y

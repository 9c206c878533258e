# expect: none
"""[TIP102] augment/blend.py: a loader wrapper that blends pairs of samples on the GPU given to it.
Its methods run through the object (`for x, y in BatchBlender(...)`); the one place that builds it is
train_ddp.py's per-GPU worker, reached through `from augment import *`'s re-export, so it only ever
runs where a GPU was pinned."""
import torch


class BatchBlender:
    def __init__(self, loader, gpu, weight=0.3):
        self.loader = loader
        self.gpu = gpu
        self.weight = weight

    def __iter__(self):
        for x, y in self.loader:
            x, y = x.cuda(self.gpu), y.cuda(self.gpu)
            order = torch.randperm(x.size(0)).cuda(self.gpu)
            yield (1 - self.weight) * x + self.weight * x[order], y

# expect: none
"""[TIP102] wrap.py: a batch wrapper that moves and mixes each batch on the GPU, in a nested helper
and in the loop. Only the factory of loaders.py builds it, and only the GPU-only worker of main.py calls
that: it only runs on GPUs."""
import torch


class Mixing:
    def __init__(self, loader, rank):
        self.loader = loader
        self.rank = rank

    def __iter__(self):
        def shuffle(batch):
            order = torch.randperm(batch.size(0)).cuda()
            return batch[order]

        for batch in self.loader:
            batch = batch.cuda(self.rank)
            yield shuffle(batch)

"""[TIP102] wrap.py: the same wrapper and factory, but preview.py, a script that never checks for
CUDA, calls the factory too: there the wrapper's `.cuda()` crashes on a machine without CUDA."""
import torch


class Mixing:
    def __init__(self, loader, rank):
        self.loader = loader
        self.rank = rank

    def __iter__(self):
        def shuffle(batch):
            order = torch.randperm(batch.size(0)).cuda()  # expect: TIP102[unsafe-fix]
            return batch[order]

        for batch in self.loader:
            batch = batch.cuda(self.rank)  # expect: TIP102[no-fix]
            yield shuffle(batch)

"""[TIP501] A data-bunch class keeps a shuffling DistributedSampler's loader in `self.train_dl`; the learner of another module walks `self.data.train_dl` every epoch with no `set_epoch` (real-world pattern: fastai-style data bunches)."""
import torch.distributed as dist
from torch.utils.data import DataLoader, RandomSampler, SequentialSampler
from torch.utils.data.distributed import DistributedSampler


class TextDataBunch:
    def __init__(self, train_set, val_set, batch_size, distributed=True):
        if distributed:
            if not dist.is_initialized():
                dist.init_process_group("nccl")
            train_sampler = DistributedSampler(train_set)  # expect: TIP501[no-fix]
        else:
            train_sampler = RandomSampler(train_set)
        self.train_dl = DataLoader(train_set, sampler=train_sampler, batch_size=batch_size)
        self.val_dl = DataLoader(val_set, sampler=SequentialSampler(val_set), batch_size=batch_size)

    def save(self, path):
        import pickle

        with open(path, "wb") as f:
            pickle.dump(self, f)

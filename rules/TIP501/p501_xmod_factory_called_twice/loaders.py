# expect: none
"""[TIP501] loaders.py: get_train_loader() builds a loader and its DistributedSampler and returns both; the training script calls it twice, for labelled and unlabelled data (real-world pattern: semi-supervised segmentation repos)."""
import torch
from torch.utils.data import DataLoader


def get_train_loader(dataset, batch_size, distributed):
    sampler = None
    if distributed:
        sampler = torch.utils.data.distributed.DistributedSampler(dataset)
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=sampler is None, sampler=sampler, drop_last=True)
    return loader, sampler

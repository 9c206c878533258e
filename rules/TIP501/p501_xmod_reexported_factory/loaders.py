# expect: none
"""[TIP501] loaders.py: create_dataloader() wraps the train split in a DistributedSampler under torch.distributed, a RandomSampler otherwise, through a BatchSampler (real-world pattern: config-driven classification repos)."""
import torch
import torch.distributed as dist
from torch.utils.data import BatchSampler, DataLoader


def create_dataloader(config, dataset):
    if dist.is_available() and dist.is_initialized():
        sampler = torch.utils.data.distributed.DistributedSampler(dataset)
    else:
        sampler = torch.utils.data.RandomSampler(dataset)
    batches = BatchSampler(sampler, batch_size=config["batch_size"], drop_last=True)
    return DataLoader(dataset, batch_sampler=batches, num_workers=4)

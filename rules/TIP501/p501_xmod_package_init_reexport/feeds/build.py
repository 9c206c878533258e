# expect: none
"""[TIP501] feeds/build.py: the helper shards the data with a DistributedSampler when asked to."""
from torch.utils.data import DataLoader, DistributedSampler


def feed_loader(data, batch, distributed=False):
    chooser = DistributedSampler(data) if distributed else None
    return DataLoader(data, batch_size=batch, shuffle=chooser is None, sampler=chooser)

# expect: none
"""[TIP501] data.py returning (loader, sampler) so the caller can reshuffle (real-world pattern: builder returning the sampler too)."""
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from textdata import TextClassificationSet


def make_train_loader(path, batch_size):
    dataset = TextClassificationSet(path)
    sampler = DistributedSampler(dataset)
    loader = DataLoader(dataset, batch_size=batch_size, sampler=sampler)
    return loader, sampler

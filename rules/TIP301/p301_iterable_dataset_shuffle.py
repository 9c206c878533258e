"""[TIP301] A project IterableDataset streams its own items: the loader cannot shuffle it and raises `ValueError: DataLoader with IterableDataset: expected unspecified shuffle option`."""
import torch
from torch.utils.data import DataLoader, IterableDataset


class Stream(IterableDataset):
    def __init__(self, count):
        self.count = count

    def __iter__(self):
        for index in range(self.count):
            yield torch.full((2,), float(index))


def make_loader(count):
    return DataLoader(Stream(count), batch_size=4, shuffle=True)  # expect: TIP301[safe-fix]

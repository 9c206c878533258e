"""[TIP304] Two loaders in two functions, each with its own lambda `collate_fn`: each fix defines a function of its own (`_collate_fn`, `_collate_fn_2`), so neither replaces the other's."""
import torch
from torch.utils.data import DataLoader, TensorDataset

data = TensorDataset(torch.randn(8, 2))


def sizes():
    return DataLoader(data, batch_size=2, num_workers=2, collate_fn=lambda b: len(b))  # expect: TIP304[safe-fix]


def firsts():
    return DataLoader(data, batch_size=2, num_workers=2, collate_fn=lambda b: b[0])  # expect: TIP304[safe-fix]

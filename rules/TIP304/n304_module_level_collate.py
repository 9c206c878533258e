# expect: none
"""[TIP304] A module-level `def` (and a `functools.partial` of one) as `collate_fn`: pickle finds them by name, so they work under spawn."""
import functools

import torch
from torch.utils.data import DataLoader, TensorDataset


def stack(batch, dim=0):
    return torch.stack([x for (x,) in batch], dim=dim)


data = TensorDataset(torch.randn(16, 2))
first = DataLoader(data, batch_size=4, num_workers=2, collate_fn=stack)
second = DataLoader(data, batch_size=4, num_workers=2, collate_fn=functools.partial(stack, dim=0))

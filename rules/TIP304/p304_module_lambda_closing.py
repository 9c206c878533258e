"""[TIP304] Two shapes the fix leaves alone: a lambda assigned to a module-level name (still named `<lambda>`, so it cannot be pickled) and a lambda that reads `pad`, a local of its function. Both are reported; neither gets a fix (the first would need the name kept, the second closes over a local)."""
import torch
from torch.utils.data import DataLoader, TensorDataset

stack = lambda batch: torch.stack([x for (x,) in batch])  # noqa: E731  # expect: TIP304[no-fix]


def loaders(data, pad):
    first = DataLoader(data, batch_size=4, num_workers=2, collate_fn=stack)
    second = DataLoader(data, batch_size=4, num_workers=2, collate_fn=lambda batch: pad + len(batch))  # expect: TIP304[no-fix]
    return first, second


loaders(TensorDataset(torch.randn(8, 2)), 1)

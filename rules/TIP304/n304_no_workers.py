# expect: none
"""[TIP304] A lambda `collate_fn` on loaders without workers (`num_workers=0`, or left out): nothing is pickled, the main process calls it."""
import torch
from torch.utils.data import DataLoader, TensorDataset

data = TensorDataset(torch.randn(16, 2))
first = DataLoader(data, batch_size=4, collate_fn=lambda batch: len(batch))
second = DataLoader(data, batch_size=4, num_workers=0, collate_fn=lambda batch: len(batch))

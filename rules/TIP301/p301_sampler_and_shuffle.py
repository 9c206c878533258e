"""[TIP301] A random sampler and `shuffle=True` on one loader: torch raises `ValueError: sampler option is mutually exclusive with shuffle` before the first batch."""
import torch
from torch.utils.data import DataLoader, RandomSampler, TensorDataset

dataset = TensorDataset(torch.randn(64, 4), torch.randn(64, 1))
loader = DataLoader(dataset, batch_size=8, sampler=RandomSampler(dataset), shuffle=True)  # expect: TIP301[safe-fix]

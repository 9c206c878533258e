# expect: none
"""[TIP301] A sampler with `shuffle` left out, and one with `shuffle=(sampler is None)`: torch accepts both."""
import torch
from torch.utils.data import DataLoader, RandomSampler, TensorDataset

dataset = TensorDataset(torch.randn(64, 4), torch.randn(64, 1))
loader = DataLoader(dataset, batch_size=8, sampler=RandomSampler(dataset))
sampler = None
other = DataLoader(dataset, batch_size=8, sampler=sampler, shuffle=(sampler is None))

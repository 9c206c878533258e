# expect: none
"""[TIP301] A batch sampler on its own, with `batch_size=1` (the default) and `drop_last=False` written out: nothing conflicts."""
import torch
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, TensorDataset

dataset = TensorDataset(torch.randn(40, 3))
batches = BatchSampler(RandomSampler(dataset), batch_size=10, drop_last=True)
loader = DataLoader(dataset, batch_sampler=batches, batch_size=1, drop_last=False, num_workers=0)
plain = DataLoader(dataset, batch_sampler=batches)

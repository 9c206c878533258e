"""[TIP301] A batch sampler already makes the batches, so `batch_size=` and `drop_last=True` beside it are refused (`ValueError: batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last`)."""
import torch
from torch.utils.data import BatchSampler, DataLoader, SequentialSampler, TensorDataset

dataset = TensorDataset(torch.randn(40, 3))
batches = BatchSampler(SequentialSampler(dataset), batch_size=10, drop_last=False)
loader = DataLoader(
    dataset,
    batch_sampler=batches,
    batch_size=10,  # expect: TIP301[safe-fix]
    drop_last=True,  # expect: TIP301[safe-fix]
    num_workers=0,
)

# expect: none
"""[TIP102] smoke.py: a quick check on the CPU; it mentions no GPU, yet it builds the prefetcher."""
import torch
from torch.utils.data import DataLoader, TensorDataset

from prep import GpuPrefetcher

batches = DataLoader(TensorDataset(torch.randn(8, 6), torch.zeros(8, dtype=torch.long)), batch_size=4)
print(sum(1 for _ in GpuPrefetcher(batches, 0)))

"""[TIP301] `shuffle` passed by position (third) next to a `sampler=`: the conflict is the same; the fix passes `False` in its place."""
import torch
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

dataset = TensorDataset(torch.randn(30, 2), torch.randint(0, 2, (30,)))
weights = torch.ones(30)
loader = DataLoader(dataset, 6, True, sampler=WeightedRandomSampler(weights, 30))  # expect: TIP301[safe-fix]

# expect: none
"""[TIP301] `shuffle=` computed from an option next to a sampler that may be None: it may well be False whenever the sampler is given, so nothing is reported."""
import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

parser = argparse.ArgumentParser()
parser.add_argument("--distributed", action="store_true")
args = parser.parse_args()
dataset = TensorDataset(torch.randn(64, 4))
sampler = DistributedSampler(dataset) if args.distributed else None
loader = DataLoader(dataset, batch_size=8, sampler=sampler, shuffle=not args.distributed)

# expect: none
"""[TIP303] The sampler is a DistributedSampler when the run is distributed and None otherwise, with `shuffle=(sampler is None)`: the loader shards under DDP."""
import argparse

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--distributed", action="store_true")
args = parser.parse_args()
dataset = TensorDataset(torch.randn(64, 4), torch.randn(64, 1))
model = torch.nn.Linear(4, 1)
sampler = None
if args.distributed:
    dist.init_process_group("nccl")
    model = DistributedDataParallel(model)
    sampler = DistributedSampler(dataset)
loader = DataLoader(dataset, batch_size=8, shuffle=(sampler is None), sampler=sampler)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    if sampler is not None:
        sampler.set_epoch(epoch)
    for inputs, targets in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()

"""[TIP303] DDP only when the script runs distributed, and the training loader never gets a DistributedSampler on either branch. Reported; no fix is offered, since a DistributedSampler needs the process group the single-process branch never makes."""
import argparse

import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--distributed", action="store_true")
args = parser.parse_args()
model = torch.nn.Linear(4, 1)
if args.distributed:
    dist.init_process_group("nccl")
    model = torch.nn.parallel.DistributedDataParallel(model)
dataset = TensorDataset(torch.randn(64, 4), torch.randn(64, 1))
loader = DataLoader(dataset, batch_size=8, shuffle=True)  # expect: TIP303[no-fix]
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for inputs, targets in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()

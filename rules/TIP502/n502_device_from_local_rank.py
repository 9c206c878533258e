# expect: none
"""[TIP502] Look-alike of p502_device_object_own_local_rank: the device carries the local rank
(`torch.device("cuda", local_rank)`), so each rank has its own GPU without `set_device`."""
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel


def train(epochs=2):
    local_rank = int(os.environ["LOCAL_RANK"])
    dist.init_process_group(backend="nccl")
    device = torch.device("cuda", local_rank)
    model = DistributedDataParallel(nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2)).to(device))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        inputs = torch.randn(64, 32, device=device)
        labels = torch.randint(0, 2, (64,), device=device)
        loss = nn.functional.cross_entropy(model(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    train()

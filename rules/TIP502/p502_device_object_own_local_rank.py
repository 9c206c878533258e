"""[TIP502] The script reads its local rank into a variable but only uses it for logging; the
device is `torch.device("cuda")` with no index, so every rank trains on GPU 0. The fix uses the
script's own `local_rank`."""
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel


def train(epochs=2):
    local_rank = int(os.environ["LOCAL_RANK"])
    dist.init_process_group(backend="nccl")  # expect: TIP502[unsafe-fix]
    device = torch.device("cuda")
    model = DistributedDataParallel(nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2)).to(device))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        inputs = torch.randn(64, 32, device=device)
        labels = torch.randint(0, 2, (64,), device=device)
        loss = nn.functional.cross_entropy(model(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if local_rank == 0:
            print(f"epoch {epoch}: {loss.item():.4f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    train()

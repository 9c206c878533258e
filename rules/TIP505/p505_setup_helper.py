"""[TIP505] The tutorial shape: a setup(rank, world_size) helper initialises the group, the spawned worker trains and returns its last loss, and no cleanup() exists. The fix goes at the end of the worker, before its return, not into setup()."""
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel as DDP


def setup(rank, world_size):
    os.environ["MASTER_ADDR"] = "localhost"
    os.environ["MASTER_PORT"] = "12355"
    dist.init_process_group("gloo", rank=rank, world_size=world_size)  # expect: TIP505[unsafe-fix]


def demo_basic(rank, world_size):
    setup(rank, world_size)
    model = DDP(torch.nn.Linear(10, 5))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
    for step in range(20):
        optimizer.zero_grad()
        loss = model(torch.randn(20, 10)).sum()
        loss.backward()
        optimizer.step()
    final_loss = loss.item()
    return final_loss


if __name__ == "__main__":
    mp.spawn(demo_basic, args=(2,), nprocs=2, join=True)

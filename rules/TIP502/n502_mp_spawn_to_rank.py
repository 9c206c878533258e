# expect: none
"""[TIP502] Look-alike of p502_mp_spawn_bare_cuda: the worker places everything with `.to(gpu)`,
the index `mp.spawn` gave it, so each worker has its own GPU."""
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn


def worker(gpu, world_size):
    dist.init_process_group("nccl", init_method="tcp://127.0.0.1:23456", rank=gpu, world_size=world_size)
    model = nn.parallel.DistributedDataParallel(nn.Linear(128, 10).to(gpu))
    optimizer = torch.optim.Adam(model.parameters())
    for _ in range(50):
        features = torch.randn(16, 128).to(gpu)
        targets = torch.randint(0, 10, (16,)).to(gpu)
        loss = nn.functional.cross_entropy(model(features), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    n = torch.cuda.device_count()
    mp.spawn(worker, args=(n,), nprocs=n)

"""[TIP502] Ranks started with `mp.spawn`: the worker gets its rank but moves everything with a
bare `.cuda()`, so all workers use GPU 0. LOCAL_RANK is not set by `mp.spawn` and the group is
given `rank=`, so there is no variable the fix could trust: no fix."""
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn


def worker(gpu, world_size):
    dist.init_process_group("nccl", init_method="tcp://127.0.0.1:23456", rank=gpu, world_size=world_size)  # expect: TIP502[no-fix]
    model = nn.parallel.DistributedDataParallel(nn.Linear(128, 10).cuda())
    optimizer = torch.optim.Adam(model.parameters())
    for _ in range(50):
        features = torch.randn(16, 128).cuda()
        targets = torch.randint(0, 10, (16,)).cuda()
        loss = nn.functional.cross_entropy(model(features), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    n = torch.cuda.device_count()
    mp.spawn(worker, args=(n,), nprocs=n)

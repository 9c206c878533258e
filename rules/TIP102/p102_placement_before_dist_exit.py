"""[TIP102] An NCCL-only project, but the placement comes before the early return for a single process: a run with one process on a CPU machine still reaches it and crashes. Only what follows the early return is distributed-only code."""
import os

import torch
import torch.distributed as dist


def start(rank, backend="nccl"):
    dist.init_process_group(backend, init_method="env://", rank=rank)


def reduce_mean(value):
    held = torch.as_tensor(value, dtype=torch.float32).cuda()  # expect: TIP102[unsafe-fix]
    if not dist.is_initialized():
        return held
    dist.all_reduce(held)
    return held / dist.get_world_size()


if "LOCAL_RANK" in os.environ:
    start(int(os.environ["LOCAL_RANK"]))
print(reduce_mean(3.0))

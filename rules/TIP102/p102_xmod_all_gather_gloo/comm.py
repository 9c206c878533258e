"""[TIP102] comm.py: all_gather() returns early with one process, but this project also runs its process group on gloo (CPU): the distributed path is no GPU-only code, and its `.to("cuda")` calls crash there (real-world pattern: the maskrcnn-benchmark comm helpers copied into detection repos)."""
import pickle

import torch
import torch.distributed as dist


def world_size():
    if not dist.is_available() or not dist.is_initialized():
        return 1
    return dist.get_world_size()


def all_gather(data):
    if world_size() == 1:
        return [data]
    payload = torch.ByteTensor(list(pickle.dumps(data))).to("cuda")  # expect: TIP102[unsafe-fix]
    sizes = [torch.zeros(1, dtype=torch.long).to("cuda") for _ in range(world_size())]  # expect: TIP102[unsafe-fix]
    dist.all_gather(sizes, torch.tensor([payload.numel()]).to("cuda"))  # expect: TIP102[unsafe-fix]
    return sizes

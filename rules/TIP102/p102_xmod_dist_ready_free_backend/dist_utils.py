"""[TIP102] dist_utils.py: the same early return as an NCCL-only project's, but the backend comes from a free-form `--dist-backend` option with no default: the process group may well be gloo on a CPU machine, and then the `device="cuda"` after the early return crashes."""
import os

import torch
import torch.distributed as dist


def dist_ready():
    return dist.is_available() and dist.is_initialized()


def start_processes(args):
    if "RANK" not in os.environ:
        return
    dist.init_process_group(backend=args.dist_backend, init_method="env://")


class Meter:
    def __init__(self):
        self.count = 0
        self.total = 0.0

    def add(self, value, n=1):
        self.count += n
        self.total += value * n

    def sync(self):
        if not dist_ready():
            return
        packed = torch.tensor([self.count, self.total], dtype=torch.float64, device="cuda")  # expect: TIP102[unsafe-fix]
        dist.all_reduce(packed)
        self.count, self.total = int(packed[0].item()), packed[1].item()

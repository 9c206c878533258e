# expect: none
"""[TIP102] dist_utils.py: `Meter.sync()` leaves at once unless the process group is up (through the project's own `dist_ready()`), and the only process group this project starts takes its backend from `args.dist_backend`, set to "nccl" just before: what follows the early return runs under NCCL only, on GPUs by design (real-world pattern: the metric loggers of vision-language and detection repos)."""
import os

import torch
import torch.distributed as dist


def dist_ready():
    return dist.is_available() and dist.is_initialized()


def start_processes(args):
    if "RANK" not in os.environ:
        args.distributed = False
        return
    args.distributed = True
    args.rank = int(os.environ["RANK"])
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    args.dist_backend = "nccl"
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
        packed = torch.tensor([self.count, self.total], dtype=torch.float64, device="cuda")
        dist.all_reduce(packed)
        self.count, self.total = int(packed[0].item()), packed[1].item()

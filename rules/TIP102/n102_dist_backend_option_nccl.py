# expect: none
"""[TIP102] The only process group takes its backend from `--dist-backend`, whose default is "nccl": the code that needs several processes (after `if world_size() < 2: return`, and a helper built around `dist.all_reduce`) runs on GPUs by design, and the single-process path has a CPU fallback (real-world pattern: ImageNet-style scripts with `--dist-backend nccl` and DDP-only metric helpers)."""
import argparse
import os

import torch
import torch.distributed as dist

parser = argparse.ArgumentParser()
parser.add_argument("--dist-backend", default="nccl", type=str)
parser.add_argument("--world-size", default=1, type=int)
args = parser.parse_args()


def world_size():
    if not dist.is_initialized():
        return 1
    return dist.get_world_size()


def average_across(value):
    if world_size() < 2:
        return value
    held = torch.tensor([value], device="cuda")
    dist.all_reduce(held)
    return held.item() / world_size()


def summed(rank, *numbers):
    handles, results = [], []
    for number in numbers:
        part = torch.tensor(number).reshape(-1).cuda(rank)
        results.append(part)
        handles.append(dist.all_reduce(part, async_op=True))
    for handle in handles:
        handle.wait()
    return results


if args.world_size > 1:
    dist.init_process_group(backend=args.dist_backend, init_method="env://", world_size=args.world_size)
    rank = int(os.environ["LOCAL_RANK"])
    print(summed(rank, 1.0, 2.0))

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = torch.nn.Linear(4, 1).to(device)
loss = model(torch.randn(2, 4, device=device)).pow(2).mean()
print(average_across(loss.item()))

"""[TIP102] The same distributed helpers as an NCCL-only script, but `--dist-backend` defaults to "gloo", which runs on CPUs: with several CPU processes the early return does not happen and the hard-coded CUDA placements crash."""
import argparse
import os

import torch
import torch.distributed as dist

parser = argparse.ArgumentParser()
parser.add_argument("--dist-backend", default="gloo", type=str)
parser.add_argument("--world-size", default=1, type=int)
args = parser.parse_args()


def world_size():
    if not dist.is_initialized():
        return 1
    return dist.get_world_size()


def average_across(value):
    if world_size() < 2:
        return value
    held = torch.tensor([value], device="cuda")  # expect: TIP102[no-fix]
    dist.all_reduce(held)
    return held.item() / world_size()


def summed(rank, *numbers):
    handles, results = [], []
    for number in numbers:
        part = torch.tensor(number).reshape(-1).cuda(rank)  # expect: TIP102[no-fix]
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

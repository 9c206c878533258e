"""[TIP503] A script written for `torch.distributed.launch` (which passed `--local_rank`) now run with
torchrun, which only sets LOCAL_RANK: every rank keeps the default 0 and pins GPU 0. The fix
defaults the option to LOCAL_RANK (and imports `os`)."""
import argparse

import torch
import torch.distributed as dist
from torch import nn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, default=0)  # expect: TIP503[safe-fix]
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.cuda.set_device(args.local_rank)
    dist.init_process_group(backend="nccl")
    model = nn.parallel.DistributedDataParallel(nn.Linear(8, 8).cuda(), device_ids=[args.local_rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(args.epochs):
        loss = model(torch.randn(4, 8).cuda()).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()

"""[TIP504] The process group is set up only with --distributed, and the best model is saved whenever validation improves, under a test that is not about the rank. The fix's guard also lets a run without a process group save (`not dist.is_initialized() or ...`)."""
import argparse

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--distributed", action="store_true")
    args = parser.parse_args()
    if args.distributed:
        dist.init_process_group("gloo")
    model = torch.nn.Linear(4, 1)
    if args.distributed:
        model = DistributedDataParallel(model)
    optimizer = torch.optim.Adam(model.parameters())
    best = float("inf")
    for epoch in range(5):
        loss = model(torch.randn(8, 4)).abs().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if loss.item() < best:
            best = loss.item()
            torch.save(model.state_dict(), "best.pt")  # expect: TIP504[unsafe-fix]
    if dist.is_initialized():
        dist.destroy_process_group()


if __name__ == "__main__":
    main()

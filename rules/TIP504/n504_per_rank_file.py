# expect: none
"""[TIP504] As p504_conditional_init, but each rank saves to its own file (`best_rank{rank}.pt`): no two writers share a path."""
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
    rank = dist.get_rank() if dist.is_initialized() else 0
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
            torch.save(model.state_dict(), f"best_rank{rank}.pt")
    if dist.is_initialized():
        dist.destroy_process_group()


if __name__ == "__main__":
    main()

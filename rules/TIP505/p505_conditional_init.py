"""[TIP505] The group is initialised only with --distributed (torch.distributed reached as `torch.distributed`). The fix destroys it only where it exists: `if torch.distributed.is_initialized():`."""
import argparse

import torch
from torch.nn.parallel import DistributedDataParallel


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--distributed", action="store_true")
    args = parser.parse_args()
    model = torch.nn.Linear(4, 1)
    if args.distributed:
        torch.distributed.init_process_group("gloo")  # expect: TIP505[unsafe-fix]
        model = DistributedDataParallel(model)
    optimizer = torch.optim.Adam(model.parameters())
    for epoch in range(5):
        loss = model(torch.randn(8, 4)).abs().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main()

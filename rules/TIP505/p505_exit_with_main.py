"""[TIP505] The main block initialises the group and ends with `sys.exit(main())`: the destroy cannot go before that call (main still needs the group) nor after it (it never runs), so no fix is offered."""
import sys

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


def main():
    model = DistributedDataParallel(torch.nn.Linear(3, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(10):
        loss = model(torch.randn(4, 3)).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return 0


if __name__ == "__main__":
    dist.init_process_group("gloo")  # expect: TIP505[no-fix]
    sys.exit(main())

# expect: none
"""[TIP505] The script: sets up through dist_utils, trains, cleans up."""
import torch
from dist_utils import cleanup, init_distributed
from torch.nn.parallel import DistributedDataParallel


def main():
    init_distributed()
    model = DistributedDataParallel(torch.nn.Linear(3, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(10):
        loss = model(torch.randn(4, 3)).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    cleanup()


if __name__ == "__main__":
    main()

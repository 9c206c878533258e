# expect: none
"""[TIP505] As p505_main_block, with the training in a try whose finally destroys the group, also when training raises."""
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


def train(model, steps):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        loss = model(torch.randn(4, 3)).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    dist.init_process_group("gloo")
    try:
        train(DistributedDataParallel(torch.nn.Linear(3, 1)), 50)
    finally:
        dist.destroy_process_group()

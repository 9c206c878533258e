"""[TIP505] The group is set up in the `if __name__ == "__main__":` block, which then calls the training function. The fix ends that block with the destroy."""
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
    dist.init_process_group("gloo")  # expect: TIP505[unsafe-fix]
    train(DistributedDataParallel(torch.nn.Linear(3, 1)), 50)
    print("done on rank", dist.get_rank())

"""[TIP502] A torchrun script that moves the model and each batch with a bare `.cuda()` and never
picks its GPU: the current device of every process is 0, so all ranks pile onto the first card."""
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP


def main():
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    model = DDP(nn.Linear(16, 4).cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(10):
        x, y = torch.randn(8, 16).cuda(), torch.randn(8, 4).cuda()
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()

# expect: none
"""[TIP504] As p504_save_helper_called_unguarded, but every call of the helper is under `if is_main_process():`: only rank 0 saves."""
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


def is_main_process():
    return not dist.is_initialized() or dist.get_rank() == 0


def save_checkpoint(model, optimizer, epoch, path):
    torch.save(
        {"epoch": epoch, "model": model.module.state_dict(), "optimizer": optimizer.state_dict()},
        path,
    )


def train(rank, world_size, epochs):
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    model = DistributedDataParallel(torch.nn.Linear(8, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(epochs):
        loss = model(torch.randn(4, 8)).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if is_main_process():
            save_checkpoint(model, optimizer, epoch, "last.pth")
    dist.destroy_process_group()

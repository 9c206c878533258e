"""[TIP504] A save_checkpoint helper writes model and optimizer state; the training loop calls it on every rank. The dict spans several lines, so no fix is offered: the call is reported in the helper."""
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


def save_checkpoint(model, optimizer, epoch, path):
    torch.save(  # expect: TIP504[no-fix]
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
        save_checkpoint(model, optimizer, epoch, "last.pth")
    dist.destroy_process_group()

# expect: none
"""[TIP504] As p504_save_helper_called_unguarded, but the calls sit under a flag assigned from the rank (`save_to_disk = dist.get_rank() == 0`), and the final weights go to a path built from the GPU index: one writer per file either way."""
import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


def save_checkpoint(model, path):
    torch.save(model.module.state_dict(), path)


def train(gpu, epochs):
    dist.init_process_group("nccl")
    save_to_disk = dist.get_rank() == 0
    model = DistributedDataParallel(torch.nn.Linear(8, 2).cuda(gpu), device_ids=[gpu])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(epochs):
        loss = model(torch.randn(4, 8, device=gpu)).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % 5 == 0 and save_to_disk:
            save_checkpoint(model, "last.pth")
    final_state_file = os.path.join("output", "final_state{}.pth".format(gpu))
    torch.save(model.module.state_dict(), final_state_file)
    dist.destroy_process_group()

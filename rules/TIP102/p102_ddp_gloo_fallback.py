"""[TIP102] A DDP script that falls back to gloo without CUDA, yet moves the model and batches with unconditional `.cuda()` (real-world pattern: "works on CPU too" DDP templates)."""
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from toy import RandomPairs, ToyModel


def main():
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    dist.init_process_group(backend=backend)
    rank = int(os.environ["RANK"])
    dataset = RandomPairs(4096)
    sampler = DistributedSampler(dataset)
    loader = DataLoader(dataset, batch_size=32, sampler=sampler)
    model = ToyModel().cuda()  # expect: TIP102[unsafe-fix]
    ddp_model = DDP(model)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(ddp_model.parameters(), lr=0.001)
    for epoch in range(10):
        sampler.set_epoch(epoch)
        for x, y in loader:
            x, y = x.cuda(), y.cuda()  # expect: TIP102[unsafe-fix], TIP102[unsafe-fix]
            loss = loss_fn(ddp_model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if rank == 0:
            print(f"epoch {epoch}: loss {loss.item():.4f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()

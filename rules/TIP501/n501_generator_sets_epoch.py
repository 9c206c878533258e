# expect: none
"""[TIP501] A generator walks the loader forever and sets the sampler's epoch at the start of each pass (`loader.sampler.set_epoch(epoch)` in its `while True`): every pass is reshuffled (real-world pattern: diffusion trainers' infinite loader done right)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from diffusion import ImageDataset, UNet, diffusion_loss


def infinite(loader):
    epoch = 0
    while True:
        loader.sampler.set_epoch(epoch)
        for batch in loader:
            yield batch
        epoch += 1


def train(steps=500_000):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = ImageDataset("/data/celeba_hq")
    loader = DataLoader(dataset, batch_size=32, sampler=DistributedSampler(dataset), drop_last=True)
    model = torch.nn.parallel.DistributedDataParallel(UNet().cuda())
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    data = infinite(loader)
    for step in range(steps):
        loss = diffusion_loss(model, next(data).cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    train()

# expect: none
"""[TIP501] `forever(dl)` counts its passes and calls `dl.sampler.set_epoch(...)` before each `yield from dl`: every pass is reshuffled (real-world pattern: diffusion trainers' infinite data iterators done right)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from diffusion import GaussianDiffusion, ImageDataset, UNet


def forever(dl):
    passes = 0
    while True:
        dl.sampler.set_epoch(passes)
        yield from dl
        passes += 1


def train(steps=700_000):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    ds = ImageDataset("/data/cifar10_png")
    dl = DataLoader(ds, batch_size=128, sampler=DistributedSampler(ds), drop_last=True)
    model = torch.nn.parallel.DistributedDataParallel(UNet().cuda())
    diffusion = GaussianDiffusion(timesteps=1000)
    opt = torch.optim.Adam(model.parameters(), lr=2e-4)
    data = forever(dl)
    for step in range(steps):
        loss = diffusion.loss(model, next(data).cuda())
        opt.zero_grad()
        loss.backward()
        opt.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    train()

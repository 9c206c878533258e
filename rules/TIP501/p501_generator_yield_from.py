"""[TIP501, TIP502] `def forever(dl): while True: yield from dl` feeds a step loop through next(); no set_epoch. Each pass begins in the generator's `while True`, where the fix counts the passes (real-world pattern: diffusion trainers' infinite data iterators)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from diffusion import GaussianDiffusion, ImageDataset, UNet


def forever(dl):
    while True:
        yield from dl


def train(steps=700_000):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    ds = ImageDataset("/data/cifar10_png")
    dl = DataLoader(ds, batch_size=128, sampler=DistributedSampler(ds), drop_last=True)  # expect: TIP501[safe-fix]
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

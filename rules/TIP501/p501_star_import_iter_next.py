"""[TIP501] A star import of the project's heads (`from heads import *`) sits above an epoch loop that
makes `iter(loader)` and pulls with next(): `iter` and `next` are still the builtins, the loader's
shuffling DistributedSampler never gets set_epoch."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, DistributedSampler

from heads import *  # noqa: F403


def fit(net, pixels, epochs, steps):
    dist.init_process_group("gloo")
    sampler = DistributedSampler(pixels)  # expect: TIP501[safe-fix]
    loader = DataLoader(pixels, batch_size=4, sampler=sampler)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    for epoch in range(epochs):
        batches = iter(loader)
        for _ in range(steps):
            image, mask = next(batches)
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(image), mask).backward()
            opt.step()
    dist.destroy_process_group()

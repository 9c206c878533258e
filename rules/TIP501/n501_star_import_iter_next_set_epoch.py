# expect: none
"""[TIP501] Look-alike of p501_star_import_iter_next: the same star import and iter()/next() epoch
loop, but the sampler gets set_epoch at the start of each epoch."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, DistributedSampler

from heads import *  # noqa: F403


def fit(net, pixels, epochs, steps):
    dist.init_process_group("gloo")
    sampler = DistributedSampler(pixels)
    loader = DataLoader(pixels, batch_size=4, sampler=sampler)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        batches = iter(loader)
        for _ in range(steps):
            image, mask = next(batches)
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(image), mask).backward()
            opt.step()
    dist.destroy_process_group()

# expect: none
"""[TIP501] Look-alike of p501_xmod_package_init_reexport: the epoch loop calls set_epoch on the
loader's sampler where it is a DistributedSampler."""
import torch
from torch.utils.data import DistributedSampler

from feeds import feed_loader
from steps import one_pass


def run(net, data, epochs, distributed):
    loader = feed_loader(data, 64, distributed=distributed)
    opt = torch.optim.Adam(net.parameters())
    for epoch in range(epochs):
        if isinstance(loader.sampler, DistributedSampler):
            loader.sampler.set_epoch(epoch)
        one_pass(net, opt, loader)

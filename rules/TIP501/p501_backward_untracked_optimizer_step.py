"""[TIP501] Look-alike of n501_backward_only_scoring: the optimizer comes in as a plain parameter
(the facts do not know its class), but it steps next to backward(): this loop trains."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, DistributedSampler


def one_epoch(net, loader, opt):
    for x, y in loader:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()


def fit(net, dataset, opt, epochs):
    dist.init_process_group("gloo")
    sampler = DistributedSampler(dataset)  # expect: TIP501[safe-fix]
    loader = DataLoader(dataset, batch_size=8, sampler=sampler)
    for epoch in range(epochs):
        one_epoch(net, loader, opt)
    dist.destroy_process_group()

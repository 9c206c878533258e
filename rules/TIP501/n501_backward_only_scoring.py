# expect: none
"""[TIP501] A pruning loop scores the weights again and again: each scoring pass walks a shuffling
DistributedSampler's loader and calls backward() to read the gradients, but no optimizer ever steps:
it is not training, the order of the batches does not matter."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, DistributedSampler


def weight_scores(net, loader):
    scores = [torch.zeros_like(p) for p in net.parameters()]
    for x, y in loader:
        net.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
        for s, p in zip(scores, net.parameters()):
            s += (p * p.grad).abs()
    return scores


def prune(net, dataset, rounds):
    dist.init_process_group("gloo")
    loader = DataLoader(dataset, batch_size=8, sampler=DistributedSampler(dataset))
    for _ in range(rounds):
        scores = weight_scores(net, loader)
        with torch.no_grad():
            for s, p in zip(scores, net.parameters()):
                p.mul_(s > s.median())
    dist.destroy_process_group()

"""[TIP501] run.py: the helper comes through a package's __init__.py and the batch loop sits in
another module, three imports away from the sampler: still followed; reported on the helper call."""
import torch

from feeds import feed_loader
from steps import one_pass


def run(net, data, epochs, distributed):
    loader = feed_loader(data, 64, distributed=distributed)  # expect: TIP501[safe-fix]
    opt = torch.optim.Adam(net.parameters())
    for epoch in range(epochs):
        one_pass(net, opt, loader)

# expect: none
"""[TIP501] steps.py: one pass of training over whatever loader it is given."""
import torch


def one_pass(net, opt, loader):
    for x, y in loader:
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(x), y).backward()
        opt.step()

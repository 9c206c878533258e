# expect: none
"""[TIP402] fit_utils.py: one pass over the loader, stepping the optimizer after each batch."""
import torch


def fit_epoch(net, loader, opt):
    net.train()
    for images, masks in loader:
        opt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(net(images), masks).backward()
        opt.step()

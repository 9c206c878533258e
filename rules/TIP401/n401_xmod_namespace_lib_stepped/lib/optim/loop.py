# expect: none
"""[TIP401] lib/optim/loop.py (a namespace package): one epoch of training, then one scheduler step."""

import torch


def run_epoch(model, loader, optimizer, scheduler):
    model.train()
    for images, labels in loader:
        loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()

# expect: none
"""[TIP401] segmentation/lib/engine.py: the batch loop, then one scheduler step per epoch."""

import torch


def train_epoch(model, loader, optimizer, scheduler):
    model.train()
    for images, masks in loader:
        loss = torch.nn.functional.cross_entropy(model(images.cuda()), masks.cuda(), ignore_index=255)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()

# expect: none
"""[TIP402] engine.py: train_one_epoch accepts an optional per-batch `lr_scheduler` (unused by this caller) and steps the optimizer (synthetic, modelled on references-style engines)."""
import torch


def train_one_epoch(model, loader, optimizer, device, lr_scheduler=None):
    model.train()
    for images, masks in loader:
        out = model(images.to(device))
        loss = torch.nn.functional.cross_entropy(out, masks.to(device), ignore_index=255)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if lr_scheduler is not None:
            lr_scheduler.step()

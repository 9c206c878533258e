# expect: none
"""[TIP404] engine.py: train_one_epoch can step a per-batch `lr_scheduler` if given one; this caller gives none (synthetic, modelled on references-style engines)."""
import torch


def train_one_epoch(model, data_loader, optimizer, device, lr_scheduler=None):
    model.train()
    for tokens, tags in data_loader:
        loss = model(tokens.to(device), tags.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if lr_scheduler is not None:
            lr_scheduler.step()

# expect: none
"""[TIP404, TIP402] engine.py: train_one_epoch steps the `lr_scheduler` it is passed after every optimizer step (real-world pattern: references-style engines)."""
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

# expect: none
"""[TIP401, TIP402, TIP404] engine.py: train_one_epoch steps the per-batch OneCycleLR after each optimizer step (real-world pattern: engine helpers owning the per-batch step)."""
import torch


def train_one_epoch(model, loader, optimizer, sched, scaler):
    model.train()
    for images, targets in loader:
        with torch.autocast("cuda", dtype=torch.float16):
            loss = model(images.cuda(), targets)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        sched.step()

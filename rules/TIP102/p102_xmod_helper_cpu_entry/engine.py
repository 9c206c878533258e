"""[TIP102] engine.py: moves each batch with `.cuda()`; one of its callers, demo.py, supports the CPU, so the helper is not GPU-only (look-alike of a helper only GPU-only entry scripts call)."""
import torch


def train_epoch(model, loader, criterion, optimizer):
    model.train()
    for images, targets in loader:
        images = images.cuda(non_blocking=True)  # expect: TIP102[unsafe-fix]
        targets = targets.cuda(non_blocking=True)  # expect: TIP102[unsafe-fix]
        loss = criterion(model(images), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

# expect: none
"""[TIP401] engine.py: train_one_epoch takes the scheduler (annotated) but never steps it (synthetic, a forgotten `lr_scheduler.step()` in a helper)."""
import torch
from torch.optim.lr_scheduler import LRScheduler


def train_one_epoch(model, loader, optimizer, lr_sched: LRScheduler, device):
    model.train()
    for batch in loader:
        inputs, labels = batch["pixel_values"].to(device), batch["labels"].to(device)
        loss = torch.nn.functional.cross_entropy(model(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print("lr", lr_sched.get_last_lr())

# expect: none
"""[TIP402] engine.py: a plain train_one_epoch with the optimizer steps; mentions no scheduler (synthetic, typical engine module)."""
import torch


def train_one_epoch(model, loader, optimizer, device):
    model.train()
    for points, labels in loader:
        logits = model(points.to(device))
        loss = torch.nn.functional.cross_entropy(logits, labels.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

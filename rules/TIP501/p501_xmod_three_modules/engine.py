# expect: none
"""[TIP501] engine.py of a three-module project: the batch loop with backward/step (synthetic, typical research-repo layout)."""
import torch


def train_one_epoch(model, loader, optimizer, device):
    model.train()
    total = 0.0
    for waveforms, labels in loader:
        logits = model(waveforms.to(device))
        loss = torch.nn.functional.cross_entropy(logits, labels.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total

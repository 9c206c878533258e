# expect: none
"""[TIP501] engine.py: train_one_epoch reshuffles with `data_loader.sampler.set_epoch(epoch)` itself (real-world pattern: helpers that own the reshuffle)."""
import torch


def train_one_epoch(model, data_loader, optimizer, epoch):
    data_loader.sampler.set_epoch(epoch)
    model.train()
    for images, masks in data_loader:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(images.cuda()), masks.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

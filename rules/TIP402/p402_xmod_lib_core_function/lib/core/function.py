# expect: none
"""[TIP402] lib/core/function.py: one epoch of heatmap regression with the optimizer steps."""

import torch


def train(loader, model, optimizer, epoch):
    model.train()
    for images, heatmaps in loader:
        loss = torch.nn.functional.mse_loss(model(images.cuda()), heatmaps.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print("epoch", epoch, "loss", loss.item())

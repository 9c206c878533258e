# expect: none
"""[TIP401] lib/trainer.py: what tools/train.py imports: the batch loop, then one scheduler step."""

import torch


def fit_one_epoch(model, loader, optimizer, scheduler):
    model.train()
    for images, labels in loader:
        loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()

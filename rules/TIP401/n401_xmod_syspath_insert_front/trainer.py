# expect: none
"""[TIP401] trainer.py at the top of the project: an older copy of the loop, kept for reference; it takes the scheduler and only prints its rate. No script imports it (the top folder is not on sys.path when tools/train.py runs)."""

import torch


def fit_one_epoch(model, loader, optimizer, scheduler):
    model.train()
    for images, labels in loader:
        loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(scheduler.get_last_lr())

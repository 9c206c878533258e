# expect: none
"""[TIP102] engine.py: moves each batch with `.cuda()`; its functions are only called from train.py's main(), which wraps the model in DataParallel over a GPU list, so they only run on GPUs (real-world pattern: `lib/core/function.py` of pose-estimation repos)."""
import torch


def train_epoch(model, loader, criterion, optimizer):
    model.train()
    for images, targets in loader:
        images = images.cuda(non_blocking=True)
        targets = targets.cuda(non_blocking=True)
        loss = criterion(model(images), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    return sum((model(x.cuda()).argmax(1) == y.cuda()).sum().item() for x, y in loader)

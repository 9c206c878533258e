"""[TIP403] engine.py: validate() steps the Plateau scheduler it is given (annotated), without the loss it just computed (synthetic, a helper that owns the scheduler step)."""
import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau


def validate(model, loader, plateau_sched: ReduceLROnPlateau):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += torch.nn.functional.cross_entropy(model(x.cuda()), y.cuda()).item()
    plateau_sched.step()  # expect: TIP403[no-fix]
    return total


def train_one_epoch(model, loader, optimizer):
    model.train()
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x.cuda()), y.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

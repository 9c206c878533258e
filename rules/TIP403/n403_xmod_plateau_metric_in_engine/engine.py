# expect: none
"""[TIP403] engine.py: evaluate_and_step() steps the (annotated) ReduceLROnPlateau with the validation loss it computed (synthetic)."""
import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau


def evaluate_and_step(model, loader, sched: ReduceLROnPlateau):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += torch.nn.functional.l1_loss(model(x.cuda()), y.cuda()).item()
    sched.step(total)
    return total

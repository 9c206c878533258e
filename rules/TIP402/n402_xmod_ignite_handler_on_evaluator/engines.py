# expect: none
"""[TIP402] engines.py: the update function of the trainer, which steps the optimizer (synthetic)."""
import torch.nn.functional as F


def make_update(model, optimizer):
    def update(engine, batch):
        model.train()
        x, y = batch
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return update

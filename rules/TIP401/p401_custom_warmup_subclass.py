"""[TIP401] A project warmup scheduler subclassing torch's LRScheduler, created and never stepped (real-world pattern: WarmupCosine classes in research repos)."""
import math

import torch
from torch.optim.lr_scheduler import LRScheduler
from torch.utils.data import DataLoader


class WarmupCosineLR(LRScheduler):
    def __init__(self, optimizer, warmup_epochs, max_epochs, last_epoch=-1):
        self.warmup_epochs = warmup_epochs
        self.max_epochs = max_epochs
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch < self.warmup_epochs:
            return [base * (self.last_epoch + 1) / self.warmup_epochs for base in self.base_lrs]
        progress = (self.last_epoch - self.warmup_epochs) / max(1, self.max_epochs - self.warmup_epochs)
        return [base * 0.5 * (1 + math.cos(math.pi * progress)) for base in self.base_lrs]


def train(model, dataset, epochs=300):
    loader = DataLoader(dataset, batch_size=256, shuffle=True, num_workers=8)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = WarmupCosineLR(optimizer, warmup_epochs=5, max_epochs=epochs)  # expect: TIP401[unsafe-fix]
    for epoch in range(epochs):
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    from simclr import LinearProbe, STL10

    train(LinearProbe(), STL10("/data/stl10"))

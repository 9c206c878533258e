# expect: none
"""[TIP501] trainer.py: Trainer.fit reshuffles under `isinstance(self.train_loader.sampler, DistributedSampler)` (real-world pattern: reusable Trainer modules)."""
import torch
from torch.utils.data.distributed import DistributedSampler


class Trainer:
    def __init__(self, model, train_loader, optimizer, max_epochs):
        self.model = model
        self.train_loader = train_loader
        self.optimizer = optimizer
        self.max_epochs = max_epochs

    def _run_epoch(self):
        self.model.train()
        for source, targets in self.train_loader:
            loss = torch.nn.functional.cross_entropy(self.model(source), targets)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()

    def fit(self):
        for epoch in range(self.max_epochs):
            if isinstance(self.train_loader.sampler, DistributedSampler):
                self.train_loader.sampler.set_epoch(epoch)
            self._run_epoch()

# expect: none
"""[TIP501] trainer.py: Trainer reads the sampler's world size for logging but its epoch loop never calls set_epoch (synthetic, modelled on the DDP tutorial's Trainer)."""
import torch
from torch.utils.data.distributed import DistributedSampler


class Trainer:
    def __init__(self, model, train_data, optimizer):
        self.model = model
        self.train_data = train_data
        self.optimizer = optimizer
        self.world_size = 1
        if isinstance(train_data.sampler, DistributedSampler):
            self.world_size = train_data.sampler.num_replicas

    def _run_batch(self, source, targets):
        self.optimizer.zero_grad()
        output = self.model(source)
        loss = torch.nn.functional.cross_entropy(output, targets)
        loss.backward()
        self.optimizer.step()

    def _run_epoch(self, epoch):
        for source, targets in self.train_data:
            self._run_batch(source.cuda(), targets.cuda())

    def train(self, max_epochs):
        for epoch in range(max_epochs):
            self._run_epoch(epoch)

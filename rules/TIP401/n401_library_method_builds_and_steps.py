# expect: none
"""[TIP401] A library's learning-rate range test: `RangeTest.run()` builds its own exponential schedule and
steps it after every batch; nothing in the package calls `run()` (its users do), and the schedule is
stepped wherever it is built (look-alike of a method nothing calls; real-world pattern: `lr_find` of
training libraries)."""
import torch
from torch.optim.lr_scheduler import ExponentialLR


class RangeTest:
    def __init__(self, model, optimizer, loader):
        self.model, self.optimizer, self.loader = model, optimizer, loader
        self.history = []

    def run(self, gamma=1.1, limit=100):
        schedule = ExponentialLR(self.optimizer, gamma=gamma)
        for index, (inputs, targets) in enumerate(self.loader):
            if index == limit:
                break
            self.optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(self.model(inputs), targets)
            loss.backward()
            self.optimizer.step()
            self.history.append((schedule.get_last_lr()[0], loss.item()))
            schedule.step()
        return self.history

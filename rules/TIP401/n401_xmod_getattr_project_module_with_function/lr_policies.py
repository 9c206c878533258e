# expect: none
"""[TIP401] lr_policies.py: the project schedules of the positive case, and also a function the config may
name instead (`constant`), which builds no scheduler."""
from torch.optim.lr_scheduler import _LRScheduler


class PolyDecay(_LRScheduler):
    def __init__(self, optimizer, total, power=0.9, last_epoch=-1):
        self.total, self.power = total, power
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [lr * (1 - self.last_epoch / self.total) ** self.power for lr in self.base_lrs]


class LinearWarmup(_LRScheduler):
    def __init__(self, optimizer, total, warmup=500, last_epoch=-1):
        self.total, self.warmup = total, warmup
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [lr * min(1.0, (self.last_epoch + 1) / self.warmup) for lr in self.base_lrs]


def constant(optimizer, total):
    """No schedule at all: a stand-in that has no `step()` to call."""
    return None

# expect: none
"""[TIP401] multi_opt.py: the same group of optimizers and warm-up schedules as the positive case; here the
training script calls `advance_lr()` after every batch, so the schedules are stepped (look-alike of the
never-called method)."""
import torch


class OptimizerGroup:
    def __init__(self, optimizers, schedules):
        self.optimizers = optimizers
        self.schedules = schedules

    def step(self, name):
        self.optimizers[name].step()

    def zero_grad(self):
        for opt in self.optimizers.values():
            opt.zero_grad()

    def advance_lr(self):
        for name in self.optimizers:
            self.schedules[name].step()


def make_group(params_by_name, total_steps):
    optimizers = dict([(name, torch.optim.AdamW(params, lr=2e-4)) for name, params in params_by_name.items()])
    schedules = dict(
        [
            (name, torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-4, total_steps=total_steps))
            for name, opt in optimizers.items()
        ]
    )
    return OptimizerGroup(optimizers, schedules)

"""[TIP401] multi_opt.py: a plain class holds one optimizer and one warm-up schedule per sub-network;
its `advance_lr()` method is the only code that steps the schedules, and no script calls it (real-world
pattern: GAN and TTS repositories that keep several optimizers behind one object)."""
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
            (name, torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-4, total_steps=total_steps))  # expect: TIP401[no-fix]
            for name, opt in optimizers.items()
        ]
    )
    return OptimizerGroup(optimizers, schedules)

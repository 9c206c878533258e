# expect: none
"""A project optimizer deriving from torch's `Optimizer` base, and a project schedule factory that returns a
torch `LambdaLR`."""
from torch.optim.lr_scheduler import LambdaLR
from torch.optim.optimizer import Optimizer


class PlainSGD(Optimizer):
    def __init__(self, params, lr=0.1):
        super().__init__(params, dict(lr=lr))

    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.data.add_(p.grad, alpha=-group["lr"])


def warmup_schedule(optimizer, warmup_steps):
    return LambdaLR(optimizer, lambda it: min(1.0, (it + 1) / warmup_steps))

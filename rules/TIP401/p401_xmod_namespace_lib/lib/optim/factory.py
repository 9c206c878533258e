"""[TIP401] lib/optim/factory.py (a namespace package): make_scheduler() returns an ExponentialLR that the caller in train.py never steps; reported at its construction here."""

from torch.optim.lr_scheduler import ExponentialLR


def make_scheduler(optimizer, epochs, final_ratio=0.01):
    gamma = final_ratio ** (1.0 / max(epochs, 1))
    return ExponentialLR(optimizer, gamma=gamma)  # expect: TIP401[no-fix]

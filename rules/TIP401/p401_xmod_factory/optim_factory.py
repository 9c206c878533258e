"""[TIP401] optim_factory.py: build_scheduler() makes the torch scheduler and the caller forgets to step it; the finding is on the construction, as TIP401 anchors (real-world pattern: optimizer/scheduler factories)."""
from torch.optim.lr_scheduler import CosineAnnealingLR


def build_scheduler(optimizer, epochs, warm_restart=False):
    t_max = epochs // 3 if warm_restart else epochs
    return CosineAnnealingLR(optimizer, T_max=t_max, eta_min=1e-6)  # expect: TIP401[no-fix]

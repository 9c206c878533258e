# expect: none
"""[TIP402] lr_factory.py: get_scheduler() returns a StepLR or a CosineAnnealingLR depending on the config's name (real-world pattern: scheduler factories in a utils module)."""
from torch.optim import lr_scheduler


def get_scheduler(optimizer, opt):
    if opt.lr_policy == "step":
        scheduler = lr_scheduler.StepLR(optimizer, step_size=opt.lr_decay_iters, gamma=0.1)
    elif opt.lr_policy == "cosine":
        scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=opt.niter, eta_min=0)
    else:
        raise NotImplementedError(f"learning rate policy {opt.lr_policy} is not implemented")
    return scheduler

# expect: none
"""[TIP402] solver_utils.py: one helper builds the optimizer (SGD or AdamW by config) and its cosine schedule, and returns both (real-world pattern: build_optimizer helpers in trainer packages)."""
import torch


def build_solver(cfg, model):
    params = [p for p in model.parameters() if p.requires_grad]
    if cfg.optim == "sgd":
        optimizer = torch.optim.SGD(params, lr=cfg.lr, momentum=0.9, nesterov=True)
    else:
        optimizer = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.05)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=cfg.epochs, eta_min=1e-6)
    return optimizer, scheduler

"""[TIP402] maskrcnn-benchmark do_train: a project WarmupMultiStepLR (subclass of _LRScheduler) stepped at the top of the iteration loop, before optimizer.step() (real-world: facebookresearch/maskrcnn-benchmark engine/trainer.py, pre-1.1)."""
from bisect import bisect_right

import torch


class WarmupMultiStepLR(torch.optim.lr_scheduler._LRScheduler):
    def __init__(self, optimizer, milestones, gamma=0.1, warmup_factor=1.0 / 3, warmup_iters=500, last_epoch=-1):
        self.milestones = milestones
        self.gamma = gamma
        self.warmup_factor = warmup_factor
        self.warmup_iters = warmup_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        warmup_factor = 1
        if self.last_epoch < self.warmup_iters:
            alpha = float(self.last_epoch) / self.warmup_iters
            warmup_factor = self.warmup_factor * (1 - alpha) + alpha
        return [base_lr * warmup_factor * self.gamma ** bisect_right(self.milestones, self.last_epoch) for base_lr in self.base_lrs]


def do_train(model, data_loader, optimizer, scheduler, device, start_iter=0):
    model.train()
    for iteration, (images, targets, _) in enumerate(data_loader, start_iter):
        scheduler.step()  # expect: TIP402[safe-fix]
        images = images.to(device)
        targets = [target.to(device) for target in targets]
        loss_dict = model(images, targets)
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()


def train(cfg, model, data_loader):
    device = torch.device(cfg["device"])
    model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-4)
    scheduler = WarmupMultiStepLR(optimizer, (60000, 80000))
    do_train(model, data_loader, optimizer, scheduler, device)
    return model


if __name__ == "__main__":
    from mrcnn import build_detection_model, make_data_loader

    train({"device": "cuda"}, build_detection_model(), make_data_loader())

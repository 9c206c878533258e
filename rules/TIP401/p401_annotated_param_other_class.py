"""[TIP401] Two trainer classes each keep a scheduler in `self.scheduler`; the training function's
parameter is annotated with the other class, so the `runner.scheduler.step()` there steps that
class's scheduler, never this one (the look-alike of a function typed with the trainer's class)."""
import torch
from torch.optim.lr_scheduler import ExponentialLR, StepLR


class SegmentationTrainer:
    def __init__(self, net: torch.nn.Module, lr: float = 0.01):
        self.net = net
        self.optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
        self.scheduler = StepLR(self.optimizer, step_size=30, gamma=0.1)  # expect: TIP401[no-fix]

    def step_on(self, images, masks):
        loss = torch.nn.functional.cross_entropy(self.net(images), masks)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item()


class DepthRunner:
    def __init__(self, net: torch.nn.Module):
        self.net = net
        self.optimizer = torch.optim.Adam(net.parameters(), lr=1e-4)
        self.scheduler = ExponentialLR(self.optimizer, gamma=0.95)

    def step_on(self, images, depth):
        loss = torch.nn.functional.l1_loss(self.net(images), depth)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()


def run_depth(runner: "DepthRunner", loader, epochs: int = 20):
    for epoch in range(epochs):
        for images, depth in loader:
            runner.step_on(images, depth)
        runner.scheduler.step()

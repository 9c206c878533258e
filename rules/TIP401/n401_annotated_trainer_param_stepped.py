# expect: none
"""[TIP401] The trainer keeps its StepLR in `self.scheduler`; the loop lives in a function that
takes the trainer as a parameter annotated with its class, and steps `trainer.scheduler` after
each epoch (real-world pattern: a training function typed with the project's trainer class, with
no call of it in the project)."""
import torch
from torch.optim.lr_scheduler import StepLR


class SegmentationTrainer:
    def __init__(self, net: torch.nn.Module, lr: float = 0.01):
        self.net = net
        self.optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
        self.scheduler = StepLR(self.optimizer, step_size=30, gamma=0.1)

    def step_on(self, images, masks):
        loss = torch.nn.functional.cross_entropy(self.net(images), masks)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item()


def run_training(trainer: SegmentationTrainer, loader, epochs: int = 90):
    for epoch in range(epochs):
        for images, masks in loader:
            trainer.step_on(images, masks)
        trainer.scheduler.step()

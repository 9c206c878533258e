"""[TIP402] trainer.py: Trainer.train() steps the scheduler as its first statement, then runs the batch loop with the optimizer steps; main.py calls it once per epoch (synthetic, hand-written trainer class)."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import MultiStepLR


class Trainer:
    def __init__(self, model, loader, lr=0.1):
        self.model = model
        self.loader = loader
        self.optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        self.scheduler = MultiStepLR(self.optimizer, milestones=[100, 150], gamma=0.1)

    def train(self, epoch):
        self.scheduler.step()  # expect: TIP402[safe-fix]
        self.model.train()
        for images, labels in self.loader:
            loss = F.cross_entropy(self.model(images), labels)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
        print(f"epoch {epoch}: lr {self.optimizer.param_groups[0]['lr']}")

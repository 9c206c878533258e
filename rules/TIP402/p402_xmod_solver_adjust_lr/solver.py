"""[TIP402] solver.py: a Solver whose adjust_learning_rate() steps the scheduler and whose train_epoch() steps the optimizer; main.py calls adjust_learning_rate() first in each epoch (synthetic, hand-written solver class)."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from retina_data import FundusImages
from retina_net import GradingNet


class Solver:
    def __init__(self, root, lr):
        self.net = GradingNet()
        self.train_loader = DataLoader(FundusImages(root, "train"), batch_size=16, shuffle=True)
        self.val_loader = DataLoader(FundusImages(root, "val"), batch_size=32)
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=lr, momentum=0.9)
        self.scheduler = StepLR(self.optimizer, step_size=30, gamma=0.1)

    def adjust_learning_rate(self):
        self.scheduler.step()  # expect: TIP402[no-fix]

    def train_epoch(self, epoch):
        self.net.train()
        for image, grade in self.train_loader:
            loss = F.cross_entropy(self.net(image), grade)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()

    def validate(self, epoch):
        self.net.eval()
        with torch.no_grad():
            hits = sum((self.net(x).argmax(1) == y).sum().item() for x, y in self.val_loader)
        print(epoch, hits)

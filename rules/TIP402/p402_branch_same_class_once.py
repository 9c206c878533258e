"""[TIP402] `self.scheduler` is a MultiStepLR on both branches (different milestones): the early step is one mistake on one line, reported once (synthetic)."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import MultiStepLR


class Solver:
    def __init__(self, net, loader, long_schedule):
        self.net = net
        self.loader = loader
        self.opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
        if long_schedule:
            self.scheduler = MultiStepLR(self.opt, milestones=[150, 225], gamma=0.1)
        else:
            self.scheduler = MultiStepLR(self.opt, milestones=[50, 75], gamma=0.1)

    def solve(self, epochs):
        for epoch in range(epochs):
            self.scheduler.step()  # expect: TIP402[safe-fix]
            for x, y in self.loader:
                loss = F.cross_entropy(self.net(x), y)
                self.opt.zero_grad()
                loss.backward()
                self.opt.step()


if __name__ == "__main__":
    from torch.utils.data import DataLoader

    from svhn import Svhn, PreActResNet

    Solver(PreActResNet(), DataLoader(Svhn("train"), batch_size=128, shuffle=True), long_schedule=True).solve(100)

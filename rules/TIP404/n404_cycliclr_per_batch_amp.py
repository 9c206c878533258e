# expect: none
"""[TIP404, TIP402] CyclicLR stepped per batch right after scaler.step(optimizer)/scaler.update() in a Trainer method (synthetic, AMP + CLR recipe)."""
import torch
from torch.optim.lr_scheduler import CyclicLR
from torch.utils.data import DataLoader


class CLRTrainer:
    def __init__(self, model, dataset):
        self.model = model.cuda()
        self.loader = DataLoader(dataset, batch_size=64, shuffle=True)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=1e-3, momentum=0.9)
        self.scheduler = CyclicLR(self.optimizer, base_lr=1e-4, max_lr=6e-3, step_size_up=2000)
        self.scaler = torch.cuda.amp.GradScaler()

    def train_epoch(self):
        for x, y in self.loader:
            with torch.autocast("cuda"):
                loss = torch.nn.functional.cross_entropy(self.model(x.cuda()), y.cuda())
            self.optimizer.zero_grad()
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
            self.scheduler.step()

    def fit(self, epochs):
        for epoch in range(epochs):
            self.train_epoch()


if __name__ == "__main__":
    from svhn import SVHN, PreActResNet

    CLRTrainer(PreActResNet(), SVHN("train")).fit(30)

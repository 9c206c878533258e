"""[TIP401] A trainer creates a StepLR in `__init__` and swaps in an ExponentialLR through its `restart()` method; neither is ever stepped (real-world pattern: trainer classes that rebuild the scheduler for a fine-tuning phase)."""
import torch
from torch.optim.lr_scheduler import ExponentialLR, StepLR
from torch.utils.data import DataLoader

from depth import NYUv2, MonoDepthNet, silog_loss


class DepthTrainer:
    def __init__(self, epochs=40):
        self.epochs = epochs
        self.model = MonoDepthNet().cuda()
        self.loader = DataLoader(NYUv2("train"), batch_size=8, shuffle=True, num_workers=4)
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-4)
        self.scheduler = StepLR(self.optimizer, step_size=10, gamma=0.5)  # expect: TIP401[unsafe-fix]

    def restart(self):
        self.scheduler = ExponentialLR(self.optimizer, gamma=0.9)

    def fit(self):
        for epoch in range(self.epochs):
            if epoch == self.epochs // 2:
                self.restart()
            for rgb, depth in self.loader:
                loss = silog_loss(self.model(rgb.cuda()), depth.cuda())
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()


if __name__ == "__main__":
    DepthTrainer().fit()

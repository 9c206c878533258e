"""[TIP402] Trainer.train() steps the scheduler first and logs `get_last_lr()` in its batch loop: reading the learning rate is what the fix corrects, so moving the step after the batch loop stays safe (synthetic look-alike of the unsafe case)."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from sr_data import PatchPairs
from sr_net import ResidualSR


class Trainer:
    def __init__(self):
        self.loader = DataLoader(PatchPairs("train"), batch_size=16, shuffle=True)
        self.model = ResidualSR(scale=2)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-4)
        self.scheduler = StepLR(self.optimizer, step_size=200, gamma=0.5)

    def train(self):
        self.scheduler.step()  # expect: TIP402[safe-fix]
        for i, (low, high) in enumerate(self.loader):
            loss = F.l1_loss(self.model(low), high)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            if i % 100 == 0:
                print(f"lr {self.scheduler.get_last_lr()[0]:.2e} loss {loss.item():.4f}")


if __name__ == "__main__":
    trainer = Trainer()
    for _ in range(300):
        trainer.train()

"""[TIP402] Trainer.train() steps the scheduler first, then computes the epoch number from `self.scheduler.last_epoch` before its batch loop: moving the step shifts that number too, so the fix is unsafe (synthetic, super-resolution style trainer)."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from sr_data import PatchPairs
from sr_net import ResidualSR


class Trainer:
    def __init__(self, epochs=300):
        self.epochs = epochs
        self.loader = DataLoader(PatchPairs("train"), batch_size=16, shuffle=True)
        self.model = ResidualSR(scale=2)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-4)
        self.scheduler = StepLR(self.optimizer, step_size=200, gamma=0.5)

    def train(self):
        self.scheduler.step()  # expect: TIP402[unsafe-fix]
        epoch = self.scheduler.last_epoch
        for low, high in self.loader:
            loss = F.l1_loss(self.model(low), high)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
        torch.save(self.model.state_dict(), f"model_{epoch}.pt")

    def done(self):
        return self.scheduler.last_epoch >= self.epochs


if __name__ == "__main__":
    trainer = Trainer()
    while not trainer.done():
        trainer.train()

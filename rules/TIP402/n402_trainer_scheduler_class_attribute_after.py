# expect: none
"""[TIP402, TIP401] A trainer is given its scheduler class and keeps it in `self.scheduler_class`; the scheduler it builds from it steps after each epoch's batches (real-world pattern: trainers configured with classes)."""
import torch
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader

from molecules import QM9, SchNet


class Trainer:
    def __init__(self, model, scheduler_class, epochs=100):
        self.model = model
        self.scheduler_class = scheduler_class
        self.epochs = epochs
        self.loader = DataLoader(QM9("train"), batch_size=100, shuffle=True)
        self.optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
        self.scheduler = self.scheduler_class(self.optimizer, gamma=0.96)

    def fit(self):
        for epoch in range(self.epochs):
            for batch in self.loader:
                loss = torch.nn.functional.l1_loss(self.model(batch), batch.y)
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
            self.scheduler.step()


if __name__ == "__main__":
    Trainer(SchNet().cuda(), ExponentialLR).fit()

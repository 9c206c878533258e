"""[TIP401] The trainer names its scheduler class in the class body (`scheduler_class = CosineAnnealingLR`) and builds it through `self`; the scheduler is never stepped (real-world pattern: trainer base classes with class-level defaults)."""
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader

from recsys import MovieLens1M, NeuMF


class Trainer:
    scheduler_class = CosineAnnealingLR
    epochs = 20

    def __init__(self):
        self.model = NeuMF(users=6040, items=3706)
        self.loader = DataLoader(MovieLens1M("train"), batch_size=2048, shuffle=True)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.scheduler = self.scheduler_class(self.optimizer, T_max=self.epochs)  # expect: TIP401[unsafe-fix]

    def fit(self):
        for epoch in range(self.epochs):
            for users, items, ratings in self.loader:
                loss = torch.nn.functional.binary_cross_entropy_with_logits(self.model(users, items), ratings)
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()


if __name__ == "__main__":
    Trainer().fit()

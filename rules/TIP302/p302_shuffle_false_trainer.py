"""[TIP302] A trainer class keeps its loader in `self.loader`, built with `shuffle=False`, and steps the optimizer over it in `fit()`: every epoch sees the samples in the order they are stored."""
import torch
from torch.utils.data import DataLoader, Dataset


class Pairs(Dataset):
    def __init__(self, count):
        self.inputs = torch.randn(count, 3)
        self.targets = torch.randn(count, 1)

    def __len__(self):
        return len(self.inputs)

    def __getitem__(self, index):
        return self.inputs[index], self.targets[index]


class Trainer:
    def __init__(self, model, count):
        self.model = model
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.loader = DataLoader(Pairs(count), batch_size=4, shuffle=False)  # expect: TIP302[unsafe-fix]

    def fit(self, epochs):
        for _ in range(epochs):
            for inputs, targets in self.loader:
                self.optimizer.zero_grad()
                torch.nn.functional.mse_loss(self.model(inputs), targets).backward()
                self.optimizer.step()


Trainer(torch.nn.Linear(3, 1), 32).fit(3)

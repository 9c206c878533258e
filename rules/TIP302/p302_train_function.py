"""[TIP302] The loader is made in `main()` and handed to `train_one_epoch()`, which steps the optimizer: the pass over it trains, and it never shuffles."""
import torch
from torch.utils.data import DataLoader, TensorDataset


def train_one_epoch(model, loader, optimizer):
    for inputs, targets in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()


def main():
    data = TensorDataset(torch.randn(48, 2), torch.randn(48, 1))
    loader = DataLoader(data, 16)  # expect: TIP302[unsafe-fix]
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(4):
        train_one_epoch(model, loader, optimizer)


if __name__ == "__main__":
    main()

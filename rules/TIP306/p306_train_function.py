"""[TIP306] The epoch loop calls a train function that walks the loader: its workers start again for each call, with `persistent_workers=False` written out."""

import torch
from torch.utils.data import DataLoader, Dataset


class Items(Dataset):
    def __len__(self):
        return 40

    def __getitem__(self, index):
        return torch.randn(2), torch.randn(1)


def train(model, loader, optimizer):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()


def main():
    loader = DataLoader(  # expect: TIP306[unsafe-fix]
        Items(), batch_size=8, shuffle=True, num_workers=2, persistent_workers=False
    )
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(5):
        train(model, loader, optimizer)


if __name__ == "__main__":
    main()

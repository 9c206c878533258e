"""[TIP403] ReduceLROnPlateau stepped with no metric after validation (real-world pattern: a frequent TypeError on forums: "step() missing 1 required positional argument: 'metrics'")."""
import argparse

import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau
from torch.utils.data import DataLoader

from housing import HousingDataset, MLP


def evaluate(model, loader):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += torch.nn.functional.mse_loss(model(x), y, reduction="sum").item()
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=500)
    args = parser.parse_args()
    train_loader = DataLoader(HousingDataset("train"), batch_size=32, shuffle=True)
    val_loader = DataLoader(HousingDataset("val"), batch_size=256)
    model = MLP(13, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=10)
    for epoch in range(args.epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        val_loss = evaluate(model, val_loader)
        scheduler.step()  # expect: TIP403[no-fix]
        print(epoch, val_loss)


if __name__ == "__main__":
    main()

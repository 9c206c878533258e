# expect: none
"""[TIP405] CosineAnnealingLR with `T_max=args.epochs * len(train_loader)`, stepped after every optimizer step: the length counts the run's batches and the steps are batches, so the cosine runs once."""
import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader

from shapes import ShapesDataset, SmallNet


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    train_loader = DataLoader(ShapesDataset("train"), batch_size=64, shuffle=True)
    model = SmallNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs * len(train_loader))
    for epoch in range(args.epochs):
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()
            scheduler.step()


if __name__ == "__main__":
    main()

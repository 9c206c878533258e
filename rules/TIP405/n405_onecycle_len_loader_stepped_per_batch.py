# expect: none
"""[TIP405] OneCycleLR with `epochs=args.epochs, steps_per_epoch=len(loader)`, stepped every batch: the schedule's length is the run's batches, as stepped."""
import argparse

import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader

from tiny import TinyImageNet, WRN


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args()
    loader = DataLoader(TinyImageNet("train"), batch_size=128, shuffle=True)
    model = WRN()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = OneCycleLR(optimizer, max_lr=0.2, epochs=args.epochs, steps_per_epoch=len(loader))
    for epoch in range(args.epochs):
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()


if __name__ == "__main__":
    main()

"""[TIP405] OneCycleLR sized in epochs (`total_steps=args.epochs`) but stepped every batch: after `args.epochs` batches OneCycleLR raises `ValueError` ("Tried to step ... times"). The length says epochs: the unsafe fix moves the step after the batch loop."""
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
    scheduler = OneCycleLR(optimizer, max_lr=0.2, total_steps=args.epochs)
    for epoch in range(args.epochs):
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()  # expect: TIP405[unsafe-fix]


if __name__ == "__main__":
    main()

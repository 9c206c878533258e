# expect: none
"""[TIP404] OneCycleLR deliberately sized in epochs (`total_steps=args.epochs`) and stepped once per epoch: a per-epoch one-cycle (real-world pattern: per-epoch one-cycle in small-data scripts)."""
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
    model = WRN().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = OneCycleLR(optimizer, max_lr=0.2, total_steps=args.epochs)
    for epoch in range(args.epochs):
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()

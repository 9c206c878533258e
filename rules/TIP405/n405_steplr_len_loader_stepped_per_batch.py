# expect: none
"""[TIP405] StepLR with `step_size=len(train_loader)` stepped every batch: it decays once an epoch, which is what a length of one epoch's batches counted in batches means. Not a finding."""
import argparse

import torch
from torch.utils.data import DataLoader

from segm import CityScapes, UNet


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=100)
    args = parser.parse_args()
    train_loader = DataLoader(CityScapes("train"), batch_size=8, shuffle=True, num_workers=4)
    model = UNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=len(train_loader), gamma=0.97)
    for epoch in range(args.epochs):
        for images, masks in train_loader:
            loss = torch.nn.functional.cross_entropy(model(images), masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()


if __name__ == "__main__":
    main()

"""[TIP405] A LinearLR warm-up sized in epochs (`total_iters=args.warmup_epochs`) stepped after every batch, in the `train_one_epoch` helper the epoch loop calls: the warm-up is over after `warmup_epochs` batches. No fix: the batch loop is in a helper, with no epoch loop of its own to move the step to."""
import argparse

import torch
from torch.utils.data import DataLoader

from vit import ImageNetSubset, ViTSmall


def train_one_epoch(model, loader, optimizer, warmup):
    for images, labels in loader:
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        warmup.step()  # expect: TIP405[no-fix]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=90)
    parser.add_argument("--warmup-epochs", type=int, default=5)
    args = parser.parse_args()
    loader = DataLoader(ImageNetSubset("train"), batch_size=256, shuffle=True, num_workers=8)
    model = ViTSmall()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=args.warmup_epochs)
    for epoch in range(args.epochs):
        train_one_epoch(model, loader, optimizer, warmup)


if __name__ == "__main__":
    main()

"""[TIP405] CosineAnnealingLR sized in epochs (`T_max=args.epochs`) but stepped after every optimizer step: the cosine goes down and up again len(loader)/2 times per run. The length says epochs, so the unsafe fix moves the step after the batch loop."""
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
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    for epoch in range(args.epochs):
        for images, masks in train_loader:
            loss = torch.nn.functional.cross_entropy(model(images), masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()  # expect: TIP405[unsafe-fix]
        print(f"epoch {epoch} lr {scheduler.get_last_lr()[0]:.5f}")


if __name__ == "__main__":
    main()

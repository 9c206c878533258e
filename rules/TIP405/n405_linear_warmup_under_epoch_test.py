# expect: none
"""[TIP405] The same warm-up sized in epochs, stepped in the batch loop only while `epoch < args.warmup_epochs`: a step under a test that counts epochs is not a plain per-batch cadence, so the rule cannot tell how many steps it takes. Silent."""
import argparse

import torch
from torch.utils.data import DataLoader

from vit import ImageNetSubset, ViTSmall


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
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if epoch < args.warmup_epochs:
                warmup.step()


if __name__ == "__main__":
    main()

"""[TIP404] OneCycleLR(total_steps=args.epochs * len(train_loader)) stepped per epoch inside `if`-free epoch tail with AMP (real-world pattern: Kaggle notebooks)."""
import argparse

import torch
from torch.cuda.amp import GradScaler, autocast
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader

from leaf import CassavaDataset, build_model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=1e-4)
    args = parser.parse_args()
    train_loader = DataLoader(CassavaDataset("train"), batch_size=32, shuffle=True, num_workers=4)
    model = build_model("tf_efficientnet_b4").cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = OneCycleLR(optimizer, max_lr=args.lr, total_steps=args.epochs * len(train_loader), pct_start=0.1)
    scaler = GradScaler()
    for epoch in range(args.epochs):
        for step, (imgs, labels) in enumerate(train_loader):
            with autocast():
                loss = torch.nn.functional.cross_entropy(model(imgs.cuda()), labels.cuda())
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad()
        scheduler.step()  # expect: TIP404[unsafe-fix]


if __name__ == "__main__":
    main()

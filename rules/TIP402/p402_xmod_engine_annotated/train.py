"""[TIP402] train.py: a per-epoch PolynomialLR stepped at the top of the epoch loop, before engine.train_one_epoch (synthetic, pre-1.1 order in a two-module layout)."""
import torch
from torch.optim.lr_scheduler import PolynomialLR
from torch.utils.data import DataLoader

from engine import train_one_epoch
from voc import VOCSegmentation, FCN


def main(epochs=50):
    device = torch.device("cuda")
    loader = DataLoader(VOCSegmentation("train_aug"), batch_size=16, shuffle=True, num_workers=8)
    model = FCN(num_classes=21).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    scheduler = PolynomialLR(optimizer, total_iters=epochs, power=0.9)
    for epoch in range(epochs):
        scheduler.step()  # expect: TIP402[safe-fix]
        train_one_epoch(model, loader, optimizer, device)


if __name__ == "__main__":
    main()

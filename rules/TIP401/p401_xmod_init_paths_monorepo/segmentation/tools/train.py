# expect: none
"""[TIP401] segmentation/tools/train.py, the look-alike: the same layout, but segmentation/lib/engine.py steps the scheduler after each epoch of optimizer steps; nothing to report."""

import _init_paths  # noqa: F401
import torch
from engine import train_epoch
from segmenters import Cityscapes, DeepLabV3
from torch.optim.lr_scheduler import PolynomialLR


def main(epochs=200):
    loader = torch.utils.data.DataLoader(Cityscapes("train"), batch_size=8, shuffle=True)
    model = DeepLabV3().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    scheduler = PolynomialLR(optimizer, total_iters=epochs, power=0.9)
    for epoch in range(epochs):
        train_epoch(model, loader, optimizer, scheduler)


if __name__ == "__main__":
    main()

# expect: none
"""[TIP401] tools/train.py: puts ../lib in front of sys.path and imports `trainer`, which is lib/trainer.py (it steps the scheduler). The trainer.py at the top of the project, an older single-file loop that never steps one, is not on the path: linking by file name alone would report a scheduler that is stepped."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

import torch  # noqa: E402
from tinyimagenet import TinyImageNet, WideResNet  # noqa: E402
from torch.optim.lr_scheduler import CosineAnnealingLR  # noqa: E402
from trainer import fit_one_epoch  # noqa: E402


def main(epochs=90):
    loader = torch.utils.data.DataLoader(TinyImageNet("train"), batch_size=128, shuffle=True)
    model = WideResNet(depth=28, widen=4).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    scheduler = CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        fit_one_epoch(model, loader, optimizer, scheduler)


if __name__ == "__main__":
    main()

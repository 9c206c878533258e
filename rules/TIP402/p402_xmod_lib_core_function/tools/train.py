"""[TIP402] tools/train.py: puts the project folder on sys.path and imports `lib.core.function` (lib/ has no __init__.py, lib/core/ has one); the scheduler steps before function.train(), whose optimizer steps run inside it: the pre-1.1 order."""

import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir)))

import torch  # noqa: E402
from lib.core import function  # noqa: E402
from lib.core.nets import CocoKeypoints, PoseHighResolutionNet  # noqa: E402
from torch.optim.lr_scheduler import MultiStepLR  # noqa: E402


def main(epochs=210):
    loader = torch.utils.data.DataLoader(CocoKeypoints("train2017"), batch_size=32, shuffle=True)
    model = PoseHighResolutionNet().cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = MultiStepLR(optimizer, milestones=[170, 200], gamma=0.1)
    for epoch in range(epochs):
        scheduler.step()  # expect: TIP402[safe-fix]
        function.train(loader, model, optimizer, epoch)


if __name__ == "__main__":
    main()

"""[TIP401] detection/tools/train.py: `engine` is detection/lib/engine.py, found through `import _init_paths`; its train_epoch never steps the scheduler, and neither does this script. The segmentation/ project beside it has an engine.py of its own that does: linking by file name alone would pick the wrong one."""

import _init_paths  # noqa: F401
import torch
from detectors import CocoDetection, RetinaNet
from engine import train_epoch
from torch.optim.lr_scheduler import MultiStepLR


def main(epochs=24):
    loader = torch.utils.data.DataLoader(CocoDetection("train2017"), batch_size=8, shuffle=True)
    model = RetinaNet().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    scheduler = MultiStepLR(optimizer, milestones=[16, 22], gamma=0.1)  # expect: TIP401[no-fix]
    for epoch in range(epochs):
        train_epoch(model, loader, optimizer, scheduler)


if __name__ == "__main__":
    main()

"""[TIP402] The schedule's settings are bound once with `functools.partial` and the class is called later on the optimizer; the scheduler it makes steps before the epoch's optimizer steps (real-world pattern: partially-applied schedulers in config code)."""
from functools import partial

import torch
from torch.optim.lr_scheduler import MultiStepLR
from torch.utils.data import DataLoader

from keypoints import COCOKeypoints, SimpleBaseline

SCHEDULE = partial(MultiStepLR, milestones=[90, 120], gamma=0.1)


def main(epochs=140):
    loader = DataLoader(COCOKeypoints("train2017"), batch_size=32, shuffle=True, num_workers=8)
    model = SimpleBaseline(joints=17).cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = SCHEDULE(optimizer)
    for epoch in range(epochs):
        scheduler.step()  # expect: TIP402[safe-fix]
        for images, heatmaps, weights in loader:
            loss = ((model(images.cuda()) - heatmaps.cuda()) ** 2 * weights.cuda()).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()

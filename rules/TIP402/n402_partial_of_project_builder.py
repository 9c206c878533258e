# expect: none
"""[TIP402, TIP401] `functools.partial` binds the settings of a project function that builds the schedule (not a torch class): what it returns is that function's business, so nothing is said (real-world pattern: partially-applied builders in config code)."""
from functools import partial

import torch
from torch.utils.data import DataLoader

from keypoints import COCOKeypoints, SimpleBaseline, build_schedule

SCHEDULE = partial(build_schedule, milestones=[90, 120], gamma=0.1)


def main(epochs=140):
    loader = DataLoader(COCOKeypoints("train2017"), batch_size=32, shuffle=True, num_workers=8)
    model = SimpleBaseline(joints=17).cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = SCHEDULE(optimizer)
    for epoch in range(epochs):
        scheduler.step()
        for images, heatmaps, weights in loader:
            loss = ((model(images.cuda()) - heatmaps.cuda()) ** 2 * weights.cuda()).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()

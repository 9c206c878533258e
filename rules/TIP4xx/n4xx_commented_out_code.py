# expect: none
"""[TIP401, TIP402, TIP403, TIP404, TIP501] Correct loop with the wrong versions left commented out (old pre-1.1 step, a Plateau without metric, an unused DistributedSampler) (real-world pattern: commented-out experiments)."""
import torch
from torch.optim.lr_scheduler import MultiStepLR
from torch.utils.data import DataLoader

from kitti import KittiStereo, PSMNet

# from torch.utils.data.distributed import DistributedSampler
# from torch.optim.lr_scheduler import ReduceLROnPlateau, OneCycleLR


def main(epochs=300):
    dataset = KittiStereo("/data/kitti2015")
    # sampler = DistributedSampler(dataset)
    # loader = DataLoader(dataset, batch_size=12, sampler=sampler)
    loader = DataLoader(dataset, batch_size=12, shuffle=True, num_workers=8)
    model = PSMNet(maxdisp=192).cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999))
    scheduler = MultiStepLR(optimizer, milestones=[200], gamma=0.1)
    # plateau = ReduceLROnPlateau(optimizer, "min")
    # onecycle = OneCycleLR(optimizer, max_lr=1e-3, total_steps=epochs * len(loader))
    for epoch in range(epochs):
        # scheduler.step(epoch)  # pre-1.1: stepped at the top of the epoch
        # plateau.step()
        for left, right, disp in loader:
            loss = torch.nn.functional.smooth_l1_loss(model(left.cuda(), right.cuda()), disp.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        # onecycle.step()
        scheduler.step()


if __name__ == "__main__":
    main()

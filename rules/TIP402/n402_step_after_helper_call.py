# expect: none
"""[TIP402] The epoch loop calls fit_epoch(...) (which steps the optimizer) and steps the scheduler right after it: the post-1.1 order through a helper (synthetic look-alike)."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import MultiStepLR
from torch.utils.data import DataLoader

from pose_data import KeypointSet
from pose_net import HourglassNet


def fit_epoch(net, loader, opt):
    net.train()
    for image, heatmap in loader:
        loss = F.mse_loss(net(image), heatmap)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


def main(epochs=140):
    loader = DataLoader(KeypointSet("train"), batch_size=16, shuffle=True)
    net = HourglassNet(stacks=2)
    opt = torch.optim.RMSprop(net.parameters(), lr=2.5e-4)
    scheduler = MultiStepLR(opt, milestones=[90, 120], gamma=0.1)
    for epoch in range(epochs):
        last = fit_epoch(net, loader, opt)
        scheduler.step()
        print(epoch, last)


if __name__ == "__main__":
    main()

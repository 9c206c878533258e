# expect: none
"""[TIP402] Two star imports, `fit_epoch` from fit_utils.py stepping the optimizer; the scheduler steps after
it, at the end of each epoch (look-alike of the star-import case, in the right order)."""
import torch
from torch.utils.data import DataLoader

from fit_utils import *
from viz import *
from cells import CellMasks, UNet


def main(epochs=40):
    loader = DataLoader(CellMasks("train"), batch_size=4, shuffle=True)
    net = UNet()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    decay = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    for epoch in range(epochs):
        fit_epoch(net, loader, opt)
        decay.step()


if __name__ == "__main__":
    main()

"""[TIP402] Two star imports: `fit_epoch` is the one that fit_utils.py defines (viz.py has none), and it steps
the optimizer; the epoch loop steps the scheduler before calling it (real-world pattern: research scripts
with `from models import *` and `from utils import *`)."""
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
        decay.step()  # expect: TIP402[safe-fix]
        fit_epoch(net, loader, opt)


if __name__ == "__main__":
    main()

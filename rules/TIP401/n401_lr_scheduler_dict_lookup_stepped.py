# expect: none
"""[TIP401, TIP402] Optimizer and scheduler classes looked up in the modules' `__dict__` by their command-line names; the scheduler is stepped after each epoch (real-world pattern: `models.__dict__[arch]`-style lookups in ImageNet-like scripts)."""
import argparse

import torch.optim as optim
from torch.utils.data import DataLoader

from satellite import EuroSAT, WideResNet


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--optim", default="SGD")
    parser.add_argument("--sched", default="StepLR")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    loader = DataLoader(EuroSAT("train"), batch_size=128, shuffle=True)
    model = WideResNet(depth=16, widen=4, classes=10).cuda()
    optimizer = optim.__dict__[args.optim](model.parameters(), lr=0.05)
    scheduler = optim.lr_scheduler.__dict__[args.sched](optimizer, step_size=10)
    for epoch in range(args.epochs):
        for images, labels in loader:
            loss = model.loss(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()

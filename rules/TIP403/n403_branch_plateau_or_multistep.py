# expect: none
"""[TIP403, TIP402, TIP401] `scheduler` is a ReduceLROnPlateau on one branch and a MultiStepLR on the other; `step()` without a metric happens only on the MultiStepLR path (real-world pattern: configurable --scheduler flags)."""
import argparse

import torch
from torch.optim.lr_scheduler import MultiStepLR, ReduceLROnPlateau
from torch.utils.data import DataLoader

from cars import StanfordCars, ResNet50


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scheduler", choices=["plateau", "multistep"], default="multistep")
    parser.add_argument("--epochs", type=int, default=90)
    args = parser.parse_args()
    train_loader = DataLoader(StanfordCars("train"), batch_size=32, shuffle=True)
    model = ResNet50(num_classes=196).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    if args.scheduler == "plateau":
        scheduler = ReduceLROnPlateau(optimizer, "min", patience=5)
    else:
        scheduler = MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)
    for epoch in range(args.epochs):
        running = 0.0
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            loss.backward()
            optimizer.step()
            running += loss.item()
        if isinstance(scheduler, ReduceLROnPlateau):
            scheduler.step(running)
        else:
            scheduler.step()


if __name__ == "__main__":
    main()

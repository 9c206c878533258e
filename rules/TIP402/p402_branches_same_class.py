"""[TIP402] The scheduler is a StepLR on both branches of a `--warmup` flag (only the step size differs) and steps at the top of each epoch: one finding, not one per branch (real-world pattern: flag-dependent scheduler settings)."""
import argparse

import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from flowers import Flowers102, DenseNet121


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--short", action="store_true")
    args = parser.parse_args()
    loader = DataLoader(Flowers102("train"), batch_size=48, shuffle=True, num_workers=4)
    model = DenseNet121(num_classes=102).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    if args.short:
        scheduler = StepLR(optimizer, step_size=5, gamma=0.5)
    else:
        scheduler = StepLR(optimizer, step_size=15, gamma=0.1)
    for epoch in range(30 if args.short else 60):
        scheduler.step()  # expect: TIP402[safe-fix]
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()

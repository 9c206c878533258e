"""[TIP402] Pre-1.1 `scheduler.step(epoch)` at the top of a loop that resumes at `start_epoch` without the scheduler's state: the epoch argument is what sets the right LR after a resume. Moved after the epoch, neither `step()` nor `step(epoch)` gives the same LRs, so there is no fix (real-world pattern: pre-1.1 resumable ImageNet scripts)."""
import argparse

import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from imagenet_data import imagenet_train
from torchvision.models import resnet50


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=90)
    parser.add_argument("--resume", default="")
    args = parser.parse_args()
    loader = DataLoader(imagenet_train("/data/imagenet"), batch_size=256, shuffle=True, num_workers=16)
    model = resnet50()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    start_epoch = 0
    if args.resume:
        checkpoint = torch.load(args.resume, map_location="cpu")
        model.load_state_dict(checkpoint["state_dict"])
        start_epoch = checkpoint["epoch"]
    for epoch in range(start_epoch, args.epochs):
        scheduler.step(epoch)  # expect: TIP402[no-fix]
        for images, target in loader:
            loss = torch.nn.functional.cross_entropy(model(images), target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        torch.save({"state_dict": model.state_dict(), "epoch": epoch + 1}, "checkpoint.pth.tar")


if __name__ == "__main__":
    main()

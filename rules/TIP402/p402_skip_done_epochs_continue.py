"""[TIP402] Resuming by skipping the epochs already done: `scheduler.step()` at the top of the epoch loop, then `if epoch < start_epoch: continue` (which fast-forwards the schedule) before the batch loop. Moved after the batch loop, the step would no longer run on the skipped epochs and the schedule would restart from its first value: the fix is unsafe (real-world pattern: resumable scripts without scheduler state)."""
import argparse

import torch
from torch.optim.lr_scheduler import MultiStepLR
from torch.utils.data import DataLoader

from cifar_data import cifar10_train
from resnet_cifar import resnet20


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=160)
    parser.add_argument("--start-epoch", type=int, default=0)
    parser.add_argument("--resume", default="")
    args = parser.parse_args()
    loader = DataLoader(cifar10_train(), batch_size=128, shuffle=True, num_workers=4)
    model = resnet20()
    if args.resume:
        model.load_state_dict(torch.load(args.resume, map_location="cpu"))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    scheduler = MultiStepLR(optimizer, milestones=[80, 120], gamma=0.1)
    for epoch in range(args.epochs):
        scheduler.step()  # expect: TIP402[unsafe-fix]
        if epoch < args.start_epoch:
            continue
        model.train()
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        torch.save(model.state_dict(), f"checkpoint_{epoch}.pt")


if __name__ == "__main__":
    main()
